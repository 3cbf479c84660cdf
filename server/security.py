"""What every request and response goes through, whatever route serves it: a size limit, the shape of a Dash
callback body, the client's real address behind trusted proxies, and the security headers.

A body over the limit is refused from its Content-Length before anything reads it (a chunked body is cut at the
limit by werkzeug); the upload keeps the larger limit server/update.py sets for the app. A callback body Dash cannot
use (not JSON, not an object, missing or mistyped keys, an output no callback has) gets 400 here, where Dash
would raise and answer 500.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, Response, abort, request
from werkzeug.middleware.proxy_fix import ProxyFix

MAX_REQUEST_BYTES = 1024 * 1024  # a callback body is a few KB; the largest view (every list full) far less
UPLOAD_ENDPOINTS = {"update_send"}  # server/update.py's file upload: keeps the app's MAX_CONTENT_LENGTH
CALLBACK_ENDPOINT = "/_dash-update-component"


def limit_requests(server: Flask, known_output: Callable[[str], bool]) -> None:
    """Refuse bodies over MAX_REQUEST_BYTES (413) except on the upload, and malformed callback bodies (400).
    Call before other before_request functions are registered, so nothing else runs on a refused request."""

    @server.before_request
    def check_request() -> None:
        if request.endpoint in UPLOAD_ENDPOINTS:
            return
        request.max_content_length = MAX_REQUEST_BYTES
        if (request.content_length or 0) > MAX_REQUEST_BYTES:
            abort(413)
        if request.endpoint == CALLBACK_ENDPOINT and not callback_body_ok(request.get_json(silent=True),
                                                                          known_output):
            abort(400)


def _is_prop(item: object) -> bool:
    """A callback argument: {"id": text or object, "property": text, ...}."""
    return (isinstance(item, dict) and isinstance(item.get("id"), (str, dict))
            and isinstance(item.get("property"), str))


def _props(items: object, single: bool = False) -> bool:
    """A list of callback arguments, each one or a list of them (a wildcard's matches); `single`: also one
    argument alone (the outputs of a callback with one output)."""
    if single and _is_prop(items):
        return True
    return isinstance(items, list) and all(
        _is_prop(item) or (isinstance(item, list) and all(_is_prop(i) for i in item)) for item in items)


def callback_body_ok(body: object, known_output: Callable[[str], bool]) -> bool:
    """The keys Dash reads from a callback body, of the types it expects, for a callback that exists."""
    return (isinstance(body, dict) and isinstance(body.get("output"), str) and known_output(body["output"])
            and _props(body.get("outputs"), single=True) and _props(body.get("inputs"))
            and _props(body.get("state", []))
            and isinstance(body.get("changedPropIds", []), list)
            and all(isinstance(changed, str) for changed in body.get("changedPropIds", [])))


def trust_proxies(server: Flask, count: int) -> None:
    """Take the client's address from X-Forwarded-For as set by `count` proxies in front (0: ignore the
    header, which anyone can write)."""
    if count > 0:
        server.wsgi_app = ProxyFix(server.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def content_security_policy(script_hashes: list[str], frame_ancestors: str) -> str:
    """The app's own origin only. Scripts: files of the app, plus Dash's inline renderer start by its hash.
    Styles: plotly writes <style> elements and style attributes, so inline styles (never scripts) are allowed.
    Images: data: and blob: for plotly's PNG export."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *script_hashes]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": frame_ancestors,
    }
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def checked_sources(value: str) -> str:
    """A frame-ancestors value as set by the operator; one that would break out of its directive or the header
    is refused at start."""
    if not value.strip() or any(char in value for char in ";,\r\n"):
        raise ValueError(f"HEALTHGAPS_FRAME_ANCESTORS: {value!r} is not a list of CSP sources")
    return value.strip()


def add_headers(server: Flask, script_hashes: list[str], frame_ancestors: str = "'none'") -> None:
    """The security headers on every response (pages, callbacks, files, errors)."""
    headers = {"Content-Security-Policy": content_security_policy(script_hashes, checked_sources(frame_ancestors)),
               "X-Content-Type-Options": "nosniff", "Referrer-Policy": "same-origin"}

    @server.after_request
    def secure(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
