"""A coordinator's data update, without the web: the dataset keeps its files, a sent file replaces its kind,
the build is checked beside the live dataset, publishing swaps it in and every context loads it."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import subprocess
import sys
import time
import zipfile

import pandas as pd
import pytest
from flask import Flask

from analysis.access import PUBLIC
from context import Context, per_dataset
from data import build as builder
from data import schema, update
from data.build import BuildError, sha256
from data.dataset import load_dataset
from server.render import use_templates
from server.update import status_block

NEEDS_HEADER = "Province p-code,District p-code,District,Sector,People in need,Severity\n" \
               "#adm1+code,#adm2+code,#adm2+name,#sector,#inneed,#severity\n"


def recorded_audit(safe: bool):
    """A stand-in for the disclosure audit (20 s a build here): it keeps a verdict as the real one does.
    test_the_real_audit_runs_in_the_build runs the real one."""
    def audit(folder):
        manifest = json.loads((folder / schema.MANIFEST).read_text())
        record = {"safe": safe, "built_at": manifest["built_at"], "rounds": manifest["rounds"], "report": ["stand-in"]}
        (folder / schema.AUDIT).write_text(json.dumps(record))
        os.chmod(folder / schema.AUDIT, 0o600)
        return "stand-in audit"
    return audit


@pytest.fixture(autouse=True)
def quick_audit(request, monkeypatch):
    if "real_audit" not in request.keywords:
        monkeypatch.setattr(update, "audit", recorded_audit(True))


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
    data = content.encode() if isinstance(content, str) else content
    update.save_upload(staging, role, name, lambda path: path.write_bytes(data))
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


@pytest.mark.slow
def test_a_sent_file_replaces_its_kind_and_the_rest_is_rebuilt_from_the_kept_files(live):
    before = json.loads((live / schema.MANIFEST).read_text())
    send(live, "needs", "hno_2027.csv", new_needs())
    state = update.status(live)
    assert state.state == "ready" and state.user == "ana" and state.uploads == {"needs": ["hno_2027.csv"]}
    staged = state.manifest
    needs = [s for s in staged["sources"] if s["role"] == "needs"]
    assert [(s["file"], s["rows_in"], s["accepted"], s["rejected"]) for s in needs] == [("hno_2027.csv", 2, 1, 1)]
    def kept(m):
        return [(s["role"], s["file"], s["sha256"]) for s in m["sources"] if s["role"] != "needs"]
    assert kept(staged) == kept(before)
    assert staged["rounds"] == before["rounds"]  # the live rounds, since no facility file was sent
    assert staged["synthetic"] is True  # facilities and partners are still the made-up ones
    checked = load_dataset(update.staging_folder(live) / "dataset")
    assert checked.needs[["adm2_pcode", "pin", "severity"]].astype(str).values.tolist() == \
        [["AF0101", "10", "2"]]
    assert load_dataset(live).manifest["built_at"] == before["built_at"]  # nothing published yet


@pytest.mark.slow
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


@pytest.mark.slow
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
    assert pd.notna(ctx.districts(Filter(), PUBLIC).set_index("adm2_pcode").loc["AF0102", "severity"])
    send(live, "needs", "hno_2027.csv", new_needs())
    update.publish(live)
    assert ctx.refresh() is True
    assert needs_rows(ctx) == 1 and len(calls) == 2
    assert pd.isna(ctx.districts(Filter(), PUBLIC).set_index("adm2_pcode").loc["AF0102", "severity"])
    assert ctx.geometry["adm2"] == "/g/new.json"


def _modes(folder) -> dict[str, int]:
    """Every folder's and file's permission bits under `folder` (itself included), by path."""
    found = {str(folder): stat.S_IMODE(os.stat(folder).st_mode)}
    for root, folders, files in os.walk(folder):
        for name in folders + files:
            found[os.path.join(root, name)] = stat.S_IMODE(os.lstat(os.path.join(root, name)).st_mode)
    return found


def _not_private(folder) -> dict[str, str]:
    return {path: oct(mode) for path, mode in _modes(folder).items()
            if mode != (0o700 if os.path.isdir(path) else 0o600)}


@pytest.mark.slow
def test_every_folder_and_file_of_a_dataset_and_its_update_is_the_server_accounts_alone(small_demo_path, live):
    assert _not_private(small_demo_path) == {}  # as data.build wrote it
    send(live, "needs", "hno_2027.csv", new_needs())
    assert update.status(live).state == "ready"
    assert _not_private(update.staging_folder(live)) == {}  # uploads, names, request, result, staged dataset
    update.publish(live)
    assert _not_private(live) == {}  # the demo login carried over too
    assert stat.S_IMODE(os.stat(update.lock_path(live)).st_mode) == 0o600


def test_a_file_is_kept_under_a_generated_name_and_shown_by_the_name_it_was_sent_with(live):
    staging = update.begin(live)
    for sent in ("herams_کابل.csv", "herams_کابل.csv", "C:\\Users\\ana\\herams_هرات.csv", "../\u202ecsv.exe.csv",
                 "خ" * 200 + ".xlsx"):
        update.save_upload(staging, "facilities", sent, lambda path: path.write_text("x"))
    names = [s.name for s in update.uploaded(staging)["facilities"]]
    assert names[:4] == ["herams_کابل.csv", "herams_کابل (2).csv", "herams_هرات.csv", "csv.exe.csv"]
    assert names[4].endswith("خ.xlsx") and len(names[4].encode()) <= update.MAX_NAME_BYTES
    stored = [s.path.name for s in update.uploaded(staging)["facilities"]]
    assert len(set(stored)) == 5 and all(n.isascii() and n.endswith((".csv", ".xlsx")) for n in stored)


def _bomb(inflated_mb: int = 200) -> bytes:
    """A workbook whose one sheet is `inflated_mb` MB of zeros: ~200 KB on the wire, written 1 MB at a time."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", "<Types/>")
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(inflated_mb):
                sheet.write(bytes(1 << 20))
    return buffer.getvalue()


