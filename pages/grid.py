"""Grid pieces shared by pages: the district name as a link to its profile, keeping the view's filters."""

from __future__ import annotations

import pandas as pd

PROFILE = "profile"  # the row field holding the district profile's link, with the view's filters
# The row id of a grid whose rows carry PROFILE and whose columns stay the same between views: AG Grid redraws
# only the cells whose value changed, so a row keeping its id would keep the previous view's link.
LINKED_ROW_ID = f"params.data.adm2_pcode + ' ' + params.data.{PROFILE}"


def district_column(**extra) -> dict:
    """The district column: its name, linked to /district/<pcode>?<filters> (the row's PROFILE field, or a
    `valueFormatter` giving "[name](path)" for rows without it).

    The DistrictLink renderer (assets/dashAgGridComponentFunctions.js) shows the name as plain text, never as
    markdown or HTML (a name is data: it must not fetch an image or run a script); sorting and filtering use
    the district name."""
    return {"headerName": "District", "colId": "adm2_name", "field": "adm2_name", "cellRenderer": "DistrictLink",
            "cellRendererParams": {"hrefField": PROFILE}, **extra}


def profile_link_formatter(search: str) -> dict:
    """A district column's valueFormatter for rows without a PROFILE field: "[name](/district/<pcode><search>)",
    which DistrictLink shows as the name, linked (search: the view's query, kept by the link)."""
    return {"function": f"'[' + params.value + '](/district/' + params.data.adm2_pcode + '{search})'"}


def profile_links(codes, search: str) -> list[str]:
    """Each district's profile link, keeping the view's filters (rows carry it: it changes with the view)."""
    return [f"/district/{code}{search}" for code in codes]


def grid_rows(frame: pd.DataFrame, search: str | None = None) -> list[dict]:
    """A grid's rows: plain values, None (null) where a value is missing; with `search` (the view's query),
    each district's PROFILE link keeping the view's filters."""
    if search is not None:
        frame = frame.assign(**{PROFILE: profile_links(frame["adm2_pcode"], search)})
    return frame.astype(object).where(frame.notna(), None).to_dict("records")
