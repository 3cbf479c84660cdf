"""The services page's numbers: the service answers a requester may sum, the domain, tracer and barrier
summaries, the district x service scores of a province, and what the public's summaries leave out.

Pure: functions of (ctx, view, role); no Dash. For the public every summary is a sum of published cells
(analysis/disclosure.py), so no two public answers differ by a withheld one.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analysis import filters
from analysis.access import PUBLIC, is_public
from analysis.catalogue import TRACER_LABELS
from analysis.disclosure import DOMAIN_FIGURES, public_service_answers, published_districts, published_provinces
from analysis.filters import Filter
from analysis.indicators import province_indicators
from analysis.services import (
    NO_BARRIER,
    barrier_counts,
    district_service_scores,
    domain_availability,
    domain_names,
    score_matrix,
    service_answers,
    suppress_scores,
    unavailable_by_status,
)
from analysis.suppression import SUPPRESSED, export_note, flags, threshold
from context import Context, per_dataset
from view import View

TRACER_COLUMNS = [f"pct_with_{t}" for t in TRACER_LABELS]
SCORE_TERMS = "100 x (3 x available + partially available) / (3 x facilities expecting the service)"
SCORE_FORMULA = f"HeRAMS availability score {SCORE_TERMS}"


def domain_name(ctx: Context, domain: str | None) -> str | None:
    """A service domain's name as the catalogue gives it (None for no domain)."""
    return domain_names(ctx.dataset).get(domain, domain) if domain else None


def where(ctx: Context, view: View) -> str:
    """The view's provinces by name, or "the country"."""
    names = ctx.province_names()
    return ", ".join(names.get(p, p) for p in view.admin1) or "the country"


def round_name(ctx: Context, view: View) -> str:
    """The round the view shows ("none" when the dataset has no round)."""
    return filters.round_of(ctx.dataset, view.filter()) or "none"


def first_province(view: View) -> str | None:
    """The province the district x service matrix shows: the first chosen."""
    return view.admin1[0] if view.admin1 else None


def province_name(ctx: Context, province: str) -> str:
    return ctx.province_names().get(province, province)


@per_dataset()
def _province_rows(ctx: Context, chosen: Filter, public: bool) -> pd.DataFrame:
    """Province indicators of a filter, kept: the tracer chart of every view without a province reads them.
    The public's: facility-based figures over the published districts only."""
    if public:
        return published_provinces(ctx.dataset, chosen, ctx.districts(chosen, PUBLIC))
    return province_indicators(ctx.dataset, chosen)


def _counted(table: pd.DataFrame) -> set[str]:
    """The districts of a district table with a facility (those without have no data, nothing withheld)."""
    return set(table.loc[table["facilities"].fillna(0).to_numpy() > 0, "adm2_pcode"].astype(str))


def answers_shown(ctx: Context, view: View, role: str) -> pd.DataFrame:
    """The service answers the page sums: for the public, those of the published districts only, so that every
    summary is a sum of published cells (analysis/disclosure.py) and no two of them differ by a withheld one."""
    if not is_public(role):
        return service_answers(ctx.dataset, view.filter())
    return public_service_answers(ctx.dataset, view.filter(), ctx.districts(view.filter(), role))


def left_out(ctx: Context, view: View, role: str) -> int:
    """Facilities of the filter in districts withheld from the requester (0 for a coordinator)."""
    if not is_public(role):
        return 0
    table = ctx.districts(view.filter(), role)
    left = _counted(table) - published_districts(table, *DOMAIN_FIGURES)
    return int(table.loc[table["adm2_pcode"].astype(str).isin(left), "facilities"].fillna(0).sum())


def left_out_notes(ctx: Context, view: View, role: str) -> list[str]:
    """The line a public summary carries when it leaves suppressed districts out."""
    count = left_out(ctx, view, role)
    if not count:
        return []
    return [f"over the districts whose service figures are published: the {count:,} facilities of districts "
            f"suppressed (or with a service domain offered by fewer than {threshold():g} facilities) are left out"]


def filter_withheld(ctx: Context, view: View, role: str) -> bool:
    """The public asks for a summary of the whole filter (domains, barriers) and every district of it with
    facilities is suppressed: nothing published is left to sum."""
    if not is_public(role):
        return False
    table = ctx.districts(view.filter(), role)
    return bool(_counted(table)) and not (_counted(table) & published_districts(table, *DOMAIN_FIGURES))


@dataclass(frozen=True)
class Answers:
    """The service answers a view's summaries read, computed once per view."""

    shown: pd.DataFrame  # answers_shown
    withheld: bool  # filter_withheld

    @property
    def summarised(self) -> pd.DataFrame:
        """What the whole-filter summaries (domains, barriers) sum: nothing when the filter is withheld."""
        return self.shown.iloc[0:0] if self.withheld else self.shown


def answers(ctx: Context, view: View, role: str) -> Answers:
    return Answers(answers_shown(ctx, view, role), filter_withheld(ctx, view, role))


def has_answers(view: View, given: Answers) -> bool:
    """The summaries have answers to show (of the view's domain, when it names one)."""
    summarised = given.summarised
    return bool(len(summarised)) and (not view.domain or bool((summarised["domain"] == view.domain).any()))


