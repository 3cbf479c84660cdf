"""A coordinator's data update: replace some of a dataset's source files, rebuild it beside the live one, check
it, then publish it (or discard it). No web code here: the routes (server/update.py) and the tests call these.

An update is a folder beside the dataset, `<dataset>.update/`, the server account's alone like the dataset:
  uploads/<role>/<file>   the files sent, by role, under generated names with their suffix; a role sent
                          replaces all the dataset's files of that role
  uploads/names.json      "<role>/<file>" -> the name the file was sent with, shown on the page and in reports
  request.json            who asked, when, the report dates
  build.log               what the build printed
  result.json             {"ok", "message"} once the build has finished
  dataset/                the built dataset, when ok
Beside it, `<dataset>.update.lock`: whoever stages, publishes or discards an update holds an exclusive flock on
it, and so does the build process until it ends, so there is one build at a time across every web worker.
The build runs in its own process (`python -m data.update build <dataset>`), so a large build neither blocks
nor is killed with a web worker, under a time and a memory limit (Limits). Publishing keeps the replaced
dataset as `<dataset>.previous/`.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import math
import os
import re
import resource
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import traceback
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import NamedTuple, TypeVar

from data import schema
from data.build import BuildError, build_dataset, private
from data.tables import TableError
from geo.boundaries import BoundaryError

ROLES = ("boundaries", "population", "facilities", "partners", "needs")
SYNTHETIC_ROLES = ("facilities", "partners", "needs")  # what the demo makes up; real boundaries and population
KEPT_FILES = ("demo-login.txt",)  # files of the live folder that no build makes, carried over on publish
ROOT = Path(__file__).resolve().parent.parent
NAMES = "names.json"
_Number = TypeVar("_Number", int, float)
READING = "reading"  # while building: the files under the names they were sent with
GRACE_SECONDS = 30  # past its time limit, how long a build has to stop by itself before it is killed
MAX_NAME_BYTES = 150  # a name as sent, kept well under the file systems' 255 bytes
BUSY = ("another update of this dataset is being built or published: wait until it has finished (this page "
        "shows it), then send your files again")


class UpdateError(RuntimeError):
    """An update that cannot go on (nothing staged, not ready); the message says what to do."""


class Busy(UpdateError):
    """Another update holds the dataset's update lock."""


class TimeLimit(BaseException):
    """Raised in the build process when its time limit is reached; not an Exception, so that no reader's
    `except Exception` takes it for a file it cannot read."""


@dataclass(frozen=True)
class Limits:
    """What one build may take: wall-clock seconds and megabytes of memory. The environment sets them
    (HEALTHGAPS_BUILD_SECONDS, HEALTHGAPS_BUILD_MEMORY_MB): a 50,000-facility build takes ~2 minutes and 3 GB."""

    seconds: float = 1800.0
    memory_mb: int = 4096

    @classmethod
    def from_env(cls) -> Limits:
        return cls(seconds=_positive("HEALTHGAPS_BUILD_SECONDS", float, cls.seconds),
                   memory_mb=_positive("HEALTHGAPS_BUILD_MEMORY_MB", int, cls.memory_mb))


def _positive(variable: str, kind: type[_Number], default: _Number) -> _Number:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        value = 0
    if not (value > 0 and math.isfinite(value)):
        raise UpdateError(f"{variable} must be a positive number ({kind.__name__}), not {text!r}")
    return value


class Source(NamedTuple):
    path: Path  # where the file is kept, under a generated name
    name: str  # the name it was sent with: what the page, the reports and the rejected rows call it


@dataclass(frozen=True)
class Status:
    state: str  # "none", "building", "failed" or "ready"
    message: str = ""
    user: str = ""
    started: str = ""
    uploads: dict[str, list[str]] | None = None  # role -> names of the files sent
    manifest: dict | None = None  # the staged dataset's, when ready
    audit: dict | None = None  # its disclosure audit's record (schema.AUDIT), when ready


def staging_folder(dataset: Path) -> Path:
    return Path(dataset).with_name(f"{Path(dataset).name}.update")


def previous_folder(dataset: Path) -> Path:
    return Path(dataset).with_name(f"{Path(dataset).name}.previous")


def lock_path(dataset: Path) -> Path:
    return Path(dataset).with_name(f"{Path(dataset).name}.update.lock")


@contextmanager
def claimed(dataset: Path) -> Iterator[int]:
    """Hold the update lock of `dataset` (its open descriptor) while staging, publishing or discarding, or raise
    Busy at once. An flock on a file beside the dataset holds across gunicorn's worker processes, and is let go
    when its holder ends, however it ends; the build process inherits it (request_build)."""
    lock = os.open(lock_path(dataset), os.O_RDWR | os.O_CREAT, 0o600)
    if not _take(lock):
        os.close(lock)
        raise Busy(BUSY)
    try:
        yield lock
    finally:
        os.close(lock)


