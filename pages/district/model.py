"""The district profile's numbers: one district against its province and the standards, across rounds, and
the coordinator's facility list.

The district table read is the province's (the district fixes the province), so the numbers are the cached
ones the overview and the exports show. Pure: plain functions of (ctx, view, role), no Dash; the page shows
their tables and the downloads send them.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from analysis import filters, standards
from analysis.access import PUBLIC, is_public
from analysis.catalogue import DOMAINS, INDICATORS, TRACER_LABELS, TRACERS
from analysis.coverage import coverage_matrix, share_reached
from analysis.disclosure import FACILITY_BASED, public_filter, published_provinces
from analysis.districts import protected
from analysis.filters import Filter
from analysis.filters import facilities as chosen_facilities
from analysis.indicators import facility_base, facility_indicators, facility_summary, province_indicators
from analysis.suppression import SUPPRESSED, WITHHELD, export_note, threshold
from analysis.suppression import label as suppressed_label
from context import Context, per_dataset
from data.schema import BARRIERS
from view import View

KEY_INDICATORS = ("population", "pin", "severity", "facilities", "functional", "pct_fully_functional", "pct_damaged",
                  "pct_accessible", "phc_per_10k", "phc_gap", "hospitals_per_250k", "pop_per_functional_facility",
                  "availability_score", "partners", "pct_reached")
TREND_INDICATORS = ("facilities", "functional", "pct_fully_functional", "availability_score")
PARTNER_COLUMNS = ["activity", "partners", "organisations", "reached", "targeted"]
BELOW, MEETS, NO_DATA = "below the standard", "meets it", "no data"
PROVINCE_SUPPRESSED = f"province_{SUPPRESSED}"
FACILITY_COLUMNS = ["name", "code", "type", "tier", "ownership", "status", "functionality", "building",
                    "accessibility", "lat", "lon", "location_method", "updated"]
# Facility tables kept: one per (filter, round, public): the trend reads every round's, for each view
# (filters x rounds of a meeting's clicking about).
FACILITY_TABLES = 64


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


def round_shown(ctx: Context, view: View) -> str:
    """The round the profile shows: the view's, else the latest."""
    return view.round or ctx.rounds[-1]


def district_filter(ctx: Context, view: View, role: str) -> Filter:
    """The view's filter as `role` may ask it, its province fixed by the district (so the cached table is
    the province's)."""
    return replace(ctx.scoped(view, role).filter(), admin1=(names(ctx, view.district)[1],))


def district_row(ctx: Context, chosen: Filter, code: str, role: str) -> pd.Series:
    """The district's row of the district table of `chosen`, as `role` may see it."""
    return _row(ctx.districts(chosen, role), code)


def _row(table: pd.DataFrame, code: str) -> pd.Series:
    """The district's row of a district table, found by position (no copy of the table's rows)."""
    return table.iloc[np.flatnonzero(table["adm2_pcode"].to_numpy() == code)[0]]


@per_dataset(maxsize=FACILITY_TABLES)
def _facility_table(ctx: Context, chosen: Filter, public: bool) -> pd.DataFrame:
    """The facility indicators and `suppressed` flag of ctx.districts(chosen), as district_table makes them
    (suppressed for the public before the partner columns are added), without the partner columns: the trend
    reads every round's table, and these columns alone cost half as much."""
    if public:  # never split by facility type or ownership (analysis/disclosure.py), whatever the view says
        return protected(ctx.dataset, public_filter(chosen))
    return facility_indicators(ctx.dataset, chosen)


@per_dataset()
def _province_totals(ctx: Context, chosen: Filter) -> pd.Series:
    """The province's indicators (from its totals), the same for every requester; kept."""
    return province_indicators(ctx.dataset, chosen).iloc[0]


@per_dataset()
def province_row(ctx: Context, chosen: Filter, role: str) -> pd.Series:
    """The province's indicators (from its totals), with its partners and share reached added: partners are
    counted once per organisation, not summed over districts."""
    row = _province_totals(ctx, chosen).copy()
    table = ctx.districts(chosen, role)
    activities = filters.activities(ctx.dataset, chosen, months=int(standards.value("round_months")))
    in_districts = activities["adm2_pcode"].astype("string").isin(table["adm2_pcode"])
    row["partners"] = activities.loc[in_districts, "org_name"].nunique()
    row["reached"], row["targeted"] = table["reached"].sum(min_count=1), table["targeted"].sum(min_count=1)
    row["pct_reached"] = share_reached([row["reached"]], [row["targeted"]])[0]
    return row


