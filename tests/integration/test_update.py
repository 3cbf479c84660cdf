"""The data update over HTTP: only a coordinator with the form's token may send, the build runs in its own
process, the page shows what it read, publishing makes every later request use the new dataset."""

from __future__ import annotations

import re
import shutil
import time
from io import BytesIO

import pandas as pd
import pytest
from werkzeug.security import generate_password_hash

from app import create_app
from data import update
from settings import Settings
from tests.integration.test_access import PASSWORD, _csrf, _login, _page
from tests.unit.test_update import new_needs


@pytest.fixture
def live(small_demo_path, tmp_path):
    path = tmp_path / "live"
    shutil.copytree(small_demo_path, path)
    return path


@pytest.fixture
def client(live):
    users = f"ana:{generate_password_hash(PASSWORD)}\n"
    return create_app(Settings(dataset=live, secret="test-secret", users_text=users)).server.test_client()


def _send(client, files: dict, dates: str = ""):
    data = {"csrf": _csrf(client), "report_dates": dates}
    data.update({role: [(BytesIO(content), name) for name, content in sent] for role, sent in files.items()})
    return client.post("/data/update", data=data, content_type="multipart/form-data")


def _wait(client, timeout: float = 180) -> str:
    """The update page once the build has finished (it reloads itself while building)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        page = client.get("/data/update").get_data(as_text=True)
        if 'http-equiv="refresh"' not in page:
            return page
        time.sleep(1)
    raise AssertionError("the build did not finish")


def test_the_public_cannot_see_or_send_an_update(client, live):
    assert client.get("/data/update").headers["Location"].endswith("/login")
    response = _send(client, {"needs": [("hno.csv", new_needs().encode())]})
    assert response.status_code == 403
    assert client.post("/data/update/publish", data={"csrf": _csrf(client)}).status_code == 403
    assert client.get("/data/update/build.log").status_code == 403
    assert not update.staging_folder(live).exists()
    assert "Update the data" not in _page(client, "/data")


def test_a_coordinator_needs_the_forms_token(client, live):
    _login(client)
    response = client.post("/data/update", data={"needs": [(BytesIO(b"x"), "hno.csv")]},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and not update.staging_folder(live).exists()


def test_send_check_and_publish_a_needs_file(client, live):
    _login(client)
    assert "Update the data" in _page(client, "/data")
    assert _send(client, {"needs": [("hno 2027.csv", new_needs().encode())]}).status_code == 303
    page = _wait(client)
    assert "The update is built and not yet published" in page
    row = re.search(r"<tr><td>needs</td><td>hno_2027.csv</td>(.*?)</tr>", page).group(1)
    assert re.findall(r">([\d,]+)<", row) == ["2", "1", "1"]  # rows in, accepted, rejected
    rejected = pd.read_csv(BytesIO(client.get("/data/update/rejected.csv").data), comment="#", dtype=str)
    assert rejected[rejected["file"] == "hno_2027.csv"]["value"].tolist() == ["AF9999"]
    assert "hno_2027.csv" not in _page(client, "/data")

    response = client.post("/data/update/publish", data={"csrf": _csrf(client)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/data")
    assert "hno_2027.csv" in _page(client, "/data")  # the data page lists the files of the new dataset
    assert update.previous_folder(live).exists() and not update.staging_folder(live).exists()


def test_what_cannot_be_used_is_said_and_not_built(client, live):
    _login(client)
    _send(client, {})
    assert "no file was chosen" in client.get("/data/update").get_data(as_text=True)
    _send(client, {"partners": [("partners.exe", b"MZ")]})
    assert "partners.exe: not a kind of file HealthGaps reads" in client.get("/data/update").get_data(as_text=True)
    _send(client, {"needs": [("hno.csv", new_needs().encode())]}, dates="2026-02-30")
    page = _wait(client)
    assert "not a date in the form YYYY-MM-DD: &#x27;2026-02-30&#x27;" in page and "Publish" not in page
    assert client.post("/data/update/discard", data={"csrf": _csrf(client)}).status_code == 303
    assert not update.staging_folder(live).exists()
