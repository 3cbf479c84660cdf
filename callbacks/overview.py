"""Overview: a change of indicator or province sends the new values only; the geometry stays cached."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch

from analysis.catalogue import DEFAULT_INDICATOR, INDICATORS
from analysis.districts import district_indicators
from data.dataset import Dataset
from figures.choropleth import trace_values
from figures.table import table_rows
from layouts import ids
from layouts.overview import MAP_INDICATORS, caption, table_columns


def overview_update(dataset: Dataset, indicator_id: str | None, provinces: list[str] | None):
    """(map Patch, table rows, table columns, caption) for an indicator and a province filter."""
    offered = {i.id: i for i in MAP_INDICATORS}
    indicator = offered.get(indicator_id or "", INDICATORS[DEFAULT_INDICATOR])
    known = set(dataset.provinces["adm1_pcode"])
    chosen = [p for p in (provinces or []) if p in known]
    table = district_indicators(dataset, chosen)
    patch = Patch()
    for trace, values in enumerate(trace_values(table, indicator)):
        for key, value in values.items():
            patch["data"][trace][key] = value
    return patch, table_rows(table, indicator), table_columns(indicator), caption(indicator)


def register(app: Dash, dataset: Dataset) -> None:
    @app.callback(
        Output(ids.MAP, "figure"),
        Output(ids.TABLE, "rowData"),
        Output(ids.TABLE, "columnDefs"),
        Output(ids.MAP_CAPTION, "children"),
        Input(ids.INDICATOR, "value"),
        Input(ids.PROVINCE, "value"),
        prevent_initial_call=True,
    )
    def update_overview(indicator_id, provinces):
        return overview_update(dataset, indicator_id, provinces)
