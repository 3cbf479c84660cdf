"""The record every page is: what the router, the navigation, the preload, the app and the tests read of it.

A page is a folder, `pages/<name>/`: `model.py` (pure: the page's numbers from the dataset, the view and the
role), `layout.py` (components), `callbacks.py` (thin: inputs -> model -> figures -> outputs by id), and an
`__init__.py` holding its `PAGE`. pages/registry.py lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Layout = Callable[..., list]  # (ctx, view, role) -> the page's components, drawn by the router
Register = Callable[..., None]  # (app, ctx) -> None: the page's callbacks


@dataclass(frozen=True)
class Page:
    name: str  # the view's page id: stable, in the URL state, the ids and the tests
    path: str  # its URL path; the district page takes the p-code after it (/district/<pcode>)
    title: str
    layout: Layout
    register: Register
    nav: str | None = None  # the navigation's label; None: reached by links only (the district profile)
    draws_map: bool = False  # its layout draws the district map: the geometry is preloaded with it
