"""The overview's numbers: the district table of the view, its headline figures, the facility points a
coordinator may see, and what the map and table stores hold. Pure: no Dash, no request; the role is an
argument."""

from __future__ import annotations

import pandas as pd

from analysis.access import is_public
from analysis.catalogue import DEFAULT_INDICATOR, INDICATORS, Indicator, grouped_options
from analysis.filters import facilities as chosen_facilities
from analysis.filters import round_of
from analysis.headlines import headlines
from analysis.suppression import SUPPRESSED, export_note
from context import Context
from data.schema import ownership_words, tier_words
from figures.choropleth import district_set
from figures.table import shown_values
from view import View

# The map offers every numeric district indicator (the priority score has its own page).
MAP_INDICATORS = [i for i in INDICATORS.values() if i.kind == "number" and i.group != "priority"]


def indicator_of(view: View) -> Indicator:
    """The view's indicator if the map offers it, else the default."""
    offered = {i.id: i for i in MAP_INDICATORS}
    return offered.get(view.indicator, INDICATORS[DEFAULT_INDICATOR])


def indicator_options() -> list[tuple[str, str]]:
    """(id, "group: label") of the indicators the map offers."""
    return grouped_options(MAP_INDICATORS)


def district_table(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """Every district indicator of the view, as `role` may see it (the table shown and sent)."""
    return ctx.districts(view.filter(), role)


def district_notes(ctx: Context, view: View, role: str) -> list[str]:
    """The public export says which values it withholds (the blank cells, flagged in column `suppressed`)."""
    return [export_note()] if is_public(role) else []


def headline_figures(ctx: Context, view: View, table: pd.DataFrame) -> dict:
    """The headline figures (analysis.headlines) of the view's district table."""
    return headlines(ctx.dataset, view.filter(), table)


def nothing_found(ctx: Context, view: View, facilities: int) -> str | None:
    """A sentence when the filter leaves no facility, naming the filter ("no primary facility in Kandahar...")."""
    if facilities or not len(ctx.dataset.facilities):
        return None
    provinces = ctx.province_names()
    where = ", ".join(provinces.get(p, p) for p in view.admin1) or "the country"
    kinds, owners = tier_words(view.tiers) or "any", ownership_words(view.ownership)
    return (f"No facility of {kinds} type{owners} in {where} in round {view.round or ctx.rounds[-1]}: facility "
            "indicators show no data.")


def facility_points(ctx: Context, view: View, role: str) -> pd.DataFrame | None:
    """The map's facility points: the facilities of the view's round, provinces, tiers and ownership, named
    with their district and province. Only when the layer is on AND `role` is a coordinator's; else None, so
    the public is never sent a point, whatever the view."""
    if not view.facilities or is_public(role):
        return None
    chosen = chosen_facilities(ctx.dataset, view.filter())
    districts = ctx.dataset.districts
    codes = chosen["adm2_pcode"].astype(str)
    return chosen.assign(adm2_name=codes.map(dict(zip(districts["adm2_pcode"], districts["adm2_name"]))),
                         adm1_name=codes.map(dict(zip(districts["adm2_pcode"], districts["adm1_name"]))))


def points_note(ctx: Context, view: View, points: pd.DataFrame | None) -> str | None:
    """What the points are and who sees them (None when the layer is off)."""
    if points is None:
        return None
    located = int((points["lat"].notna() & points["lon"].notna()).sum())
    missing = len(points) - located
    without = f" ({missing:,} without coordinates are not shown)" if missing else ""
    return (f"Points: the {located:,} facilities of round {round_of(ctx.dataset, view.filter())} in the filter"
            f"{without}, by functionality. Coordinator view only: keep inside the cluster.")


def caption(indicator: Indicator, points: str | None = None) -> str:
    """The indicator's definition; with the facility layer on, what the points are (`points_note`)."""
    return f"{indicator.titled}: {indicator.definition}" + (f" {points}" if points else "")


def map_title(indicator: Indicator) -> str:
    """The map's PNG title (exports.png_name adds the filters and the dataset's date)."""
    return f"map {indicator.label}"


def held(table: pd.DataFrame, view: View) -> dict:
    """What the page's map and table show: the view (its URL) and their districts (figures.choropleth
    district_set). The browser sends it back with the next view, so the server sends only what changed."""
    return {"view": view.href(), "districts": district_set(table)}


def table_names(table: pd.DataFrame) -> dict:
    """The table's districts: sent with the page and again only when the view changes which districts it holds.
    `set` is their fingerprint (figures.choropleth.district_set)."""
    return {"set": district_set(table), "adm2_pcode": table["adm2_pcode"].astype(str).tolist(),
            "adm2_name": table["adm2_name"].tolist(), "adm1_name": table["adm1_name"].tolist()}


def table_values(table: pd.DataFrame, indicator: Indicator, search: str) -> dict:
    """The table's values for a view, in the order of table_names; the browser joins them into rows
    (assets/district-rows.js), each district linked to its profile with the view's filters (`search`)."""
    values, hidden = shown_values(table, indicator)
    return {"set": district_set(table), "value": values, SUPPRESSED: hidden, "search": search}
