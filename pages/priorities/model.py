"""The priorities page's numbers: the ranking (analysis.priority.rank on the district table the role may see,
joined with names and values), why a district is not ranked, the map's classes, the need against coverage
points, the stability rows, the export's table and header, and the sentences about them.

Pure: (ctx, view, role) -> tables and text; the components are layout.py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cache

import numpy as np
import pandas as pd

from analysis import standards
from analysis.catalogue import INDICATORS
from analysis.filters import Filter
from analysis.priority import DEFAULT_WEIGHTS, STANDARD_INDICATORS, Method, default_method, method_text, rank
from analysis.suppression import SUPPRESSED, flags
from analysis.suppression import label as suppressed_label
from context import Context, per_dataset
from exports import filter_parts
from view import TOP_N, View

# Offered besides the default indicators: more of the health system and of the response.
EXTRA_CANDIDATES = ("hospitals_per_250k", "pct_fully_functional", "pct_damaged", "pop_per_functional_facility",
                    "pct_reached")
NEED = ("severity", "pin")  # the need part of the score: the quadrant chart's x
COVERAGE = "partners"  # the response: the quadrant chart's y
NEXT = 5  # districts after the top N shown in the stability chart
# A district of the top N "stays in it" when it does in at least this share of the draws: near 1, its place
# does not hang on the exact weights (the sentence under the stability chart counts them).
STABLE = 0.9
NAMES = ["adm2_pcode", "adm2_name", "adm1_pcode", "adm1_name"]
RANK_COLUMNS = ["priority_rank", "adm2_pcode", "adm2_name", "adm1_name", "priority_score", "priority_class",
                "stability"]
EXCLUDED_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_name", "missing", "reason", SUPPRESSED]
QUADRANT_COLUMNS = ["adm2_pcode", "adm2_name", "adm1_name", "priority_rank"]
# The export rounds as the command line does: scores and score points to 2 decimals, stability to 3.
POINT_DECIMALS, STABILITY_DECIMALS = 2, 3


@dataclass(frozen=True)
class Ranking:
    """The ranked districts (names, rank, score, class, stability, contributions, values), the districts not
    ranked (with the reason), the method; or the error that kept the method from ranking."""
    ranked: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RANK_COLUMNS))
    excluded: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=EXCLUDED_COLUMNS))
    method: Method | None = None
    error: str | None = None

    @property
    def indicators(self) -> list[str]:
        """The weighted indicators (none without a method)."""
        return self.method.indicators if self.method else []

    @property
    def top_n(self) -> int:
        return self.method.top_n if self.method else TOP_N


def candidates(view: View) -> list[str]:
    """The indicators offered a weight: the defaults, a few more, and any other the view weights."""
    listed = [*DEFAULT_WEIGHTS, *EXTRA_CANDIDATES]
    return listed + [name for name in view.weights if name in INDICATORS and name not in listed]


def ranking(ctx: Context, view: View, role: str) -> Ranking:
    """analysis.priority.rank on the view's district table (as `role` may see it) and weights, with names and
    indicator values. Kept per filter, weights, top N and role: a view asked again and its downloads share it
    (read only)."""
    return _ranking(ctx, view.filter(), tuple(view.weights.items()), view.top, role)


@per_dataset()
def _ranking(ctx: Context, chosen: Filter, weights: tuple, top: int, role: str) -> Ranking:
    """ranking's work. The role is part of the key: it decides which district table is ranked."""
    table = ctx.districts(chosen, role)
    try:
        method = default_method(dict(weights), top_n=top)
        ranked, excluded = rank(table, method)
    except ValueError as exc:
        return Ranking(error=str(exc))
    contributions = [f"contribution_{name}" for name in method.indicators]
    ranked = joined(ranked, table, [*RANK_COLUMNS, *contributions, *method.indicators])
    excluded = joined(excluded, table, ["adm2_pcode", "adm2_name", "adm1_name", "missing"])
    withheld = withheld_values(table, excluded, method.indicators)
    excluded = excluded.assign(reason=[reason(missing, w) for missing, w in zip(excluded["missing"], withheld)],
                               suppressed=withheld)
    return Ranking(ranked, excluded, method)


def withheld_values(table: pd.DataFrame, excluded: pd.DataFrame, indicators: list[str]) -> list[bool]:
    """For each district not ranked: whether a value it lacks is withheld from the public (below the small-number
    threshold of facilities, or a small group of them, for that indicator) rather than missing."""
    rows = district_rows(table, excluded["adm2_pcode"])
    hidden = {name: flags(table, name).to_numpy()[rows] for name in indicators}
    return [any(hidden[name][i] for name in missing.split("; ") if name in hidden and
                INDICATORS[name].facility_based) for i, missing in enumerate(excluded["missing"])]