def province_shown(ctx: Context, chosen: Filter, role: str) -> pd.Series:
    """The province row as `role` may see it: for the public, its facility-based values are sums over the
    province's published districts (analysis/disclosure.py), withheld (flag `suppressed`) when it has none
    (in a copy of province_row, kept apart from its cache)."""
    return _province_public(ctx, chosen) if is_public(role) else province_row(ctx, chosen, role)


@per_dataset()
def _province_public(ctx: Context, chosen: Filter) -> pd.Series:
    """The province row with the public's figures; the page reads it three times."""
    chosen = public_filter(chosen)
    row = province_row(ctx, chosen, PUBLIC).copy()
    published = published_provinces(ctx.dataset, chosen, ctx.districts(chosen, PUBLIC)).iloc[0]
    for column in [*FACILITY_BASED, SUPPRESSED, WITHHELD]:
        row[column] = published[column]
    return row


def _withheld(row: pd.Series, indicator: str | None = None) -> bool:
    """The row's facility-based values are withheld from the requester (the public, below the small-number
    threshold), or that indicator's alone (a small group of facilities inside the district: column `withheld`)."""
    alone = indicator is not None and indicator in str(row.get(WITHHELD, "") or "").split(";")
    return bool(row.get(SUPPRESSED, False)) or alone


def _number(value) -> float | None:
    return None if pd.isna(value) else float(value)


def verdict(value: float | None, standard: float) -> str:
    """A rate read against its standard (at least `standard`)."""
    if value is None:
        return NO_DATA
    return BELOW if value < standard else MEETS


