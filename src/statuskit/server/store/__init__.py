"""Where the engine performs the store operations of the stateful resources (`Plan.store`).

    memory:                 this process's memory (the responder's own `MemoryStore`),
                            performed at once, without a task: the default with one worker
    sqlite:PATH             a SQLite file in WAL mode shared by the workers of one machine;
                            the default with --workers > 1 (a file in a private temporary directory)
    redis://HOST:PORT/DB    a Redis server shared by instances on several machines
    rediss://HOST:PORT/DB   the same over TLS

Every backend performs the operations of responder/state.py with the same
meaning (the memory store is the reference; tests/server/test_store.py runs
one table against all three), prefixes its keys with --store-prefix, and
either answers within --store-timeout or raises `StoreError` with a one-line
reason, which the stateful resource turns into 503 with Retry-After. See
docs/store.md for why the engine, not the responder, does this.
"""

from __future__ import annotations

from typing import Any, Protocol

from statuskit.responder.state import MemoryStore, Op

SCHEMES = ("memory:", "sqlite:", "redis://", "rediss://")


class StoreError(Exception):
    """The store could not perform an operation (unreachable, too slow, locked): the reason, in one line."""


class Store(Protocol):
    name: str
    # Set when the operations can be performed at once, without I/O (the memory store).
    memory: MemoryStore | None

    async def run(self, ops: tuple[Op, ...]) -> tuple[Any, ...]:
        """The results of `ops`, performed in order; StoreError if the store fails or is slower than its timeout."""

    async def close(self) -> None: ...


class MemoryBackend:
    name = "memory"

    def __init__(self, memory: MemoryStore) -> None:
        self.memory: MemoryStore | None = memory

    async def run(self, ops: tuple[Op, ...]) -> tuple[Any, ...]:
        assert self.memory is not None
        return tuple(self.memory.perform(op) for op in ops)

    async def close(self) -> None:
        pass


def check_url(url: str) -> str:
    """`url` if it names a store this server can use; ValueError in one line otherwise."""
    if url == "auto":
        return url
    if not url.startswith(SCHEMES):
        raise ValueError(
            f"--store: {url[:80]!r} is not memory:, sqlite:PATH, redis://HOST:PORT/DB or rediss://... (or auto)"
        )
    if url.startswith("sqlite:") and not url.removeprefix("sqlite:"):
        raise ValueError("--store: sqlite: needs a file, as in sqlite:/var/tmp/statuskit.db")
    if url.startswith("redis"):
        _check_redis_url(url)
    return url


def _check_redis_url(url: str) -> None:
    """Everything redis-py would otherwise find wrong only at the first stateful request, and then with a traceback."""
    import os
    from urllib.parse import parse_qs, urlsplit

    from redis.asyncio.connection import ConnectionPool

    scheme, _, rest = url.partition("://")
    shown = f"{scheme}://{rest.split('?')[0].rsplit('@', 1)[-1]}"[:80]  # never a password
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises for a port that is not a number
    except ValueError as exc:
        raise ValueError(f"--store: {shown!r} is not a Redis URL ({exc})") from None
    if not parts.hostname:
        raise ValueError(f"--store: {shown!r} names no Redis host")
    database = parts.path.strip("/") or "0"
    if not database.isdigit():
        raise ValueError(f"--store: the Redis database is a number, not {database[:20]!r}")
    try:
        pool = ConnectionPool.from_url(url)
        pool.connection_class(**pool.connection_kwargs)  # takes the query's settings; connects nothing
    except (TypeError, ValueError) as exc:
        raise ValueError(f"--store: redis-py does not take the query of {shown!r} ({str(exc)[:120]})") from None
    for name, paths in parse_qs(parts.query).items():
        if name in ("ssl_ca_certs", "ssl_certfile", "ssl_keyfile") and not (
            os.path.isfile(paths[0]) and os.access(paths[0], os.R_OK)
        ):
            raise ValueError(f"--store: {name}={paths[0][:80]!r} is not a file this server can read")


def prepare(url: str) -> None:
    """Make a SQLite store's file and tables now, so that a path that cannot be used is one line at start-up.

    Redis is not asked: the server starts without it and connects when a
    stateful resource is first asked for (503 until Redis answers).
    """
    if url.startswith("sqlite:"):
        from statuskit.server.store.sqlite import create

        create(url.removeprefix("sqlite:"))


def open_store(url: str, *, prefix: str, timeout: float, memory: MemoryStore) -> Store:
    """The backend for `url` (checked by `check_url`; auto is memory: in one process); nothing is connected yet."""
    if url in ("memory:", "auto"):
        return MemoryBackend(memory)
    if url.startswith("sqlite:"):
        from statuskit.server.store.sqlite import SqliteStore

        return SqliteStore(url.removeprefix("sqlite:"), prefix=prefix, timeout=timeout, max_keys=memory.max_keys)
    from statuskit.server.store.redis import RedisStore

    return RedisStore(url, prefix=prefix, timeout=timeout)
