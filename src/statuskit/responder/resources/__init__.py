"""Resources where a status code arises from what the client sent (docs/resources-a.md).

    echo         /anything[/...], /get, /post, /put, /patch, /delete
    redirects    /redirect/{n}, /relative-redirect/{n}, /absolute-redirect/{n}, /redirect-to
    auth         /basic-auth, /hidden-basic-auth, /forbidden-auth, /proxy-auth, /bearer
    digest       /digest-auth/{qop}/{user}/{pass}[/{algorithm}]
    methods      /methods (GET and PUT only)
    negotiation  /negotiate
    items, jobs  /items, /jobs (state in the store, bounded)

and (docs/resources-b.md):

    conditional  /etag/{etag}, /cache[/{seconds}], /conditional-put[/{name}]
    byteranges   /range/{n}
    ratelimit    /ratelimit/{limit}/{window}, /unstable
    gateway      /gateway/{code}

and httpbin's other endpoints (docs/httpbin.md):

    inspect           /headers, /ip, /user-agent, /uuid
    cookies           /cookies, /cookies/set, /cookies/delete
    codings           /gzip, /deflate, /brotli
    documents         /html, /json, /xml, /robots.txt, /deny, /encoding/utf8, /forms/post, /image, /base64, /links
    streams           /bytes, /stream-bytes, /stream, /drip, /delay
    response_headers  /response-headers

`register` adds them to a router under their first path segment; each
declares its `endpoints`, so the index at `/` lists them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from statuskit.responder.config import ResponderConfig
from statuskit.responder.resources.auth import BasicAuthRoute, BearerRoute
from statuskit.responder.resources.byteranges import RangeRoute
from statuskit.responder.resources.codings import coding_routes
from statuskit.responder.resources.conditional import (
    CacheRoute,
    ConditionalPutRoute,
    EtagRoute,
)
from statuskit.responder.resources.cookies import CookiesRoute
from statuskit.responder.resources.digest import DigestRoute
from statuskit.responder.resources.documents import document_routes
from statuskit.responder.resources.echo import echo_routes
from statuskit.responder.resources.gateway import GatewayRoute
from statuskit.responder.resources.inspect import inspect_routes
from statuskit.responder.resources.items import ItemsRoute
from statuskit.responder.resources.jobs import JobsRoute
from statuskit.responder.resources.methods import MethodsRoute
from statuskit.responder.resources.negotiation import NegotiateRoute
from statuskit.responder.resources.ratelimit import RateLimitRoute, UnstableRoute
from statuskit.responder.resources.redirects import RedirectRoute, RedirectToRoute
from statuskit.responder.resources.response_headers import ResponseHeadersRoute
from statuskit.responder.resources.streams import generated_routes

if TYPE_CHECKING:
    from statuskit.responder.routes import Router


def register(router: Router, config: ResponderConfig) -> None:
    """Add every resource of this package to `router`."""
    for name, echo in echo_routes(config).items():
        router.add(name, echo)
    router.add("redirect", RedirectRoute(config, "redirect", None))
    router.add("relative-redirect", RedirectRoute(config, "relative-redirect", False))
    router.add("absolute-redirect", RedirectRoute(config, "absolute-redirect", True))
    router.add("redirect-to", RedirectToRoute(config))
    for kind in ("basic-auth", "hidden-basic-auth", "forbidden-auth", "proxy-auth"):
        router.add(kind, BasicAuthRoute(kind))
    router.add("bearer", BearerRoute())
    router.add("digest-auth", DigestRoute(config))
    router.add("methods", MethodsRoute(config))
    router.add("negotiate", NegotiateRoute(config))
    router.add("items", ItemsRoute(config))
    router.add("jobs", JobsRoute(config))
    router.add("etag", EtagRoute())
    router.add("cache", CacheRoute())
    router.add("conditional-put", ConditionalPutRoute(config))
    router.add("range", RangeRoute(config))
    router.add("ratelimit", RateLimitRoute())
    router.add("unstable", UnstableRoute(config.make_rng()))
    router.add("gateway", GatewayRoute(config))
    rng = config.make_rng()
    named = {**inspect_routes(rng), **coding_routes(), **document_routes(config), **generated_routes(config, rng)}
    for name, route in named.items():
        router.add(name, route)
    router.add("cookies", CookiesRoute(config))
    router.add("response-headers", ResponseHeadersRoute(config))


__all__ = ["register"]
