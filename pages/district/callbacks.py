"""District profile: a change of the view refills the key figures, services, partners and trend; the
downloads (key figures, trend, and the coordinator's facility list) send the model's tables."""

from __future__ import annotations

from dash import Dash

from analysis import standards
from analysis.access import is_public
from analysis.suppression import label as suppressed_label
from context import Context
from figures.district import services_spec, trend_spec, warm
from figures.style import empty_figure
from pages import ids
from pages.controls import empty_state
from pages.district import layout, model
from pages.downloads import table as downloadable
from pages.graph import png_config
from pages.wiring import on_view
from view import View

OUTPUTS = [
    (ids.DISTRICT_BACK, "href"), (ids.DISTRICT_EMPTY, "children"), (ids.DISTRICT_KEY, "children"),
    (ids.DISTRICT_STANDARDS, "children"), (ids.DISTRICT_SERVICES, "figure"), (ids.DISTRICT_SERVICES, "config"),
    (ids.DISTRICT_SERVICES_TABLE, "children"), (ids.DISTRICT_TRACERS, "children"),
    (ids.DISTRICT_BARRIERS, "children"), (ids.DISTRICT_NEED, "children"), (ids.DISTRICT_PARTNERS, "children"),
    (ids.DISTRICT_TREND, "figure"), (ids.DISTRICT_TREND, "config"), (ids.DISTRICT_TREND_TABLE, "children"),
]
KEY_TABLE, TREND_TABLE = layout.table_names()

downloadable(KEY_TABLE, lambda ctx, view: f"key figures of {model.place(ctx, view)}",
             model.district_notes)(model.key_export)
downloadable(TREND_TABLE, lambda ctx, view: f"trend across rounds of {model.place(ctx, view)}",
             model.district_notes)(model.trend)
downloadable("district-facilities", lambda ctx, view: f"facilities of {view.district}",
             coordinator_only=True)(model.facility_list)


def chart_config(ctx: Context, view: View, title: str) -> dict:
    """The graph's PNG export named for the district, the chart and the filters."""
    name, _, province = model.names(ctx, view.district)
    return png_config(f"{name} {province} {title}", ctx, view)


def services_outputs(ctx: Context, view: View, role: str, area: str) -> dict:
    """The services chart and tables, the district against `area` (its province as the requester sees it)."""
    name, _, province = model.names(ctx, view.district)
    scores = model.domain_scores(ctx, view, role)
    withheld = model.withheld(ctx, view, role)
    figure = (empty_figure(f"Service availability in {name} is {suppressed_label()} in the public view; the "
                           "province's is in the table below.", view.present) if withheld
              else services_spec(scores, name, province, view.present))
    row = model.district_row(ctx, model.district_filter(ctx, view, role), view.district, role)
    return {
        (ids.DISTRICT_SERVICES, "figure"): figure,
        (ids.DISTRICT_SERVICES, "config"): chart_config(ctx, view, "service availability"),
        (ids.DISTRICT_SERVICES_TABLE, "children"): layout.score_table(scores, area, "Service domain"),
        (ids.DISTRICT_TRACERS, "children"): layout.score_table(model.tracer_scores(ctx, view, role), area,
                                                               "Tracer service"),
        (ids.DISTRICT_BARRIERS, "children"): layout.barrier_list(model.barrier_counts(ctx, view, role),
                                                                 row["top_barrier"], withheld),
    }


def partner_outputs(ctx: Context, view: View, role: str) -> dict:
    name = model.names(ctx, view.district)[0]
    row = model.district_row(ctx, model.district_filter(ctx, view, role), view.district, role)
    coverage = model.partners(ctx, view, role)
    months = standards.value("round_months")
    shown = model.round_shown(ctx, view)
    no_partners = f"No partner activity reported in {name} in the {months:g} months up to {shown}."
    return {
        (ids.DISTRICT_NEED, "children"): layout.need_text(row, standards.value("need_severity")),
        (ids.DISTRICT_PARTNERS, "children"): layout.partner_table(coverage) if len(coverage)
        else empty_state(no_partners),
    }


def trend_outputs(ctx: Context, view: View, role: str) -> dict:
    values = model.trend(ctx, view, role)
    return {
        (ids.DISTRICT_TREND, "figure"): trend_spec(values, model.round_shown(ctx, view), view.present),
        (ids.DISTRICT_TREND, "config"): chart_config(ctx, view, "trend across rounds"),
        (ids.DISTRICT_TREND_TABLE, "children"): layout.trend_table(values),
    }


def district_update(ctx: Context, view: View, role: str) -> dict:
    """Every output of the page for a view, keyed by (id, property): back link, empty states, key figures,
    services, partners, trend."""
    name, _, province = model.names(ctx, view.district)
    area = f"{province}, published districts" if is_public(role) else province  # the public's province sums
    messages = layout.empty_messages(name, model.round_shown(ctx, view), view.tiers, view.ownership,
                                     *model.missing(ctx, view, role))
    return {
        (ids.DISTRICT_BACK, "href"): layout.back_href(view),
        (ids.DISTRICT_EMPTY, "children"): [empty_state(message) for message in messages],
        (ids.DISTRICT_KEY, "children"): layout.key_table(model.key_figures(ctx, view, role), area),
        (ids.DISTRICT_STANDARDS, "children"): layout.standards_note(model.standard_sources()),
        **services_outputs(ctx, view, role, area),
        **partner_outputs(ctx, view, role),
        **trend_outputs(ctx, view, role),
    }


def register(app: Dash, ctx: Context) -> None:
    known = set(ctx.dataset.districts["adm2_pcode"].astype(str))
    warm()
    on_view(app, ctx, "district", OUTPUTS, lambda view, role: district_update(ctx, view, role),
            shown=lambda view: view.district in known)
