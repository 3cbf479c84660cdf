"""The app under gunicorn on loopback, as `make run` serves it (gunicorn.conf.py, 2 workers), and what the
benchmark reads of its workers from /proc: which worker served a request (the one whose CPU time grew most)
and its memory."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from settings import ROOT

WORKERS = 2


@dataclass
class Server:
    url: str
    master: int

    def workers(self) -> list[int]:
        """The worker processes' ids (the master's children)."""
        children = Path(f"/proc/{self.master}/task/{self.master}/children")
        return sorted(int(p) for p in children.read_text().split())

    def cpu(self) -> dict[int, int]:
        """CPU time used so far by each worker, in nanoseconds (all its threads)."""
        return {pid: cpu_ns(pid) for pid in self.workers()}


def cpu_ns(pid: int) -> int:
    """Time a process's threads have run, in ns (/proc/<pid>/task/*/schedstat, first field)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, IndexError, ValueError):
            pass  # a thread that ended meanwhile
    return total


def served_by(before: dict[int, int], after: dict[int, int]) -> int:
    """The worker that served the request made between two cpu() readings: the one that ran most."""
    return max(after, key=lambda pid: after[pid] - before.get(pid, 0))


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of a process, in KB, and its Pss (its share of pages shared with the other
    workers after the fork) from smaps_rollup."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0])
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                fields["Pss"] = int(line.split()[1])
    except OSError:
        pass
    return fields


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(dataset: Path, log: Path, ready_within: float = 600) -> Iterator[Server]:
    """gunicorn serving `dataset` on a free loopback port with the `make run` config; stopped on exit.
    Waits until the page answers and both workers are up (a large dataset takes a while to load)."""
    port = _free_port()
    env = {**os.environ, "HEALTHGAPS_DATASET": str(dataset), "PORT": str(port), "HOST": "127.0.0.1",
           "WEB_CONCURRENCY": str(WORKERS)}
    env.pop("ACCESS_LOG", None)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w") as out:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "app:server", "--config", "gunicorn.conf.py"],
                                   cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process.pid)
    deadline = time.monotonic() + ready_within
    try:
        while True:
            try:
                urllib.request.urlopen(server.url + "/", timeout=5)
                if len(server.workers()) == WORKERS:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
