"""Hardening of the server side, through the Flask test client: request size, malformed callback bodies, failed
logins refused at once in a shared store keyed on the real client address, sessions that end (user removed,
lifetime over, logout), and the security headers on every response."""

from __future__ import annotations

import io
import json
import re
import time

import pytest
from flask import request
from werkzeug.security import generate_password_hash

from app import create_app
from bench.endpoint import update_payload
from server import auth
from server.security import MAX_REQUEST_BYTES
from server.update import MAX_UPLOAD_BYTES
from settings import Settings
from tests.integration.session import PASSWORD, USERS, csrf_token, log_in, page_text
from tests.redis_server import redis_url  # noqa: F401 (a fixture)

COOKIE = "healthgaps_session"
PAGES = ["/", "/services", "/partners", "/priorities", "/change", "/data", "/district/AF2701", "/login"]


def _app(demo_path, **settings):
    users = settings.pop("users_text", USERS)
    return create_app(Settings(dataset=demo_path, secret="test-secret", users_text=users, **settings)).server


@pytest.fixture
def server(demo_path):
    """A new app each test: its own store of failed logins and logouts."""
    return _app(demo_path)


@pytest.fixture
def client(server):
    return server.test_client()


def _role(client) -> str:
    page = page_text(client, "/")
    return "coordinator" if "Logged in as ana" in page else "public" if "Public view" in page else "?"


# Request size and malformed callback bodies.

class CountingStream(io.BytesIO):
    """A request body that records how much of it the server read."""

    def __init__(self, size: int) -> None:
        super().__init__(b"{" + b" " * (size - 2) + b"}")
        self.read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.read_bytes += len(data)
        return data

    readline = read


def test_an_8_mb_callback_body_is_refused_quickly_and_unread(client):
    client.get("/")  # Dash sets itself up on the first request: not what is measured
    body = CountingStream(8 * 1024 * 1024)
    started = time.perf_counter()
    response = client.post("/_dash-update-component", input_stream=body, content_length=8 * 1024 * 1024,
                           content_type="application/json")
    elapsed = time.perf_counter() - started
    assert response.status_code == 413 and elapsed < 0.1, elapsed
    assert body.read_bytes == 0  # refused from its length: not read, not parsed


def test_every_route_but_the_upload_is_limited(client, server):
    big = b"x" * (MAX_REQUEST_BYTES + 1)
    assert client.post("/login", data=big, content_type="application/x-www-form-urlencoded").status_code == 413
    assert client.post("/logout", data=big, content_type="text/plain").status_code == 413
    assert client.post("/_dash-update-component", data=b"{}" + b" " * MAX_REQUEST_BYTES,
                       content_type="application/json").status_code == 413
    with server.test_request_context("/data/update", method="POST", data=big, content_type="text/plain"):
        assert server.preprocess_request() is None  # not refused here: server/update.py's limit applies
        assert request.max_content_length == MAX_UPLOAD_BYTES > MAX_REQUEST_BYTES


MALFORMED = [b"{not json", b"[1, 2]", b'"text"', b"null", b"{}", b'{"output": 5}',
             b'{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []}']


def _router(client) -> dict:
    deps = client.get("/_dash-dependencies").get_json()
    return update_payload(deps, "page.children", {"url.pathname": "/", "url.search": ""}, "url.pathname",
                          {"view.data": None})


def test_malformed_callback_bodies_get_400(client):
    good = _router(client)
    shapes = [body.decode() for body in MALFORMED] + [json.dumps({**good, **change}) for change in (
        {"inputs": [1]}, {"inputs": [{"id": "url"}]}, {"inputs": "url"}, {"state": 5}, {"changedPropIds": "x"},
        {"changedPropIds": [1]}, {"outputs": None}, {"outputs": [{"id": 3, "property": "children"}]})]
    shapes += [json.dumps({k: v for k, v in good.items() if k != key}) for key in ("output", "outputs", "inputs")]
    for body in shapes:
        response = client.post("/_dash-update-component", data=body, content_type="application/json")
        assert response.status_code == 400, body[:80]
        assert b"Traceback" not in response.data
    assert client.post("/_dash-update-component", json=good).status_code == 200  # a well-formed call still works


