"""The public view opens only on a dataset whose disclosure audit passed (server/publication.py): an audit that
finds a leak closes it to the public (503, saying why) while a coordinator works on; a dataset never audited is
served, or closed where the audit is required (production)."""

from __future__ import annotations

import json
import shutil

import pytest

import analysis.disclosure
from analysis.audit import MISSING, SAFE, UNSAFE, audit, verdict, write_record
from app import create_app
from bench.endpoint import update_payload
from data import schema
from data.dataset import load_dataset
from settings import Settings
from tests.integration.session import USERS, log_in

USERS = USERS

# Each test reads a dataset that the real disclosure audit has passed (half a minute to make).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def audited(small_demo_path, tmp_path_factory):
    """The small demo, with the real audit's verdict of its latest round: safe."""
    path = tmp_path_factory.mktemp("datasets") / "audited"
    shutil.copytree(small_demo_path, path)
    dataset = load_dataset(path)
    write_record(dataset, audit(dataset))
    return path


def _client(path, **settings):
    app = create_app(Settings(dataset=path, secret="test-secret", users_text=USERS, **settings))
    return app.server.test_client()


def _copy(audited, tmp_path):
    path = tmp_path / "dataset"
    shutil.copytree(audited, path)
    return path


def test_a_safe_verdict_opens_the_public_view(audited):
    assert verdict(load_dataset(audited))[0] == SAFE
    assert _client(audited).get("/").status_code == 200


def test_a_leak_closes_the_public_view_and_not_the_coordinators(audited, tmp_path, monkeypatch):
    path = _copy(audited, tmp_path)
    dataset = load_dataset(path)
    with monkeypatch.context() as patched:  # the public allowed to split by facility type: the audit fails
        patched.setattr(analysis.disclosure, "public_filter", lambda chosen: chosen)
        report = audit(dataset)
    assert not report.safe
    write_record(dataset, report)
    assert verdict(dataset)[0] == UNSAFE
    client = _client(path)
    page = client.get("/")
    assert page.status_code == 503 and "not published to the public" in page.get_data(as_text=True)
    deps = client.get("/_dash-dependencies")
    assert deps.status_code == 503  # nothing of the app for the public
    assert client.get("/_dash-layout").status_code == 503
    assert client.get("/login").status_code == 200
    log_in(client)
    assert client.get("/").status_code == 200
    assert client.get("/_dash-layout").status_code == 200
    payload = update_payload(client.get("/_dash-dependencies").get_json(), "page.children",
                             {"url.pathname": "/", "url.search": ""}, "url.pathname", {"view.data": None})
    assert client.post("/_dash-update-component", json=payload).status_code == 200
    public = client.application.test_client()
    assert public.post("/_dash-update-component", json=payload).status_code == 503


def test_a_stale_or_missing_verdict_counts_as_not_audited(audited, tmp_path):
    path = _copy(audited, tmp_path)
    record = json.loads((path / schema.AUDIT).read_text())
    (path / schema.AUDIT).write_text(json.dumps({**record, "built_at": "2020-01-01T00:00:00+00:00"}))
    assert verdict(load_dataset(path))[0] == MISSING  # the verdict of another build
    assert _client(path).get("/").status_code == 200  # served, with a warning in the log
    assert _client(path, require_audit=True).get("/").status_code == 503
    (path / schema.AUDIT).unlink()
    assert _client(path, require_audit=True).get("/").status_code == 503
