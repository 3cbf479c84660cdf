"""Services page: a change of the view redraws the four charts, their tables and the empty states; the
downloads send the model's tables."""

from __future__ import annotations

from dataclasses import replace

from dash import Dash, html

from analysis.catalogue import TRACER_LABELS
from analysis.services import score_matrix
from context import Context
from exports import png_name
from figures.services import barrier_figure, domain_figure, matrix_figure, matrix_width, tracer_figure
from figures.text import plain
from pages import ids
from pages.controls import empty_state
from pages.downloads import table as downloadable
from pages.graph import png_config
from pages.services import layout, model
from pages.wiring import on_view
from view import View

TITLES = {"domains": "Service availability by domain", "tracers": "Facilities offering tracer services",
          "barriers": "Barriers behind unavailability", "matrix": "Availability score by district and service"}
OUTPUTS = [
    (ids.SERVICES_EMPTY, "children"),
    (ids.SERVICES_DOMAINS, "figure"), (ids.SERVICES_DOMAINS, "config"), (ids.SERVICES_DOMAINS_TABLE, "children"),
    (ids.SERVICES_TRACERS, "figure"), (ids.SERVICES_TRACERS, "config"), (ids.SERVICES_TRACERS_TABLE, "children"),
    (ids.SERVICES_BARRIERS, "figure"), (ids.SERVICES_BARRIERS, "config"),
    (ids.SERVICES_BARRIERS_TABLE, "children"),
    (ids.SERVICES_MATRIX, "children"),
]


def described(ctx: Context, view: View) -> str:
    """The view's filter in words (layout.described of the model's places and round)."""
    return layout.described(model.where(ctx, view), model.round_name(ctx, view), view.tiers, view.ownership)


def nothing_found(ctx: Context, view: View, what: str = "service answers") -> str:
    return layout.nothing_found(described(ctx, view), model.domain_name(ctx, view.domain), what)


def whole_filter_notes(ctx: Context, view: View, role: str) -> list[str]:
    """A summary's file says why it is empty, or which districts it leaves out."""
    if model.filter_withheld(ctx, view, role):
        return [layout.withheld_text(described(ctx, view))]
    return model.left_out_notes(ctx, view, role)


def public_notes(ctx: Context, view: View, role: str) -> list[str]:
    return model.public_notes(role)


downloadable("services-domains", "service availability by domain", whole_filter_notes)(model.domains_table)
downloadable("services-barriers", "barriers behind unavailability", whole_filter_notes)(model.barriers_table)
downloadable("services-tracers", "facilities offering tracer services", public_notes)(model.tracers_table)
downloadable("services-matrix", "availability score by district and service", model.matrix_notes)(model.matrix_table)


def domains_outputs(ctx: Context, view: View, role: str, given: model.Answers, empty: str) -> dict:
    domains = model.domains(ctx, view, given)
    name = model.domain_name(ctx, view.domain)
    which = f": {name}" if name else ""  # the PNG's name; the chart's title shows the name as plain text
    notes = [html.P(note, className="caption") for note in model.left_out_notes(ctx, view, role)]
    return {
        (ids.SERVICES_DOMAINS, "figure"): domain_figure(domains, TITLES["domains"] + plain(which), empty,
                                                        view.present),
        (ids.SERVICES_DOMAINS, "config"): png_config(TITLES["domains"] + which, ctx, view),
        (ids.SERVICES_DOMAINS_TABLE, "children"): [*notes, layout.domain_table(domains)] if len(domains) else None,
    }


def tracers_outputs(ctx: Context, view: View, role: str, given: model.Answers) -> dict:
    rows, name_column, area = model.tracers_drawn(ctx, view, role, given)
    by = "province<br>(choose a province to see its districts)" if area == "Province" else "district"
    empty = nothing_found(ctx, replace(view, domain=None), "tracer service answers")
    return {
        (ids.SERVICES_TRACERS, "figure"): tracer_figure(rows, name_column, TRACER_LABELS,
                                                        f"% of facilities offering tracer services, by {by}", empty,
                                                        view.present),
        (ids.SERVICES_TRACERS, "config"): png_config(TITLES["tracers"], ctx, view),
        (ids.SERVICES_TRACERS_TABLE, "children"):
            layout.details(layout.tracer_table(rows, name_column, area, TRACER_LABELS))
            if model.any_tracer(rows) else None,
    }


def barriers_outputs(ctx: Context, view: View, given: model.Answers, empty: str, shown: bool) -> dict:
    barriers = model.barriers(view, given)
    caption = layout.barrier_caption(model.barrier_shares(view, given, barriers))
    return {
        (ids.SERVICES_BARRIERS, "figure"): barrier_figure(barriers, TITLES["barriers"], empty, view.present),
        (ids.SERVICES_BARRIERS, "config"): png_config(TITLES["barriers"], ctx, view),
        (ids.SERVICES_BARRIERS_TABLE, "children"):
            [html.P(caption, className="caption"), layout.details(layout.barrier_table(barriers))] if shown else None,
    }


def matrix_children(ctx: Context, view: View, role: str, given: model.Answers) -> list:
    """The district x service chart for the first province chosen, its grid and downloads, or why not."""
    province = model.first_province(view)
    if not province:
        return layout.matrix_empty(layout.ASK_PROVINCE)
    scores = model.scores_shown(ctx, view, role, given.shown, province)
    if not model.scores_found(scores):
        return layout.matrix_empty(nothing_found(ctx, replace(view, admin1=(province,))))
    first = " (the first province chosen)" if len(view.admin1) > 1 else ""
    title = f"{TITLES['matrix']}: {plain(model.province_name(ctx, province))}{first}"
    return layout.matrix_box(matrix_figure(scores, title, view.present), png_name(TITLES["matrix"], ctx, view),
                             matrix_width(scores["service"].nunique(), view.present), score_matrix(scores))


def services_update(ctx: Context, view: View, role: str) -> dict:
    """Every output of the page for a view, keyed by (id, property)."""
    given = model.answers(ctx, view, role)
    shown = model.has_answers(view, given)
    empty = layout.withheld_text(described(ctx, view)) if given.withheld else nothing_found(ctx, view)
    return {
        (ids.SERVICES_EMPTY, "children"): None if shown else empty_state(empty),
        **domains_outputs(ctx, view, role, given, empty),
        **tracers_outputs(ctx, view, role, given),
        **barriers_outputs(ctx, view, given, empty, shown),
        (ids.SERVICES_MATRIX, "children"): matrix_children(ctx, view, role, given),
    }


def register(app: Dash, ctx: Context) -> None:
    on_view(app, ctx, "services", OUTPUTS, lambda view, role: services_update(ctx, view, role))
