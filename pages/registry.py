"""The pages, once: the router, the navigation, the preload, the app and the tests all read this registry.

A new page is a folder with its `PAGE` record (pages/page.py), added here; `add` also tells the view its path.
"""

from __future__ import annotations

from context import Context
from pages import change, data, district, overview, partners, priorities, services
from pages.page import Page
from view import View, add_path

PAGES: dict[str, Page] = {}


def add(page: Page) -> Page:
    """Register a page: the router draws it at its path and, with a label, the navigation links to it."""
    PAGES[page.name] = page
    add_path(page.name, page.path)
    return page


def navigation() -> list[Page]:
    """The pages the navigation links to, in the registry's order."""
    return [page for page in PAGES.values() if page.nav]


def heading(ctx: Context, view: View) -> str:
    """The page's heading; the district page is named for its district."""
    if view.page == "district" and view.district:
        names = ctx.dataset.districts.set_index(ctx.dataset.districts["adm2_pcode"].astype(str))
        row = names.loc[view.district]
        return f"{row['adm2_name']}, {row['adm1_name']}"
    return PAGES[view.page].title


for _module in (overview, services, partners, priorities, district, change, data):
    add(_module.PAGE)
