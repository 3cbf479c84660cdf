"""The store every web worker shares (failed logins, logouts): entries expire, the memory table never grows,
forked workers see one table, and Redis keeps the same promises."""

from __future__ import annotations

import multiprocessing
import time

from server.store import MemoryStore, RedisStore, make_store
from tests.redis_server import redis_url  # noqa: F401 (a fixture)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_count_and_expire():
    clock = Clock()
    store = MemoryStore(slots=64, clock=clock)
    assert store.add("a", 60) == (1.0, 60.0)
    clock.now += 10
    assert store.add("a", 60) == (2.0, 50.0)  # the window the first add opened, not a new one
    assert store.get("a") == (2.0, 50.0) and store.get("b") is None
    store.put("mark", 123.5, 30)
    assert store.get("mark") == (123.5, 30.0)
    store.delete("a")
    assert store.get("a") is None and len(store) == 1


def test_expired_entries_are_pruned_and_their_room_reused():
    clock = Clock()
    store = MemoryStore(slots=8, clock=clock)  # as many slots as a key may try: any key may take any slot
    for n in range(8):
        store.add(f"old {n}", 60)
    assert len(store) == 8
    clock.now += 61
    assert len(store) == 0 and store.get("old 3") is None
    assert store.add("old 3", 60) == (1.0, 60.0)  # a new count, not the expired one's
    for n in range(7):
        store.add(f"new {n}", 60)
    assert len(store) == 8 and store.get("old 3") and all(store.get(f"new {n}") for n in range(7))  # none evicted


def test_the_table_has_a_fixed_size_however_many_keys():
    """An attacker trying a million names fills the table, never the memory: entries nearest expiry give way
    and the newest are kept."""
    clock = Clock()
    store = MemoryStore(slots=64, clock=clock)
    size = len(store._table)
    for n in range(5000):
        clock.now += 0.01
        store.add(f"name {n}\0198.51.100.7", 900)
    assert len(store) == 64 and len(store._table) == size
    assert store.get("name 4999\0198.51.100.7") == (1.0, 900.0)
    assert store.get("name 0\0198.51.100.7") is None


def _add_in_child(store: MemoryStore, times: int) -> None:
    for _ in range(times):
        store.add("shared", 60)


def test_forked_workers_share_one_table():
    """As gunicorn forks its workers from the preloaded app: what one worker counts, the others see."""
    store = MemoryStore(slots=64)
    store.add("shared", 60)
    context = multiprocessing.get_context("fork")
    children = [context.Process(target=_add_in_child, args=(store, 50)) for _ in range(2)]
    for child in children:
        child.start()
    for child in children:
        child.join(10)
        assert child.exitcode == 0
    assert store.get("shared")[0] == 101  # no add lost between processes


def test_make_store_defaults_to_memory():
    assert isinstance(make_store(None), MemoryStore)


def test_redis_store_keeps_the_same_promises(redis_url):  # noqa: F811
    store = make_store(redis_url)
    assert isinstance(store, RedisStore)
    store.client.flushdb()
    assert store.add("a", 60)[0] == 1 and store.add("a", 60)[0] == 2
    count, left = store.get("a")
    assert count == 2 and 59 < left <= 60
    store.put("mark", 123.5, 30)
    assert store.get("mark")[0] == 123.5
    store.delete("a")
    assert store.get("a") is None and store.get("nothing") is None
    store.add("brief", 0.2)
    time.sleep(0.3)
    assert store.get("brief") is None  # Redis expired it
    keys = store.client.keys("*")
    assert keys and all(key.startswith(b"healthgaps:") and len(key) == len("healthgaps:") + 32 for key in keys)
    assert all(store.client.pttl(key) > 0 for key in keys)  # every entry expires: none lives forever
