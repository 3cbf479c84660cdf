"""The pages, by the name the view uses: title and layout function (ctx, view) -> components."""

from __future__ import annotations

from collections.abc import Callable

from context import Context
from layouts import change, data, district, overview, partners, priorities, services
from layouts.view import View

Layout = Callable[[Context, View], list]

PAGES: dict[str, tuple[str, Layout]] = {
    "overview": (overview.TITLE, overview.layout),
    "services": (services.TITLE, services.layout),
    "partners": (partners.TITLE, partners.layout),
    "priorities": (priorities.TITLE, priorities.layout),
    "district": (district.TITLE, district.layout),
    "change": (change.TITLE, change.layout),
    "data": (data.TITLE, data.layout),
}


def title(ctx: Context, view: View) -> str:
    """The page's heading; the district page is named for its district."""
    if view.page == "district" and view.district:
        names = ctx.dataset.districts.set_index(ctx.dataset.districts["adm2_pcode"].astype(str))
        row = names.loc[view.district]
        return f"{row['adm2_name']}, {row['adm1_name']}"
    return PAGES[view.page][0]
