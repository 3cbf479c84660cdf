"""A page is one record in one registry: a new page, registered here and nowhere else, is in the navigation,
the router and the URL state, and its callbacks are wired by the app."""

from __future__ import annotations

import pytest
from dash import html

import view as url_state
from analysis.access import is_public
from app import create_app
from pages import registry
from pages.page import Page
from pages.wiring import on_view
from settings import Settings
from tests.integration.session import USERS, log_in
from tests.integration.test_behaviour_snapshot import _ask


def _layout(ctx, view, role) -> list:
    return [html.P(f"{len(ctx.dataset.districts)} districts, seen by the {role}", id="example-body"),
            html.Div(id="example-live")]


def _register(app, ctx) -> None:
    on_view(app, ctx, "example", [("example-live", "children")],
            lambda view, role: {("example-live", "children"): "public" if is_public(role) else "coordinator"})


EXAMPLE = Page(name="example", path="/example", title="An example page", nav="Example", layout=_layout,
               register=_register)


@pytest.fixture
def client(demo_path):
    pages, paths = dict(registry.PAGES), dict(url_state.PATHS)
    registry.add(EXAMPLE)
    try:
        yield create_app(Settings(dataset=demo_path, secret="test-secret", users_text=USERS)).server.test_client()
    finally:
        registry.PAGES.clear(), registry.PAGES.update(pages)
        url_state.PATHS.clear(), url_state.PATHS.update(paths)


def test_a_registered_page_is_routed_linked_and_wired(client):
    dependencies = client.get("/_dash-dependencies").get_json()
    router = next(d for d in dependencies if d["output"].startswith("..page.children"))
    answer = _ask(client, router, {"url.pathname": "/example", "url.search": "?round=2026-06-30"}, "url.pathname")
    text = str(answer["page"]["children"])
    assert "395 districts, seen by the public" in text and "An example page" in text
    assert answer["view"]["data"]["page"] == "example"
    assert "'href': '/example?round=2026-06-30'" in text  # its navigation link, keeping the filters
    assert "'href': '/services?round=2026-06-30'" in text  # the other pages' links are still there
    live = next(d for d in dependencies if d["output"] == "..example-live.children..")
    assert _ask(client, live, {"view.data": answer["view"]["data"]}, "view.data") == {
        "example-live": {"children": "public"}}
    assert url_state.parse("/example", "").page == "example"
    assert log_in(client).status_code == 302  # the same page, asked by a coordinator, is told so
    answer = _ask(client, router, {"url.pathname": "/example", "url.search": ""}, "url.pathname")
    assert "seen by the coordinator" in str(answer["page"]["children"])
    assert _ask(client, live, {"view.data": answer["view"]["data"]}, "view.data") == {
        "example-live": {"children": "coordinator"}}


def test_without_it_the_path_is_the_overview(client):
    registry.PAGES.pop("example"), url_state.PATHS.pop("example")
    assert url_state.parse("/example", "").page == "overview"
