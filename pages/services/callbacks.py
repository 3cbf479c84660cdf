"""Services page: a change of the view redraws the four charts, their tables and the empty states."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
from dash import Dash, Output, html

from analysis import filters
from analysis.catalogue import TRACER_LABELS
from analysis.filters import Filter
from analysis.disclosure import DOMAIN_FIGURES, public_service_answers, published_districts, published_provinces
from analysis.indicators import province_indicators
from analysis.services import (
    barrier_counts,
    district_service_scores,
    domain_availability,
    domain_names,
    score_matrix,
    service_answers,
    suppress_scores,
    unavailable_by_status,
)
from analysis.suppression import (
    SUPPRESSED,
    export_note,
    flags,
    label,
    threshold,
)
from pages.downloads import table as downloadable
from pages.wiring import on_view
from context import Context, per_dataset
from exports import filename
from figures.services import (
    barrier_figure,
    domain_figure,
    matrix_figure,
    matrix_width,
    tracer_figure,
)
from figures.text import plain
from pages import ids
from pages.controls import OWNERSHIP_LABELS, TIER_LABELS, empty_state, export_buttons
from pages.graph import graph, graph_config
from pages.services.layout import (
    ASK_PROVINCE,
    barrier_table,
    details,
    domain_table,
    matrix_grid,
    tracer_table,
)
from view import View

TITLES = {"domains": "Service availability by domain", "tracers": "Facilities offering tracer services",
          "barriers": "Barriers behind unavailability", "matrix": "Availability score by district and service"}
# What services_update returns, in this order.
OUTPUTS = [
    (ids.SERVICES_EMPTY, "children"),
    (ids.SERVICES_DOMAINS, "figure"), (ids.SERVICES_DOMAINS, "config"), (ids.SERVICES_DOMAINS_TABLE, "children"),
    (ids.SERVICES_TRACERS, "figure"), (ids.SERVICES_TRACERS, "config"), (ids.SERVICES_TRACERS_TABLE, "children"),
    (ids.SERVICES_BARRIERS, "figure"), (ids.SERVICES_BARRIERS, "config"),
    (ids.SERVICES_BARRIERS_TABLE, "children"),
    (ids.SERVICES_MATRIX, "children"),
]


def _png(title: str, ctx: Context, view: View) -> dict:
    """The graph config whose PNG export is named for the chart, the filters and the dataset's date."""
    return graph_config(filename(title, ctx, view, "png").removesuffix(".png"))


def _province_names(ctx: Context) -> dict[str, str]:
    return dict(zip(ctx.dataset.provinces["adm1_pcode"].astype(str), ctx.dataset.provinces["adm1_name"].astype(str)))


def described(ctx: Context, view: View) -> str:
    """The filter in words, e.g. "secondary (hospital) facilities in Ghor in round 2026-12-31"."""
    names = _province_names(ctx)
    where = ", ".join(names.get(p, p) for p in view.admin1) or "the country"
    kinds = " or ".join(TIER_LABELS.get(t, t).lower() for t in view.tiers)
    owners = f" ({' or '.join(OWNERSHIP_LABELS.get(o, o).lower() for o in view.ownership)} ownership)" \
        if view.ownership else ""
    chosen_round = filters.round_of(ctx.dataset, view.filter()) or "none"
    return f"{kinds + ' ' if kinds else ''}facilities{owners} in {where} in round {chosen_round}"


def nothing_found(ctx: Context, view: View, what: str = "service answers") -> str:
    """The empty state's sentence, naming the filter."""
    domain = f" for {domain_names(ctx.dataset).get(view.domain, view.domain)}" if view.domain else ""
    return f"No {what}{domain} from {described(ctx, view)}."


@per_dataset()
def _provinces(ctx: Context, chosen: Filter) -> pd.DataFrame:
    """Province indicators of a filter, kept: the tracer chart of every view without a province reads them."""
    return province_indicators(ctx.dataset, chosen)


@per_dataset()
def _public_provinces(ctx: Context, chosen: Filter) -> pd.DataFrame:
    """The public's province rows: facility-based figures over the published districts only."""
    return published_provinces(ctx.dataset, chosen, ctx.districts(chosen))


def answers_shown(ctx: Context, view: View) -> pd.DataFrame:
    """The service answers the page sums: for the public, those of the published districts only, so that every
    summary is a sum of published cells (analysis/disclosure.py) and no two of them differ by a withheld one."""
    if not ctx.public:
        return service_answers(ctx.dataset, view.filter())
    return public_service_answers(ctx.dataset, view.filter(), ctx.districts(view.filter()))


def left_out(ctx: Context, view: View) -> int:
    """Facilities of the filter in districts withheld from the requester (0 for a coordinator)."""
    if not ctx.public:
        return 0
    table = ctx.districts(view.filter())
    left = _counted(table) - published_districts(table, *DOMAIN_FIGURES)
    return int(table.loc[table["adm2_pcode"].astype(str).isin(left), "facilities"].fillna(0).sum())


