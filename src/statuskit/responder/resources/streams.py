"""Generated content, streams and waits, under httpbin's names.

    /bytes/{n}            n random octets (?seed=N for the same ones every time)
    /stream-bytes/{n}     the same, chunked (?chunk_size=, default 10240; ?seed=)
    /stream/{n}           n lines of JSON, one chunk each, each the echo of the request with its "id"
    /drip                 numbytes "*" spread over duration seconds, after delay seconds, with status code
    /delay/{n}            the echo of the request after n seconds

Chunked answers go to HTTP/1.1 clients only (RFC 9112 §7.1); an HTTP/1.0
client gets the same content with Content-Length. Every size is bounded by
--max-range-bytes (the largest content the server generates) and every wait
by --max-sleep, and a larger request is refused with 400 naming the limit.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from typing import ClassVar

from statuskit import semantics
from statuskit.registry import MAX_CODE
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.plan import Fault, FaultKind, Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import (
    GET_ONLY,
    Methods,
    Resource,
    json_content,
    query,
    whole_number,
)
from statuskit.responder.resources.echo import echo_document, query_args, request_url
from statuskit.responder.resources.inspect import NO_STORE, header_object, origin_of

OCTETS = "application/octet-stream"
DEFAULT_CHUNK = 10 * 1024

# A number of seconds: digits with an optional fraction (httpbin takes /delay/1.5).
_SECONDS = re.compile(r"[0-9]{1,9}(\.[0-9]{0,6})?|\.[0-9]{1,6}")


def seconds(name: str, text: str, max_ms: int) -> float:
    """A wait in seconds, at most --max-sleep; RequestError names the parameter otherwise."""
    stripped = text.strip()
    if not _SECONDS.fullmatch(stripped):
        raise RequestError(detail=f"{name}: {shown(stripped)} is not a number of seconds such as 2 or 0.5")
    value = float(stripped)
    if value * 1000 > max_ms:
        raise RequestError(detail=f"{name}: {stripped} s is over the server's limit of {max_ms} ms (--max-sleep)")
    return value


def _only_segment(rest: tuple[str, ...], usage: str) -> str:
    if len(rest) != 1 or not rest[0]:
        raise RequestError(detail=f"ask for {usage}")
    return rest[0]


class GeneratedRoute(Resource):
    """One of the resources of the module docstring, by `name`."""

    DESCRIPTIONS: ClassVar[dict[str, tuple[str, str]]] = {
        "bytes": ("/bytes/{n}", "n random octets; ?seed=N gives the same ones every time"),
        "stream-bytes": ("/stream-bytes/{n}", "n random octets, chunked (?chunk_size=, default 10240; ?seed=)"),
        "stream": ("/stream/{n}", "n lines of JSON, one chunk each: the echo of the request with an id"),
        "drip": (
            "/drip",
            "?numbytes= (10) octets spread over ?duration= (2) s after ?delay= (0) s, status ?code= (200)",
        ),
        "delay": ("/delay/{n}", "the echo of the request after n seconds (at most --max-sleep)"),
    }

    def __init__(self, config: ResponderConfig, name: str, rng: random.Random) -> None:
        self.config = config
        self.name = name
        self.rng = rng
        self.endpoints = (self.DESCRIPTIONS[name],)
        self.methods = (
            Methods(tuple(sorted(semantics.ORIGIN_METHODS - {"CONNECT", "TRACE"}))) if name == "delay" else GET_ONLY
        )

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        self.methods.check(request)
        if self.name == "bytes":
            return self._bytes(request, rest, chunked=False)
        if self.name == "stream-bytes":
            return self._bytes(request, rest, chunked=True)
        if self.name == "stream":
            return self._stream(request, rest)
        if self.name == "drip":
            return self._drip(request, rest)
        return self._delay(request, rest)

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return self.name == "delay"

    def _random(self, seed: str | None) -> random.Random:
        if seed is None:
            return self.rng
        return random.Random(whole_number("seed", seed, 0, 10**12 - 1))

    def _bytes(self, request: Request, rest: tuple[str, ...], *, chunked: bool) -> Plan:
        count = whole_number("n", _only_segment(rest, f"/{self.name}/N"), 0, self.config.max_range_bytes)
        params = query(request, ("seed", "chunk_size") if chunked else ("seed",))
        data = self._random(params.get("seed")).randbytes(count)
        seeded = "seed" in params
        # Without a seed every answer differs: no cache may store one and serve it again.
        plan = compose(request, 200, content=(data, OCTETS), fields=() if seeded else NO_STORE, reusable=seeded)
        if not chunked:
            return plan
        size = (
            whole_number("chunk_size", params["chunk_size"], 1, self.config.max_range_bytes)
            if "chunk_size" in params
            else DEFAULT_CHUNK
        )
        return replace(
            plan, chunks=tuple(data[start : start + size] for start in range(0, count, size)), reusable=False
        )

    def _stream(self, request: Request, rest: tuple[str, ...]) -> Plan:
        count = whole_number("n", _only_segment(rest, "/stream/N"), 0, self.config.max_range_bytes)
        base = {
            "url": request_url(request),
            "args": query_args(request.query),
            "headers": header_object(request),
            "origin": origin_of(request),
        }
        first = json.dumps({**base, "id": 0}).encode("utf-8") + b"\n"
        if count * len(first) > self.config.max_range_bytes:
            raise RequestError(
                detail=f"n: {count} lines of {len(first)} bytes are over the server's limit of "
                f"{self.config.max_range_bytes} bytes (--max-range-bytes)"
            )
        lines = tuple(json.dumps({**base, "id": n}).encode("utf-8") + b"\n" for n in range(count))
        plan = compose(request, 200, content=(b"".join(lines), "application/json"), fields=NO_STORE)
        return replace(plan, chunks=lines)

    def _drip(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            raise RequestError(detail="/drip has nothing below it; give ?numbytes=&duration=&delay=&code=")
        params = query(request, ("numbytes", "duration", "delay", "code"))
        limit = self.config.max_sleep_ms
        count = whole_number("numbytes", params.get("numbytes", "10"), 0, self.config.max_range_bytes)
        duration = seconds("duration", params.get("duration", "2"), limit)
        delay = seconds("delay", params.get("delay", "0"), limit)
        if (duration + delay) * 1000 > limit:
            raise RequestError(detail=f"duration + delay is over the server's limit of {limit} ms (--max-sleep)")
        code = whole_number("code", params.get("code", "200"), 200, MAX_CODE)
        plan = compose(
            request, code, content=(b"*" * count, OCTETS), fault=Fault(kind=FaultKind.DRIBBLE, duration=duration)
        )
        return replace(plan, delay=delay)

    def _delay(self, request: Request, rest: tuple[str, ...]) -> Plan:
        wait = seconds("n", _only_segment(rest, "/delay/SECONDS, such as /delay/2"), self.config.max_sleep_ms)
        document = echo_document(request, self.config.max_body)
        plan = compose(request, 200, content=json_content(document), fields=NO_STORE)
        return replace(plan, delay=wait)


def generated_routes(config: ResponderConfig, rng: random.Random) -> dict[str, GeneratedRoute]:
    return {name: GeneratedRoute(config, name, rng) for name in GeneratedRoute.DESCRIPTIONS}
