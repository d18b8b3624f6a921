"""`Responder`: requests in, plans out, and nothing else (no I/O, no clock, no globals).

The engine calls, per request:

    wants_body(request)   from the head alone, when the client waits for 100 (Continue)
    respond(request)      the plan for the complete request
    after_upstream(request, outcome)  the plan once the upstream request a plan asked
                          for (`Plan.upstream`) was made: the gateway's answer
    after_store(request, step, results)  the plan once the store operations a plan
                          asked for (`Plan.store`) were performed
    unavailable(request, reason)  the 503 when the store could not perform them
    error(status, detail) the plan for a protocol-level refusal (400, 408, 413, 414,
                          431, 501, 505, 417, 503), so that every error body has the
                          same shape as the URL API's

Bad input never escapes as an exception: `RequestError` becomes its 4xx plan here.

`answer(request)` is `respond` with its store steps performed at once on the
responder's own memory store (`memory`): the whole answer without an engine,
and what the engine does itself with `--store memory:`.
"""

from __future__ import annotations

from statuskit import semantics
from statuskit.responder import cors
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan, UpstreamResponse
from statuskit.responder.request import Request
from statuskit.responder.route import InputKey
from statuskit.responder.routes import Router, default_router
from statuskit.responder.state import MAX_STEPS, MemoryStore, StoreStep

# Methods whose answers may be kept by their inputs: the implemented ones (the
# others are refused before routing, on the method alone).
_KEYED_METHODS = frozenset(semantics.ORIGIN_METHODS)

# What `error` answers about when the engine could not parse a request.
_UNPARSED = Request(method="GET", target="/", path="/")


class Responder:
    def __init__(self, config: ResponderConfig | None = None) -> None:
        self.config = config if config is not None else ResponderConfig()
        self.rng = self.config.make_rng()
        self.router: Router = default_router(self.config, self.rng, self.respond)
        self.memory = MemoryStore(self.config.max_state_entries)

    def respond(self, request: Request) -> Plan:
        try:
            if request.protocol:
                return self._extended_connect(request)
            if not semantics.is_implemented_method(request.method):
                # RFC 9110 §9.1: an unrecognised or unimplemented method SHOULD get 501.
                raise RequestError(
                    detail=f"{request.method[:40]} is not a method this server implements (RFC 9110 §9.1)", status=501
                )
            if cors.is_preflight(request):
                return cors.preflight(request)
            if request.path == "*":
                return self._server_options(request)
            if not request.path.startswith("/"):
                raise RequestError(detail="the request target must be an absolute path such as /404")
            route, rest = self.router.resolve(request.path)
            return route.respond(request, rest)
        except RequestError as exc:
            return self.error(exc.status, exc.detail, request, reusable=True)

    def _extended_connect(self, request: Request) -> Plan:
        # RFC 8441 §4: CONNECT with :protocol asks for a tunnel speaking that protocol on an HTTP/2 stream;
        # the only one here is the WebSocket echo of /101 (the engine has checked the pseudo-header fields).
        if request.protocol != "websocket":
            shown = request.protocol[:40]
            raise RequestError(detail=f"extended CONNECT for {shown!r}: this server tunnels only websocket (RFC 8441)")
        if not request.path.startswith("/"):
            raise RequestError(detail="the request target must be an absolute path such as /101")
        route, rest = self.router.resolve(request.path)
        plan = route.respond(request, rest)
        if plan.upgrade != "websocket":
            shown = request.path[:60]
            raise RequestError(detail=f"{shown} is no WebSocket: extended CONNECT opens the WebSocket echo on /101")
        return plan

    def input_key(self, request: Request) -> InputKey | None:
        """What the answer to `request` depends on, when its route declares it (`Route.inputs`); else None.

        Two requests with the same key get the same plan, so the engine may
        answer the second with the first's bytes when that plan was reusable.
        The refusals `respond` makes before routing depend on more, so they get None.
        """
        if request.method not in _KEYED_METHODS or not request.path.startswith("/") or cors.is_preflight(request):
            return None
        route, _ = self.router.resolve(request.path)
        inputs = route.inputs
        return inputs.key(route, request) if inputs is not None else None

    def after_upstream(self, request: Request, outcome: UpstreamResponse) -> Plan:
        """The answer to `request` once its plan's upstream request gave `outcome`.

        The route that asked answers; a plan that asks for a second upstream
        request is refused here (one hop per response, so no loop).
        """
        try:
            route, rest = self.router.resolve(request.path)
            plan = route.after_upstream(request, rest, outcome)
        except RequestError as exc:
            return self.error(exc.status, exc.detail, request)
        if plan.upstream is not None:
            raise ValueError(f"{request.line}: a plan after an upstream request asked for another one")
        return plan

    def after_store(self, request: Request, step: StoreStep, results: tuple[object, ...]) -> Plan:
        """The plan the store step gives for its results (maybe with another step)."""
        try:
            return step.then(results)
        except RequestError as exc:
            return self.error(exc.status, exc.detail, request)

    def unavailable(self, request: Request, reason: str, retry_after: int = 1) -> Plan:
        """503 for a stateful resource whose store failed or was too slow (RFC 9110 §15.6.4)."""
        return compose(
            request,
            503,
            fields=(("Retry-After", str(max(1, retry_after))), ("Cache-Control", "no-store")),
            detail=f"the state store is unavailable: {reason}",
        )

    def answer(self, request: Request) -> Plan:
        """`respond`, with the store steps performed on `memory` at once."""
        return self.settle(request, self.respond(request), self.memory)

    def settle(self, request: Request, plan: Plan, store: MemoryStore) -> Plan:
        """`plan` once its store steps are performed on `store` (no I/O: a memory store)."""
        for _ in range(MAX_STEPS):
            if plan.store is None:
                return plan
            plan = self.after_store(request, plan.store, tuple(store.perform(op) for op in plan.store.ops))
        return plan if plan.store is None else self.too_many_steps(request)

    def too_many_steps(self, request: Request) -> Plan:
        return self.unavailable(request, f"the state changed under this request {MAX_STEPS} times in a row")

    def wants_body(self, request: Request) -> bool:
        if not semantics.is_implemented_method(request.method) or cors.is_preflight(request):
            return False
        if not request.path.startswith("/"):
            return False
        route, rest = self.router.resolve(request.path)
        try:
            return route.wants_body(request, rest)
        except RequestError:
            return False

    def error(self, status: int, detail: str, request: Request | None = None, *, reusable: bool = False) -> Plan:
        """The plan for refusing `request` with `status`, explaining `detail` in one line."""
        return compose(request if request is not None else _UNPARSED, status, detail=detail, reusable=reusable)

    def _server_options(self, request: Request) -> Plan:
        # RFC 9110 §9.3.7: "OPTIONS *" asks about the server rather than a resource.
        if request.method != "OPTIONS":
            raise RequestError(detail="the asterisk target '*' is only for OPTIONS (RFC 9110 §9.3.7)")
        allow = ", ".join(sorted(semantics.ORIGIN_METHODS))
        return compose(request, 204, fields=(("Allow", allow),), reusable=True)
