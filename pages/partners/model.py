"""The partners page's numbers: the filter's partner activities, the lists and tables the page and its
downloads show, each district's gap / duplication category, the counts per activity and organisation type,
reached against targeted and the sex and age breakdown, and the sentences about them.

Pure: (ctx, view, role) -> tables and text. Every count comes from analysis.coverage (and the district table,
built on it) for the view's filter, so the page, its downloads and the district profile agree.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from analysis import coverage, filters, standards
from context import Context
from data.schema import AGE_SEX, ORG_TYPES
from figures.partners import COVERED, DUPLICATION, GAP, NO_NEED, coverage_categories
from view import View

MEASURES = ("targeted", "reached")  # what the 5W may break down by sex and age, in the charts' order
AGE_SEX_LABELS = dict(zip(AGE_SEX, ["Girls", "Boys", "Women", "Men"]))
NO_NEED_REASON = "none identified"  # the need column of a district without a need
CATEGORY = "coverage_category"  # the column the gap / duplication map reads
SHARE_DECIMALS = 1  # the share reached per activity, as the chart's labels and the table write it


def months() -> int:
    """The months of partner activity a round covers (analysis/standards.csv)."""
    return int(standards.value("round_months"))


def threshold() -> float:
    """The organisations on one activity in one district that make a duplication (analysis/standards.csv)."""
    return standards.value("duplication_partners")


def activities(ctx: Context, view: View) -> pd.DataFrame:
    """The filter's partner activities in the round's months, as analysis.coverage counts them."""
    return filters.activities(ctx.dataset, view.filter(), months())


def districts(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The district table of the view's filter, as `role` may see it (both maps read it)."""
    return ctx.districts(view.filter(), role)


def who_is_where(ctx: Context, view: View) -> pd.DataFrame:
    return coverage.who_is_where(ctx.dataset, view.filter())


def gaps(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """Districts with a need and no partner; a facility shortfall is a need, as on the map (for the public, a
    withheld shortfall is not one: it would tell the withheld value)."""
    shortfall = districts(ctx, view, role).set_index("adm2_pcode")["phc_gap"]
    return coverage.gap_list(ctx.dataset, view.filter(), shortfall=shortfall)


def duplication(ctx: Context, view: View) -> pd.DataFrame:
    return coverage.duplication_list(ctx.dataset, view.filter())


def matrix(ctx: Context, view: View) -> pd.DataFrame:
    return coverage.coverage_matrix(ctx.dataset, view.filter())


def coverage_category(table: pd.DataFrame) -> pd.Series:
    """Each district's category. A gap (need, no partner) and a duplication (3+ partners on an activity)
    cannot meet in one district, so every district falls in exactly one."""
    partners = pd.to_numeric(table["partners"]).fillna(0)
    duplicated = pd.to_numeric(table["duplication"]).fillna(0) > 0
    uncovered = table["uncovered"].astype("boolean").fillna(False).astype(bool)
    category = pd.Series(NO_NEED, index=table.index, dtype=object)
    category[partners > 0] = COVERED
    category[duplicated] = DUPLICATION
    category[uncovered] = GAP
    return category


def coverage_table(table: pd.DataFrame) -> pd.DataFrame:
    """The district table with each district's category in CATEGORY: what the gap / duplication map draws."""
    return table.assign(**{CATEGORY: coverage_category(table)})


def district_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Both maps' values per district: partners, category (as the legend says it) and the need."""
    labels = {c.value: c.label for c in coverage_categories(threshold())}
    rows = table[["adm2_pcode", "adm2_name", "adm1_name", "partners", "need_reason"]].assign(
        category=coverage_category(table).map(labels))
    rows["need_reason"] = rows["need_reason"].astype(object).where(rows["need_reason"].notna(), NO_NEED_REASON)
    return rows


def partners_by_activity(rows: pd.DataFrame) -> pd.DataFrame:
    """Distinct organisations per activity and organisation type (activity x type, 0 where none), the
    activity with the most organisations first."""
    named = rows.dropna(subset=["activity"])
    counts = (named.assign(org_type=named["org_type"].astype(str), activity=named["activity"].astype(str))
              .groupby(["activity", "org_type"])["org_name"].nunique().unstack(fill_value=0))
    counts = counts[[t for t in ORG_TYPES if t in counts.columns]].rename_axis(index="activity", columns=None)
    return counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index].astype(int)


def by_activity_table(counts: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """The by-activity chart's numbers as a table (a total per activity) and its headers."""
    table = counts.assign(total=counts.sum(axis=1)).reset_index()
    return table, {c: {"activity": "Activity", "total": "Total"}.get(c, c) for c in table.columns}


def reach_by_activity(rows: pd.DataFrame) -> pd.DataFrame:
    """People targeted and reached per activity, and the share reached over the rows that report both."""
    named = rows.dropna(subset=["activity"]).assign(activity=lambda t: t["activity"].astype(str))
    both = named.dropna(subset=["reached", "targeted"])
    by_activity = named.groupby("activity")
    out = pd.DataFrame({
        "targeted": by_activity["targeted"].sum(min_count=1),
        "reached": by_activity["reached"].sum(min_count=1),
        "reached_of_reporting": both.groupby("activity")["reached"].sum(),
        "targeted_of_reporting": both.groupby("activity")["targeted"].sum(),
    })
    share = coverage.share_reached(out["reached_of_reporting"], out["targeted_of_reporting"])
    out["pct_reached"] = pd.Series(share, index=out.index).round(SHARE_DECIMALS)
    out = out[["targeted", "reached", "pct_reached"]].astype({"targeted": "Int64", "reached": "Int64"})
    return out.sort_values("targeted", ascending=False, kind="stable").rename_axis("activity").reset_index()


def age_sex(rows: pd.DataFrame) -> pd.DataFrame:
    """Reached and targeted by sex and age (one row per group); a measure the 5W does not break down is
    missing, and the table is empty when neither is."""
    columns = {measure: [f"{measure}_{group}" for group in AGE_SEX] for measure in ("reached", "targeted")}
    out = pd.DataFrame({"group": [AGE_SEX_LABELS[g] for g in AGE_SEX]})
    for measure, names in columns.items():
        present = [n for n in names if n in rows.columns]
        if present and rows[present].notna().any().any():
            out[measure] = [rows[n].sum(min_count=1) if n in rows.columns else pd.NA for n in names]
            out[measure] = out[measure].astype("Int64")
    return out if len(out.columns) > 1 else out.iloc[0:0]


def missing_measures(groups: pd.DataFrame) -> list[str]:
    """The measures the sex and age breakdown lacks (the 5W gives them in total only)."""
    return [m for m in MEASURES if m not in groups]


# The page's sentences


def where(ctx: Context, view: View) -> str:
    provinces = ctx.province_names()
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


def count_text(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}."


def gaps_count(n: int) -> str:
    return count_text(n, "district with a need and no partner", "districts with a need and no partner")


def duplication_count(n: int) -> str:
    crowded = f"in a district with {threshold():g} or more organisations"
    return count_text(n, f"activity {crowded}", f"activities {crowded}")