def key_figures(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """One row per key indicator: the district's value, its province's, the standard and the verdict, and a
    note where the district's value is built from fewer facilities than the small-cell rule allows. For the
    public such a value is withheld: blank, flagged `suppressed` (`province_suppressed` for the province's)."""
    chosen = district_filter(ctx, view, role)
    district, province = district_row(ctx, chosen, view.district, role), province_shown(ctx, chosen, role)
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


def key_export(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The key figures as shown; the flags of withheld values only in the public's file."""
    figures = key_figures(ctx, view, role).drop(columns="decimals")
    return figures if is_public(role) else figures.drop(columns=[SUPPRESSED, PROVINCE_SUPPRESSED])


def trend(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The district's facilities, functional, % fully functional and availability in every round; for the
    public, the column `suppressed` says in which rounds the facility-based ones are withheld."""
    chosen, public = district_filter(ctx, view, role), is_public(role)
    rows = []
    for name in ctx.rounds:
        row = _row(_facility_table(ctx, replace(chosen, round=name), public), view.district)
        rows.append({"round": name, **{column: _number(row[column]) for column in TREND_INDICATORS},
                     SUPPRESSED: _withheld(row) or _withheld(row, "availability_score")})
    columns = ["round", *TREND_INDICATORS] + ([SUPPRESSED] if public else [])
    return pd.DataFrame(rows, columns=["round", *TREND_INDICATORS, SUPPRESSED])[columns]


def domain_scores(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """Availability per service domain: the district against its province."""
    chosen = district_filter(ctx, view, role)
    district, province = district_row(ctx, chosen, view.district, role), province_shown(ctx, chosen, role)
    return pd.DataFrame([{"domain": domain, "name": name, "district": _number(district[f"availability_{domain}"]),
                          "province": _number(province[f"availability_{domain}"]),
                          **_flags(district, province, f"availability_{domain}")}
                         for domain, name in DOMAINS.items()])


def _flags(district: pd.Series, province: pd.Series, indicator: str) -> dict[str, bool]:
    return {SUPPRESSED: _withheld(district, indicator), PROVINCE_SUPPRESSED: _withheld(province, indicator)}


def tracer_scores(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """Share of facilities offering each tracer service: the district against its province."""
    chosen = district_filter(ctx, view, role)
    district, province = district_row(ctx, chosen, view.district, role), province_shown(ctx, chosen, role)
    return pd.DataFrame([{"tracer": tracer, "name": TRACER_LABELS[tracer], "code": TRACERS[tracer],
                          "district": _number(district[f"pct_with_{tracer}"]),
                          "province": _number(province[f"pct_with_{tracer}"]),
                          **_flags(district, province, f"pct_with_{tracer}")}
                         for tracer in TRACERS])


def barrier_counts(ctx: Context, view: View, role: str) -> pd.Series:
    """How often each barrier is given first for a service partially or not available in the district (the
    counts the district's top barrier is chosen from), in data.schema.BARRIERS order.

    Sums of the facility summary's barrier columns (those of the filter's domain) over the district's
    facilities of the filter, planned ones left out: the counts the service rows give, without reading them."""
    chosen = district_filter(ctx, view, role)
    base, summary = facility_base(ctx.dataset), facility_summary(ctx.dataset)
    district = np.flatnonzero(base.districts["adm2_pcode"].astype(str).to_numpy() == view.district)
    rows = filters.facility_mask(ctx.dataset, chosen) & np.isin(base.district, district)  # planned: -1, left out
    suffix = f"_in_{chosen.domain}" if chosen.domain else ""
    counts = [int(summary[column].to_numpy()[rows].sum()) if column in summary else 0
              for column in (f"barrier_{barrier}{suffix}" for barrier in BARRIERS)]
    return pd.Series(counts, index=pd.Index(list(BARRIERS), name="barrier_1"), name="count", dtype=int)


def partners(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The district's rows of the coverage matrix: per activity, the organisations and people reached."""
    matrix = coverage_matrix(ctx.dataset, district_filter(ctx, view, role))
    return matrix.loc[matrix["adm2_pcode"] == view.district, PARTNER_COLUMNS].reset_index(drop=True)


def missing(ctx: Context, view: View, role: str) -> tuple[bool, bool]:
    """What the filter leaves the district without: (no population figure, no facility)."""
    row = district_row(ctx, district_filter(ctx, view, role), view.district, role)
    return bool(pd.isna(row["population"])), bool(pd.isna(row["facilities"]) or row["facilities"] == 0)


def withheld(ctx: Context, view: View, role: str) -> bool:
    """The district's facility-based values are withheld from `role` (the public, small numbers)."""
    return _withheld(district_row(ctx, district_filter(ctx, view, role), view.district, role))


def standard_sources() -> list[str]:
    """Where each standard the key figures are read against comes from (analysis/standards.csv)."""
    used = sorted({i.standard for i in INDICATORS.values() if i.standard and i.standard == i.id})
    lines = []
    for standard_id in used:
        standard = standards.standards()[standard_id]
        lines.append(f"{INDICATORS[standard_id].label}: at least {standard.value:g}. "
                     f"Source: {standard.source}, {standard.edition}.")
    return lines


def place(ctx: Context, view: View) -> str:
    """The district and its province, as titles and notes name them."""
    name, _, province = names(ctx, view.district)
    return f"{name}, {province}"


def district_notes(ctx: Context, view: View, role: str) -> list[str]:
    """The lines a district's file carries: which district, and for the public that values are withheld."""
    return [f"district: {place(ctx, view)} ({view.district})"] + ([export_note()] if is_public(role) else [])


def facility_list(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The round's facilities of the district (all facility types: the list is what a coordinator checks).
    Never the public's: names, codes and coordinates of facilities are withheld from it."""
    if is_public(role):
        raise PermissionError("the facility list is shown to coordinators only")
    table = chosen_facilities(ctx.dataset, view.filter())
    table = table[table["adm2_pcode"].astype(str) == str(view.district)]
    out = table[[c for c in FACILITY_COLUMNS if c in table.columns]].copy()
    for column in out.columns:
        if str(out[column].dtype) == "category":
            out[column] = out[column].astype(str).replace("nan", None)
    if "updated" in out:
        out["updated"] = out["updated"].dt.strftime("%Y-%m-%d")
    return out.sort_values(["tier", "name"] if "name" in out else ["tier"]).reset_index(drop=True)
