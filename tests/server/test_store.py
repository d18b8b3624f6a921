"""The three stores give the same answers to the same operations; a store that fails says why in one line.

The memory store is the reference; SQLite runs on a file in a temporary
directory, Redis on a real redis-server (tests/support/redisserver.py).
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from statuskit.responder.state import ANY, Hit, MemoryStore, Next, Op, Read, Scan, Swap, Swapped, Window
from statuskit.server.store import Store, StoreError, check_url, open_store
from tests.support.redisserver import RedisServer, free_port

# (operation, what the memory store answers): every backend must answer the same.
SCRIPT: list[tuple[Op, Any]] = [
    (Hit("a", 100.0, 10), Window(1, 110.0)),
    (Hit("a", 101.0, 10), Window(2, 110.0)),
    (Hit("b", 101.0, 10), Window(1, 111.0)),
    (Read("docs", "x"), None),
    (Swap("docs", "x", b"one", b"zero", 3), Swapped(False, None)),  # expects a value that is not there
    (Swap("docs", "x", b"one", None, 3), Swapped(True, b"one")),  # create only if absent
    (Swap("docs", "x", b"two", None, 3), Swapped(False, b"one")),  # exists now
    (Swap("docs", "x", b"two", b"stale", 3), Swapped(False, b"one")),  # a lost update prevented
    (Swap("docs", "x", b"two", b"one", 3), Swapped(True, b"two")),
    (Swap("docs", "y", b"\x00\xff", ANY, 3), Swapped(True, b"\x00\xff")),
    (Swap("docs", "z", b"3", ANY, 3), Swapped(True, b"3")),
    (Swap("docs", "x", b"2b", ANY, 3), Swapped(True, b"2b")),  # a rewrite keeps its age
    (Scan("docs"), (("x", b"2b"), ("y", b"\x00\xff"), ("z", b"3"))),
    (Swap("docs", "w", b"4", ANY, 3), Swapped(True, b"4")),  # over the limit: the oldest (x) goes
    (Scan("docs"), (("y", b"\x00\xff"), ("z", b"3"), ("w", b"4"))),
    (Read("docs", "x"), None),
    (Read("docs", "y"), b"\x00\xff"),
    (Scan("empty"), ()),
    (Next("ids"), 1),
    (Next("ids"), 2),
    (Next("other"), 1),
]


@pytest.fixture
def redis_server(tool: Any, tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tool("redis-server"), tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


def _run(store: Store, ops: list[Op]) -> list[Any]:
    async def main() -> list[Any]:
        try:
            return [(await store.run((op,)))[0] for op in ops]
        finally:
            await store.close()

    return asyncio.run(main())


def _compare(store: Store) -> None:
    results = _run(store, [op for op, _ in SCRIPT])
    for (op, expected), got in zip(SCRIPT, results, strict=True):
        if isinstance(op, Hit) and store.name.startswith("Redis"):
            # Redis ends a window by its own clock (a TTL), not by the request's: the same count, within the window.
            assert got.count == expected.count and 0 < got.ends - op.now <= op.window, op
        else:
            assert got == expected, op


def test_the_script_is_what_the_memory_store_answers() -> None:
    memory = MemoryStore(16)
    assert [memory.perform(op) for op, _ in SCRIPT] == [expected for _, expected in SCRIPT]


def test_sqlite_answers_as_memory(tmp_path: Path) -> None:
    _compare(open_store(f"sqlite:{tmp_path / 's.db'}", prefix="t", timeout=2.0, memory=MemoryStore(16)))
    with sqlite3.connect(tmp_path / "s.db") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_redis_answers_as_memory(redis_server: RedisServer) -> None:
    _compare(open_store(redis_server.url, prefix="t", timeout=2.0, memory=MemoryStore(16)))
    keys = {key.decode() for key in redis_server.client().keys("*")}
    assert keys and all(key.startswith("t:") for key in keys)
    # A window ends by Redis's own TTL.
    assert 0 < redis_server.client().pttl("t:window:a") <= 10_000


def test_redis_windows_are_atomic_under_concurrent_hits(redis_server: RedisServer) -> None:
    store = open_store(redis_server.url, prefix="c", timeout=5.0, memory=MemoryStore(16))

    async def main() -> list[int]:
        try:
            results = await asyncio.gather(*(store.run((Hit("k", 0.0, 60),)) for _ in range(200)))
            return sorted(result[0].count for result in results)
        finally:
            await store.close()

    assert asyncio.run(main()) == list(range(1, 201))


def test_prefixes_keep_instance_groups_apart(redis_server: RedisServer) -> None:
    one = open_store(redis_server.url, prefix="one", timeout=2.0, memory=MemoryStore(16))
    two = open_store(redis_server.url, prefix="two", timeout=2.0, memory=MemoryStore(16))
    assert _run(one, [Hit("k", 0.0, 60), Hit("k", 0.0, 60)])[1].count == 2
    assert _run(two, [Hit("k", 0.0, 60)])[0].count == 1


def test_an_unreachable_redis_is_a_one_line_store_error() -> None:
    store = open_store(f"redis://127.0.0.1:{free_port()}/0", prefix="t", timeout=1.0, memory=MemoryStore(16))
    with pytest.raises(StoreError) as raised:
        _run(store, [Read("docs", "x")])
    message = str(raised.value)
    assert "127.0.0.1" in message and "\n" not in message


def test_a_locked_sqlite_file_is_a_store_error_within_the_timeout(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    store = open_store(f"sqlite:{path}", prefix="t", timeout=0.3, memory=MemoryStore(16))
    _run(store, [Swap("docs", "x", b"before", ANY, 5)])
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        store = open_store(f"sqlite:{path}", prefix="t", timeout=0.3, memory=MemoryStore(16))
        with pytest.raises(StoreError, match="locked by another process"):
            _run(store, [Swap("docs", "x", b"after", ANY, 5)])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    store = open_store(f"sqlite:{path}", prefix="t", timeout=0.3, memory=MemoryStore(16))
    assert _run(store, [Read("docs", "x")]) == [b"before"]  # the failed write left the previous state


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("postgres://x", "is not memory:"),
        ("sqlite:", "needs a file"),
        ("redis://:6379/0", "names no Redis host"),
        ("redis://h:port/0", "is not a Redis URL"),
        ("redis://h:6379/zero", "database is a number"),
        ("redis://:pw@h:6379/0?colour=blue", "does not take the query of 'redis://h:6379/0'"),
        ("redis://h:6379/0?socket_timeout=soon", "does not take the query"),
        ("redis://h:6379/0?ssl_ca_certs=/etc/hostname", "does not take the query"),  # TLS settings need rediss://
        ("rediss://h:6379/0?ssl_ca_certs=/no/such/ca.pem", "ssl_ca_certs='/no/such/ca.pem' is not a file"),
        ("rediss://h:6379/0?ssl_ca_certs=/etc", "is not a file this server can read"),
    ],
)
def test_store_urls_are_checked(url: str, words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)) as caught:
        check_url(url)
    assert "pw" not in str(caught.value)  # a password is never repeated


def test_redis_urls_with_settings_redis_py_takes_pass(tmp_path: Path) -> None:
    authority = tmp_path / "ca.pem"
    authority.write_text("")
    for url in (
        "redis://:pw@h:6379/0",
        f"rediss://user:pw@h:6380/1?ssl_ca_certs={authority}&ssl_check_hostname=false",
        "redis://h:6379/0?password=pw&socket_keepalive=true",
    ):
        assert check_url(url) == url
