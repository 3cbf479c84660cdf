"""Plain Flask routes beside Dash: the dataset's web geometry, and static files compressed once.

The geometry URL carries a hash of the content, so the file can be cached for a year and a rebuilt dataset gets
a new URL. Static files (Dash's component bundles, assets/, the geometry) are compressed once at the highest
level (brotli quality 11, gzip -9 for a browser without brotli) and kept in memory and in var/cache/compressed/,
so neither a request nor a restart pays for it again (quality 11 takes seconds for plotly.js). Pages and callback
responses stay with Flask-Compress (Dash's compress=True) at its fast levels.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
from collections.abc import Callable
from pathlib import Path

import brotli
from flask import Flask, Response, abort, request

from data.dataset import Dataset
from settings import ROOT

ONE_YEAR = 365 * 24 * 3600
CACHE = ROOT / "var" / "cache" / "compressed"
ENCODINGS = ("br", "gzip")  # the server's choice when the browser takes both
STATIC_PATHS = ("/_dash-component-suites/", "/assets/", "/geometry/")
DASH_PAGES = ("/", "/<path:path>")  # Dash's index and catch-all routes: the pages (not /login, /data/update)
STATIC_TYPES = {"application/javascript", "text/javascript", "text/css", "application/json", "application/geo+json"}
_packed: dict[tuple[str, str], bytes] = {}


def packed(content: bytes, encoding: str) -> bytes:
    """`content` compressed at the highest level ("br" or "gzip"), made once per content: in memory, then on
    disk so that a restart reuses it."""
    key = (hashlib.sha256(content).hexdigest()[:40], encoding)
    if key not in _packed:
        path = CACHE / f"{key[0]}.{encoding}"
        try:
            _packed[key] = path.read_bytes()
        except OSError:
            _packed[key] = _compress(content, encoding)
            _save(path, _packed[key])
    return _packed[key]


def _compress(content: bytes, encoding: str) -> bytes:
    if encoding == "br":
        return brotli.compress(content, quality=11)
    return gzip.compress(content, compresslevel=9, mtime=0)


def _save(path: Path, content: bytes) -> None:
    """Written whole or not at all (another worker may read it meanwhile); a read-only tree keeps memory only."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        partial.write_bytes(content)
        partial.replace(path)
    except OSError:
        pass


def register_compression(server: Flask) -> None:
    """Serve static files `packed`. Registered after Dash's Flask-Compress, so it runs first (Flask runs
    after_request functions last registered first); Flask-Compress leaves an encoded response alone."""

    @server.after_request
    def compress_static(response: Response) -> Response:
        if (request.method not in ("GET", "HEAD") or response.status_code != 200
                or not request.path.startswith(STATIC_PATHS) or response.mimetype not in STATIC_TYPES
                or "Content-Encoding" in response.headers):
            return response
        if request.path.startswith("/assets/") and "m" in request.args:  # Dash's ?m=<modified>: a new file, a new URL
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        response.vary.add("Accept-Encoding")
        encoding = request.accept_encodings.best_match(ENCODINGS)
        if encoding is None:
            return response
        response.direct_passthrough = False  # a file sent by Flask: read it
        response.set_data(packed(response.get_data(), encoding))
        response.headers["Content-Encoding"] = encoding
        response.headers.pop("Accept-Ranges", None)  # ranges would be of the file, not of this encoding
        etag, weak = response.get_etag()
        if etag:
            response.set_etag(f"{etag}:{encoding}", weak)
        return response.make_conditional(request)


def register_preload(server: Flask, files: Callable[[str], list[str]]) -> None:
    """Let the browser fetch a page's map files (`files(path)`: geometry, topojson) with the page, not a second
    later when plotly asks for them: a `Link: rel=preload` header on the page (as=fetch, crossorigin: how
    plotly's XMLHttpRequest asks, so the browser reuses the answer)."""

    @server.after_request
    def preload(response: Response) -> Response:
        page = request.url_rule is not None and request.url_rule.rule in DASH_PAGES
        if page and request.method == "GET" and response.status_code == 200 and response.mimetype == "text/html":
            links = [f"<{url}>; rel=preload; as=fetch; crossorigin" for url in files(request.path)]
            if links:
                response.headers.add("Link", ", ".join(links))
        return response


def warm_static(server: Flask) -> None:
    """Compress the files the page loads before gunicorn forks its workers, so they share the result and no
    first visitor waits for it (the first start on a machine compresses them; later ones read the disk)."""
    client = server.test_client()
    page = client.get("/").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="(/(?:_dash-component-suites|assets)/[^"]+)"', page):
        for encoding in ENCODINGS:
            client.get(url, headers={"Accept-Encoding": encoding})


def register_geometry(server: Flask) -> Callable[[Dataset], dict[str, str]]:
    """Add the /geometry/<level>.<hash>.json route; return the function that serves a dataset's geometry
    files and gives their URLs ({level: url}). A published dataset adds its files; the old ones stay served
    for pages still open. The files are compressed here (`packed`), before any page asks for them."""
    files: dict[str, bytes] = {}

    def serve(dataset: Dataset) -> dict[str, str]:
        urls: dict[str, str] = {}
        for level in ("adm2", "adm1"):
            content = dataset.geometry_path(level).read_bytes()
            name = f"{level}.{hashlib.sha256(content).hexdigest()[:12]}.json"
            if name not in files:
                files[name] = content
                for encoding in ENCODINGS:
                    packed(content, encoding)
            urls[level] = f"/geometry/{name}"
        return urls

    @server.route("/geometry/<name>")
    def geometry(name: str) -> Response:
        if name not in files:
            abort(404)
        response = Response(files[name], mimetype="application/geo+json")  # compressed by register_compression
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        return response

    return serve
