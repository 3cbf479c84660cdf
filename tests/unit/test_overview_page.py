"""The overview's model and update as plain functions on the demo, with the role passed explicitly."""

from __future__ import annotations

from analysis.access import COORDINATOR, PUBLIC
from analysis.filters import Filter
from analysis.suppression import export_note
from pages.overview import model
from pages.overview.callbacks import (
    EMPTY,
    HEADLINES,
    OUTPUTS,
    district_export,
    overview_update,
)
from tests.conftest import table_rows_of
from view import View


def test_the_district_table_is_the_roles(ctx):
    view = View(admin1=("AF03",), tiers=("tertiary",))
    public, coordinator = (model.district_table(ctx, view, role) for role in (PUBLIC, COORDINATOR))
    assert public["suppressed"].any() and "suppressed" not in coordinator
    assert public["facilities"].sum() > coordinator["facilities"].sum() == 1  # the public gets no breakdown
    assert district_export(ctx, view, PUBLIC).equals(public)
    assert model.district_notes(ctx, view, PUBLIC) == [export_note()]
    assert model.district_notes(ctx, view, COORDINATOR) == []


def test_points_only_for_a_coordinator_with_the_layer_on(ctx):
    assert model.facility_points(ctx, View(facilities=True), PUBLIC) is None
    assert model.facility_points(ctx, View(facilities=False), COORDINATOR) is None
    points = model.facility_points(ctx, View(facilities=True, admin1=("AF27",)), COORDINATOR)
    assert len(points) > 10 and set(points["adm2_pcode"].astype(str).str[:4]) == {"AF27"}
    assert "Coordinator view only" in model.points_note(ctx, View(), points)
    assert model.points_note(ctx, View(), None) is None


def test_nothing_found_names_the_filter(ctx):
    view = View(admin1=("AF27",), tiers=("tertiary",), ownership=("private",))
    text = model.nothing_found(ctx, view, 0)
    assert text == ("No facility of tertiary (hospital) type (private ownership) in Kandahar in round 2026-12-31: "
                    "facility indicators show no data.")
    assert model.nothing_found(ctx, view, 1) is None


def test_the_stores_hold_the_table(ctx):
    view = View(indicator="availability_score", admin1=("AF27",))
    table = model.district_table(ctx, view, PUBLIC)
    rows = table_rows_of(model.table_names(table), model.table_values(table, model.indicator_of(view), "?x"))
    assert [r["adm2_pcode"] for r in rows] == table["adm2_pcode"].astype(str).tolist()
    assert [r["suppressed"] for r in rows] == table["suppressed"].tolist()
    assert model.held(table, view) == {"view": view.href(), "districts": model.table_names(table)["set"]}


def test_the_update_is_keyed_by_its_outputs(ctx):
    view = View(admin1=("AF27",))
    out = overview_update(ctx, view, PUBLIC)
    assert list(out) == OUTPUTS
    drawn = model.held(model.district_table(ctx, view, PUBLIC), view)
    assert set(overview_update(ctx, view, PUBLIC, drawn)) == {HEADLINES, EMPTY}  # the router drew the rest
    assert model.district_table(ctx, view, PUBLIC).equals(ctx.districts(Filter(admin1=("AF27",)), PUBLIC))
