"""The two memos of answered requests: serialized answers by parsed head, and whole answers by raw request bytes.

A plan that depends only on the request head (`Plan.reusable`) is serialized
once and kept by (method, target, version, header lines): a repeated request
is a dict look-up and a write, with the Date refreshed once a second
(`wire.Serialized`). When such a request came alone in one read, its exact
bytes are kept too (`replays`): the same bytes arriving again at a request
boundary are the same request, so they are answered without parsing them
again. Load testers and health checks send exactly that.

A request seen for the first time may still have an answer computed before:
when its route declares what its answers depend on (`Route.inputs`), a
reusable answer is also kept under those inputs alone (`by_inputs`), so that
`/404?n=1` and `/404?n=2` with different request ids are one entry. That is
what a client adding a request id or a cache-busting query sends.

When full, all stores are emptied together: simple, bounded, and refilled by the
requests that matter. They are bounded in entries and in bytes
(--max-cache-bytes): a client varying one field of a large answer (the
380 KB reference page) would otherwise hold gigabytes.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, Protocol

from statuskit.responder.wire import Serialized

CACHE_SIZE = 4096
REPLAY_SIZE = 1024
# A Serialized holds its content and up to two whole messages (keep-alive and close).
COPIES = 3
# Bytes of a status line and the fields the engine adds, about.
HEAD_SIZE = 512

# What an entry of `by_inputs` costs besides its answer: the key's path, parameters and fields, about.
INPUT_KEY_SIZE = 256

# Requests longer than this are not kept for replay.
REPLAY_LIMIT = 2048

# (method, target, version, field lines), as the HTTP/1.x engine parses them.
Key = tuple[bytes, bytes, str, tuple[tuple[bytes, bytes], ...]]


class Remembered(Protocol):
    """What an HTTP/2 answer kept by the memo needs to offer: its content's length, for the accounting."""

    length: int


class Replay:
    """A response to send again when the same request bytes arrive again, with what the log needs."""

    __slots__ = ("keep_alive", "method", "serialized", "target", "version")

    def __init__(self, serialized: Serialized, keep_alive: bool, method: str, target: str, version: str) -> None:
        self.serialized = serialized
        self.keep_alive = keep_alive
        self.method = method
        self.target = target
        self.version = version


class Memos:
    """Both stores, and what they hold together (about) against --max-cache-bytes."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.cache: dict[Key, Serialized] = {}
        self.replays: dict[bytes, Replay] = {}
        # HTTP/2 answers by (method, :path, "2", fields and :authority): h2conn.H2Message.
        self.h2_cache: dict[Key, Remembered] = {}
        # Answers by what their route says they depend on (`Responder.input_key`, which
        # holds the HTTP version): a Serialized for HTTP/1.x, an H2Message for HTTP/2.
        self.by_inputs: dict[Hashable, Any] = {}
        self.size = 0

    def remember(self, key: Key, serialized: Serialized) -> None:
        self._keep(self.cache, key, serialized)

    def remember_h2(self, key: Key, message: Remembered) -> None:
        self._keep(self.h2_cache, key, message)

    def remember_inputs(self, key: Hashable, answer: Remembered) -> None:
        cost = COPIES * (answer.length + HEAD_SIZE) + INPUT_KEY_SIZE
        if not self._fits(cost) or len(self.by_inputs) >= CACHE_SIZE:
            self.forget()
            if not self._fits(cost):
                return
        self.by_inputs[key] = answer
        self.size += cost

    def _keep(self, store: dict[Key, Any], key: Key, answer: Remembered) -> None:
        _, target, _, fields = key
        cost = (
            COPIES * (answer.length + HEAD_SIZE) + len(target) + sum(len(name) + len(value) for name, value in fields)
        )
        if not self._fits(cost) or len(store) >= CACHE_SIZE:
            self.forget()
            if not self._fits(cost):
                return
        store[key] = answer
        self.size += cost

    def remember_replay(self, data: bytes, replay: Replay) -> None:
        if len(self.replays) >= REPLAY_SIZE or not self._fits(len(data)):
            self.forget()
        if self._fits(len(data)):
            self.replays[data] = replay
            self.size += len(data)

    def _fits(self, cost: int) -> bool:
        return self.size + cost <= self.max_bytes

    def forget(self) -> None:
        """Empty every store together: a replay holds a response the cache may have dropped."""
        self.cache.clear()
        self.replays.clear()
        self.h2_cache.clear()
        self.by_inputs.clear()
        self.size = 0
