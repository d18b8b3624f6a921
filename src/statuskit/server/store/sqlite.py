"""The store in a SQLite file, shared by the workers of one machine (WAL mode).

Each worker has one connection, used by one thread of its own, so the event
loop never waits on the file: a request that needs the store waits for that
thread, every other request is served meanwhile. Each operation is one
`BEGIN IMMEDIATE` transaction (the write lock is taken before reading, so
two workers can never both read a count and both write it plus one), and
must commit before its deadline (--store-timeout): SQLite's busy timeout is
set to what is left, and a transaction that would commit late is rolled
back instead, so a request answered 503 changed nothing.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import sqlite3
import time
from typing import Any

from statuskit.responder.state import ANY, Hit, MemoryStore, Next, Op, Read, Scan, Swap, Swapped, Window
from statuskit.server.store import StoreError

SCHEMA = """
CREATE TABLE IF NOT EXISTS windows (key TEXT PRIMARY KEY, count INTEGER NOT NULL, ends REAL NOT NULL);
CREATE TABLE IF NOT EXISTS entries (
    space TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL, age INTEGER NOT NULL, PRIMARY KEY (space, key)
);
CREATE INDEX IF NOT EXISTS entries_by_age ON entries (space, age);
CREATE TABLE IF NOT EXISTS sequences (space TEXT PRIMARY KEY, last INTEGER NOT NULL);
"""

# New windows between two sweeps of the ended ones (and of the oldest, beyond max_keys).
SWEEP_EVERY = 256


def create(path: str) -> None:
    """Make the file, WAL mode and the tables; ServerError in one line if the file cannot be used."""
    from statuskit.server.errors import ServerError

    try:
        connection = sqlite3.connect(path, timeout=5.0, isolation_level=None)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(SCHEMA)
        finally:
            connection.close()
    except sqlite3.Error as exc:
        raise ServerError(f"--store sqlite:{path}: {exc}") from None


class SqliteStore:
    memory: MemoryStore | None = None

    def __init__(self, path: str, *, prefix: str, timeout: float, max_keys: int) -> None:
        self.path = path
        self.name = f"sqlite:{path}"
        self.prefix = prefix
        self.timeout = timeout
        self.max_keys = max_keys
        self._connection: sqlite3.Connection | None = None
        self._thread = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="statuskit-sqlite")
        self._new_windows = 0

    async def run(self, ops: tuple[Op, ...]) -> tuple[Any, ...]:
        deadline = time.monotonic() + self.timeout
        future = asyncio.get_running_loop().run_in_executor(self._thread, self._perform_all, ops, deadline)
        # The thread ends by the deadline itself (busy timeout, rollback); if this task is
        # cancelled meanwhile, the thread still finishes its transaction or rolls it back.
        return await asyncio.shield(future)

    async def close(self) -> None:
        await asyncio.get_running_loop().run_in_executor(self._thread, self._close)
        self._thread.shutdown(wait=False)

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- in the store's thread --------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        if self._connection is None:
            connection = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False)
            try:
                connection.execute("PRAGMA journal_mode=WAL")
                # NORMAL in WAL mode: a transaction is durable once the WAL is synced at a
                # checkpoint; a crash of the machine may lose the last ones, never corrupt.
                connection.execute("PRAGMA synchronous=NORMAL")
                connection.executescript(SCHEMA)
            except sqlite3.Error:
                connection.close()
                raise
            self._connection = connection
        return self._connection

    def _perform_all(self, ops: tuple[Op, ...], deadline: float) -> tuple[Any, ...]:
        try:
            connection = self._connect()
            return tuple(self._transaction(connection, op, deadline) for op in ops)
        except sqlite3.Error as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"{self.name} stayed locked by another process for {self.timeout:g} s (--store-timeout)"
                ) from None
            self._close()
            raise StoreError(f"{self.name}: {exc}") from None

    def _transaction(self, connection: sqlite3.Connection, op: Op, deadline: float) -> Any:
        left = deadline - time.monotonic()
        if left <= 0:
            raise StoreError(f"{self.name} did not answer within {self.timeout:g} s (--store-timeout)")
        connection.execute(f"PRAGMA busy_timeout = {max(1, int(left * 1000))}")
        connection.execute("BEGIN IMMEDIATE")
        try:
            result = self._perform(connection, op)
            if time.monotonic() > deadline:
                raise StoreError(f"{self.name} did not answer within {self.timeout:g} s (--store-timeout)")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
        return result

    def _perform(self, db: sqlite3.Connection, op: Op) -> Any:
        prefix = self.prefix
        if isinstance(op, Hit):
            return self._hit(db, f"{prefix}:{op.key}", op.now, op.window)
        if isinstance(op, Read):
            row = db.execute(
                "SELECT value FROM entries WHERE space = ? AND key = ?", (f"{prefix}:{op.space}", op.key)
            ).fetchone()
            return None if row is None else bytes(row[0])
        if isinstance(op, Swap):
            return self._swap(db, op)
        if isinstance(op, Next):
            row = db.execute(
                "INSERT INTO sequences VALUES (?, 1) ON CONFLICT (space) DO UPDATE SET last = last + 1 RETURNING last",
                (f"{prefix}:{op.space}",),
            ).fetchone()
            return int(row[0])
        assert isinstance(op, Scan)
        rows = db.execute("SELECT key, value FROM entries WHERE space = ? ORDER BY age", (f"{prefix}:{op.space}",))
        return tuple((str(key), bytes(value)) for key, value in rows)

    def _hit(self, db: sqlite3.Connection, key: str, now: float, window: float) -> Window:
        row = db.execute("SELECT count, ends FROM windows WHERE key = ?", (key,)).fetchone()
        if row is not None and now < row[1]:
            db.execute("UPDATE windows SET count = count + 1 WHERE key = ?", (key,))
            return Window(int(row[0]) + 1, float(row[1]))
        db.execute("INSERT OR REPLACE INTO windows VALUES (?, 1, ?)", (key, now + window))
        self._new_windows += 1
        if self._new_windows % SWEEP_EVERY == 0:
            db.execute("DELETE FROM windows WHERE ends <= ?", (now,))
            # Beyond max_keys live windows the ones ending first go (as the memory store's oldest).
            db.execute(
                "DELETE FROM windows WHERE key IN (SELECT key FROM windows ORDER BY ends DESC LIMIT -1 OFFSET ?)",
                (self.max_keys,),
            )
        return Window(1, now + window)

    def _swap(self, db: sqlite3.Connection, op: Swap) -> Swapped:
        space = f"{self.prefix}:{op.space}"
        row = db.execute("SELECT value FROM entries WHERE space = ? AND key = ?", (space, op.key)).fetchone()
        current = None if row is None else bytes(row[0])
        if op.expect is not ANY and current != op.expect:
            return Swapped(False, current)
        if row is not None:
            # A rewrite keeps its age, as in the memory store.
            db.execute("UPDATE entries SET value = ? WHERE space = ? AND key = ?", (op.value, space, op.key))
            return Swapped(True, op.value)
        db.execute(
            "INSERT INTO entries VALUES (?, ?, ?, (SELECT COALESCE(MAX(age), 0) + 1 FROM entries WHERE space = ?))",
            (space, op.key, op.value, space),
        )
        db.execute(
            "DELETE FROM entries WHERE space = ? AND key IN "
            "(SELECT key FROM entries WHERE space = ? ORDER BY age DESC LIMIT -1 OFFSET ?)",
            (space, space, op.limit),
        )
        return Swapped(True, op.value)
