"""The services page's analysis, figures and update, checked against counts made independently from the
demo's raw tables."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import TRACER_LABELS
from analysis.filters import Filter
from analysis.services import (
    barrier_counts,
    district_service_scores,
    domain_availability,
    domain_names,
    score_matrix,
    service_answers,
)
from context import Context
from data.schema import BARRIERS, SERVICE_STATUS
from figures.services import STATUS_STYLE, domain_figure, matrix_figure
from figures.style import PRESENT_FONT
from pages import ids
from pages.services.callbacks import OUTPUTS, services_update
from pages.services.layout import ASK_PROVINCE
from pages.services.model import domains_table, matrix_table
from tests.conftest import GEOMETRY
from view import View

KANDAHAR = "AF27"



def _raw_rows(demo, province: str, tiers: tuple[str, ...] = ()) -> pd.DataFrame:
    """Service rows of the latest round for a province, made without analysis.filters: facilities (not
    planned) of the province joined to their answers, with each service's domain."""
    latest = demo.rounds["round"].astype(str).max()
    facilities = demo.facilities.astype({"round": str, "facility_id": str, "adm1_pcode": str, "tier": str})
    facilities = facilities[(facilities["round"] == latest) & (facilities["adm1_pcode"] == province)
                            & (facilities["status"].astype(str) != "planned")]
    if tiers:
        facilities = facilities[facilities["tier"].isin(tiers)]
    services = demo.services.astype({"round": str, "facility_id": str, "service": str, "status": str})
    rows = services[services["round"] == latest].merge(
        facilities[["facility_id", "adm2_pcode"]].astype(str), on="facility_id")
    domain = dict(zip(demo.service_catalogue["service"].astype(str), demo.service_catalogue["domain"].astype(str)))
    return rows.assign(domain=rows["service"].map(domain))


def test_domain_counts_match_an_independent_count(demo):
    chosen = Filter(admin1=(KANDAHAR,), tiers=("primary",))
    table = domain_availability(service_answers(demo, chosen), domain_names(demo)).set_index("domain")
    raw = _raw_rows(demo, KANDAHAR, ("primary",))
    assert len(raw) > 1000
    expected = raw.groupby("domain")["status"].value_counts().unstack(fill_value=0)
    for domain, counts in expected.iterrows():
        for status in SERVICE_STATUS:
            assert table.loc[domain, status] == counts.get(status, 0), (domain, status)
    assert table["service_answers"].sum() == len(raw)
    assert (table[list(SERVICE_STATUS)].sum(axis=1) == table["service_answers"]).all()
    shares = table[[f"pct_{s}" for s in SERVICE_STATUS]].sum(axis=1)
    assert ((shares - 100).abs() < 1e-9).all()
    # The domain's score is the HeRAMS formula over its answers.
    row = table.loc["srh"]
    assert row["availability_score"] == pytest.approx(
        100 * (3 * row["available"] + row["partial"]) / (3 * (row["service_answers"] - row["not_normally_provided"])))


def test_a_chosen_domain_shows_only_that_domain(demo):
    answers = service_answers(demo, Filter(domain="srh"))
    table = domain_availability(answers, domain_names(demo), "srh")
    assert table["domain"].tolist() == ["srh"]
    assert table["domain_name"].tolist() == ["Sexual & reproductive, maternal & newborn health"]
    everything = domain_availability(answers, domain_names(demo)).set_index("domain")
    assert table.iloc[0]["available"] == everything.loc["srh", "available"]  # the domain is read from all rows


def test_barrier_counts_count_each_barrier_once_per_answer(demo):
    answers = service_answers(demo, Filter(admin1=(KANDAHAR,)))
    table = barrier_counts(answers).set_index("barrier")
    raw = _raw_rows(demo, KANDAHAR)
    unavailable = raw[raw["status"].isin(["partial", "not_available", "stopped"])]
    given = unavailable[["barrier_1", "barrier_2", "barrier_3"]].astype("object")
    long = given.stack().reset_index().drop_duplicates(["level_0", 0])
    expected = long[0].value_counts()
    for barrier in BARRIERS:
        assert table.loc[barrier, "service_answers"] == expected.get(barrier, 0)
    none = int(given.isna().all(axis=1).sum())
    assert table.loc["none", "service_answers"] == none > 0
    assert table.loc["none", "pct_of_unavailable"] == pytest.approx(100 * none / len(unavailable))
    counts = table.drop(index="none")["service_answers"].tolist()
    assert counts == sorted(counts, reverse=True)  # most frequent first
    assert table.index[-1] == "none"


