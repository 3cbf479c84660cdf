"""District profile: everything about one district, against its province and the standards, across rounds.

The district table read is the province's (the district fixes the province), so the numbers are the cached
ones the overview and the exports show. The tables here are plain functions of (ctx, view): the page shows
them and the downloads send them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
from dash import Dash, Output

from analysis import filters, standards
from analysis.catalogue import DOMAINS, INDICATORS, TRACER_LABELS, TRACERS
from analysis.coverage import coverage_matrix
from analysis.filters import Filter
from analysis.indicators import facility_base, facility_indicators, facility_summary, province_indicators
from analysis.disclosure import FACILITY_BASED, public_filter, published_provinces
from analysis.districts import protected
from analysis.suppression import SUPPRESSED, WITHHELD, export_note, threshold
from analysis.suppression import label as suppressed_label
from pages.downloads import table as downloadable
from pages.wiring import on_view
from context import Context, per_dataset
from data.schema import BARRIERS
from exports import filename
from figures.district import services_spec, trend_spec, warm
from figures.style import empty_figure
from pages import ids
from pages.controls import OWNERSHIP_LABELS, TIER_LABELS, empty_state
from pages.district.layout import (
    back_href,
    barrier_list,
    key_table,
    need_text,
    partner_table,
    score_table,
    standards_note,
    table_names,
    trend_table,
)
from pages.graph import graph_config
from view import View

KEY_INDICATORS = ("population", "pin", "severity", "facilities", "functional", "pct_fully_functional", "pct_damaged",
                  "pct_accessible", "phc_per_10k", "phc_gap", "hospitals_per_250k", "pop_per_functional_facility",
                  "availability_score", "partners", "pct_reached")
TREND_INDICATORS = ("facilities", "functional", "pct_fully_functional", "availability_score")
PARTNER_COLUMNS = ["activity", "partners", "organisations", "reached", "targeted"]
BELOW, MEETS, NO_DATA = "below the standard", "meets it", "no data"
PROVINCE_SUPPRESSED = f"province_{SUPPRESSED}"


def names(ctx: Context, code: str) -> tuple[str, str, str]:
    """(district name, province p-code, province name) of a district p-code."""
    return _places(ctx)[code]


@per_dataset(maxsize=1)
def _places(ctx: Context) -> dict[str, tuple[str, str, str]]:
    """names() of every district, by p-code (the first row of a p-code): a page asks a dozen times."""
    districts = ctx.dataset.districts
    places = zip(districts["adm2_pcode"].astype(str), districts["adm2_name"], districts["adm1_pcode"],
                 districts["adm1_name"])
    found: dict[str, tuple[str, str, str]] = {}
    for code, name, province, province_name in places:
        found.setdefault(code, (str(name), str(province), str(province_name)))
    return found


def district_filter(ctx: Context, view: View) -> Filter:
    """The view's filter with its province fixed by the district (so the cached table is the province's)."""
    return replace(ctx.scoped(view).filter(), admin1=(names(ctx, view.district)[1],))


def district_row(ctx: Context, chosen: Filter, code: str) -> pd.Series:
    return _row(ctx.districts(chosen), code)


def _row(table: pd.DataFrame, code: str) -> pd.Series:
    """The district's row of a district table, found by position (no copy of the table's rows)."""
    return table.iloc[np.flatnonzero(table["adm2_pcode"].to_numpy() == code)[0]]


@per_dataset(maxsize=64)
def _facility_table(ctx: Context, chosen: Filter, public: bool) -> pd.DataFrame:
    """The facility indicators and `suppressed` flag of ctx.districts(chosen), as district_table makes them
    (suppressed for the public before the partner columns are added), without the partner columns: the trend
    reads every round's table, and these columns alone cost half as much."""
    if public:  # never split by facility type or ownership (analysis/disclosure.py), whatever the view says
        return protected(ctx.dataset, public_filter(chosen))
    return facility_indicators(ctx.dataset, chosen)


