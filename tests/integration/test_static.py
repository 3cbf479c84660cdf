"""Static files through Flask's test client: the partial plotly.js bundle, brotli 11 once, caching, preloads."""

import gzip
import json
import re

import brotli
import pytest
from plotly.offline import get_plotlyjs_version

from app import create_app
from bench.endpoint import update_payload
from settings import ROOT, Settings

BUNDLE = "/assets/vendor/plotly-healthgaps.min.js"


@pytest.fixture(scope="module")
def client(demo_path):
    return create_app(Settings(dataset=demo_path)).server.test_client()


@pytest.fixture(scope="module")
def page(client) -> str:
    return client.get("/").get_data(as_text=True)


def _url(page: str, part: str) -> str:
    return next(url for url in re.findall(r'(?:src|href)="([^"]+)"', page) if part in url)


def _geometry(client, level: str) -> str:
    links = client.get("/").headers["Link"]
    return re.search(rf"</geometry/{level}\.[0-9a-f]{{12}}\.json>", links).group(0).strip("<>")


def test_page_loads_the_partial_bundle_never_plotly_min_js(page):
    assert BUNDLE in _url(page, "plotly")
    assert "plotly.min.js" not in page and "cdn.plot.ly" not in page


def test_bundle_is_the_plotly_js_of_plotly_py(client, page):
    banner = client.get(_url(page, BUNDLE)).get_data(as_text=True)[:200]
    assert f"plotly.js v{get_plotlyjs_version()} " in banner
    assert (ROOT / "assets" / "vendor" / "LICENSE-plotly").read_text().startswith("MIT License")


@pytest.mark.parametrize("part", ["dash_renderer", "dash_html_components", "healthgaps.css"])
def test_static_files_are_brotli_11(client, page, part):
    url = _url(page, part)
    raw = client.get(url).data  # no Accept-Encoding: as on disk
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br, zstd"})
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.data == brotli.compress(raw, quality=11)
    assert brotli.decompress(response.data) == raw


def test_static_files_are_gzip_9_for_a_browser_without_brotli(client, page):
    url = _url(page, "dash_renderer")
    raw = client.get(url).data
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.data) == raw
    assert len(response.data) <= len(gzip.compress(raw, compresslevel=9)) + 32


@pytest.mark.slow
def test_bundle_is_small_on_the_wire(client, page):
    """The partial bundle at brotli 11: 406 KB when written (Dash's plotly.min.js: 1.38 MB as served before)."""
    response = client.get(_url(page, BUNDLE), headers={"Accept-Encoding": "br"})
    assert response.headers["Content-Encoding"] == "br"
    assert 300_000 < len(response.data) < 420_000
    assert b"downloadImage" in brotli.decompress(response.data)  # the modebar's PNG export


def test_geometry_is_brotli_11_and_cached_a_year(client, demo_path):
    url = _geometry(client, "adm1")
    raw = (demo_path / "geometry" / "adm1.json").read_bytes()
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert response.data == brotli.compress(raw, quality=11)
    assert "immutable" in response.headers["Cache-Control"] and "max-age=31536000" in response.headers["Cache-Control"]
    assert client.get(url).data == raw
    adm2 = client.get(_geometry(client, "adm2"), headers={"Accept-Encoding": "br"})
    assert len(json.loads(brotli.decompress(adm2.data))["features"]) == 395


def test_fingerprinted_assets_are_cached_and_revalidated(client, page):
    url = _url(page, "healthgaps.css")
    assert "?m=" in url
    response = client.get(url, headers={"Accept-Encoding": "br"})
    assert "immutable" in response.headers["Cache-Control"]
    assert response.headers["ETag"].endswith(':br"')
    again = client.get(url, headers={"Accept-Encoding": "br", "If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_callback_responses_stay_with_flask_compress(client):
    """A callback answer is compressed per request at Flask-Compress's fast level, never cached as a file."""
    payload = update_payload(client.get("/_dash-dependencies").get_json(), "page.children",
                             {"url.pathname": "/", "url.search": ""}, "url.pathname", {"view.data": None})
    response = client.post("/_dash-update-component", json=payload, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    body = brotli.decompress(response.data)
    assert json.loads(body)["response"]
    assert response.data != brotli.compress(body, quality=11)  # Flask-Compress's level 4, not the static 11


def test_map_pages_preload_their_geometry(client):
    links = client.get("/").headers["Link"]
    for part in ("/geometry/adm2.", "/geometry/adm1.", "/assets/topojson/world_110m.json"):
        assert re.search(rf"<{re.escape(part)}[^>]*>; rel=preload; as=fetch; crossorigin", links)
    assert "/geometry/adm2." in client.get("/priorities?indicator=population_density").headers["Link"]
    assert "Link" not in client.get("/services").headers
    assert "Link" not in client.get("/login").headers
