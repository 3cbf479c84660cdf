"""The data update over HTTP: only a coordinator with the form's token may send, the build runs in its own
process, the page shows what it read, publishing makes every later request use the new dataset."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import sys
import time
from io import BytesIO

import pandas as pd
import pytest

from app import create_app
from data import schema, update
from data.dataset import load_dataset
from settings import Settings
from tests.integration.session import USERS, csrf_token, log_in, page_text
from tests.unit.test_update import new_needs

# Every test copies a dataset and most run a build in a process of its own: seconds to a minute each.
pytestmark = pytest.mark.slow


@pytest.fixture
def live(small_demo_path, tmp_path):
    path = tmp_path / "live"
    shutil.copytree(small_demo_path, path)
    return path


@pytest.fixture
def client(live):
    users = USERS
    return create_app(Settings(dataset=live, secret="test-secret", users_text=users)).server.test_client()


def _send(client, files: dict, dates: str = ""):
    data = {"csrf": csrf_token(client), "report_dates": dates}
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
    assert client.post("/data/update/publish", data={"csrf": csrf_token(client)}).status_code == 403
    assert client.get("/data/update/build.log").status_code == 403
    assert not update.staging_folder(live).exists()
    assert "Update the data" not in page_text(client, "/data")


def test_a_coordinator_needs_the_forms_token(client, live):
    log_in(client)
    response = client.post("/data/update", data={"needs": [(BytesIO(b"x"), "hno.csv")]},
                           content_type="multipart/form-data")
    assert response.status_code == 400 and not update.staging_folder(live).exists()


def test_send_check_and_publish_a_needs_file(client, live):
    log_in(client)
    assert "Update the data" in page_text(client, "/data")
    assert _send(client, {"needs": [("hno 2027.csv", new_needs().encode())]}).status_code == 303
    page = _wait(client)
    assert "The update is built and not yet published" in page
    row = re.search(r"<tr><td>needs</td><td>hno 2027.csv</td>(.*?)</tr>", page).group(1)
    assert re.findall(r">([\d,]+)<", row) == ["2", "1", "1"]  # rows in, accepted, rejected
    rejected = pd.read_csv(BytesIO(client.get("/data/update/rejected.csv").data), comment="#", dtype=str)
    assert rejected[rejected["file"] == "hno 2027.csv"]["value"].tolist() == ["AF9999"]
    assert "hno 2027.csv" not in page_text(client, "/data")

    response = client.post("/data/update/publish", data={"csrf": csrf_token(client)})
    assert response.status_code == 303 and response.headers["Location"].endswith("/data")
    assert "hno 2027.csv" in page_text(client, "/data")  # the data page lists the files of the new dataset
    assert update.previous_folder(live).exists() and not update.staging_folder(live).exists()


def test_what_cannot_be_used_is_said_and_not_built(client, live):
    log_in(client)
    _send(client, {})
    assert "no file was chosen" in client.get("/data/update").get_data(as_text=True)
    _send(client, {"partners": [("partners.exe", b"MZ")]})
    assert "partners.exe: not a kind of file HealthGaps reads" in client.get("/data/update").get_data(as_text=True)
    _send(client, {"needs": [("hno.csv", new_needs().encode())]}, dates="2026-02-30")
    page = _wait(client)
    assert "cannot be used: not a date in the form YYYY-MM-DD: '2026-02-30'." in html.unescape(page)
    assert "'2026-02-30'" not in page  # the value sent is escaped in the page, never written as is
    assert "Publish" not in page
    assert client.post("/data/update/discard", data={"csrf": csrf_token(client)}).status_code == 303
    assert not update.staging_folder(live).exists()


def _demo_facility_files(live) -> list[bytes]:
    """The small demo's two HeRAMS exports (302 and 291 rows, one rejected row each), as kept in the dataset."""
    manifest = json.loads((live / schema.MANIFEST).read_text())
    return [(live / s["stored"]).read_bytes() for s in manifest["sources"] if s["role"] == "facilities"]