@per_dataset()
def province_row(ctx: Context, chosen: Filter) -> pd.Series:
    """The province's indicators (from its totals), with its partners and share reached added: partners are
    counted once per organisation, not summed over districts."""
    row = province_indicators(ctx.dataset, chosen).iloc[0].copy()
    table = ctx.districts(chosen)
    activities = filters.activities(ctx.dataset, chosen, months=int(standards.value("round_months")))
    in_districts = activities["adm2_pcode"].astype("string").isin(table["adm2_pcode"])
    row["partners"] = activities.loc[in_districts, "org_name"].nunique()
    reached, targeted = table["reached"].sum(min_count=1), table["targeted"].sum(min_count=1)
    row["reached"], row["targeted"] = reached, targeted
    known = pd.notna(reached) and pd.notna(targeted) and targeted > 0
    row["pct_reached"] = 100 * reached / targeted if known else pd.NA
    return row


def province_shown(ctx: Context, chosen: Filter) -> pd.Series:
    """The province row as the requester may see it: for the public, its facility-based values are sums over
    the province's published districts (analysis/disclosure.py), withheld (flag `suppressed`) when it has
    none. Made apart from the cache of province_row: that row serves every requester."""
    return _province_public(ctx, chosen) if ctx.public else province_row(ctx, chosen)


@per_dataset()
def _province_public(ctx: Context, chosen: Filter) -> pd.Series:
    """The province row with the public's figures; the page reads it three times."""
    chosen = public_filter(chosen)
    row = province_row(ctx, chosen).copy()
    published = published_provinces(ctx.dataset, chosen, ctx.districts(chosen)).iloc[0]
    for column in [*FACILITY_BASED, SUPPRESSED, WITHHELD]:
        row[column] = published[column]
    return row


def _withheld(row: pd.Series, indicator: str | None = None) -> bool:
    """The row's facility-based values are withheld from the requester (the public, fewer than 3 facilities), or
    that indicator's alone (a small group of facilities inside the district: column `withheld`)."""
    alone = indicator is not None and indicator in str(row.get(WITHHELD, "") or "").split(";")
    return bool(row.get(SUPPRESSED, False)) or alone


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


def verdict(value: float | None, standard: float) -> str:
    """A rate read against its standard (at least `standard`)."""
    if value is None:
        return NO_DATA
    return BELOW if value < standard else MEETS


def key_figures(ctx: Context, view: View) -> pd.DataFrame:
    """One row per key indicator: the district's value, its province's, the standard and the verdict, and a
    note where the district's value is built from fewer facilities than the small-cell rule allows. For the
    public such a value is withheld: blank, flagged `suppressed` (`province_suppressed` for the province's)."""
    chosen = district_filter(ctx, view)
    district, province = district_row(ctx, chosen, view.district), province_shown(ctx, chosen)
    rows = []
    for indicator_id in KEY_INDICATORS:
        indicator = INDICATORS[indicator_id]
        value = _number(district[indicator_id])
        standard = standards.value(indicator.standard) if indicator.standard == indicator_id else None
        hidden = indicator.facility_based and _withheld(district, indicator_id)
        label = indicator.label
        if indicator_id == "availability_score" and view.domain:
            label += f": {DOMAINS.get(view.domain, view.domain)}"
        note = ""
        if indicator.facility_based and (hidden or bool(district["small_cell"])):
            note = suppressed_label() if hidden else f"built from fewer than {threshold():g} facilities"
        rows.append({
            "indicator": indicator_id, "label": label, "unit": indicator.unit, "decimals": indicator.decimals,
            "district": value, "province": _number(province[indicator_id]), "standard": standard,
            "verdict": SUPPRESSED if hidden and standard is not None else
            verdict(value, standard) if standard is not None else "",
            "note": note, SUPPRESSED: hidden,
            PROVINCE_SUPPRESSED: indicator.facility_based and _withheld(province, indicator_id),
        })
    return pd.DataFrame(rows)


