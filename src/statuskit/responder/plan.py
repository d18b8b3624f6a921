"""What the engine is to send: a `Plan`, immutable and complete.

The responder decides everything about a response (interim responses, waits,
status, fields, content, faults, whether the connection ends); the engine only
executes, frames and times it. Framing fields are not in `headers`: the engine
writes `Content-Length` from `content_length` and `Connection` from `close`,
so no plan can frame a message wrongly.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from statuskit.responder.request import Fields


@dataclass(frozen=True, slots=True, kw_only=True)
class Interim:
    """A 1xx response sent before the final one, after waiting `delay` seconds."""

    status: int
    reason: str
    headers: Fields = ()
    delay: float = 0.0


class FaultKind(enum.StrEnum):
    """Ways to break a response on purpose, in the order the response would have gone out."""

    DROP = "drop"  # close before the status line
    DROP_AFTER_HEADERS = "drop-after-headers"  # the head, then close
    DROP_MID_BODY = "drop-mid-body"  # the head and half the content, then close
    DRIBBLE = "dribble"  # the content a few bytes at a time over `duration`
    STALL = "stall"  # the head, then nothing for `duration`, then close


@dataclass(frozen=True, slots=True, kw_only=True)
class Fault:
    kind: FaultKind
    duration: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A response to execute.

    Order on the wire: each of `interims` (after its own delay); then `delay`
    seconds, with `heartbeat` repeated every `heartbeat_every` seconds while
    waiting; then the final response, or `fault` instead of it. `upgrade`
    names the protocol to switch to after a 101 ("websocket").

    `content_length` is the value of the Content-Length field, or None for
    no field (RFC 9110 §8.6: none on 1xx and 204). `reusable` promises that
    the plan depends on nothing but the request's method, target, version and
    header fields (no randomness, clock, address or content), so the engine
    may send the same bytes again for an identical request.
    """

    status: int
    reason: str
    headers: Fields = ()
    body: bytes = b""
    content_length: int | None = None
    interims: tuple[Interim, ...] = ()
    delay: float = 0.0
    heartbeat: Interim | None = None
    heartbeat_every: float = 1.0
    fault: Fault | None = None
    close: bool = False
    upgrade: str = ""
    reusable: bool = False

    @property
    def simple(self) -> bool:
        """True when the response is one write: no interim, wait, fault or upgrade."""
        return not (self.interims or self.delay or self.fault or self.upgrade)

    def header(self, name: str) -> str | None:
        """The first value of field `name` (case-insensitive), None if absent."""
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return None
