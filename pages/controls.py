"""The controls a page is made of: labelled selects, the shared filter bar, export buttons, empty states.

Every control that changes the view has a pattern-matched id (ids.control), so the URL follows it.
Single choices are native selects (keyboard and screen-reader friendly, large on a projector).
"""

from __future__ import annotations

import json

import dash_bootstrap_components as dbc
from dash import dcc, html

from analysis.access import is_public
from analysis.disclosure import BREAKDOWNS, breakdown_note
from context import Context
from data.schema import ORG_TYPES, OWNERSHIP, OWNERSHIP_LABELS, TIER_LABELS, TIERS
from pages import ids
from view import View

ALL = "all"  # the value of a select's "all" (or "latest round") option: the view holds None



def dom_id(component_id: str | dict) -> str:
    """The id attribute Dash gives a component in the page (dict ids become sorted, compact JSON)."""
    if isinstance(component_id, dict):
        return json.dumps(component_id, sort_keys=True, separators=(",", ":"))
    return component_id


def select(key: str, label: str, options: list[tuple[str, str]], value: str | None, all_label: str | None = None,
           **kwargs) -> html.Div:
    """A labelled native select; `all_label` adds a first option meaning "no filter"."""
    choices = ([{"label": all_label, "value": ALL}] if all_label else []) + [
        {"label": text, "value": v} for v, text in options]
    component_id = ids.control(key)
    return html.Div([dbc.Label(label, html_for=dom_id(component_id), className="form-label"),
                     dbc.Select(id=component_id, options=choices, value=value or ALL, **kwargs)],
                    className="control")


def multi(key: str, label: str, options: list[tuple[str, str]], value: tuple[str, ...], placeholder: str) -> html.Div:
    """A labelled multiple choice; empty means all."""
    component_id = ids.control(key)
    return html.Div([dbc.Label(label, html_for=dom_id(component_id), className="form-label"),
                     dcc.Dropdown(id=component_id, options=[{"label": t, "value": v} for v, t in options],
                                  value=list(value), multi=True, placeholder=placeholder, searchable=True)],
                    className="control")


def filter_bar(ctx: Context, view: View, keys: tuple[str, ...], role: str) -> dbc.Row:
    """The filters a page uses, in a fixed order, with the view's values; the public gets no breakdown."""
    rounds = ctx.rounds
    builders = {
        "round": lambda: select("round", "Round", [(r, r) for r in reversed(rounds)], view.round,
                                all_label=f"Latest ({rounds[-1]})" if rounds else "No rounds"),
        "admin1": lambda: multi("admin1", "Province", _provinces(ctx), view.admin1, "All provinces"),
        "tiers": lambda: multi("tiers", "Facility type", [(t, TIER_LABELS[t]) for t in TIERS], view.tiers, "All types"),
        "ownership": lambda: multi("ownership", "Ownership", [(o, OWNERSHIP_LABELS[o]) for o in OWNERSHIP],
                                   view.ownership, "All ownership"),
        "domain": lambda: select("domain", "Service domain", _domains(ctx), view.domain, all_label="All services"),
        "org_types": lambda: multi("org_types", "Organisation type", [(o, o) for o in ORG_TYPES], view.org_types,
                                   "All organisations"),
        "activities": lambda: multi("activities", "Activity", [(a, a) for a in _activities(ctx)], view.activities,
                                    "All activities"),
    }
    first = next((key for key in keys if key in BREAKDOWNS), None)
    if is_public(role) and first:  # not the public's to ask (analysis/disclosure.py): one note in their place
        builders[first] = lambda: html.P(breakdown_note(), className="control breakdown-note small")
        keys = tuple(key for key in keys if key not in BREAKDOWNS or key == first)
    return dbc.Row([dbc.Col(builders[key](), xs=12, sm=6, lg="auto" if key == "round" else True) for key in keys],
                   className="g-2 mb-2 filter-bar")


def _activities(ctx: Context) -> list[str]:
    return sorted(ctx.dataset.activities["activity"].dropna().astype(str).unique())


def _provinces(ctx: Context) -> list[tuple[str, str]]:
    provinces = ctx.dataset.provinces.sort_values("adm1_name")
    return list(zip(provinces["adm1_pcode"].astype(str), provinces["adm1_name"].astype(str)))


def _domains(ctx: Context) -> list[tuple[str, str]]:
    catalogue = ctx.dataset.service_catalogue.drop_duplicates("domain")
    return list(zip(catalogue["domain"].astype(str), catalogue["domain_name"].astype(str)))


def export_buttons(table: str, label: str) -> html.Div:
    """CSV and Excel downloads of a registered table (pages/downloads.py), built on the server."""
    def button(text: str, fmt: str) -> dbc.Button:
        return dbc.Button([text, html.Span(f" download of {label}", className="visually-hidden")],
                          id=ids.export(table, fmt), size="sm", color="secondary", outline=True, className="ms-1",
                          title=f"Download {label} as {text}")
    return html.Div([button("CSV", "csv"), button("Excel", "xlsx")], className="exports")


def section_heading(text: str, table: str | None = None, label: str = "", size: str = "h5",
                    class_name: str = "") -> html.Div:
    """A section's h2 (`size`: its Bootstrap heading class), with the CSV/Excel buttons of the table it
    introduces (a registered download) when it has one."""
    return html.Div([html.H2(text, className=f"{size} mb-0"), export_buttons(table, label) if table else None],
                    className=" ".join(filter(None, [class_name, "d-flex justify-content-between align-items-center "
                                                                 "flex-wrap gap-1 mb-1"])))


def empty_state(message: str, component_id: str | dict | None = None) -> html.Div:
    """What a chart or table shows when the filter leaves nothing: a sentence, never a blank axis."""
    kwargs = {"id": component_id} if component_id else {}
    return html.Div(message, className="empty-state", role="status", **kwargs)
