"""Plain Flask routes beside Dash: the dataset's web geometry, served once and cached by the browser.

The URL carries a hash of the content, so the file can be cached for a year and a rebuilt dataset gets
a new URL. The gzip form is made once at start-up, not per request.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable

from flask import Flask, Response, abort, request

from data.dataset import Dataset

ONE_YEAR = 365 * 24 * 3600


def register_geometry(server: Flask) -> Callable[[Dataset], dict[str, str]]:
    """Add the /geometry/<level>.<hash>.json route; return the function that serves a dataset's geometry
    files and gives their URLs ({level: url}). A published dataset adds its files; the old ones stay served
    for pages still open."""
    files: dict[str, tuple[bytes, bytes]] = {}

    def serve(dataset: Dataset) -> dict[str, str]:
        urls: dict[str, str] = {}
        for level in ("adm2", "adm1"):
            content = dataset.geometry_path(level).read_bytes()
            name = f"{level}.{hashlib.sha256(content).hexdigest()[:12]}.json"
            if name not in files:
                files[name] = (content, gzip.compress(content, compresslevel=9))
            urls[level] = f"/geometry/{name}"
        return urls

    @server.route("/geometry/<name>")
    def geometry(name: str) -> Response:
        if name not in files:
            abort(404)
        raw, packed = files[name]
        gzipped = "gzip" in request.headers.get("Accept-Encoding", "")
        response = Response(packed if gzipped else raw, mimetype="application/geo+json")
        if gzipped:
            response.headers["Content-Encoding"] = "gzip"
        response.headers["Vary"] = "Accept-Encoding"
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
        return response

    return serve