def left_out_notes(ctx: Context, view: View) -> list[str]:
    """The line a public summary carries when it leaves suppressed districts out."""
    count = left_out(ctx, view)
    return [f"over the districts whose service figures are published: the {count:,} facilities of districts "
            "suppressed (or with a service domain offered by fewer than 3 facilities) are left out"] if count else []


def tracer_rows(ctx: Context, view: View) -> tuple[pd.DataFrame, str, str]:
    """(rows, name column, area word) of the tracer chart: the filter's districts, or the provinces when no
    province is chosen; for the public, areas of fewer than 3 facilities are withheld (flag `suppressed`)."""
    if not view.admin1:
        chosen = replace(view.filter(), round=filters.round_of(ctx.dataset, view.filter()))
        provinces = _public_provinces(ctx, chosen) if ctx.public else _provinces(ctx, chosen)
        return provinces.sort_values("adm1_name"), "adm1_name", "Province"
    table = ctx.districts(view.filter())
    if len(view.admin1) > 1:
        table = table.assign(area=table["adm2_name"] + " (" + table["adm1_name"] + ")")
        return table.sort_values(["adm1_name", "adm2_name"]), "area", "District"
    return table.sort_values("adm2_name"), "adm2_name", "District"


def _any_tracer(rows: pd.DataFrame) -> bool:
    return bool(rows[[f"pct_with_{t}" for t in TRACER_LABELS]].notna().any().any()) or bool(flags(rows).any())


def filter_withheld(ctx: Context, view: View) -> bool:
    """The public asks for a summary of the whole filter (domains, barriers) and every district of it with
    facilities is suppressed: nothing published is left to sum."""
    if not ctx.public:
        return False
    table = ctx.districts(view.filter())
    return bool(_counted(table)) and not (_counted(table) & published_districts(table, *DOMAIN_FIGURES))


def withheld_text(ctx: Context, view: View) -> str:
    return (f"Suppressed: in every district of {described(ctx, view)}, the facilities, or those offering a "
            f"service domain, are fewer than {threshold():g} (or protect a district that has), too few to show "
            "their services in the public view.")


def whole_filter_notes(ctx: Context, view: View, role: str | None = None) -> list[str]:
    return [withheld_text(ctx, view)] if filter_withheld(ctx, view) else left_out_notes(ctx, view)


def first_province(view: View) -> str | None:
    return view.admin1[0] if view.admin1 else None


