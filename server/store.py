"""Short-lived entries every web worker shares: failed-login counts and logout marks.

An entry is a number with an expiry. Two implementations of one small interface:

- `MemoryStore` (the default): a fixed table in memory mapped before gunicorn forks its workers (the app is
  preloaded), so every worker sees the same entries without a service to run. Its size never changes however
  many names or addresses are tried: an expired entry is free space, and when every slot a key may take is live,
  the entry nearest its expiry gives way.
- `RedisStore` (HEALTHGAPS_REDIS_URL): the same in Redis, for several hosts; Redis expires the entries itself.

Keys are hashed, so a user name of any length costs the same few bytes.
"""

from __future__ import annotations

import fcntl
import hashlib
import mmap
import struct
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Protocol

SLOT = struct.Struct("<16sdd")  # key digest, value, expiry (clock seconds)
PROBE = 8  # slots a key may take, from the one its digest points at
DEFAULT_SLOTS = 8192  # 256 KB


class Store(Protocol):
    def add(self, key: str, ttl: float) -> tuple[float, float]:
        """Count one more for `key` (a new entry starts at 1 and lives `ttl` seconds): (count, seconds left)."""

    def get(self, key: str) -> tuple[float, float] | None:
        """(value, seconds left), or None when there is no live entry."""

    def put(self, key: str, value: float, ttl: float) -> None:
        """Set `key` to `value` for `ttl` seconds."""

    def delete(self, key: str) -> None: ...


def digest(key: str) -> bytes:
    return hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class MemoryStore:
    """A fixed table of `slots` entries in shared memory, guarded across processes (lockf) and threads."""

    def __init__(self, slots: int = DEFAULT_SLOTS, clock: Callable[[], float] = time.monotonic) -> None:
        self.slots, self.clock = slots, clock  # CLOCK_MONOTONIC is one clock for every process of the host
        self._file = tempfile.TemporaryFile(prefix="healthgaps-store-")
        self._file.truncate(slots * SLOT.size)
        self._table = mmap.mmap(self._file.fileno(), slots * SLOT.size)  # MAP_SHARED: forks see each other
        self._thread_lock = threading.Lock()

    @contextmanager
    def _locked(self) -> Iterator[float]:
        """The table to this thread alone (a POSIX lock is per process: the thread lock guards within one);
        a worker that dies holding it frees it with its file. Yields the time now."""
        with self._thread_lock:
            fcntl.lockf(self._file, fcntl.LOCK_EX)
            try:
                yield self.clock()
            finally:
                fcntl.lockf(self._file, fcntl.LOCK_UN)

    def _read(self, index: int) -> tuple[bytes, float, float]:
        return SLOT.unpack_from(self._table, index * SLOT.size)

    def _write(self, index: int, key: bytes, value: float, expires: float) -> None:
        SLOT.pack_into(self._table, index * SLOT.size, key, value, expires)

    def _candidates(self, key: bytes) -> list[int]:
        start = int.from_bytes(key[:8], "little") % self.slots
        return [(start + step) % self.slots for step in range(min(PROBE, self.slots))]

    def _find(self, key: bytes, now: float) -> int | None:
        """The slot of `key`'s live entry, if any."""
        for index in self._candidates(key):
            found, _, expires = self._read(index)
            if found == key and expires > now:
                return index
        return None

    def _place(self, key: bytes, now: float) -> int:
        """A slot for a new entry: a free (or expired) one, else the live entry nearest its expiry gives way."""
        candidates = self._candidates(key)
        return next((i for i in candidates if self._read(i)[2] <= now), min(candidates, key=lambda i: self._read(i)[2]))

    def add(self, key: str, ttl: float) -> tuple[float, float]:
        hashed = digest(key)
        with self._locked() as now:
            index = self._find(hashed, now)
            if index is None:
                index, value, expires = self._place(hashed, now), 1.0, now + ttl
            else:
                _, value, expires = self._read(index)
                value += 1
            self._write(index, hashed, value, expires)
        return value, expires - now

    def get(self, key: str) -> tuple[float, float] | None:
        hashed = digest(key)
        with self._locked() as now:
            index = self._find(hashed, now)
            if index is None:
                return None
            _, value, expires = self._read(index)
        return value, expires - now

    def put(self, key: str, value: float, ttl: float) -> None:
        hashed = digest(key)
        with self._locked() as now:
            index = self._find(hashed, now)
            self._write(self._place(hashed, now) if index is None else index, hashed, value, now + ttl)

    def delete(self, key: str) -> None:
        hashed = digest(key)
        with self._locked() as now:
            index = self._find(hashed, now)
            if index is not None:
                self._write(index, bytes(16), 0.0, 0.0)

    def __len__(self) -> int:
        """Live entries (a scan of the table: for tests and checks, not for requests)."""
        with self._locked() as now:
            return sum(self._read(i)[2] > now for i in range(self.slots))


class RedisStore:
    """The same entries in Redis, under `prefix`; each expires with its ttl (Redis removes it)."""

    def __init__(self, url: str, prefix: str = "healthgaps:") -> None:
        import redis  # only when configured

        self.client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def _key(self, key: str) -> str:
        return self.prefix + digest(key).hex()

    def add(self, key: str, ttl: float) -> tuple[float, float]:
        name = self._key(key)
        pipe = self.client.pipeline()  # MULTI/EXEC: the window starts once, however many workers add at once
        pipe.set(name, 0, px=_ms(ttl), nx=True).incr(name).pttl(name)
        _, count, left = pipe.execute()
        return float(count), max(left, 0) / 1000

    def get(self, key: str) -> tuple[float, float] | None:
        name = self._key(key)
        value, left = self.client.pipeline().get(name).pttl(name).execute()
        return None if value is None else (float(value), max(left, 0) / 1000)

    def put(self, key: str, value: float, ttl: float) -> None:
        self.client.set(self._key(key), repr(float(value)), px=_ms(ttl))

    def delete(self, key: str) -> None:
        self.client.delete(self._key(key))


def _ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def make_store(redis_url: str | None) -> Store:
    """Redis when configured, else the shared memory table."""
    return RedisStore(redis_url) if redis_url else MemoryStore()
