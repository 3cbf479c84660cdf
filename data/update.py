"""A coordinator's data update: replace some of a dataset's source files, rebuild it beside the live one, check
it, then publish it (or discard it). No web code here: the routes (upload.py) and the tests call these.

An update is a folder beside the dataset, `<dataset>.update/`:
  uploads/<role>/<file>   the files sent, by role; a role sent replaces all the dataset's files of that role
  request.json            who asked, when, the report dates
  build.log               what the build printed
  result.json             {"ok", "message"} once the build has finished
  dataset/                the built dataset, when ok
The build runs in its own process (`python -m data.update build <dataset>`), so a large build neither blocks
nor is killed with a web worker. Publishing keeps the replaced dataset as `<dataset>.previous/`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from data import schema
from data.build import BuildError, build_dataset
from data.tables import TableError
from geo.boundaries import BoundaryError

ROLES = ("boundaries", "population", "facilities", "partners", "needs")
SYNTHETIC_ROLES = ("facilities", "partners", "needs")  # what the demo makes up; real boundaries and population
KEPT_FILES = ("demo-login.txt",)  # files of the live folder that no build makes, carried over on publish
STALE_SECONDS = 3600  # a build with no result after this long has died
ROOT = Path(__file__).resolve().parent.parent


class UpdateError(RuntimeError):
    """An update that cannot go on (nothing staged, not ready); the message says what to do."""


@dataclass(frozen=True)
class Status:
    state: str  # "none", "building", "failed" or "ready"
    message: str = ""
    user: str = ""
    started: str = ""
    uploads: dict[str, list[str]] | None = None  # role -> file names sent
    manifest: dict | None = None  # the staged dataset's, when ready


def staging_folder(dataset: Path) -> Path:
    return Path(dataset).with_name(f"{Path(dataset).name}.update")


def previous_folder(dataset: Path) -> Path:
    return Path(dataset).with_name(f"{Path(dataset).name}.previous")


def begin(dataset: Path) -> Path:
    """An empty update folder (any earlier unpublished update is dropped); the caller saves files in
    `uploads_folder(staging, role)`."""
    staging = staging_folder(dataset)
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "uploads").mkdir(parents=True)
    return staging


def uploads_folder(staging: Path, role: str) -> Path:
    if role not in ROLES:
        raise UpdateError(f"unknown kind of file: {role!r}")
    folder = staging / "uploads" / role
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def stored_sources(dataset: Path, manifest: dict) -> dict[str, list[Path]]:
    """The dataset's own source files by role (kept under sources/ since the build keeps them)."""
    found: dict[str, list[Path]] = {}
    for source in manifest.get("sources", []):
        if source.get("stored") and (Path(dataset) / source["stored"]).exists():
            found.setdefault(source["role"], []).append(Path(dataset) / source["stored"])
    return found


def uploaded(staging: Path) -> dict[str, list[Path]]:
    folder = staging / "uploads"
    return {role: sorted(p for p in (folder / role).iterdir() if p.is_file())
            for role in ROLES if (folder / role).is_dir() and any((folder / role).iterdir())}


def parse_dates(text: str) -> list[str]:
    """Report dates typed as "2026-03-31, 2026-06-30"; a wrong one raises UpdateError naming it."""
    dates = []
    for word in text.replace(";", ",").replace(" ", ",").split(","):
        if word:
            try:
                dates.append(date.fromisoformat(word).isoformat())
            except ValueError:
                raise UpdateError(f"not a date in the form YYYY-MM-DD: {word!r}") from None
    return dates


def _record_request(dataset: Path, user: str, report_dates: str) -> Path:
    staging = staging_folder(dataset)
    request = {"user": user, "started": datetime.now(UTC).isoformat(timespec="seconds"),
               "report_dates": report_dates}
    (staging / "request.json").write_text(json.dumps(request, indent=2))
    return staging


def record_failure(dataset: Path, user: str, message: str) -> None:
    """An update refused before any build (no file, a kind of file not read): the page shows why."""
    staging = _record_request(dataset, user, "")
    (staging / "result.json").write_text(json.dumps({"ok": False, "message": message}, indent=2))