def key_export(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    """The key figures as shown; the flags of withheld values only in the public's file."""
    figures = key_figures(ctx, view).drop(columns="decimals")
    return figures if ctx.public else figures.drop(columns=[SUPPRESSED, PROVINCE_SUPPRESSED])


def trend(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    """The district's facilities, functional, % fully functional and availability in every round; for the
    public, the column `suppressed` says in which rounds the facility-based ones are withheld."""
    chosen = district_filter(ctx, view)
    rows = []
    for name in ctx.rounds:
        row = _row(_facility_table(ctx, replace(chosen, round=name), ctx.public), view.district)
        rows.append({"round": name, **{column: _number(row[column]) for column in TREND_INDICATORS},
                     SUPPRESSED: _withheld(row) or _withheld(row, "availability_score")})
    columns = ["round", *TREND_INDICATORS] + ([SUPPRESSED] if ctx.public else [])
    return pd.DataFrame(rows, columns=["round", *TREND_INDICATORS, SUPPRESSED])[columns]


def domain_scores(ctx: Context, view: View) -> pd.DataFrame:
    """Availability per service domain: the district against its province."""
    chosen = district_filter(ctx, view)
    district, province = district_row(ctx, chosen, view.district), province_shown(ctx, chosen)
    return pd.DataFrame([{"domain": domain, "name": name, "district": _number(district[f"availability_{domain}"]),
                          "province": _number(province[f"availability_{domain}"]),
                          **_flags(district, province, f"availability_{domain}")}
                         for domain, name in DOMAINS.items()])


def _flags(district: pd.Series, province: pd.Series, indicator: str) -> dict[str, bool]:
    return {SUPPRESSED: _withheld(district, indicator), PROVINCE_SUPPRESSED: _withheld(province, indicator)}


def tracer_scores(ctx: Context, view: View) -> pd.DataFrame:
    """Share of facilities offering each tracer service: the district against its province."""
    chosen = district_filter(ctx, view)
    district, province = district_row(ctx, chosen, view.district), province_shown(ctx, chosen)
    return pd.DataFrame([{"tracer": tracer, "name": TRACER_LABELS[tracer], "code": TRACERS[tracer],
                          "district": _number(district[f"pct_with_{tracer}"]),
                          "province": _number(province[f"pct_with_{tracer}"]),
                          **_flags(district, province, f"pct_with_{tracer}")}
                         for tracer in TRACERS])


def barrier_counts(ctx: Context, view: View) -> pd.Series:
    """How often each barrier is given first for a service partially or not available in the district (the
    counts the district's top barrier is chosen from), in data.schema.BARRIERS order.

    Sums of the facility summary's barrier columns (those of the filter's domain) over the district's
    facilities of the filter, planned ones left out: the counts the service rows give, without reading them."""
    chosen = district_filter(ctx, view)
    base, summary = facility_base(ctx.dataset), facility_summary(ctx.dataset)
    district = np.flatnonzero(base.districts["adm2_pcode"].astype(str).to_numpy() == view.district)
    rows = filters.facility_mask(ctx.dataset, chosen) & np.isin(base.district, district)  # planned: -1, left out
    suffix = f"_in_{chosen.domain}" if chosen.domain else ""
    counts = [int(summary[column].to_numpy()[rows].sum()) if column in summary else 0
              for column in (f"barrier_{barrier}{suffix}" for barrier in BARRIERS)]
    return pd.Series(counts, index=pd.Index(list(BARRIERS), name="barrier_1"), name="count", dtype=int)


def partners(ctx: Context, view: View) -> pd.DataFrame:
    """The district's rows of the coverage matrix: per activity, the organisations and people reached."""
    matrix = coverage_matrix(ctx.dataset, district_filter(ctx, view))
    return matrix.loc[matrix["adm2_pcode"] == view.district, PARTNER_COLUMNS].reset_index(drop=True)


def empty_messages(ctx: Context, view: View) -> list[str]:
    """Sentences for what the filter leaves the district without: population, facilities."""
    name = names(ctx, view.district)[0]
    row = district_row(ctx, district_filter(ctx, view), view.district)
    round_name = view.round or ctx.rounds[-1]
    messages = []
    if pd.isna(row["population"]):
        messages.append(f"No population figure for {name}: the rates per population (facilities per 10,000, "
                        "hospitals per 250,000, people per facility) show no data.")
    if pd.isna(row["facilities"]) or row["facilities"] == 0:
        kinds = " or ".join(TIER_LABELS.get(t, t).lower() for t in view.tiers) or "any"
        owners = f" ({' or '.join(OWNERSHIP_LABELS.get(o, o).lower() for o in view.ownership)} ownership)" \
            if view.ownership else ""
        messages.append(f"No facility of {kinds} type{owners} in {name} in round {round_name}: facility and "
                        "service indicators show no data.")
    return messages


def chart_config(ctx: Context, view: View, title: str) -> dict:
    """The graph's PNG export named for the district, the chart and the filters."""
    name, _, province = names(ctx, view.district)
    return graph_config(filename(f"{name} {province} {title}", ctx, view, "png").removesuffix(".png"))


def district_update(ctx: Context, view: View) -> tuple:
    """Every output of the page for a view: back link, empty states, key figures, services, partners, trend."""
    name, _, province = names(ctx, view.district)
    chosen = district_filter(ctx, view)
    row = district_row(ctx, chosen, view.district)
    round_name = view.round or ctx.rounds[-1]
    scores = domain_scores(ctx, view)
    withheld = _withheld(row)
    services = (empty_figure(f"Service availability in {name} is {suppressed_label()} in the public view; the "
                             "province's is in the table below.", view.present) if withheld
                else services_spec(scores, name, province, view.present))
    trend_values = trend(ctx, view)
    area = f"{province}, published districts" if ctx.public else province  # the public's province sums
    coverage = partners(ctx, view)
    months = standards.value("round_months")
    no_partners = f"No partner activity reported in {name} in the {months:g} months up to {round_name}."
    return (
        back_href(view),
        [empty_state(message) for message in empty_messages(ctx, view)],
        key_table(key_figures(ctx, view), area),
        standards_note(),
        services,
        chart_config(ctx, view, "service availability"),
        score_table(scores, area, "Service domain"),
        score_table(tracer_scores(ctx, view), area, "Tracer service"),
        barrier_list(barrier_counts(ctx, view), row["top_barrier"], withheld),
        need_text(row),
        partner_table(coverage) if len(coverage) else empty_state(no_partners),
        trend_spec(trend_values, round_name, view.present),
        chart_config(ctx, view, "trend across rounds"),
        trend_table(trend_values),
    )


OUTPUTS = [
    (ids.DISTRICT_BACK, "href"), (ids.DISTRICT_EMPTY, "children"), (ids.DISTRICT_KEY, "children"),
    (ids.DISTRICT_STANDARDS, "children"), (ids.DISTRICT_SERVICES, "figure"), (ids.DISTRICT_SERVICES, "config"),
    (ids.DISTRICT_SERVICES_TABLE, "children"), (ids.DISTRICT_TRACERS, "children"),
    (ids.DISTRICT_BARRIERS, "children"), (ids.DISTRICT_NEED, "children"), (ids.DISTRICT_PARTNERS, "children"),
    (ids.DISTRICT_TREND, "figure"), (ids.DISTRICT_TREND, "config"), (ids.DISTRICT_TREND_TABLE, "children"),
]


def _where(ctx: Context, view: View) -> str:
    name, _, province = names(ctx, view.district)
    return f"{name}, {province}"


def _district_note(ctx: Context, view: View, role: str | None = None) -> list[str]:
    return [f"district: {_where(ctx, view)} ({view.district})"] + ([export_note()] if ctx.public else [])


KEY_TABLE, TREND_TABLE = table_names()
downloadable(KEY_TABLE, lambda ctx, view: f"key figures of {_where(ctx, view)}", _district_note)(key_export)
downloadable(TREND_TABLE, lambda ctx, view: f"trend across rounds of {_where(ctx, view)}", _district_note)(trend)


def register(app: Dash, ctx: Context) -> None:
    known = set(ctx.dataset.districts["adm2_pcode"].astype(str))
    warm()
    on_view(app, ctx, "district", [Output(component, prop) for component, prop in OUTPUTS],
            lambda view, role: district_update(ctx, view), shown=lambda view: view.district in known)
