"""The app through Flask's test client: pages, geometry, the callback endpoint, all offline."""

import gzip
import json
import re
from dataclasses import replace

import pytest

from analysis.access import COORDINATOR, PUBLIC
from analysis.catalogue import INDICATORS
from analysis.districts import district_indicators
from app import create_app
from bench.endpoint import update_payload
from context import Context
from figures.classes import format_value
from pages import ids
from pages.controls import ALL as ALL_OPTION
from pages.overview import callbacks as overview
from pages.overview.callbacks import overview_update
from pages.router import apply_controls
from settings import Settings
from tests.conftest import table_rows_of
from view import View


@pytest.fixture(scope="module")
def client(demo_path):
    return create_app(Settings(dataset=demo_path)).server.test_client()


def _post(client, output, inputs, changed, state=None):
    payload = update_payload(client.get("/_dash-dependencies").get_json(), output, inputs, changed, state)
    response = client.post("/_dash-update-component", json=payload, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200, response.data[:500]
    body = gzip.decompress(response.data) if response.headers.get("Content-Encoding") == "gzip" else response.data
    return response, body


def _render(client, path, search=""):
    """The router's answer for a URL, as the browser asks for it on load."""
    return _post(client, "page.children", {"url.pathname": path, "url.search": search}, "url.pathname",
                 {"view.data": None})


def _patched(response_json):
    """{(trace, property): value} from the map's Patch operations."""
    operations = response_json["response"][ids.MAP]["figure"]["operations"]
    return {(op["location"][1], op["location"][2]): op["params"]["value"] for op in operations
            if op["operation"] == "Assign" and op["location"][0] == "data" and len(op["location"]) == 3}


def test_index_loads_nothing_from_outside(client):
    html = client.get("/").get_data(as_text=True)
    assert "<title>HealthGaps</title>" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    _, page = _render(client, "/")
    assert re.search(rb"\\u002fgeometry\\u002fadm2\.[0-9a-f]{12}\.json|/geometry/adm2\.[0-9a-f]{12}\.json", page)
    assert b'"coordinates"' not in page  # the page refers to geometry, never carries it


def test_geometry_is_served_compressed_and_cached(client, demo_path):
    layout = _render(client, "/")[1].decode().replace("\\u002f", "/")
    url = re.search(r"/geometry/adm2\.[0-9a-f]{12}\.json", layout).group(0)
    response = client.get(url, headers={"Accept-Encoding": "gzip"})  # brotli: tests/integration/test_static.py
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "immutable" in response.headers["Cache-Control"]
    geometry = json.loads(gzip.decompress(response.data))
    assert len(geometry["features"]) == 395
    assert response.content_length < 300_000
    assert client.get(url).data == (demo_path / "geometry" / "adm2.json").read_bytes()
    assert client.get("/geometry/adm2.000000000000.json").status_code == 404


def test_offline_topojson_is_served(client):
    response = client.get("/assets/topojson/world_110m.json")
    assert response.status_code == 200
    assert json.loads(response.data)["type"] == "Topology"


def test_filter_change_sends_values_only(client, demo):
    view = View(indicator="population_density", admin1=("AF27",))
    response, body = _post(client, f"{ids.MAP}.figure", {"view.data": view.to_dict()}, "view.data",
                           {f"{ids.MAP_HELD}.data": None})
    assert b"coordinates" not in body and b"geojson" not in body
    assert len(response.data) < 10_000
    result = json.loads(body)
    patched = _patched(result)
    expected = district_indicators(demo, ["AF27"])
    assert patched[(0, "locations")] == expected["adm2_pcode"].tolist()
    assert patched[(0, "customdata")] == [format_value(v, 1) for v in expected["population_density"]]
    assert patched[(1, "locations")] == ["AF27"]
    rows = table_rows_of(result["response"][ids.TABLE_NAMES]["data"], result["response"][ids.TABLE_VALUES]["data"])
    assert [r["adm2_pcode"] for r in rows] == expected["adm2_pcode"].tolist()
    assert [r["value"] for r in rows] == expected["population_density"].round(1).tolist()
    assert rows[0]["profile"] == f"/district/{rows[0]['adm2_pcode']}{view.search()}"
    assert "Population density" in result["response"][ids.MAP_CAPTION]["children"]


def test_a_view_keeping_the_districts_sends_no_names(client, demo):
    """The page holds its view and its districts' fingerprint: a view with the same districts gets values only;
    the view the page was drawn with gets its headlines alone."""
    view = View(indicator="population_density", round="2026-06-30")
    _, first = _post(client, f"{ids.MAP}.figure", {"view.data": View().to_dict()}, "view.data",
                     {f"{ids.MAP_HELD}.data": None})
    held = json.loads(first)["response"][ids.MAP_HELD]["data"]
    _, body = _post(client, f"{ids.MAP}.figure", {"view.data": view.to_dict()}, "view.data",
                    {f"{ids.MAP_HELD}.data": held})
    result = json.loads(body)["response"]
    assert ids.TABLE_NAMES not in result  # no_update: the table keeps its names
    assert result[ids.MAP_HELD]["data"] == {"view": view.href(), "districts": held["districts"]}
    patched = _patched({"response": result})
    assert (0, "locations") not in patched and (0, "text") not in patched and (1, "locations") not in patched
    assert "Kabul" not in body.decode()  # no district or province name travels
    expected = district_indicators(demo)
    assert len(patched[(0, "customdata")]) == len(expected) == len(result[ids.TABLE_VALUES]["data"]["value"])
    # A fingerprint that is not the view's (another province held, or anything sent) gets the names again.
    _, body = _post(client, f"{ids.MAP}.figure", {"view.data": view.to_dict()}, "view.data",
                    {f"{ids.MAP_HELD}.data": "x"})
    result = json.loads(body)["response"]
    assert len(result[ids.TABLE_NAMES]["data"]["adm2_name"]) == len(expected)
    assert _patched({"response": result})[(0, "locations")] == expected["adm2_pcode"].tolist()
    # The page as the router drew it: the callback that follows sends the headlines, not the map again.
    _, page = _render(client, "/", "?round=2026-06-30")
    drawn = re.search(rb'"id":\s*"' + ids.MAP_HELD.encode() + rb'".*?"data":\s*(\{.*?\})', page)
    drawn = json.loads(drawn.group(1)) if drawn else None
    assert drawn == {"view": "/?round=2026-06-30", "districts": held["districts"]}
    _, body = _post(client, f"{ids.MAP}.figure", {"view.data": View(round="2026-06-30").to_dict()}, "view.data",
                    {f"{ids.MAP_HELD}.data": drawn})
    result = json.loads(body)["response"]
    assert set(result) == {ids.HEADLINES, ids.EMPTY}


def test_a_url_draws_its_view_and_drops_what_the_dataset_lacks(client):
    _, body = _render(client, "/", "?indicator=availability_score&admin1=AF27&admin1=XX99&round=1999-01-01")
    result = json.loads(body)["response"]
    view = result["view"]["data"]
    assert view["indicator"] == "availability_score" and view["admin1"] == ["AF27"] and view["round"] is None
    page = json.dumps(result["page"]["children"])
    assert "ignored unknown province: XX99" in page and "ignored unknown round: 1999-01-01" in page
    _, body = _render(client, "/district/AF2701")
    assert json.loads(body)["response"]["view"]["data"]["district"] == "AF2701"
    _, body = _render(client, "/district/NOPE")  # an unknown district: the overview, with a note
    result = json.loads(body)["response"]
    assert result["view"]["data"]["page"] == "overview" and "NOPE" in json.dumps(result["page"]["children"])


def test_router_leaves_the_page_alone_when_the_view_already_shows_the_url(client):
    view = View(page="services", admin1=("AF27",))
    payload = update_payload(client.get("/_dash-dependencies").get_json(), "page.children",
                             {"url.pathname": "/services", "url.search": view.search()}, "url.search",
                             {"view.data": view.to_dict()})
    response = client.post("/_dash-update-component", json=payload)
    assert response.get_json()["response"] == {}  # no update: the controls' own URL change does not redraw


def test_controls_write_the_url(demo):
    view = View(admin1=("AF27",))
    changed = apply_controls(view, {"round": "2026-06-30", "admin1": ["AF27", "AF01"], "domain": ALL_OPTION,
                                    "present": True, "indicator": "pin"})
    assert changed == replace(view, round="2026-06-30", admin1=("AF27", "AF01"), present=True, indicator="pin")
    assert changed.search() == "?indicator=pin&round=2026-06-30&admin1=AF27&admin1=AF01&present=1"
    weighted = apply_controls(view, {"weight:severity": 1, "weight:pin": 0, "weight:partners": "3"})
    assert weighted.weights == {k: v for k, v in {**view.weights, "severity": 1.0, "partners": 3.0}.items() if k != "pin"}
    assert apply_controls(view, {"round": ALL_OPTION}).round is None  # "latest" is no round in the URL


def test_overview_callback_as_a_plain_function(demo):
    ctx = Context(demo, {"adm2": "/g/adm2.json", "adm1": "/g/adm1.json"})
    out = overview_update(ctx, View(), PUBLIC)
    names, caption, drawn = out[overview.NAMES], out[overview.CAPTION], out[overview.HELD]
    rows = table_rows_of(names, out[overview.VALUES])
    assert len(rows) == 395 and out[overview.COLUMNS][-1]["headerName"] == "Population (people)"
    assert drawn["districts"] == names["set"]
    assert caption.startswith("Population (people)") and out[overview.EMPTY] is None
    filename = out[overview.CONFIG]["toImageButtonOptions"]["filename"]
    assert filename.startswith("healthgaps_map-population_2026-12-31")
    # An unknown indicator falls back to the default rather than failing.
    out = overview_update(ctx, View(indicator="no_such_indicator", admin1=("AF01",)), PUBLIC)
    rows = table_rows_of(out[overview.NAMES], out[overview.VALUES])
    assert out[overview.CAPTION].startswith(INDICATORS["population"].label)
    assert {r["adm2_pcode"][:4] for r in rows} == {"AF01"}


def test_empty_filter_says_so(demo):
    ctx = Context(demo, {"adm2": "/g/adm2.json", "adm1": "/g/adm1.json"})
    tiers = demo.facilities[demo.facilities["adm1_pcode"] == "AF27"]["tier"].astype(str).unique()
    missing = next(t for t in ("tertiary", "other", "community", "mobile", "secondary") if t not in tiers)
    # a breakdown by facility type is the coordinator's
    out = overview_update(ctx, View(admin1=("AF27",), tiers=(missing,)), COORDINATOR)
    cards, empty = out[overview.HEADLINES], out[overview.EMPTY]
    assert "No facility of" in json.dumps(empty.to_plotly_json(), default=str)
    assert "Kandahar" in str(empty.children)
    assert "no data" in json.dumps(cards.to_plotly_json(), default=str)  # % functional of no facility
