"""The app through Flask's test client: pages, geometry, the callback endpoint, all offline."""

import gzip
import json
import re

import pytest

from analysis.catalogue import INDICATORS
from analysis.districts import district_indicators
from app import create_app
from bench.endpoint import update_payload
from callbacks.overview import overview_update
from figures.classes import format_value
from layouts import ids
from settings import Settings


@pytest.fixture(scope="module")
def client(demo_path):
    return create_app(Settings(dataset=demo_path)).server.test_client()


def _callback_payload(client, indicator, provinces):
    return update_payload(client.get("/_dash-dependencies").get_json(), f"{ids.MAP}.figure",
                          {f"{ids.INDICATOR}.value": indicator, f"{ids.PROVINCE}.value": provinces},
                          f"{ids.INDICATOR}.value")


def _patched(response_json):
    """{(trace, property): value} from the map's Patch operations."""
    operations = response_json["response"][ids.MAP]["figure"]["operations"]
    return {(op["location"][1], op["location"][2]): op["params"]["value"] for op in operations
            if op["operation"] == "Assign"}


def test_index_loads_nothing_from_outside(client):
    html = client.get("/").get_data(as_text=True)
    assert "<title>HealthGaps</title>" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert re.search(r"\\u002fgeometry\\u002fadm2\.[0-9a-f]{12}\.json", layout)
    assert '"coordinates"' not in layout  # the layout refers to geometry, never carries it


def test_geometry_is_served_compressed_and_cached(client, demo_path):
    layout = client.get("/_dash-layout").get_data(as_text=True).replace("\\u002f", "/")
    url = re.search(r"/geometry/adm2\.[0-9a-f]{12}\.json", layout).group(0)
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
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
    payload = _callback_payload(client, "population_density", ["AF27"])
    response = client.post("/_dash-update-component", json=payload, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    body = gzip.decompress(response.data) if response.headers.get("Content-Encoding") == "gzip" else response.data
    assert b"coordinates" not in body and b"geojson" not in body
    assert len(response.data) < 10_000
    result = json.loads(body)
    patched = _patched(result)
    expected = district_indicators(demo, ["AF27"])
    assert patched[(0, "locations")] == expected["adm2_pcode"].tolist()
    assert [c[2] for c in patched[(0, "customdata")]] == [format_value(v, 1) for v in expected["population_density"]]
    assert patched[(1, "locations")] == ["AF27"]
    rows = result["response"][ids.TABLE]["rowData"]
    assert [r["adm2_pcode"] for r in rows] == expected["adm2_pcode"].tolist()
    assert "Population density" in result["response"][ids.MAP_CAPTION]["children"]


def test_callback_as_a_plain_function(demo):
    patch, rows, columns, caption = overview_update(demo, "population", None)
    assert len(rows) == 395 and columns[-1]["headerName"] == "Population (people)"
    assert caption.startswith("Population (people)")
    # An unknown indicator or province falls back to the default rather than failing.
    patch, rows, _, caption = overview_update(demo, "no_such_indicator", ["XX99", "AF01"])
    assert caption.startswith(INDICATORS["population"].label)
    assert {r["adm2_pcode"][:4] for r in rows} == {"AF01"}
