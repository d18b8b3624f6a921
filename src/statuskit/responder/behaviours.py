"""The codes that do more than carry fields, as a table from code to behaviour.

    every 1xx  an interim response on the wire, then the final one (200, or ?then=);
               never to an HTTP/1.0 client (RFC 9110 §15.2), which gets the final one only
    102        repeated every second while the final response waits for ?sleep=
    101        a real switch to a WebSocket echo when the request asks for it (§7.8),
               otherwise 426 with Upgrade (§15.5.22); on HTTP/2 an extended CONNECT
               (RFC 8441) gets 200 and the same echo on its stream
    206        a real byte range of the deterministic body, the one the Range field asks for
    408        closes the connection after the response, as a server giving up on a request does
    444        nginx's "close the connection without a response"

Everything else is `final`: the negotiated document and the fields of `codes`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from statuskit import semantics
from statuskit.registry import lookup
from statuskit.responder.codes import FieldContext, rule_fields
from statuskit.responder.compose import compose
from statuskit.responder.plan import Fault, FaultKind, Interim, Plan
from statuskit.responder.ranges import RANGE_LENGTH, deterministic_bytes, parse_range
from statuskit.responder.request import Fields, Request
from statuskit.responder.urlapi import Params

# Without a Range field, /206 sends the first half of the representation.
DEFAULT_PART = (0, RANGE_LENGTH // 2 - 1)


@dataclass(frozen=True, slots=True)
class Ask:
    """A validated request for one code."""

    request: Request
    code: int
    params: Params
    caller: Fields
    reusable: bool
    heartbeat_every: float


Behaviour = Callable[[Ask], Plan]


def final(ask: Ask) -> Plan:
    return compose(ask.request, ask.code, params=ask.params, caller=ask.caller, reusable=ask.reusable)


def _interim_plan(ask: Ask, *, repeat: bool) -> Plan:
    request = ask.request
    status = lookup(ask.code)
    # ?phrase= names the reason of the code asked for (the interim one); the final one keeps its own.
    final_params = replace(ask.params, phrase=None, then=None)
    final_code = ask.params.then or 200
    if not semantics.may_be_sent_to(status, request.http_version):
        # RFC 9110 §15.2: "a server MUST NOT send a 1xx response to an HTTP/1.0 client."
        return compose(request, final_code, params=final_params, caller=ask.caller, reusable=ask.reusable)
    reason = ask.params.phrase if ask.params.phrase is not None else status.reason
    context = FieldContext(request=request, status=status, params=ask.params, vary="")
    interim = Interim(status=ask.code, reason=reason, headers=tuple(rule_fields(context, set())))
    return compose(
        request,
        final_code,
        params=final_params,
        caller=ask.caller,
        interims=(interim,),
        heartbeat=interim if repeat else None,
        heartbeat_every=ask.heartbeat_every,
        reusable=ask.reusable,
    )


def interim(ask: Ask) -> Plan:
    return _interim_plan(ask, repeat=False)


def processing(ask: Ask) -> Plan:
    return _interim_plan(ask, repeat=True)


def _asks_for_websocket(request: Request) -> bool:
    # On HTTP/2, an extended CONNECT with :protocol websocket (RFC 8441 §4-5).
    if request.protocol:
        return request.protocol == "websocket" and request.method == "CONNECT"
    # §7.8: the client lists protocols in Upgrade and the "upgrade" option in
    # Connection; "A server that receives an Upgrade header field in an
    # HTTP/1.0 request MUST ignore that Upgrade field."
    if request.http_version != "1.1" or request.method != "GET":
        return False
    upgrade = {token.strip().lower() for token in (request.header("upgrade") or "").split(",")}
    connection = {token.strip().lower() for token in (request.header("connection") or "").split(",")}
    return "websocket" in upgrade and "upgrade" in connection


def switching_protocols(ask: Ask) -> Plan:
    request = ask.request
    if not _asks_for_websocket(request):
        return compose(
            request,
            426,
            params=replace(ask.params, phrase=None),
            caller=ask.caller,
            detail="/101 switches to a WebSocket echo: send GET with 'Upgrade: websocket' and 'Connection: Upgrade'",
            reusable=ask.reusable,
        )
    if request.protocol:
        # RFC 8441 §5: on HTTP/2 the WebSocket opens with a 2xx (there is no 101, RFC 9113 §8.6), without the
        # fields of an Upgrade; the engine's WebSocket library checks the version the request asks for.
        return Plan(status=200, reason="OK", delay=ask.params.sleep, upgrade="websocket")
    status = lookup(101)
    context = FieldContext(request=request, status=status, params=ask.params, vary="")
    reason = ask.params.phrase if ask.params.phrase is not None else status.reason
    # The WebSocket handshake fields (Sec-WebSocket-Accept) are computed by
    # the engine's WebSocket library, which also checks the request's.
    return Plan(
        status=101,
        reason=reason,
        headers=tuple(rule_fields(context, set())),
        delay=ask.params.sleep,
        upgrade="websocket",
    )


def partial_content(ask: Ask) -> Plan:
    request = ask.request
    # §14.2: "GET is the only method for which range handling is defined" (HEAD mirrors GET, §9.3.2).
    method = "GET" if request.method == "HEAD" else request.method
    ranges = parse_range(request.header("range"), RANGE_LENGTH) if semantics.answers_range(method) else None
    # A single part only: the first range asked for (a server may serve
    # fewer ranges than asked, §14.2); an absent, invalid or unsatisfiable
    # Range still gets the 206 the URL asks for, with the default part.
    first, last = ranges[0] if ranges else DEFAULT_PART
    body = deterministic_bytes(last - first + 1, first)
    return compose(
        request,
        206,
        params=ask.params,
        caller=ask.caller,
        content=(body, "application/octet-stream"),
        fields=(("Accept-Ranges", "bytes"),),
        part=(first, last),
        reusable=ask.reusable,
    )


def request_timeout(ask: Ask) -> Plan:
    # §15.5.9: after a 408 "a new connection will be used", so close this one.
    return compose(ask.request, 408, params=ask.params, caller=ask.caller, close=True, reusable=ask.reusable)


def no_response(ask: Ask) -> Plan:
    status = lookup(444)
    return Plan(
        status=444,
        reason=status.reason,
        delay=ask.params.sleep,
        fault=Fault(kind=FaultKind.DROP),
        close=True,
        reusable=ask.reusable,
    )


BEHAVIOURS: dict[int, Behaviour] = {
    101: switching_protocols,
    102: processing,
    206: partial_content,
    408: request_timeout,
    444: no_response,
}


def behaviour_for(code: int) -> Behaviour:
    found = BEHAVIOURS.get(code)
    if found is not None:
        return found
    return interim if semantics.is_interim(code) else final
