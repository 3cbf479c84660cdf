"""The facility list of a district, for coordinators only. The role is checked here, on the server, when the
page is built: the public never receives a facility name, code or coordinate, whatever it asks for."""

from __future__ import annotations

import dash_ag_grid as dag
from dash import html

from analysis.filters import facilities as chosen_facilities
from context import Context
from pages import ids
from pages.controls import export_buttons
from view import View

FACILITY_NOTE = "The facility list is shown to coordinators after login."
COLUMNS = ["name", "code", "type", "tier", "ownership", "status", "functionality", "building", "accessibility",
           "lat", "lon", "location_method", "updated"]


def district_facilities(ctx: Context, view: View):
    """The round's facilities of the district (all facility types: the list is what a coordinator checks)."""
    table = chosen_facilities(ctx.dataset, view.filter())
    table = table[table["adm2_pcode"].astype(str) == str(view.district)]
    out = table[[c for c in COLUMNS if c in table.columns]].copy()
    for column in out.columns:
        if str(out[column].dtype) == "category":
            out[column] = out[column].astype(str).replace("nan", None)
    if "updated" in out:
        out["updated"] = out["updated"].dt.strftime("%Y-%m-%d")
    return out.sort_values(["tier", "name"] if "name" in out else ["tier"]).reset_index(drop=True)


def facility_section(ctx: Context, view: View) -> html.Div:
    """The list and its download for a coordinator; the note for everyone else."""
    if ctx.public:
        return html.P(FACILITY_NOTE, id=ids.DISTRICT_FACILITIES)
    rows = district_facilities(ctx, view)
    columns = [{"field": c, "headerName": c.replace("_", " ").capitalize()} for c in rows.columns]
    return html.Div([
        html.Div([html.P(f"{len(rows):,} facilities in the round and filter. Coordinator view: keep this list "
                         "inside the cluster.", className="mb-1"),
                  export_buttons("district-facilities", "the facility list")],
                 className="d-flex justify-content-between align-items-center"),
        dag.AgGrid(id=ids.DISTRICT_FACILITIES, columnDefs=columns, rowData=rows.to_dict("records"),
                   defaultColDef={"sortable": True, "filter": True, "resizable": True, "minWidth": 110},
                   dashGridOptions={"suppressRowVirtualisation": True}, style={"height": "50vh"}),
    ])