def test_a_decompression_bomb_fails_its_build_from_the_zip_directory_and_the_live_dataset_stays(live, monkeypatch):
    before = (live / schema.MANIFEST).read_bytes()
    bomb = _bomb()
    assert len(bomb) < 1 << 20

    def no_inflating(*args, **kwargs):
        raise AssertionError("the bomb was inflated")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_inflating)
    send(live, "facilities", "herams_کابل.xlsx", bomb)
    state = update.status(live)
    assert state.state == "failed"
    assert state.message.startswith("herams_کابل.xlsx: xl/worksheets/sheet1.xml inflates")
    assert "more than the 100 times a real file does (a decompression bomb)" in state.message
    assert (live / schema.MANIFEST).read_bytes() == before
    with pytest.raises(update.UpdateError):
        update.publish(live)


def test_a_zip_inflating_past_the_total_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(builder, "INFLATED_LIMIT", 10 << 20)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_bomb(20))
    with pytest.raises(BuildError, match=r"^bomb.xlsx: inflates to 20,971,\d+ bytes, more than the 10,485,760 "):
        builder.check_source(path)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["5W_هرات.xlsx", "5W_هرات.csv"])
def test_a_sheet_or_a_csv_over_the_cell_limit_fails_its_build_naming_the_file_and_the_limit(live, monkeypatch, name):
    before = (live / schema.MANIFEST).read_bytes()
    table = pd.DataFrame({f"c{c}": range(1_300) for c in range(100)})  # 130,000 cells and a header
    content = io.BytesIO()
    table.to_excel(content, index=False) if name.endswith(".xlsx") else table.to_csv(content, index=False)
    monkeypatch.setattr(builder, "CELL_LIMIT", 120_000)  # over every file the small demo keeps (117,000 at most)
    send(live, "partners", name, content.getvalue())
    state = update.status(live)
    assert state.state == "failed"
    what = "a sheet holds 130,100" if name.endswith(".xlsx") else "the table holds 130,100"
    assert state.message == f"{name}: {what} cells, more than the 120,000 a build reads (split the file)"
    assert (live / schema.MANIFEST).read_bytes() == before