@downloadable("services-domains", "service availability by domain", whole_filter_notes)
def domains_export(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    table = domain_availability(answers_shown(ctx, view), domain_names(ctx.dataset), view.domain)
    return table.iloc[0:0] if filter_withheld(ctx, view) else table


@downloadable("services-barriers", "barriers behind unavailability", whole_filter_notes)
def barriers_export(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    table = barrier_counts(answers_shown(ctx, view), view.domain)
    return table.iloc[0:0] if filter_withheld(ctx, view) else table


def public_notes(ctx: Context, view: View, role: str | None = None) -> list[str]:
    return [export_note()] if ctx.public else []


@downloadable("services-tracers", "facilities offering tracer services", public_notes)
def tracers_export(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    rows, name, _ = tracer_rows(ctx, view)
    keys = ["adm1_pcode", "adm1_name"] if name == "adm1_name" else ["adm2_pcode", "adm2_name", "adm1_name"]
    return rows[keys + [f"pct_with_{t}" for t in TRACER_LABELS] + ([SUPPRESSED] if SUPPRESSED in rows else [])]


def matrix_notes(ctx: Context, view: View, role: str | None = None) -> list[str]:
    province = first_province(view)
    return [f"districts of {_province_names(ctx).get(province, province)}; cell = HeRAMS availability score "
            "100 x (3 x available + partially available) / (3 x facilities expecting the service)",
            *public_notes(ctx, view)] if province else []


def scores_shown(ctx: Context, view: View, answers: pd.DataFrame, province: str) -> pd.DataFrame:
    """The district x service scores of a province as the requester may see them: for the public, a district
    withheld, or with a service expected by 1 or 2 facilities, has every cell blanked and flagged."""
    scores = district_service_scores(ctx.dataset, answers, province, view.domain)
    if not ctx.public:
        return scores
    # A district's cells add up to its domain scores and its score: all published, or none (each cell counted
    # from 3 facilities or more expecting the service; analysis.suppression.withhold_breakdowns for domains).
    every = district_service_scores(ctx.dataset, answers, province) if view.domain else scores
    small = every.loc[every["expected"].between(1, threshold() - 1), "adm2_pcode"]
    table = ctx.districts(view.filter())
    shown = published_districts(table, *DOMAIN_FIGURES) - set(small)
    return suppress_scores(scores, _counted(table) - shown)


def _counted(table: pd.DataFrame) -> set[str]:
    """The districts of a district table with a facility (those without have no data, nothing withheld)."""
    return set(table.loc[table["facilities"].fillna(0).to_numpy() > 0, "adm2_pcode"].astype(str))


@downloadable("services-matrix", "availability score by district and service", matrix_notes)
def matrix_export(ctx: Context, view: View, role: str | None = None) -> pd.DataFrame:
    province = first_province(view)
    if not province:
        return pd.DataFrame(columns=["adm2_pcode", "adm2_name"])
    return score_matrix(scores_shown(ctx, view, answers_shown(ctx, view), province))


def barrier_caption(answers: pd.DataFrame, table: pd.DataFrame, domain: str | None) -> str:
    """How many answers the barriers explain, and how many give none (stopped ones are never asked)."""
    counts = unavailable_by_status(answers, domain)
    total = sum(counts.values())
    if not total:
        return ""
    none = table.loc[table["barrier"] == "none", "pct_of_unavailable"].iloc[0]
    return (f"Of {total:,} service answers partially available ({counts['partial']:,}), not available "
            f"({counts['not_available']:,}) or stopped ({counts['stopped']:,}), {none:.0f} % give no barrier "
            "(a stopped questionnaire asks none). A service may give up to 3 barriers: shares add to more "
            "than 100 %.")


def matrix_box(ctx: Context, view: View, answers: pd.DataFrame) -> list:
    """The district x service chart for the first province chosen, its grid and downloads, or why not."""
    province = first_province(view)
    if not province:
        return [empty_state(ASK_PROVINCE)]
    name = _province_names(ctx).get(province, province)
    scores = scores_shown(ctx, view, answers, province)
    if not (scores["answers"].fillna(0).any() or flags(scores).any()):
        return [empty_state(nothing_found(ctx, replace(view, admin1=(province,))))]
    first = " (the first province chosen)" if len(view.admin1) > 1 else ""
    figure = matrix_figure(scores, f"{TITLES['matrix']}: {plain(name)}{first}", view.present)
    return [
        html.Div([html.P("Cell: HeRAMS availability score, 100 x (3 x available + partially available) / "
                         "(3 x facilities expecting the service); blank where no facility expects it"
                         + (f"; {label()} in purple" if flags(scores).any() else "") + ".",
                         className="caption mb-0"),
                  export_buttons("services-matrix", "the district by service table")],
                 className="d-flex justify-content-between align-items-center flex-wrap gap-1"),
        html.Div(graph(ids.SERVICES_MATRIX_GRAPH, figure,
                       filename(TITLES["matrix"], ctx, view, "png").removesuffix(".png"),
                       style={"minWidth": f"{matrix_width(scores['service'].nunique(), view.present)}px"}),
                 className="services-scroll"),
        details(matrix_grid(score_matrix(scores))),
    ]


def services_update(ctx: Context, view: View) -> tuple:
    """Every output of the page (OUTPUTS order) for a view: empty state, then per chart its figure, config
    and table, then the district x service box."""
    answers = answers_shown(ctx, view)
    names = domain_names(ctx.dataset)
    empty = nothing_found(ctx, view)
    has_answers = bool(len(answers)) and (not view.domain or bool((answers["domain"] == view.domain).any()))
    if filter_withheld(ctx, view):  # the summaries of the whole filter say why they are empty, with no table
        summarised, empty, has_answers = answers.iloc[0:0], withheld_text(ctx, view), False
    else:
        summarised = answers

    domains = domain_availability(summarised, names, view.domain)
    which = f": {names.get(view.domain, view.domain)}" if view.domain else ""
    domain_title = TITLES["domains"] + which  # the PNG's name; the chart's title shows the name as plain text
    domain_chart = domain_figure(domains, TITLES["domains"] + plain(which), empty, view.present)

    rows, name_column, area = tracer_rows(ctx, view)
    if not (len(answers) or filter_withheld(ctx, view)):  # no service answer at all: nothing withheld, nothing to draw
        rows = rows.iloc[0:0]
    by = "province<br>(choose a province to see its districts)" if area == "Province" else "district"
    tracer_title = f"% of facilities offering tracer services, by {by}"
    tracer_chart = tracer_figure(rows, name_column, TRACER_LABELS, tracer_title,
                                 nothing_found(ctx, replace(view, domain=None), "tracer service answers"), view.present)

    barriers = barrier_counts(summarised, view.domain)
    barrier_chart = barrier_figure(barriers, TITLES["barriers"], empty, view.present)

    return (
        None if has_answers else empty_state(empty),
        domain_chart, _png(domain_title, ctx, view),
        [*(html.P(note, className="caption") for note in left_out_notes(ctx, view)), domain_table(domains)]
        if len(domains) else None,
        tracer_chart, _png(TITLES["tracers"], ctx, view),
        details(tracer_table(rows, name_column, area, TRACER_LABELS)) if _any_tracer(rows) else None,
        barrier_chart, _png(TITLES["barriers"], ctx, view),
        [html.P(barrier_caption(summarised, barriers, view.domain), className="caption"),
         details(barrier_table(barriers))] if has_answers else None,
        matrix_box(ctx, view, answers),
    )


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "services", [Output(c, p) for c, p in OUTPUTS], lambda view, role: services_update(ctx, view))