def _score(raw: pd.DataFrame, district: str, service: str) -> float:
    cell = raw[(raw["adm2_pcode"] == district) & (raw["service"] == service)]["status"]
    expected = (cell != "not_normally_provided").sum()
    if not expected:
        return math.nan
    return 100 * (3 * (cell == "available").sum() + (cell == "partial").sum()) / (3 * expected)


def test_district_service_scores_match_the_herams_formula(demo, ctx):
    answers = service_answers(demo, Filter(admin1=(KANDAHAR,)))
    scores = district_service_scores(demo, answers, KANDAHAR)
    raw = _raw_rows(demo, KANDAHAR)
    assert scores["adm2_pcode"].nunique() == 16 and scores["service"].nunique() == len(demo.service_catalogue)
    indexed = scores.set_index(["adm2_pcode", "service"])["availability_score"]
    for district, service in [("AF2701", "QHeRAMS110"), ("AF2701", "QHeRAMS205"), ("AF2708", "QHeRAMS425")]:
        assert indexed[(district, service)] == pytest.approx(_score(raw, district, service))
    # Summed over the services, the cells give the district table's availability score.
    points = scores.assign(points=3 * scores["available"] + scores["partial"])
    sums = points.groupby("adm2_pcode")[["points", "expected"]].sum()
    # the analysis numbers, small cells included: the coordinator's
    table = ctx.districts(Filter(admin1=(KANDAHAR,)), COORDINATOR).set_index("adm2_pcode")["availability_score"]
    for district, row in sums[sums["expected"] > 0].iterrows():
        assert 100 * row["points"] / (3 * row["expected"]) == pytest.approx(table[district])
    # The figure shows the same values, blank (None/NaN) where no facility expects the service.
    figure = matrix_figure(scores, "t")
    z = pd.DataFrame(figure.data[0].z, index=list(figure.data[0].y))
    names = dict(zip(scores["adm2_pcode"], scores["adm2_name"]))
    column = list(scores.drop_duplicates("service")["service"]).index("QHeRAMS110")  # in catalogue order
    assert z.loc[names["AF2701"], column] == pytest.approx(_score(raw, "AF2701", "QHeRAMS110"))
    blank = scores[scores["expected"] == 0].iloc[0]
    services = list(scores.drop_duplicates("service")["service"])
    assert pd.isna(z.loc[blank["adm2_name"], services.index(blank["service"])])
    matrix = score_matrix(scores)
    assert len(matrix) == 16 and matrix.shape[1] == 2 + len(demo.service_catalogue)


def test_domain_figure_reads_without_colour(demo):
    table = domain_availability(service_answers(demo, Filter()), domain_names(demo))
    figure = domain_figure(table, "t", "none")
    assert [t.marker.pattern.shape for t in figure.data] == [STATUS_STYLE[s][1] for s in SERVICE_STATUS]
    assert len({t.marker.pattern.shape for t in figure.data}) == len(SERVICE_STATUS)
    assert figure.layout.barmode == "stack"
    assert "service answers" in figure.data[0].hovertemplate and "%{x:.1f} %" in figure.data[0].hovertemplate
    assert domain_figure(table, "t", "none", present=True).layout.font.size == PRESENT_FONT