def district_rows(table: pd.DataFrame, codes: pd.Series) -> np.ndarray:
    """The row of each district `codes` names in `table` (every one must be there)."""
    rows = pd.Index(table["adm2_pcode"]).get_indexer(codes)
    if (rows < 0).any():
        raise KeyError("a district is not in the table")
    return rows


def joined(frame: pd.DataFrame, table: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """`columns` of `frame`, those it lacks taken from the district table `table` by adm2_pcode: a left merge
    at a fraction of its cost (a weight change did several)."""
    rows = district_rows(table, frame["adm2_pcode"])
    return pd.DataFrame({name: frame[name].array if name in frame else table[name].array.take(rows)
                         for name in columns}, index=frame.index)


@cache
def reason(missing: str, withheld: bool = False) -> str:
    """"availability_score; pin" -> "no Service availability, no People in need"; for a district whose
    facility-based values are `withheld` from the public, those say analysis.suppression.label():
    "Service availability suppressed (small numbers), no People in need"."""
    names = [name for name in missing.split("; ") if name]
    hidden = [INDICATORS[name].label for name in names if withheld and INDICATORS[name].facility_based]
    parts = [f"{' and '.join(hidden)} {suppressed_label()}"] if hidden else []
    return ", ".join(parts + [f"no {INDICATORS[name].label}" for name in names
                              if not (withheld and INDICATORS[name].facility_based)])


def where(ctx: Context, view: View) -> str:
    """The filter in words: "Kandahar in round 2026-12-31"."""
    provinces = ctx.province_names()
    place = ", ".join(provinces.get(code, code) for code in view.admin1) or "the country"
    rounds = ctx.rounds
    return f"{place} in round {view.round or (rounds[-1] if rounds else 'none')}"


def message(ctx: Context, view: View, result: Ranking) -> str | None:
    """Why nothing is ranked, when nothing is."""
    if result.error:
        return (f"The ranking cannot be made with these weights: {result.error}. Change a weight, or reset "
                "to the defaults.")
    if result.ranked.empty and not result.excluded.empty:
        return (f"No district of {where(ctx, view)} can be ranked: every one lacks a value of a weighted "
                "indicator (listed under 'Not ranked'). Give that indicator a weight of 0 to rank them.")
    if result.ranked.empty:
        return f"No district in {where(ctx, view)}."
    return None


def summary(ctx: Context, view: View, result: Ranking) -> str:
    """How many districts are ranked and left out, and any filter set on another page that applies here."""
    others = [f"{name} {value}" for name, value in filter_parts(ctx, view)[2:] if value != "all"]
    also = f" Filters set on other pages apply too: {'; '.join(others)}." if others else ""
    if result.error:
        return "No ranking." + also
    ranked, excluded = len(result.ranked), len(result.excluded)
    why = "missing or suppressed values" if result.excluded[SUPPRESSED].any() else "missing values"
    return (f"{ranked:,} district{'s' if ranked != 1 else ''} ranked; {excluded:,} not ranked ({why})."
            " Rank 1 has the highest score; the score points of each indicator add up to the score." + also)


# The weights


def direction_text(name: str) -> str:
    """How an indicator turns into need, as the ranking uses it."""
    if name in STANDARD_INDICATORS:
        return f"need: the share of the standard ({standards.value(name):g}) missing"
    return {"higher_is_worse": "more need when higher", "higher_is_better": "more need when lower"}.get(
        INDICATORS[name].direction, "no direction of need: cannot be weighted")


def reset_href(view: View) -> str:
    return replace(view, weights=dict(DEFAULT_WEIGHTS)).href()


def method_line(result: Ranking) -> str:
    """How the score is made, in one line."""
    method = result.method or default_method()
    return method_text(method)[0] + "; weights are rescaled to sum to 1 (only their proportions matter)."


def weights_text(weights: dict[str, float]) -> str:
    """As the URL and the command line write them: severity=0.25,pin=0.2."""
    return ",".join(f"{name}={weight:g}" for name, weight in weights.items() if weight > 0)


# The map and the charts


def map_table(ctx: Context, view: View, role: str, result: Ranking) -> pd.DataFrame:
    """Every district of the filter with its priority class (blank when not ranked) and the flag `suppressed`
    where it is not ranked because a weighted value is withheld from the public (its own class on the map)."""
    table = ctx.districts(view.filter(), role)[NAMES].reset_index(drop=True)
    classes = result.ranked.set_index("adm2_pcode")["priority_class"].reindex(table["adm2_pcode"])
    table = table.assign(priority_class=classes.to_numpy())
    hidden = set(result.excluded.loc[result.excluded[SUPPRESSED].astype(bool), "adm2_pcode"])
    return table.assign(suppressed=table["adm2_pcode"].isin(hidden))


def need_points(result: Ranking) -> list[str]:
    """The contribution columns that make the need part of the score (severity, people in need)."""
    return [f"contribution_{name}" for name in NEED if name in result.indicators]


def quadrant_points(ctx: Context, view: View, role: str, result: Ranking) -> pd.DataFrame:
    """Ranked districts with need (score points from severity and people in need) and coverage (partners)."""
    columns = [*QUADRANT_COLUMNS, *need_points(result)]
    points = joined(result.ranked, ctx.districts(view.filter(), role), [*columns, COVERAGE])
    return points[columns].assign(need=points[need_points(result)].sum(axis=1),
                                  coverage=points[COVERAGE].astype(float))


def quadrant(ctx: Context, view: View, role: str, result: Ranking) -> tuple[pd.DataFrame | None, str | None]:
    """The need against coverage points, or the sentence saying why the chart cannot be drawn."""
    problem = message(ctx, view, result)
    if problem:
        return None, problem
    if not need_points(result):
        return None, ("Need against coverage: severity and people in need carry no weight, so the score has no "
                      "need part. Give one of them a weight.")
    points = quadrant_points(ctx, view, role, result)
    if not points["coverage"].fillna(0).gt(0).any():
        return None, f"No partner reported an activity in {where(ctx, view)}: coverage cannot be drawn."
    return points, None


@dataclass(frozen=True)
class Medians:
    """The quadrant chart in numbers: its dashed lines, the districts in the gap quadrant, the top N's rows."""
    need: float
    coverage: float
    gap: int  # more need than the median and fewer partners than the median
    ranked: int
    top: pd.DataFrame


def medians(points: pd.DataFrame, top_n: int) -> Medians:
    need, coverage = points["need"].median(), points["coverage"].median()
    gap = int(((points["need"] > need) & (points["coverage"] < coverage)).sum())
    return Medians(need, coverage, gap, len(points), points[points["priority_rank"] <= top_n])


def stability_rows(result: Ranking, top_n: int) -> pd.DataFrame:
    """The top N and the NEXT districts after them: the stability chart's rows."""
    return result.ranked[result.ranked["priority_rank"] <= top_n + NEXT]


def stability_sentence(result: Ranking, top_n: int) -> str:
    """What the stability chart measures, and what it says about the top N."""
    method = result.method or default_method(top_n=top_n)
    what = (f"Stability is the share of {method.draws:,} random draws of the weights (each weight moved by up "
            f"to ±{method.perturbation:.0%}, then rescaled) in which the district stays in the top {top_n}. Near "
            f"100%: in the top {top_n} whatever the exact weights; near 50% or below: its place depends on the "
            "weights chosen.")
    ranked = result.ranked
    if ranked.empty:
        return what
    if len(ranked) <= top_n:
        return what + f" All {len(ranked):,} ranked districts are in the top {top_n}, so every one stays there."
    top = ranked[ranked["priority_rank"] <= top_n]
    sure = int((top["stability"] >= STABLE).sum())
    return what + f" {sure} of the top {top_n} stay in it in at least {STABLE:.0%} of the draws."


# The export


def export_table(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The ranked list as shown, scores and points to 2 decimals and stability to 3 (as the command line)."""
    ranked = ranking(ctx, view, role).ranked
    points = ["priority_score", *(c for c in ranked.columns if c.startswith("contribution_"))]
    return ranked.round({**dict.fromkeys(points, POINT_DECIMALS), "stability": STABILITY_DECIMALS})


def export_notes(ctx: Context, view: View, role: str) -> list[str]:
    """The export's header: the weights, the method line by line, and the districts not ranked."""
    result = ranking(ctx, view, role)
    if result.error:
        return [f"weights: {weights_text(view.weights)}", f"no ranking: {result.error}"]
    lines = [f"weights: {weights_text(result.method.weights)}", *method_text(result.method),
             f"scores and contributions rounded to {POINT_DECIMALS} decimals, stability to {STABILITY_DECIMALS}"]
    return lines + [f"not ranked: {row.adm2_name} ({row.adm1_name}, {row.adm2_pcode}): {row.reason}"
                    for row in result.excluded.itertuples()]
