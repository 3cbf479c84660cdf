"""The change page (to be built)."""

from __future__ import annotations

from context import Context
from layouts.controls import empty_state
from layouts.view import View

TITLE = "Change"


def layout(ctx: Context, view: View) -> list:
    return [empty_state("This page is not built yet.")]
