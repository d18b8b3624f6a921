"""What the engine is to send: a `Plan`, immutable and complete.

The responder decides everything about a response (interim responses, waits,
status, fields, content, faults, whether the connection ends); the engine only
executes, frames and times it. Framing fields are not in `headers`: the engine
writes `Content-Length` from `content_length` and `Connection` from `close`,
so no plan can frame a message wrongly.

One plan is a question rather than an answer: a plan with `upstream` asks
the engine to make that HTTP request to this same server first and to play
`Responder.after_upstream(request, outcome)` instead (the gateway of
/gateway/{code}). The responder stays sans-IO; the engine does the I/O.
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
    GARBAGE = "garbage"  # bytes that are no HTTP response instead of the head, then close


@dataclass(frozen=True, slots=True, kw_only=True)
class Fault:
    kind: FaultKind
    duration: float = 0.0


# What a GARBAGE fault sends instead of a status line: no HTTP/1.x response starts so.
GARBAGE = b"STATUSKIT GARBAGE: this is not an HTTP response\r\n\x00\x01\x02\r\n\r\n"


@dataclass(frozen=True, slots=True, kw_only=True)
class Upstream:
    """One HTTP/1.1 GET the engine makes to this very server before answering.

    Only a target is given, never a host: the engine connects to its own
    listening address, so no request can make the server reach anywhere
    else (no SSRF). `headers` are sent as given (the engine adds Host and
    `Connection: close`); `timeout` bounds the whole exchange, `max_bytes`
    what is read of the response.
    """

    target: str
    headers: Fields = ()
    timeout: float = 5.0
    max_bytes: int = 1024 * 1024

    def __post_init__(self) -> None:
        if (
            not self.target.startswith("/")
            or self.target.startswith("//")
            or any(ch in self.target for ch in " \r\n\t")
        ):
            raise ValueError(f"Upstream.target must be an origin-form target such as /200, not {self.target!r}")
        for name, value in self.headers:
            if any(ch in name + value for ch in "\r\n\x00") or not name or ":" in name:
                raise ValueError(f"Upstream.headers: {name!r} cannot be sent as a field")
        if not self.timeout > 0 or self.max_bytes < 1:
            raise ValueError("Upstream.timeout must be more than 0 and max_bytes at least 1")


class UpstreamError(enum.StrEnum):
    """Why an upstream request gave no usable response."""

    TIMEOUT = "timeout"  # no complete response within the timeout (a gateway answers 504)
    INVALID = "invalid"  # bytes that are not a valid HTTP/1.1 response (502)
    INCOMPLETE = "incomplete"  # the connection closed before the response was complete (502)
    TOO_LARGE = "too-large"  # more than max_bytes (502)
    UNREACHABLE = "unreachable"  # the connection could not be made (502)


@dataclass(frozen=True, slots=True, kw_only=True)
class UpstreamResponse:
    """What an upstream request gave: a final response, or an `error` and its `detail`."""

    status: int = 0
    reason: str = ""
    headers: Fields = ()
    body: bytes = b""
    error: UpstreamError | None = None
    detail: str = ""
    received: int = 0  # bytes read from the upstream connection


@dataclass(frozen=True, slots=True, kw_only=True)
class Plan:
    """A response to execute.

    Order on the wire: each of `interims` (after its own delay); then `delay`
    seconds, with `heartbeat` repeated every `heartbeat_every` seconds while
    waiting; then the final response, or `fault` instead of it. `upgrade`
    names the protocol to switch to after a 101 ("websocket"). With
    `upstream`, the engine first makes that request and plays the plan
    `Responder.after_upstream` gives for its outcome instead of this one.

    `content_length` is the value of the Content-Length field, or None for
    no field (RFC 9110 §8.6: none on 1xx and 204). `chunks`, when given,
    sends the content (which is their concatenation) with Transfer-Encoding:
    chunked, one chunk each (RFC 9112 §7.1), to an HTTP/1.1 client; an
    HTTP/1.0 client, which cannot read chunked, gets Content-Length instead.
    `reusable` promises that
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
    upstream: Upstream | None = None
    chunks: tuple[bytes, ...] | None = None

    @property
    def simple(self) -> bool:
        """True when the response is one write: no interim, wait, fault or upgrade."""
        return not (self.interims or self.delay or self.fault or self.upgrade or self.upstream)

    def header(self, name: str) -> str | None:
        """The first value of field `name` (case-insensitive), None if absent."""
        lower = name.lower()
        for key, value in self.headers:
            if key.lower() == lower:
                return value
        return None
