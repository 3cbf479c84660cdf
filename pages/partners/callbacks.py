"""Partners page: a change of the view patches both maps' values and refreshes the lists, tables and charts.

Thin: the numbers are model.py's (analysis.coverage and the district table, for the view's filter), the
charts figures/partners.py's, the components layout.py's.
"""

from __future__ import annotations

import pandas as pd
from dash import Dash, html

from context import Context
from exports import png_name
from figures.partners import age_sex_figure, by_activity_figure, reach_figure
from pages import ids
from pages.controls import empty_state
from pages.downloads import table as downloadable
from pages.graph import graph, png_config
from pages.grid import grid_rows
from pages.maps import map_patch
from pages.partners import model
from pages.partners.layout import LIST_HEIGHT, PARTNERS, WHO_HEIGHT, coverage_values, grid_height, number_table
from pages.wiring import on_view, open_profile_on_click
from view import View

OUTPUTS = [  # what partners_update sends, keyed by (id, property)
    (ids.PARTNERS_EMPTY, "children"),
    (ids.PARTNERS_MAP, "figure"), (ids.PARTNERS_MAP, "config"),
    (ids.PARTNERS_COVERAGE_MAP, "figure"), (ids.PARTNERS_COVERAGE_MAP, "config"),
    (ids.PARTNERS_DISTRICTS, "rowData"),
    (ids.PARTNERS_GAPS, "rowData"), (ids.PARTNERS_GAPS, "style"), (ids.PARTNERS_GAPS_COUNT, "children"),
    (ids.PARTNERS_DUPLICATION, "rowData"), (ids.PARTNERS_DUPLICATION, "style"),
    (ids.PARTNERS_DUPLICATION_COUNT, "children"),
    (ids.PARTNERS_WHO, "rowData"), (ids.PARTNERS_WHO, "style"),
    (ids.PARTNERS_BY_ACTIVITY, "figure"), (ids.PARTNERS_BY_ACTIVITY, "config"),
    (ids.PARTNERS_BY_ACTIVITY_TABLE, "children"),
    (ids.PARTNERS_REACH, "figure"), (ids.PARTNERS_REACH, "config"), (ids.PARTNERS_REACH_TABLE, "children"),
    (ids.PARTNERS_AGE_SEX, "children"), (ids.PARTNERS_AGE_SEX_TABLE, "children"),
    (ids.PARTNERS_MATRIX, "rowData"),
]
NO_BREAKDOWN = "This 5W has no sex and age breakdown."
REACH_HEADERS = {"activity": "Activity", "targeted": "People targeted", "reached": "People reached",
                 "pct_reached": "% reached"}


@downloadable("partners-who-is-where", "who is where")
def who_is_where(ctx: Context, view: View, role: str) -> pd.DataFrame:
    return model.who_is_where(ctx, view)


@downloadable("partners-gaps", "gap list")
def gaps(ctx: Context, view: View, role: str) -> pd.DataFrame:
    return model.gaps(ctx, view, role)


@downloadable("partners-duplication", "duplication list")
def duplication(ctx: Context, view: View, role: str) -> pd.DataFrame:
    return model.duplication(ctx, view)


@downloadable("partners-coverage-matrix", "coverage matrix")
def matrix(ctx: Context, view: View, role: str) -> pd.DataFrame:
    return model.matrix(ctx, view)


def age_sex_outputs(ctx: Context, view: View, rows: pd.DataFrame, message: str | None) -> tuple:
    """The sex and age chart (with a note for a measure the 5W does not break down) and its table."""
    groups = model.age_sex(rows)
    if not len(groups):
        return empty_state(message or NO_BREAKDOWN), NO_BREAKDOWN
    breakdown = graph(ids.PARTNERS_AGE_SEX_GRAPH, age_sex_figure(groups, view.present),
                      png_name("people by sex and age", ctx, view), className="partners-chart")
    table = number_table(groups, {"group": "Group", **{m: f"People {m}" for m in model.MEASURES if m in groups}})
    missing = model.missing_measures(groups)
    if missing:
        breakdown = [breakdown, html.P(f"The 5W gives no sex and age breakdown of people {missing[0]}.",
                                       className="caption")]
    return breakdown, table


def partners_update(ctx: Context, view: View, role: str) -> dict:
    """Every output of the page for a view, keyed by (id, property)."""
    table = model.districts(ctx, view, role)
    search = view.search()
    message = model.no_activity(ctx, view)
    empty = message or "No partner activity for this filter."
    rows = model.activities(ctx, view)
    gap_list, duplication_list = model.gaps(ctx, view, role), model.duplication(ctx, view)
    who = model.who_is_where(ctx, view)
    counts = model.partners_by_activity(rows)
    counts_table, counts_headers = model.by_activity_table(counts)
    reach = model.reach_by_activity(rows)
    breakdown, groups_table = age_sex_outputs(ctx, view, rows, message)
    return {
        (ids.PARTNERS_EMPTY, "children"): empty_state(message) if message else None,
        (ids.PARTNERS_MAP, "figure"): map_patch(table, PARTNERS, view.present),
        (ids.PARTNERS_MAP, "config"): png_config("map partners", ctx, view),
        (ids.PARTNERS_COVERAGE_MAP, "figure"): map_patch(table, None, view.present, values=coverage_values(table)),
        (ids.PARTNERS_COVERAGE_MAP, "config"): png_config("map gaps and duplication", ctx, view),
        (ids.PARTNERS_DISTRICTS, "rowData"): grid_rows(model.district_rows(table), search),
        (ids.PARTNERS_GAPS, "rowData"): grid_rows(gap_list, search),
        (ids.PARTNERS_GAPS, "style"): grid_height(len(gap_list), LIST_HEIGHT),
        (ids.PARTNERS_GAPS_COUNT, "children"): model.gaps_count(len(gap_list)),
        (ids.PARTNERS_DUPLICATION, "rowData"): grid_rows(duplication_list, search),
        (ids.PARTNERS_DUPLICATION, "style"): grid_height(len(duplication_list), LIST_HEIGHT),
        (ids.PARTNERS_DUPLICATION_COUNT, "children"): model.duplication_count(len(duplication_list)),
        (ids.PARTNERS_WHO, "rowData"): grid_rows(who),
        (ids.PARTNERS_WHO, "style"): grid_height(len(who), WHO_HEIGHT),
        (ids.PARTNERS_BY_ACTIVITY, "figure"): by_activity_figure(counts, view.present, empty),
        (ids.PARTNERS_BY_ACTIVITY, "config"): png_config("partners by activity and organisation type", ctx, view),
        (ids.PARTNERS_BY_ACTIVITY_TABLE, "children"):
            number_table(counts_table, counts_headers) if len(counts) else empty,
        (ids.PARTNERS_REACH, "figure"): reach_figure(reach, view.present, empty),
        (ids.PARTNERS_REACH, "config"): png_config("reached against targeted", ctx, view),
        (ids.PARTNERS_REACH_TABLE, "children"):
            number_table(reach, REACH_HEADERS, {"pct_reached": 1}) if len(reach) else empty,
        (ids.PARTNERS_AGE_SEX, "children"): breakdown,
        (ids.PARTNERS_AGE_SEX_TABLE, "children"): groups_table,
        (ids.PARTNERS_MATRIX, "rowData"): grid_rows(model.matrix(ctx, view), search),
    }


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "partners", OUTPUTS, lambda view, role: partners_update(ctx, view, role))
    open_profile_on_click(app, ids.PARTNERS_MAP)
    open_profile_on_click(app, ids.PARTNERS_COVERAGE_MAP)