def request_build(dataset: Path, user: str, report_dates: str) -> subprocess.Popen:
    """Record the request and start the build in its own process (the page then shows its progress)."""
    staging = _record_request(dataset, user, report_dates)
    with open(staging / "build.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "data.update", "build", str(Path(dataset).resolve())],
                                   cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    threading.Thread(target=process.wait, daemon=True).start()  # reaps it, so no zombie is left
    return process


def build(dataset: Path) -> dict:
    """Build the staged dataset from the uploads and the dataset's other files; write and return the result."""
    dataset, staging = Path(dataset), staging_folder(dataset)
    request = json.loads((staging / "request.json").read_text())
    try:
        manifest = json.loads((dataset / schema.MANIFEST).read_text())
        sent = uploaded(staging)
        if not sent:
            raise UpdateError("no file was sent")
        files = {**stored_sources(dataset, manifest), **sent}
        if "boundaries" not in files:
            raise UpdateError("the dataset keeps no boundary files (it was built before files were kept): "
                              "send the boundary files too")
        dates = parse_dates(request.get("report_dates", ""))
        if not dates and "facilities" not in sent:
            dates = list(manifest.get("rounds", []))
        built = build_dataset(staging / "dataset", files["boundaries"], next(iter(files.get("population", [])), None),
                              files.get("facilities", []), files.get("partners", []), files.get("needs", []), dates,
                              label=manifest.get("label", ""),
                              synthetic=bool(manifest.get("synthetic")) and not set(SYNTHETIC_ROLES) <= set(sent))
        result = {"ok": True, "message": f"built {sum(built['tables'].values()):,} rows in "
                                         f"{len(built['tables'])} tables"}
    except (UpdateError, BuildError, BoundaryError, TableError) as exc:
        result = {"ok": False, "message": str(exc)}
    except Exception as exc:  # noqa: BLE001 - the coordinator must see that it failed, and the log why
        traceback.print_exc()
        result = {"ok": False, "message": f"the build failed unexpectedly ({type(exc).__name__}: {exc})"}
    (staging / "result.json").write_text(json.dumps(result, indent=2))
    return result


def status(dataset: Path) -> Status:
    """Where the update of `dataset` stands, read from its folder (any worker can answer)."""
    staging = staging_folder(dataset)
    if not (staging / "request.json").exists():
        return Status("none")
    request = json.loads((staging / "request.json").read_text())
    common = {"user": request.get("user", ""), "started": request.get("started", ""),
              "uploads": {role: [p.name for p in paths] for role, paths in uploaded(staging).items()}}
    if not (staging / "result.json").exists():
        if time.time() - (staging / "request.json").stat().st_mtime > STALE_SECONDS:
            return Status("failed", "the build stopped without a result (see build.log in the update folder)",
                          **common)
        return Status("building", **common)
    result = json.loads((staging / "result.json").read_text())
    if not result.get("ok"):
        return Status("failed", result.get("message", ""), **common)
    manifest = json.loads((staging / "dataset" / schema.MANIFEST).read_text())
    return Status("ready", result.get("message", ""), manifest=manifest, **common)


def publish(dataset: Path) -> None:
    """Make the staged dataset the live one; the replaced one is kept as `<dataset>.previous/`."""
    dataset, staging = Path(dataset), staging_folder(dataset)
    if status(dataset).state != "ready":
        raise UpdateError("no checked update to publish")
    previous = previous_folder(dataset)
    shutil.rmtree(previous, ignore_errors=True)
    for name in KEPT_FILES:
        if (dataset / name).exists():
            shutil.copy2(dataset / name, staging / "dataset" / name)
    os.chmod(staging / "dataset", 0o755)
    dataset.rename(previous)
    (staging / "dataset").rename(dataset)
    shutil.rmtree(staging, ignore_errors=True)


def discard(dataset: Path) -> None:
    shutil.rmtree(staging_folder(dataset), ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if len(args) != 2 or args[0] != "build":
        print("usage: python -m data.update build DATASET", file=sys.stderr)
        return 2
    result = build(Path(args[1]))
    print(result["message"])
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