@pytest.mark.parametrize("tag", ["c", "x:c"])
def test_cells_are_counted_on_a_stream_without_a_tag_cut_between_blocks(tag):
    cells = "".join(f'<{tag} r="A{n}" t="s"><v>{n}</v></{tag}><col/><cfRule/>' for n in range(100_003))
    sheet = io.BytesIO(f"<worksheet><sheetData><row>{cells}</row></sheetData></worksheet>".encode())
    assert len(sheet.getvalue()) > 3 << 20  # several blocks
    assert builder._cells_in_sheet(sheet) == 100_003


def test_a_build_that_outlives_its_time_limit_is_killed_and_says_so(tmp_path):
    staging = tmp_path / "live.update"
    staging.mkdir()
    process = subprocess.Popen(["sleep", "30"], start_new_session=True)
    lock = os.open(tmp_path / "lock", os.O_RDWR | os.O_CREAT, 0o600)
    started = time.monotonic()
    update._watch(process, staging, update.Limits(seconds=0.2), lock, grace=0.1)
    assert time.monotonic() - started < 5 and process.returncode == -9
    result = json.loads((staging / "result.json").read_text())
    assert result == {"ok": False, "message": "the build took longer than its time limit of 0.2 s "
                                              "(HEALTHGAPS_BUILD_SECONDS) and was stopped"}
    with pytest.raises(OSError):
        os.close(lock)  # the watcher let the lock go


def test_a_build_that_ends_without_a_result_is_said_to_have_stopped(tmp_path):
    staging = tmp_path / "live.update"
    staging.mkdir()
    process = subprocess.Popen([sys.executable, "-c", "import os; os.abort()"], start_new_session=True)
    update._watch(process, staging, update.Limits(memory_mb=512), os.open(tmp_path / "lock", os.O_CREAT, 0o600))
    assert json.loads((staging / "result.json").read_text())["message"] == (
        "the build was killed by signal 6 without a result (see the build log); it may have needed more than its "
        "memory limit of 512 MB (HEALTHGAPS_BUILD_MEMORY_MB)")


def test_build_limits_come_from_the_environment_and_a_wrong_one_is_named(monkeypatch):
    assert update.Limits.from_env() == update.Limits(1800.0, 4096)
    monkeypatch.setenv("HEALTHGAPS_BUILD_SECONDS", "90")
    monkeypatch.setenv("HEALTHGAPS_BUILD_MEMORY_MB", "2048")
    assert update.Limits.from_env() == update.Limits(90.0, 2048)
    monkeypatch.setenv("HEALTHGAPS_BUILD_MEMORY_MB", "2 GB")
    with pytest.raises(update.UpdateError, match="HEALTHGAPS_BUILD_MEMORY_MB must be a positive number .int., "
                                                 "not '2 GB'"):
        update.Limits.from_env()


@pytest.mark.slow
@pytest.mark.real_audit
def test_the_real_audit_runs_in_the_build_and_its_pass_is_published(live):
    send(live, "needs", "hno_2027.csv", new_needs())
    state = update.status(live)
    assert state.state == "ready" and "disclosure audit passed" in state.message
    assert state.audit["safe"] is True and state.audit["report"][-1].startswith("nothing recoverable")
    update.publish(live)
    assert (live / schema.AUDIT).exists() and load_dataset(live).needs["adm2_pcode"].tolist() == ["AF0101"]


@pytest.mark.slow
def test_an_update_that_fails_its_audit_is_not_published(live, monkeypatch):
    monkeypatch.setattr(update, "audit", recorded_audit(False))
    built = json.loads((live / schema.MANIFEST).read_text())["built_at"]
    send(live, "needs", "hno_2027.csv", new_needs())
    state = update.status(live)
    assert state.state == "ready" and state.audit["safe"] is False
    with pytest.raises(update.UpdateError, match="disclosure audit"):
        update.publish(live)
    assert json.loads((live / schema.MANIFEST).read_text())["built_at"] == built
    app = Flask(__name__)
    use_templates(app)
    with app.app_context():
        page = status_block(state, {}, "token")
    assert "Not passed" in page and "/data/update/publish" not in page and "/data/update/discard" in page
