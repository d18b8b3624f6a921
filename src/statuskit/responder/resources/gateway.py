"""`/gateway/{code}`: statuskit as a gateway to a misbehaving upstream, which is itself.

    /gateway/200            the upstream (GET /200 on this server) is fine: its answer passes through
    /gateway/404            any code passes through the same way (the request's fields are forwarded)
    /gateway/502            the upstream sends bytes that are no HTTP response: 502 (RFC 9110 §15.6.3)
    /gateway/504            the upstream takes longer than the gateway waits: 504 (§15.6.5)
    ?upstream=garbage|drop|drop-after-headers|drop-mid-body   how the upstream misbehaves (502)
    ?timeout=MS             how long the gateway waits (default 5000; 1000 for /gateway/504)
    ?sleep=MS               how long the upstream waits before answering

The 502 and 504 are real: the engine makes the upstream request over a
socket (`Plan.upstream`), reads what comes back with a response parser and a
deadline, and this route turns the outcome into the answer
(`after_upstream`). The upstream is always this server at its own address;
the caller chooses a code and a behaviour, never a host (no SSRF).
"""

from __future__ import annotations

from statuskit.registry import lookup
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan, Upstream, UpstreamError, UpstreamResponse
from statuskit.responder.request import Fields, Request
from statuskit.responder.resources.base import (
    GET_ONLY,
    Resource,
    choice,
    milliseconds,
    not_found,
    query,
    whole_number,
)
from statuskit.responder.urlapi import Params, parse_spec

# How long the gateway waits for the upstream unless ?timeout= says (ms):
# httpx's default timeout is 5 s.
DEFAULT_TIMEOUT_MS = 5000
# /gateway/504: the gateway gives up after a second, the upstream answers after two.
TIMEOUT_504_MS = 1000

UPSTREAM_FAULTS = ("garbage", "drop", "drop-after-headers", "drop-mid-body")

# RFC 9110 §7.6.1: fields that concern one connection only, never forwarded;
# and those the engine or `compose` write themselves (framing, Date, Server, CORS).
HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade"}
)
_NOT_FORWARDED = HOP_BY_HOP | {"host", "content-length", "expect", "via"}
_NOT_PASSED_BACK = HOP_BY_HOP | {"content-length", "content-type", "date", "server", "via"}

# RFC 9110 §7.6.3: "An HTTP-to-HTTP gateway MUST send an appropriate Via header
# field in each inbound request message and MAY send a Via header field in
# forwarded response messages." The pseudonym also tells a loop.
PSEUDONYM = "statuskit"


def _via(request: Request) -> str:
    return f"{request.http_version} {PSEUDONYM}"


def _listed(value: str | None) -> set[str]:
    return {token.strip().lower() for token in (value or "").split(",") if token.strip()}


class GatewayRoute(Resource):
    endpoints = (
        (
            "/gateway/{code}",
            "a gateway to this server: /{code} passes through; 502 from an upstream sending garbage, 504 from a slow "
            "one",
        ),
    )
    methods = GET_ONLY

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) > 1:
            return not_found(request, f"nothing at {request.path[:100]}: ask for /gateway/{{code}}")
        if not rest or not rest[0]:
            raise RequestError(detail="no status code in the path: ask for /gateway/200, /gateway/502 or /gateway/504")
        spec = parse_spec(rest[0])
        if not spec.single:
            raise RequestError(detail="/gateway/ takes one status code")
        code = spec.codes[0]
        self.methods.check(request)
        if any(hop.endswith(f" {PSEUDONYM}") for hop in _listed(request.header("via"))):
            # RFC 9110 §7.6.3: Via lets a gateway "avoid request loops".
            return compose(request, 508, detail="this request came through statuskit's gateway already (Via)")
        found = query(request, ("timeout", "sleep", "upstream"))
        max_ms = self.config.max_sleep_ms
        default_timeout = TIMEOUT_504_MS if code == 504 else DEFAULT_TIMEOUT_MS
        timeout_ms = (
            whole_number("timeout", found["timeout"], 1, max(1, max_ms))
            if "timeout" in found
            # /gateway/504 leaves the upstream room to be slower within --max-sleep.
            else min(default_timeout, max(1, max_ms // 2 if code == 504 else max_ms))
        )
        upstream_query: list[str] = []
        if "sleep" in found:
            sleep_ms = round(milliseconds("sleep", found["sleep"], max_ms) * 1000)
            upstream_query.append(f"sleep={sleep_ms}")
        elif code == 504:
            sleep_ms = min(max_ms, timeout_ms * 2)
            if sleep_ms <= timeout_ms:
                raise RequestError(
                    detail=f"/gateway/504 needs an upstream slower than the gateway's timeout ({timeout_ms} ms), "
                    f"and --max-sleep is {max_ms} ms: ask with a smaller ?timeout="
                )
            upstream_query.append(f"sleep={sleep_ms}")
        fault = found.get("upstream", "garbage" if code == 502 else "")
        if fault:
            upstream_query.append("fault=" + choice("upstream", fault, UPSTREAM_FAULTS))
        # 502 and 504 come from what the upstream does; what it answers is a 200.
        upstream_code = 200 if code in (502, 504) else code
        target = f"/{upstream_code}" + (f"?{'&'.join(upstream_query)}" if upstream_query else "")
        status = lookup(502)
        return Plan(
            status=int(status),
            reason=status.reason,
            upstream=Upstream(
                target=target,
                headers=(*self._forwarded(request), ("Via", self._inbound_via(request))),
                timeout=timeout_ms / 1000.0,
                max_bytes=self.config.max_upstream_bytes,
            ),
        )

    def _inbound_via(self, request: Request) -> str:
        # §7.6.3: each intermediary appends its own entry to the Via it received.
        earlier = request.header("via")
        return f"{earlier}, {_via(request)}" if earlier else _via(request)

    def _forwarded(self, request: Request) -> Fields:
        # The client's end-to-end fields go on (If-None-Match to /gateway/304,
        # X-Statuskit-Response-* ...); §7.6.1: not the connection's own ones.
        dropped = _NOT_FORWARDED | _listed(request.header("connection"))
        return tuple((name, value) for name, value in request.headers if name not in dropped)

    def after_upstream(self, request: Request, rest: tuple[str, ...], outcome: UpstreamResponse) -> Plan:
        via = (("Via", _via(request)),)
        if outcome.error is UpstreamError.TIMEOUT:
            # RFC 9110 §15.6.5: "did not receive a timely response from an upstream server".
            return compose(request, 504, fields=via, detail=f"the upstream (this server) {outcome.detail}")
        if outcome.error is not None:
            # §15.6.3: "received an invalid response from an inbound server".
            return compose(request, 502, fields=via, detail=f"the upstream (this server) {outcome.detail}")
        connection = ", ".join(value for name, value in outcome.headers if name.lower() == "connection")
        dropped = _NOT_PASSED_BACK | _listed(connection)
        passed = tuple(
            (name, value)
            for name, value in outcome.headers
            if name.lower() not in dropped and not name.lower().startswith("access-control-")
        )
        content_type = next((value for name, value in outcome.headers if name.lower() == "content-type"), "")
        status = lookup(outcome.status)
        reason = outcome.reason if outcome.reason != status.reason and _printable(outcome.reason) else None
        return compose(
            request,
            outcome.status,
            params=Params(phrase=reason),
            content=(outcome.body, content_type),
            fields=(*passed, *via),
        )


def _printable(text: str) -> bool:
    return 0 < len(text) <= 128 and all(" " <= ch <= "~" or ch == "\t" for ch in text)
