"""The shell (URL, view store, download, the page container) and the frame every page is drawn in:
title, navigation, presentation toggle, demo banner and the notes about the URL."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from analysis.access import is_public
from analysis.suppression import threshold
from context import Context
from pages import ids
from pages.registry import navigation
from view import PATHS, View


def shell() -> html.Div:
    """The part of the page that is never redrawn; the router fills ids.PAGE."""
    return html.Div(
        [dcc.Location(id=ids.URL, refresh="callback-nav"), dcc.Store(id=ids.VIEW), dcc.Download(id=ids.DOWNLOAD),
         html.Main(id=ids.PAGE, className="container-fluid")],
        id=ids.SHELL,
    )


def nav_href(view: View, page: str) -> str:
    """The link to another page keeps the view's filters."""
    return PATHS[page] + view.search()


def account(name: str | None, token: str | None) -> html.Div:
    """Log in (a link to the plain form) or, for a coordinator, who is logged in and a log-out button carrying
    the session's form token (both read from the request by the router's callback)."""
    if not name:
        return html.Div(html.A("Coordinator login", href="/login", id=ids.LOGIN), className="account")
    return html.Form([html.Span(f"Logged in as {name} ", className="me-1"),
                      dcc.Input(type="hidden", name="csrf", value=token),
                      html.Button("Log out", type="submit", id=ids.LOGOUT,
                                  className="btn btn-sm btn-outline-secondary")],
                     method="post", action="/logout", className="account")


def access_banner(role: str) -> dbc.Alert:
    """Says which view this is: the public one (aggregates, small cells suppressed) or the coordinator's."""
    if is_public(role):
        return dbc.Alert("Public view: district and province figures only; a figure built from fewer than "
                         f"{threshold():g} facilities, or one that would give such a figure away, is suppressed. "
                         "Facility lists are for coordinators.", color="light",
                         id=ids.ACCESS, className="py-1 mb-2 access-banner")
    return dbc.Alert("Coordinator view: facility names and locations are shown. Do not share screenshots or "
                     "downloads outside the cluster.", color="danger", id=ids.ACCESS, className="py-1 mb-2")


def frame(ctx: Context, view: View, title: str, body: list, notes: list[str], role: str,
          user: tuple[str | None, str | None] = (None, None)) -> list:
    """The page: header (title, dataset, navigation, presentation toggle, `user`'s account: name and form
    token), banners, then the body."""
    links = [dbc.NavItem(dcc.Link(page.nav, href=nav_href(view, page.name), id=ids.nav(page.name),
                                  className="nav-link" + (" active" if page.name == view.page else "")))
             for page in navigation()]
    header = html.Header(
        dbc.Row([
            dbc.Col([html.Div("HealthGaps", className="brand"), html.Div(ctx.label, className="dataset-label")],
                    xs=12, lg=4),
            dbc.Col(html.Nav(dbc.Nav(links, pills=True), **{"aria-label": "Pages"}), xs=12, lg=6),
            dbc.Col([dbc.Switch(id=ids.control("present"), value=view.present, label="Presentation mode",
                                className="present-toggle"), account(*user)], xs=12, lg=2),
        ], className="align-items-center g-2"),
        className="app-header my-2",
    )
    banners = [access_banner(role)]
    if ctx.dataset.manifest.get("synthetic"):
        banners.append(dbc.Alert("Demo data: the facilities, services and partners shown are synthetic, made up "
                                 "for demonstration. Boundaries and population are real.", color="warning",
                                 id=ids.SYNTHETIC, className="py-2"))
    if notes:
        banners.append(dbc.Alert("The link asked for what this dataset does not have: " + "; ".join(notes) + ".",
                                 color="info", id=ids.NOTES, className="py-2"))
    return [header, *banners, html.H1(title, className="page-title"), *body]