# Failed logins: refused at once, counted in the shared store, keyed on the real client address.

def test_failed_logins_never_sleep_and_are_refused_at_once(client, monkeypatch):
    def no_sleep(seconds):
        raise AssertionError(f"a web worker slept {seconds} s")

    monkeypatch.setattr(time, "sleep", no_sleep)
    started = time.perf_counter()
    for _ in range(auth.FAILURES_ALLOWED):
        assert log_in(client, password="wrong").status_code == 200
    failing = time.perf_counter() - started
    started = time.perf_counter()
    refused = log_in(client)  # even the right password, once the name is blocked
    elapsed = time.perf_counter() - started
    assert refused.status_code == 429 and "Too many failed attempts" in refused.get_data(as_text=True)
    assert 0 < int(refused.headers["Retry-After"]) <= auth.WINDOW_SECONDS
    assert elapsed < 0.1 and failing < 2.0, (elapsed, failing)  # today's code slept 7.5 s over the five
    assert _role(client) == "public"


def _fail_from(client, forwarded: str | None, times: int = 1) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    status = 0
    for _ in range(times):
        csrf = csrf_token(client)
        status = client.post("/login", data={"username": "ana", "password": "wrong", "csrf": csrf},
                             headers=headers, environ_base={"REMOTE_ADDR": "10.0.0.2"}).status_code
    return status


def test_forwarded_for_is_ignored_without_trusted_proxies(client):
    """Anyone can write X-Forwarded-For: without a trusted proxy, a new header value each try changes nothing."""
    for n in range(auth.FAILURES_ALLOWED):
        assert _fail_from(client, f"203.0.113.{n}") == 200
    assert _fail_from(client, "203.0.113.99") == 429


def test_forwarded_for_names_the_client_behind_a_trusted_proxy(demo_path):
    client = _app(demo_path, trusted_proxies=1).test_client()
    assert _fail_from(client, "198.51.100.1", auth.FAILURES_ALLOWED) == 200
    assert _fail_from(client, "198.51.100.1") == 429
    assert _fail_from(client, "198.51.100.2") == 200  # another client behind the same proxy
    assert _fail_from(client, "198.51.100.2, 198.51.100.1") == 429  # the address the proxy saw is the one used


# Sessions end: a removed user, the lifetime, the logout (a copied cookie included).

def test_a_user_removed_from_the_users_file_loses_access_on_the_next_request(demo_path, tmp_path):
    users = tmp_path / "users"
    users.write_text(f"ana:{generate_password_hash(PASSWORD)}\nbob:{generate_password_hash('other words')}\n")
    client = create_app(Settings(dataset=demo_path, secret="s", users_file=users)).server.test_client()
    assert log_in(client).status_code == 302 and _role(client) == "coordinator"
    users.write_text(f"bob:{generate_password_hash('other words')}\n")
    assert _role(client) == "public"
    users.write_text(f"ana:{generate_password_hash('a new password')}\n")  # back, with another password
    assert _role(client) == "public"


def test_sessions_expire_after_their_lifetime(client, monkeypatch):
    assert log_in(client).status_code == 302
    assert client.get_cookie(COOKIE).expires is not None  # the browser drops it too
    now = time.time()
    monkeypatch.setattr(auth, "clock", lambda: now + 11.9 * 3600)
    assert _role(client) == "coordinator"
    monkeypatch.setattr(auth, "clock", lambda: now + 12 * 3600 + 1)
    assert _role(client) == "public"