def domains(ctx: Context, view: View, given: Answers) -> pd.DataFrame:
    """Availability by service domain: each status's count and share, and the domain's score."""
    return domain_availability(given.summarised, domain_names(ctx.dataset), view.domain)


def barriers(view: View, given: Answers) -> pd.DataFrame:
    """How often each barrier is given for a service not fully available, "no barrier" last."""
    return barrier_counts(given.summarised, view.domain)


def barrier_shares(view: View, given: Answers, table: pd.DataFrame) -> tuple[dict[str, int], float] | None:
    """(answers not fully available by status, % of them giving no barrier; `table` is `barriers`), or None
    when there are none."""
    counts = unavailable_by_status(given.summarised, view.domain)
    if not sum(counts.values()):
        return None
    return counts, table.loc[table["barrier"] == NO_BARRIER, "pct_of_unavailable"].iloc[0]


def tracer_rows(ctx: Context, view: View, role: str) -> tuple[pd.DataFrame, str, str]:
    """(rows, name column, area word) of the tracer chart: the filter's districts, or the provinces when no
    province is chosen; for the public, areas below the small-number threshold are withheld (flag `suppressed`)."""
    if not view.admin1:
        chosen = replace(view.filter(), round=filters.round_of(ctx.dataset, view.filter()))
        return _province_rows(ctx, chosen, is_public(role)).sort_values("adm1_name"), "adm1_name", "Province"
    table = ctx.districts(view.filter(), role)
    if len(view.admin1) > 1:
        table = table.assign(area=table["adm2_name"] + " (" + table["adm1_name"] + ")")
        return table.sort_values(["adm1_name", "adm2_name"]), "area", "District"
    return table.sort_values("adm2_name"), "adm2_name", "District"


def tracers_drawn(ctx: Context, view: View, role: str, given: Answers) -> tuple[pd.DataFrame, str, str]:
    """tracer_rows as the chart draws them: no rows at all when the filter has no service answer (nothing
    withheld, nothing to draw)."""
    rows, name_column, area = tracer_rows(ctx, view, role)
    if not (len(given.shown) or given.withheld):
        rows = rows.iloc[0:0]
    return rows, name_column, area


def any_tracer(rows: pd.DataFrame) -> bool:
    """The tracer rows have a value, or a withheld area, to tabulate."""
    return bool(rows[TRACER_COLUMNS].notna().any().any()) or bool(flags(rows).any())


def scores_shown(ctx: Context, view: View, role: str, answers: pd.DataFrame, province: str) -> pd.DataFrame:
    """The district x service scores of a province (from `answers`, answers_shown) as the requester may see
    them: for the public, a district withheld, or with a service expected by 1 or 2 facilities, has every cell
    blanked and flagged."""
    scores = district_service_scores(ctx.dataset, answers, province, view.domain)
    if not is_public(role):
        return scores
    # A district's cells add up to its domain scores and its score: all published, or none (each cell counted
    # from as many facilities expecting the service as the small-number threshold asks;
    # analysis.suppression.withhold_breakdowns for domains).
    every = district_service_scores(ctx.dataset, answers, province) if view.domain else scores
    small = every.loc[every["expected"].between(1, threshold() - 1), "adm2_pcode"]
    table = ctx.districts(view.filter(), role)
    shown = published_districts(table, *DOMAIN_FIGURES) - set(small)
    return suppress_scores(scores, _counted(table) - shown)


def scores_found(scores: pd.DataFrame) -> bool:
    """The province's scores have an answer, or a withheld district, to draw."""
    return bool(scores["answers"].fillna(0).any() or flags(scores).any())


# The downloads: exactly what the page shows.

def domains_table(ctx: Context, view: View, role: str) -> pd.DataFrame:
    table = domain_availability(answers_shown(ctx, view, role), domain_names(ctx.dataset), view.domain)
    return table.iloc[0:0] if filter_withheld(ctx, view, role) else table


def barriers_table(ctx: Context, view: View, role: str) -> pd.DataFrame:
    table = barrier_counts(answers_shown(ctx, view, role), view.domain)
    return table.iloc[0:0] if filter_withheld(ctx, view, role) else table


def tracers_table(ctx: Context, view: View, role: str) -> pd.DataFrame:
    rows, name, _ = tracer_rows(ctx, view, role)
    keys = ["adm1_pcode", "adm1_name"] if name == "adm1_name" else ["adm2_pcode", "adm2_name", "adm1_name"]
    return rows[keys + TRACER_COLUMNS + ([SUPPRESSED] if SUPPRESSED in rows else [])]


def matrix_table(ctx: Context, view: View, role: str) -> pd.DataFrame:
    province = first_province(view)
    if not province:
        return pd.DataFrame(columns=["adm2_pcode", "adm2_name"])
    return score_matrix(scores_shown(ctx, view, role, answers_shown(ctx, view, role), province))


def public_notes(role: str) -> list[str]:
    """The line every public file carries: withheld values are marked."""
    return [export_note()] if is_public(role) else []


def matrix_notes(ctx: Context, view: View, role: str) -> list[str]:
    province = first_province(view)
    return [f"districts of {province_name(ctx, province)}; cell = {SCORE_FORMULA}", *public_notes(role)] \
        if province else []
