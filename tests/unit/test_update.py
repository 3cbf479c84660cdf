"""A coordinator's data update, without the web: the dataset keeps its files, a sent file replaces its kind,
the build is checked beside the live dataset, publishing swaps it in and every context loads it."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest

from context import Context, per_dataset
from data import schema, update
from data.build import sha256
from data.dataset import load_dataset

NEEDS_HEADER = "Province p-code,District p-code,District,Sector,People in need,Severity\n" \
               "#adm1+code,#adm2+code,#adm2+name,#sector,#inneed,#severity\n"


@pytest.fixture
def live(small_demo_path, tmp_path):
    """A copy of the small demo that a test may update and publish."""
    path = tmp_path / "live"
    shutil.copytree(small_demo_path, path)
    (path / "demo-login.txt").write_text("user coordinator\npassword kept\n")
    return path


def send(dataset, role: str, name: str, content: str | bytes, report_dates: str = "") -> None:
    """Stage one file and build in this process (the web starts the same build in its own process)."""
    staging = update.begin(dataset)
    target = update.uploads_folder(staging, role) / name
    target.write_bytes(content.encode() if isinstance(content, str) else content)
    update._record_request(dataset, "ana", report_dates)
    update.build(dataset)


def new_needs() -> str:
    """Kabul at severity 2 with 10 people in need, and a row naming a district that does not exist."""
    return NEEDS_HEADER + "AF01,AF0101,Kabul,Health,10,2\nAF99,AF9999,Nowhere,Health,5,3\n"


def test_a_dataset_keeps_the_files_it_was_built_from(small_demo_path):
    manifest = json.loads((small_demo_path / schema.MANIFEST).read_text())
    assert {s["role"] for s in manifest["sources"]} == set(update.ROLES)
    for source in manifest["sources"]:
        kept = small_demo_path / source["stored"]
        assert kept.parent.name == source["role"] and sha256(kept) == source["sha256"]


def test_a_sent_file_replaces_its_kind_and_the_rest_is_rebuilt_from_the_kept_files(live):
    before = json.loads((live / schema.MANIFEST).read_text())
    send(live, "needs", "hno_2027.csv", new_needs())
    state = update.status(live)
    assert state.state == "ready" and state.user == "ana" and state.uploads == {"needs": ["hno_2027.csv"]}
    staged = state.manifest
    needs = [s for s in staged["sources"] if s["role"] == "needs"]
    assert [(s["file"], s["rows_in"], s["accepted"], s["rejected"]) for s in needs] == [("hno_2027.csv", 2, 1, 1)]
    kept = lambda m: [(s["role"], s["file"], s["sha256"]) for s in m["sources"] if s["role"] != "needs"]
    assert kept(staged) == kept(before)
    assert staged["rounds"] == before["rounds"]  # the live rounds, since no facility file was sent
    assert staged["synthetic"] is True  # facilities and partners are still the made-up ones
    checked = load_dataset(update.staging_folder(live) / "dataset")
    assert checked.needs[["adm2_pcode", "pin", "severity"]].astype(str).values.tolist() == \
        [["AF0101", "10", "2"]]
    assert load_dataset(live).manifest["built_at"] == before["built_at"]  # nothing published yet


def test_publish_swaps_the_dataset_keeps_the_previous_and_the_demo_login(live):
    built = json.loads((live / schema.MANIFEST).read_text())["built_at"]
    send(live, "needs", "hno_2027.csv", new_needs())
    update.publish(live)
    assert load_dataset(live).needs["adm2_pcode"].tolist() == ["AF0101"]
    assert json.loads((update.previous_folder(live) / schema.MANIFEST).read_text())["built_at"] == built
    assert (live / "demo-login.txt").read_text().endswith("kept\n")
    assert not update.staging_folder(live).exists() and update.status(live).state == "none"


def test_a_file_that_cannot_be_used_fails_with_its_name_and_nothing_can_be_published(live):
    send(live, "boundaries", "districts.geojson", b"not geojson at all")
    state = update.status(live)
    assert state.state == "failed" and "districts.geojson" in state.message
    with pytest.raises(update.UpdateError):
        update.publish(live)
    update.discard(live)
    assert update.status(live).state == "none"


def test_report_dates_typed_wrong_are_named():
    assert update.parse_dates("2026-03-31, 2026-06-30;2026-09-30") == ["2026-03-31", "2026-06-30", "2026-09-30"]
    with pytest.raises(update.UpdateError, match="'2026-13-01'"):
        update.parse_dates("2026-03-31, 2026-13-01")
    assert update.parse_dates("") == []


def test_a_context_loads_the_published_dataset_with_empty_caches(live):
    ctx = Context(load_dataset(live), {"adm2": "/g/a.json", "adm1": "/g/b.json"},
                  serve_geometry=lambda dataset: {"adm2": "/g/new.json", "adm1": "/g/new1.json"})
    calls = []

    @per_dataset()
    def needs_rows(context: Context) -> int:
        calls.append(1)
        return len(context.dataset.needs)

    assert needs_rows(ctx) == needs_rows(ctx) and len(calls) == 1
    assert ctx.refresh() is False  # nothing new yet
    from analysis.filters import Filter
    assert pd.notna(ctx.districts(Filter()).set_index("adm2_pcode").loc["AF0102", "severity"])
    send(live, "needs", "hno_2027.csv", new_needs())
    update.publish(live)
    assert ctx.refresh() is True
    assert needs_rows(ctx) == 1 and len(calls) == 2
    assert pd.isna(ctx.districts(Filter()).set_index("adm2_pcode").loc["AF0102", "severity"])
    assert ctx.geometry["adm2"] == "/g/new.json"