def test_update_for_a_province(ctx):
    view = View(page="services", admin1=(KANDAHAR,))
    out = services_update(ctx, view, PUBLIC)
    assert set(out) == set(OUTPUTS)  # every output of the page, each once
    domains, domains_config = out[(ids.SERVICES_DOMAINS, "figure")], out[(ids.SERVICES_DOMAINS, "config")]
    tracers, barriers, matrix = (out[(ids.SERVICES_TRACERS, "figure")], out[(ids.SERVICES_BARRIERS, "figure")],
                                 out[(ids.SERVICES_MATRIX, "children")])
    assert out[(ids.SERVICES_EMPTY, "children")] is None
    assert out[(ids.SERVICES_DOMAINS_TABLE, "children")] is not None
    assert out[(ids.SERVICES_TRACERS_TABLE, "children")] is not None
    assert "kandahar" in domains_config["toImageButtonOptions"]["filename"]
    assert len(domains.data) == len(SERVICE_STATUS) and len(domains.data[0].y) == 7
    # Tracers: the 16 districts; a district without facilities is blank, never 0.
    districts = ctx.districts(view.filter(), PUBLIC)
    assert sorted(tracers.data[0].y) == sorted(districts["adm2_name"])
    z = pd.DataFrame(tracers.data[0].z, index=list(tracers.data[0].y))
    shown = districts.set_index("adm2_name")[[f"pct_with_{t}" for t in TRACER_LABELS]]
    for name, row in shown.iterrows():
        for i, value in enumerate(row):
            assert (pd.isna(value) and pd.isna(z.loc[name, i])) or z.loc[name, i] == pytest.approx(value)
    assert "district" in tracers.layout.title.text
    assert barriers.data[0].y[-1] == "No barrier given"
    graph = matrix[1].children
    assert len(graph.figure.data[0].y) == 16
    assert "kandahar" in graph.config["toImageButtonOptions"]["filename"]
    assert len(domains_table(ctx, view, PUBLIC)) == 7 and len(matrix_table(ctx, view, PUBLIC)) == 16


def test_update_without_a_province_shows_provinces_and_asks_for_one(ctx, demo):
    result = services_update(ctx, View(page="services"), PUBLIC)
    tracers, matrix = result[(ids.SERVICES_TRACERS, "figure")], result[(ids.SERVICES_MATRIX, "children")]
    assert len(tracers.data[0].y) == len(demo.provinces)
    assert "province" in tracers.layout.title.text and "choose a province" in tracers.layout.title.text
    assert matrix[0].children == ASK_PROVINCE
    assert len(matrix_table(ctx, View(page="services"), PUBLIC)) == 0


def _annotation(figure) -> str:
    return figure.layout.annotations[0].text


def test_tier_absent_from_a_province_says_so(ctx, demo):
    latest = demo.rounds["round"].astype(str).max()
    facilities = demo.facilities[(demo.facilities["round"].astype(str) == latest)
                                 & (demo.facilities["adm1_pcode"].astype(str) == "AF07")]
    assert len(facilities) and not (facilities["tier"].astype(str) == "secondary").any()
    # a breakdown by facility type is the coordinator's
    result = services_update(ctx, View(page="services", admin1=("AF07",), tiers=("secondary",), present=True),
                             COORDINATOR)
    message = "No service answers from secondary (hospital) facilities in Laghman in round " + latest + "."
    domains = result[(ids.SERVICES_DOMAINS, "figure")]
    assert result[(ids.SERVICES_EMPTY, "children")].children == message
    assert _annotation(domains) == message and _annotation(result[(ids.SERVICES_BARRIERS, "figure")]) == message
    assert "tracer" in _annotation(result[(ids.SERVICES_TRACERS, "figure")])
    assert result[(ids.SERVICES_MATRIX, "children")][0].children == message
    assert domains.layout.font.size == PRESENT_FONT


def test_round_without_services(demo):
    empty = Context(dataclasses.replace(demo, services=demo.services.iloc[0:0]), GEOMETRY)
    result = services_update(empty, View(page="services", admin1=(KANDAHAR,)), PUBLIC)
    assert "No service answers from facilities in Kandahar" in result[(ids.SERVICES_EMPTY, "children")].children
    assert result[(ids.SERVICES_DOMAINS_TABLE, "children")] is None
    assert result[(ids.SERVICES_BARRIERS_TABLE, "children")] is None
    for chart in (ids.SERVICES_DOMAINS, ids.SERVICES_TRACERS, ids.SERVICES_BARRIERS):
        assert result[(chart, "figure")].layout.annotations
    assert len(domains_table(empty, View(page="services"), PUBLIC)) == 0