def _take(lock: int, tries: int = 5) -> bool:
    """An exclusive flock, tried for 0.1 s: a status probe (_locked) holds a shared one for an instant."""
    for _ in range(tries):
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            time.sleep(0.02)
    return False


def _locked(dataset: Path) -> bool:
    """Whether a process holds the update lock (a build running, or an update being staged or published)."""
    try:
        lock = os.open(lock_path(dataset), os.O_RDONLY)
    except FileNotFoundError:
        return False
    try:
        fcntl.flock(lock, fcntl.LOCK_SH | fcntl.LOCK_NB)
        return False
    except BlockingIOError:
        return True
    finally:
        os.close(lock)


def _write_private(path: Path, text: str) -> None:
    """Write a file only the server account can read (it says who sent what)."""
    with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w", encoding="utf-8") as handle:
        handle.write(text)


def begin(dataset: Path) -> Path:
    """An empty update folder (any earlier unpublished update is dropped); the caller holds the update lock
    (claimed) and saves files with `save_upload`."""
    staging = staging_folder(dataset)
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(mode=0o700)
    (staging / "uploads").mkdir(mode=0o700)
    return staging


def uploads_folder(staging: Path, role: str) -> Path:
    if role not in ROLES:
        raise UpdateError(f"unknown kind of file: {role!r}")
    folder = staging / "uploads" / role
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def safe_name(sent: str) -> str:
    """A file's name as sent, as one path component: its last part (a browser may send a path), without
    control or bidirectional-override characters, at most MAX_NAME_BYTES long with its suffix kept."""
    name = "".join(c for c in re.split(r"[\\/]", sent)[-1] if unicodedata.category(c)[0] != "C").strip()
    if not name.strip("."):
        name = "file"
    suffix = Path(name).suffix
    stem = name.removesuffix(suffix)
    while stem and len(f"{stem}{suffix}".encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return f"{stem}{suffix}"


def _unique(name: str, taken: set[str]) -> str:
    """`name`, or `name (2)` and so on when a file of the same kind was already sent so."""
    suffix, n, unique = Path(name).suffix, 1, name
    while unique in taken:
        n += 1
        unique = f"{name.removesuffix(suffix)} ({n}){suffix}"
    return unique


def save_upload(staging: Path, role: str, sent: str, save: Callable[[Path], object]) -> Path:
    """Save a file sent as `sent` (`save(path)` writes it) under a generated name with its suffix: a name as
    sent may be a path, lose its Arabic or Dari letters to an ASCII filter or repeat another file's. The name
    sent, made safe and unique within its kind, goes to names.json for the page and the build's reports."""
    names = _names(staging)
    shown = _unique(safe_name(sent), {n for key, n in names.items() if key.startswith(f"{role}/")})
    path = uploads_folder(staging, role) / f"{secrets.token_hex(8)}{Path(shown).suffix.lower()}"
    save(path)
    os.chmod(path, 0o600)
    names[f"{role}/{path.name}"] = shown
    _write_private(staging / "uploads" / NAMES, json.dumps(names, indent=2, ensure_ascii=False))
    return path


def _names(staging: Path) -> dict[str, str]:
    path = staging / "uploads" / NAMES
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def stored_sources(dataset: Path, manifest: dict) -> dict[str, list[Source]]:
    """The dataset's own source files by role (kept under sources/ since the build keeps them)."""
    found: dict[str, list[Source]] = {}
    for source in manifest.get("sources", []):
        if source.get("stored") and (Path(dataset) / source["stored"]).exists():
            found.setdefault(source["role"], []).append(Source(Path(dataset) / source["stored"], source["file"]))
    return found


def uploaded(staging: Path) -> dict[str, list[Source]]:
    """The files sent by role, in the order they were sent."""
    folder, names = staging / "uploads", _names(staging)
    order = {key: n for n, key in enumerate(names)}
    found: dict[str, list[Source]] = {}
    for role in ROLES:
        files = [p for p in (folder / role).iterdir() if p.is_file()] if (folder / role).is_dir() else []
        keys = sorted((order.get(f"{role}/{p.name}", len(order)), p.name) for p in files)
        if keys:
            found[role] = [Source(folder / role / file, names.get(f"{role}/{file}", file)) for _, file in keys]
    return found


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
    _write_private(staging / "request.json", json.dumps(request, indent=2))
    return staging


def _record_result(staging: Path, ok: bool, message: str) -> dict:
    result = {"ok": ok, "message": message}
    _write_private(staging / "result.json", json.dumps(result, indent=2))
    return result


def record_failure(dataset: Path, user: str, message: str) -> None:
    """An update refused before any build (no file, a kind of file not read): the page shows why."""
    _record_result(_record_request(dataset, user, ""), False, message)


def request_build(dataset: Path, user: str, report_dates: str, lock: int, limits: Limits | None = None
                  ) -> subprocess.Popen:
    """Record the request and start the build in its own process (the page then shows its progress). The
    process inherits `lock` (the claimed update lock) and so holds it until it ends; a thread of this process
    keeps a copy until it has reaped the build (_watch)."""
    limits = limits or Limits.from_env()
    staging = _record_request(dataset, user, report_dates)
    command = [sys.executable, "-m", "data.update", "build", str(Path(dataset).resolve()),
               "--seconds", str(limits.seconds), "--memory-mb", str(limits.memory_mb)]
    with open(os.open(staging / "build.log", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                   pass_fds=(lock,))
    threading.Thread(target=_watch, args=(process, staging, limits, os.dup(lock)), daemon=True).start()
    return process


def _watch(process: subprocess.Popen, staging: Path, limits: Limits, lock: int,
           grace: float = GRACE_SECONDS) -> None:
    """Reap the build (no zombie is left); kill it and its children when it outlives its time limit by `grace`
    (stuck where its own timer cannot interrupt it); record the end of a build that left no result (killed,
    or out of memory in native code). The lock goes last, so no new update starts before the result is there."""
    try:
        try:
            process.wait(timeout=limits.seconds + grace)
            timed_out = False
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):  # it may end of itself meanwhile
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            timed_out = True
        if not (staging / "result.json").exists():
            _record_result(staging, False, _time_message(limits) if timed_out else _ended_message(process, limits))
    finally:
        os.close(lock)


def _time_message(limits: Limits) -> str:
    return (f"the build took longer than its time limit of {limits.seconds:g} s (HEALTHGAPS_BUILD_SECONDS) "
            "and was stopped")


def _memory_message(limits: Limits) -> str:
    return f"the build needed more than its memory limit of {limits.memory_mb:,} MB (HEALTHGAPS_BUILD_MEMORY_MB)"


def _ended_message(process: subprocess.Popen, limits: Limits) -> str:
    code = process.returncode
    how = f"was killed by signal {-code}" if code < 0 else f"ended with exit code {code}"
    return (f"the build {how} without a result (see the build log); it may have needed more than its memory "
            f"limit of {limits.memory_mb:,} MB (HEALTHGAPS_BUILD_MEMORY_MB)")


def _unexpected(exc: Exception) -> str:
    return f"the build failed unexpectedly ({type(exc).__name__}: {exc})"


def _limit(limits: Limits) -> None:
    """Bound this process, the build: its memory (an allocation past it raises MemoryError) and a timer that
    raises TimeLimit wherever the build is. Memory is RLIMIT_DATA, the private writable memory: RLIMIT_AS also
    counts what is reserved and never used (the small demo's build uses 0.3 GB and reserves 2 GB of address
    space on 2 cores, more with every core: 8 MB of stack and 64 MB of malloc arena a thread)."""
    size = limits.memory_mb << 20
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    size = size if hard == resource.RLIM_INFINITY else min(size, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (size, size))
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.setitimer(signal.ITIMER_REAL, limits.seconds)


def _out_of_time(signum: int, frame: object) -> None:
    raise TimeLimit()


def _as_sent(folder: Path, files: dict[str, list[Source]]) -> dict[str, list[Path]]:
    """Each file as a link named as it was sent, one folder each, so that the readers' reports, the rejected
    rows and the errors name the files the coordinator knows while the files keep their generated names."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    linked: dict[str, list[Path]] = {}
    for n, (role, source) in enumerate(((r, s) for r, sources in files.items() for s in sources), start=1):
        link = folder / str(n) / safe_name(source.name)
        link.parent.mkdir(mode=0o700)
        link.symlink_to(source.path.resolve())
        linked.setdefault(role, []).append(link)
    return linked


def _build(dataset: Path, staging: Path, request: dict) -> str:
    """Build the staged dataset; what it built, in words."""
    manifest = json.loads((dataset / schema.MANIFEST).read_text())
    sent = uploaded(staging)
    if not sent:
        raise UpdateError("no file was sent")
    files = _as_sent(staging / READING, {**stored_sources(dataset, manifest), **sent})
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
    built_text = f"built {sum(built['tables'].values()):,} rows in {len(built['tables'])} tables"
    return f"{built_text}; {audit(staging / 'dataset')}"


def audit(folder: Path) -> str:
    """Run the disclosure audit on a built dataset and keep its verdict there (the record Publish checks);
    what it found, in words. In a process of its own: the audit is analysis, a layer above this one."""
    command = [sys.executable, "-m", "analysis", "disclosure-audit", "--dataset", str(folder), "--record"]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    print(done.stdout + done.stderr, end="")  # into the build log
    if done.returncode == 0:
        return "disclosure audit passed"
    if done.returncode == 1:
        return "the disclosure audit found withheld figures that public answers give away: it cannot be published"
    raise UpdateError(f"the disclosure audit could not run: {(done.stderr or done.stdout).strip()[-300:]}")


def audit_record(folder: Path) -> dict | None:
    """The disclosure audit's record of a built dataset, if it has one of this build."""
    try:
        record = json.loads((folder / schema.AUDIT).read_text(encoding="utf-8"))
        manifest = json.loads((folder / schema.MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if record.get("built_at") == manifest.get("built_at") else None


def build(dataset: Path, limits: Limits | None = None) -> dict:
    """Build the staged dataset from the uploads and the dataset's other files; write and return the result.
    With `limits` (the build process), the build stops at them with a message saying which."""
    dataset, staging = Path(dataset), staging_folder(dataset)
    request = json.loads((staging / "request.json").read_text())
    try:
        ok, message = True, _build_within(limits, dataset, staging, request)
    except TimeLimit:
        ok, message = False, _time_message(limits or Limits())
    except MemoryError:
        ok, message = False, _memory_message(limits or Limits())
    except (UpdateError, BuildError, BoundaryError, TableError) as exc:
        ok, message = False, str(exc)
    except Exception as exc:  # noqa: BLE001 - the coordinator must see that it failed, and the log why
        traceback.print_exc()
        thread = isinstance(exc, RuntimeError) and "new thread" in str(exc)  # a thread's stack is memory too
        ok, message = False, _memory_message(limits or Limits()) if thread else _unexpected(exc)
    finally:
        shutil.rmtree(staging / READING, ignore_errors=True)
    return _record_result(staging, ok, message)


def _build_within(limits: Limits | None, dataset: Path, staging: Path, request: dict) -> str:
    """_build under `limits`; the timer is stopped before any handler of what the build raised runs."""
    if limits:
        _limit(limits)
    try:
        return _build(dataset, staging, request)
    finally:
        if limits:
            signal.setitimer(signal.ITIMER_REAL, 0)


def status(dataset: Path) -> Status:
    """Where the update of `dataset` stands, read from its folder and its lock (any worker can answer)."""
    return _status(dataset, _locked(dataset))


def _status(dataset: Path, locked: bool) -> Status:
    """The update's state; "building" as long as the lock is held (the build process may have written its
    result but not yet ended), so that what the page offers to publish can be published."""
    staging = staging_folder(dataset)
    if not (staging / "request.json").exists():
        return Status("none")
    request = json.loads((staging / "request.json").read_text())
    common = {"user": request.get("user", ""), "started": request.get("started", ""),
              "uploads": {role: [s.name for s in sources] for role, sources in uploaded(staging).items()}}
    if locked:
        return Status("building", **common)
    if not (staging / "result.json").exists():
        return Status("failed", "the build stopped without a result (see the build log)", **common)
    result = json.loads((staging / "result.json").read_text())
    if not result.get("ok"):
        return Status("failed", result.get("message", ""), **common)
    manifest = json.loads((staging / "dataset" / schema.MANIFEST).read_text())
    return Status("ready", result.get("message", ""), manifest=manifest, audit=audit_record(staging / "dataset"),
                  **common)


def publish(dataset: Path) -> None:
    """Make the staged dataset the live one; the replaced one is kept as `<dataset>.previous/`."""
    dataset, staging = Path(dataset), staging_folder(dataset)
    with claimed(dataset):
        state = _status(dataset, locked=False)
        if state.state != "ready":
            raise UpdateError("no checked update to publish")
        if not (state.audit and state.audit.get("safe") is True):
            raise UpdateError("the update did not pass its disclosure audit: it is not published")
        previous = previous_folder(dataset)
        shutil.rmtree(previous, ignore_errors=True)
        for name in KEPT_FILES:
            if (dataset / name).exists():
                shutil.copy2(dataset / name, staging / "dataset" / name)
        private(staging / "dataset")
        dataset.rename(previous)
        (staging / "dataset").rename(dataset)
        shutil.rmtree(staging, ignore_errors=True)


def discard(dataset: Path) -> None:
    """Drop the update (refused with Busy while it builds: the build is left alone)."""
    with claimed(dataset):
        shutil.rmtree(staging_folder(dataset), ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m data.update", description="Build a staged update.")
    parser.add_argument("command", choices=["build"])
    parser.add_argument("dataset", type=Path)
    parser.add_argument("--seconds", type=float, default=Limits.seconds, help="time limit (HEALTHGAPS_BUILD_SECONDS)")
    parser.add_argument("--memory-mb", type=int, default=Limits.memory_mb,
                        help="memory limit (HEALTHGAPS_BUILD_MEMORY_MB)")
    args = parser.parse_args(argv)
    result = build(args.dataset, Limits(args.seconds, args.memory_mb))
    print(result["message"])
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
