"""The sans-IO half of the test server: a parsed request in, a response plan out.

    from statuskit.responder import Request, Responder

    plan = Responder().respond(Request.build("GET", "/404"))
    plan.status, plan.headers, plan.body

No sockets, clocks or event loops here (see ARCHITECTURE.md): the engine in
`statuskit.server` gives a `Request` and executes the `Plan`.
"""

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Fault, FaultKind, Interim, Plan, Upstream, UpstreamError, UpstreamResponse
from statuskit.responder.request import Fields, Request
from statuskit.responder.respond import Responder
from statuskit.responder.route import Inputs, Route
from statuskit.responder.routes import Router

__all__ = [
    "Fault",
    "FaultKind",
    "Fields",
    "Inputs",
    "Interim",
    "Plan",
    "Request",
    "RequestError",
    "Responder",
    "ResponderConfig",
    "Route",
    "Router",
    "Upstream",
    "UpstreamError",
    "UpstreamResponse",
    "compose",
]