def test_the_session_lifetime_is_a_setting(demo_path, monkeypatch):
    client = _app(demo_path, session_hours=0.5).test_client()
    assert log_in(client).status_code == 302
    now = time.time()
    monkeypatch.setattr(auth, "clock", lambda: now + 1801)
    assert _role(client) == "public"


def _copy(client, server) -> object:
    """Another browser holding the same session cookie (as copied by someone who saw it)."""
    thief = server.test_client()
    thief.set_cookie(COOKIE, client.get_cookie(COOKIE).value)
    return thief


def test_logout_ends_the_session_on_the_server(client, server):
    assert log_in(client).status_code == 302
    copied = _copy(client, server)
    assert _role(copied) == "coordinator"
    assert client.post("/logout", data={"csrf": csrf_token(client)}).status_code == 302
    assert _role(copied) == "public" and _role(client) == "public"
    assert log_in(client).status_code == 302 and _role(client) == "coordinator"  # a new login works
    assert _role(copied) == "public"


@pytest.mark.slow
def test_redis_shares_throttle_and_logouts_between_hosts(demo_path, redis_url):  # noqa: F811
    """Two app instances (two hosts) on one Redis: a logout on one ends the session on the other, and failed
    logins count on both."""
    hashed = generate_password_hash(PASSWORD)
    first, second = (_app(demo_path, users_text=f"ana:{hashed}\n", redis_url=redis_url) for _ in range(2))
    client = first.test_client()
    assert log_in(client).status_code == 302
    elsewhere = _copy(client, second)
    assert _role(elsewhere) == "coordinator"
    client.post("/logout", data={"csrf": csrf_token(client)})
    assert _role(elsewhere) == "public"
    one, other = first.test_client(), second.test_client()
    for n in range(auth.FAILURES_ALLOWED):
        assert log_in(one if n % 2 else other, password="wrong", name="eve").status_code == 200
    assert log_in(one, name="eve").status_code == 429 and log_in(other, name="eve").status_code == 429


# Security headers on every response.

SCRIPT_HASH = re.compile(r"'sha256-[A-Za-z0-9+/]+=*'")


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";")}


def _assert_secure(response) -> None:
    policy = _directives(response)
    assert policy["default-src"] == "'self'" and policy["frame-ancestors"] == "'none'"
    assert policy["script-src"].split()[0] == "'self'" and SCRIPT_HASH.search(policy["script-src"])
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert policy["img-src"] == "'self' data: blob:" and policy["object-src"] == "'none'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("same-origin", "no-referrer")


def test_security_headers_on_every_page(client):
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/html", path
        _assert_secure(response)
    assert client.get("/data/update").status_code == 303  # the public is sent to the login
    _assert_secure(client.get("/data/update"))
    log_in(client)
    response = client.get("/data/update")
    assert response.status_code == 200 and response.mimetype == "text/html"
    _assert_secure(response)
    for other in (client.post("/_dash-update-component", json=_router(client)), client.get("/_dash-layout"),
                  client.get("/assets/healthgaps.css"), client.get("/nope/nope/nope"),
                  client.post("/_dash-update-component", data=b"[]", content_type="application/json")):
        _assert_secure(other)


def test_the_inline_script_of_the_page_is_the_one_hashed(client):
    """The policy's hash is of the script Dash writes into the page: the page runs under it."""
    import base64
    import hashlib

    page = client.get("/").get_data(as_text=True)
    scripts = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", page, re.S)
    live = [s for s in scripts if s.strip() and "alert(" not in s]  # the IE warning sits in a comment
    assert live
    hashes = {f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in live}
    assert hashes <= set(_directives(client.get("/"))["script-src"].split())


def test_frame_ancestors_is_a_setting(demo_path):
    client = _app(demo_path, frame_ancestors="'self' https://intranet.example.org").test_client()
    assert _directives(client.get("/"))["frame-ancestors"] == "'self' https://intranet.example.org"
    with pytest.raises(ValueError, match="FRAME_ANCESTORS"):
        _app(demo_path, frame_ancestors="*; script-src *")