def test_two_files_named_in_arabic_script_both_survive_under_the_names_they_were_sent_with(client, live):
    log_in(client)
    first, second = _demo_facility_files(live)
    names = ["herams_کابل.csv", "herams_هرات.csv"]
    assert _send(client, {"facilities": [(names[0], first), (names[1], second)]}).status_code == 303
    page = _wait(client)
    assert "The update is built and not yet published" in page and f"facilities: {', '.join(names)}" in page
    read = {name: re.findall(r">([\d,]+)<", re.search(f"<tr><td>facilities</td><td>{name}</td>(.*?)</tr>",
                                                         page).group(1)) for name in names}
    assert read == {names[0]: ["302", "301", "1"], names[1]: ["291", "290", "1"]}
    rejected = pd.read_csv(BytesIO(client.get("/data/update/rejected.csv").data), comment="#", dtype=str)
    assert set(names) <= set(rejected["file"])

    assert client.post("/data/update/publish", data={"csrf": csrf_token(client)}).status_code == 303
    dataset = load_dataset(live)
    facilities = [s for s in dataset.manifest["sources"] if s["role"] == "facilities"]
    assert [s["file"] for s in facilities] == names
    assert all(s["stored"].isascii() and (live / s["stored"]).exists() for s in facilities)
    assert set(dataset.facilities["source"].astype(str)) == set(names)  # both files' rows are in the dataset
    assert set(dataset.rejected["file"]) >= set(names)
    assert f"Now: {', '.join(names)}." in client.get("/data/update").get_data(as_text=True)


HOLD = """import fcntl, os, sys, time
lock = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(lock, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_update_is_refused_while_another_process_builds(client, live):
    log_in(client)
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(update.lock_path(live))], stdout=subprocess.PIPE,
                              text=True)  # a build started by another gunicorn worker
    try:
        assert holder.stdout.readline() == "held\n"
        response = _send(client, {"needs": [("hno.csv", new_needs().encode())]})
        assert response.status_code == 409
        assert "another update of this dataset is being built or published" in response.get_data(as_text=True)
        assert not update.staging_folder(live).exists()
        for action in ("publish", "discard"):
            assert client.post(f"/data/update/{action}", data={"csrf": csrf_token(client)}).status_code == 409
    finally:
        holder.kill()
        holder.wait()
    assert _send(client, {"needs": [("hno.csv", new_needs().encode())]}).status_code == 303  # free again
    assert "The update is built" in _wait(client)


def test_a_second_upload_while_a_build_runs_leaves_that_build_alone(client, live):
    log_in(client)
    assert _send(client, {"needs": [("hno_first.csv", new_needs().encode())]}).status_code == 303
    response = _send(client, {"needs": [("hno_second.csv", new_needs().encode())]})  # the build takes seconds
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'id="update-refused"' in page and "Building the update" in page
    page = _wait(client)
    assert "The update is built and not yet published" in page
    assert "hno_first.csv" in page and "hno_second.csv" not in page


@pytest.mark.parametrize("variable, value, message", [
    ("HEALTHGAPS_BUILD_SECONDS", "0.5", "the build took longer than its time limit of 0.5 s (HEALTHGAPS_BUILD_SECONDS) "
                                        "and was stopped"),
    ("HEALTHGAPS_BUILD_MEMORY_MB", "50", "the build needed more than its memory limit of 50 MB "
                                         "(HEALTHGAPS_BUILD_MEMORY_MB)"),  # less than its libraries take
])
def test_a_build_over_its_limit_fails_with_a_message_and_the_live_dataset_stays(client, live, monkeypatch, variable,
                                                                                value, message):
    monkeypatch.setenv(variable, value)
    before = (live / schema.MANIFEST).read_bytes()
    log_in(client)
    assert _send(client, {"needs": [("hno.csv", new_needs().encode())]}).status_code == 303
    page = _wait(client, timeout=60)
    assert f"The update cannot be used: {message}" in page and "Publish" not in page
    assert (live / schema.MANIFEST).read_bytes() == before
    assert not (update.staging_folder(live) / "dataset").exists()
