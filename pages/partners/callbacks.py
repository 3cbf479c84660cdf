"""Partners page: a change of the view patches both maps' values and refreshes the lists, tables and charts.

Every number comes from analysis.coverage (and the district table, which is built on it) for the view's
filter, so the page, its downloads and the district profile agree.
"""

from __future__ import annotations

from dataclasses import replace

import dash_bootstrap_components as dbc
import pandas as pd
from dash import Dash, Output, html

from analysis import coverage, filters, standards
from pages.downloads import table as downloadable
from pages.maps import map_patch
from pages.wiring import on_view, open_profile_on_click
from context import Context
from exports import filename
from figures.classes import format_value
from figures.partners import (
    age_sex,
    age_sex_figure,
    by_activity_figure,
    coverage_categories,
    coverage_category,
    partners_by_activity,
    reach_by_activity,
    reach_figure,
)
from pages import ids
from pages.controls import empty_state
from pages.graph import graph, graph_config
from pages.grid import PROFILE, profile_links
from pages.partners.layout import LIST_HEIGHT, PARTNERS, WHO_HEIGHT, coverage_values, grid_height
from view import View

# What partners_update returns, in this order.
OUTPUTS = [
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


def months() -> int:
    return int(standards.value("round_months"))


def activities(ctx: Context, view: View) -> pd.DataFrame:
    """The filter's partner activities in the round's months, as analysis.coverage counts them."""
    return filters.activities(ctx.dataset, view.filter(), months())


@downloadable("partners-who-is-where", "who is where")
def who_is_where(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    return coverage.who_is_where(ctx.dataset, view.filter())


@downloadable("partners-gaps", "gap list")
def gaps(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    """Districts with a need and no partner; a facility shortfall is a need, as on the map."""
    shortfall = ctx.districts(view.filter()).set_index("adm2_pcode")["phc_gap"]
    return coverage.gap_list(ctx.dataset, view.filter(), shortfall=shortfall)


@downloadable("partners-duplication", "duplication list")
def duplication(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    return coverage.duplication_list(ctx.dataset, view.filter())


@downloadable("partners-coverage-matrix", "coverage matrix")
def matrix(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    return coverage.coverage_matrix(ctx.dataset, view.filter())


def where(ctx: Context, view: View) -> str:
    provinces = dict(zip(ctx.dataset.provinces["adm1_pcode"].astype(str), ctx.dataset.provinces["adm1_name"]))
    return ", ".join(provinces.get(p, p) for p in view.admin1) or "any province"


def round_text(ctx: Context, view: View) -> str:
    return view.round or (ctx.rounds[-1] if ctx.rounds else "the latest round")


def no_activity(ctx: Context, view: View) -> str | None:
    """A sentence when the round, or the filter, leaves no partner activity; None when there is some."""
    if len(activities(ctx, view)):
        return None
    period = f"in the {months()} months up to {round_text(ctx, view)}"
    unfiltered = filters.activities(ctx.dataset, replace(view.filter(), org_types=(), activities=()), months())
    if not len(unfiltered):
        return f"No partner activity reported for {where(ctx, view)} {period}."
    kinds = " or ".join(view.org_types) or "any"
    doing = f" for {' or '.join(view.activities)}" if view.activities else ""
    return f"No partner activity of {kinds} organisations{doing} in {where(ctx, view)} {period}."


def records(frame: pd.DataFrame, search: str | None = None) -> list[dict]:
    """Grid rows: plain values, None where missing; with `search`, each district's profile link."""
    if search is not None:
        frame = frame.assign(**{PROFILE: profile_links(frame["adm2_pcode"], search)})
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def district_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Both maps' values per district: partners, category (as the legend says it) and the need."""
    labels = {c.value: c.label for c in coverage_categories(standards.value("duplication_partners"))}
    rows = table[["adm2_pcode", "adm2_name", "adm1_name", "partners", "need_reason"]].assign(
        category=coverage_category(table).map(labels))
    rows["need_reason"] = rows["need_reason"].astype(object).where(rows["need_reason"].notna(), "none identified")
    return rows


def number_table(frame: pd.DataFrame, headers: dict[str, str], decimals: dict[str, int] | None = None) -> dbc.Table:
    """A chart's numbers as a plain table, formatted as the page formats them."""
    decimals = decimals or {}
    shown = pd.DataFrame({
        header: [format_value(v, decimals.get(column, 0)) if column != frame.columns[0] else v
                 for v in frame[column]]
        for column, header in headers.items()})
    return dbc.Table.from_dataframe(shown, striped=True, bordered=False, hover=False, size="sm",
                                    className="partners-table")


def count_text(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}."


def partners_update(ctx: Context, view: View) -> tuple:
    """Every output of the page (OUTPUTS order) for a view."""
    chosen = view.filter()
    table = ctx.districts(chosen)
    search = view.search()
    message = no_activity(ctx, view)
    empty = message or "No partner activity for this filter."
    rows = activities(ctx, view)
    gap_list, duplication_list, who = gaps(ctx, view), duplication(ctx, view), who_is_where(ctx, view)
    threshold = standards.value("duplication_partners")

    counts = partners_by_activity(rows)
    counts_table = counts.assign(total=counts.sum(axis=1)).reset_index()
    headers = {c: {"activity": "Activity", "total": "Total"}.get(c, c) for c in counts_table.columns}
    reach = reach_by_activity(rows)
    groups = age_sex(rows)
    if len(groups):
        breakdown = graph(ids.PARTNERS_AGE_SEX_GRAPH, age_sex_figure(groups, view.present),
                          png(ctx, view, "people by sex and age"), className="partners-chart")
        groups_table = number_table(groups, {"group": "Group", **{m: f"People {m}" for m in ("targeted", "reached")
                                                                   if m in groups}})
        missing = [m for m in ("targeted", "reached") if m not in groups]
        if missing:
            breakdown = [breakdown, html.P(f"The 5W gives no sex and age breakdown of people {missing[0]}.",
                                           className="caption")]
    else:
        breakdown = empty_state(message or NO_BREAKDOWN)
        groups_table = NO_BREAKDOWN

    values = {
        (ids.PARTNERS_EMPTY, "children"): empty_state(message) if message else None,
        (ids.PARTNERS_MAP, "figure"): map_patch(table, PARTNERS, view.present),
        (ids.PARTNERS_MAP, "config"): png_config(ctx, view, "map partners"),
        (ids.PARTNERS_COVERAGE_MAP, "figure"): map_patch(table, None, view.present, values=coverage_values(table)),
        (ids.PARTNERS_COVERAGE_MAP, "config"): png_config(ctx, view, "map gaps and duplication"),
        (ids.PARTNERS_DISTRICTS, "rowData"): records(district_rows(table), search),
        (ids.PARTNERS_GAPS, "rowData"): records(gap_list, search),
        (ids.PARTNERS_GAPS, "style"): grid_height(len(gap_list), LIST_HEIGHT),
        (ids.PARTNERS_GAPS_COUNT, "children"): count_text(len(gap_list), "district with a need and no partner",
                                                           "districts with a need and no partner"),
        (ids.PARTNERS_DUPLICATION, "rowData"): records(duplication_list, search),
        (ids.PARTNERS_DUPLICATION, "style"): grid_height(len(duplication_list), LIST_HEIGHT),
        (ids.PARTNERS_DUPLICATION_COUNT, "children"): count_text(
            len(duplication_list), f"activity in a district with {threshold:g} or more organisations",
            f"activities in a district with {threshold:g} or more organisations"),
        (ids.PARTNERS_WHO, "rowData"): records(who),
        (ids.PARTNERS_WHO, "style"): grid_height(len(who), WHO_HEIGHT),
        (ids.PARTNERS_BY_ACTIVITY, "figure"): by_activity_figure(counts, view.present, empty),
        (ids.PARTNERS_BY_ACTIVITY, "config"): png_config(ctx, view, "partners by activity and organisation type"),
        (ids.PARTNERS_BY_ACTIVITY_TABLE, "children"): number_table(counts_table, headers) if len(counts) else empty,
        (ids.PARTNERS_REACH, "figure"): reach_figure(reach, view.present, empty),
        (ids.PARTNERS_REACH, "config"): png_config(ctx, view, "reached against targeted"),
        (ids.PARTNERS_REACH_TABLE, "children"): number_table(
            reach, {"activity": "Activity", "targeted": "People targeted", "reached": "People reached",
                    "pct_reached": "% reached"}, {"pct_reached": 1}) if len(reach) else empty,
        (ids.PARTNERS_AGE_SEX, "children"): breakdown,
        (ids.PARTNERS_AGE_SEX_TABLE, "children"): groups_table,
        (ids.PARTNERS_MATRIX, "rowData"): records(matrix(ctx, view), search),
    }
    return tuple(values[key] for key in OUTPUTS)


def png(ctx: Context, view: View, title: str) -> str:
    """A chart's PNG file name: what, round, filters and the dataset's date."""
    return filename(title, ctx, view, "png").removesuffix(".png")


def png_config(ctx: Context, view: View, title: str) -> dict:
    return graph_config(png(ctx, view, title))


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "partners", [Output(c, p) for c, p in OUTPUTS],
            lambda view, role: partners_update(ctx, view))

    open_profile_on_click(app, ids.PARTNERS_MAP)
    open_profile_on_click(app, ids.PARTNERS_COVERAGE_MAP)
