"""The resources of the server, found by the first segment of the path.

    /                      the index: what the server offers (text, JSON or the HTML reference page)
    /{code}[/...]          the URL API (urlapi.py), also as /status/{code} and /random/{codes}
    /docs/{code}           the HTML page explaining a code
    /static/{file}         the page's assets
    /_statuskit/exchange/{path}   the bytes the server writes for GET /{path}

A new resource is a `Route` subclass registered under its first segment with
`Router.add` (or `Responder.router.add`); it builds its plans with
`compose.compose`, which applies negotiation, the per-code fields, CORS and
the content rules, so the route only decides status, fields and content.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import random
from collections.abc import Callable

from statuskit import __version__, semantics, web
from statuskit.registry import MAX_CODE, MIN_CODE, lookup, statuses
from statuskit.responder import encoding, negotiate, resources, wire
from statuskit.responder.behaviours import Ask, behaviour_for
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.fields import CALLER_PREFIXES, caller_fields
from statuskit.responder.plan import Plan
from statuskit.responder.request import Fields, Request
from statuskit.responder.resources.base import GET_ONLY, Resource
from statuskit.responder.route import Inputs, Route
from statuskit.responder.state import StoreStep
from statuskit.responder.urlapi import HEADER_PARAMETERS, CodeSpec, looks_like_spec, parse_params, parse_spec


class CodeRoute(Route):
    """`/{codes}`: the status code the path asks for, with its protocol behaviour."""

    endpoints = (
        ("/{code}", "respond with that status code (100-599), with its protocol behaviour"),
        ("/status/{code}", "the same (httpbin's form)"),
        ("/random/{codes}", "one of a list (/200,503), a weighted list (/200:0.9,503:0.1) or a range (/500-504)"),
    )

    # What any answer of the URL API reads: the parameters, the negotiated media type and
    # language, the fields some codes echo or act on (304's ETag, 206's Range, 101's
    # Upgrade), and the fields the caller puts on the response.
    inputs = Inputs(
        fields=(
            "accept",
            "accept-language",
            "if-none-match",
            "range",
            "upgrade",
            "connection",
            *HEADER_PARAMETERS,
        ),
        prefixes=CALLER_PREFIXES,
        params=True,
    )

    def __init__(self, config: ResponderConfig, rng: random.Random) -> None:
        self.config = config
        self.rng = rng

    def _spec(self, rest: tuple[str, ...]) -> CodeSpec:
        if not rest or not rest[0]:
            raise RequestError(detail=f"no status code in the path: ask for one such as /404 ({MIN_CODE}-{MAX_CODE})")
        return parse_spec(rest[0])

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        spec = self._spec(rest)
        params = parse_params(request, self.config.max_sleep_ms)
        caller = caller_fields(request, self.config.max_caller_fields)
        if params.then is not None and not any(semantics.is_interim(code) for code in spec.codes):
            raise RequestError(detail="then: only a 1xx code has a final response to choose (such as /103?then=404)")
        code = spec.pick(random.Random(params.seed)) if params.seed is not None else spec.pick(self.rng)
        ask = Ask(
            request=request,
            code=code,
            params=params,
            caller=caller,
            reusable=spec.single or params.seed is not None,
            heartbeat_every=self.config.heartbeat_ms / 1000.0,
        )
        return behaviour_for(code)(ask)

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        # Read the content only if some code in the list can succeed; an
        # error or redirect is known from the head, so it is sent at once.
        spec = self._spec(rest)
        params = parse_params(request, self.config.max_sleep_ms)
        caller_fields(request, self.config.max_caller_fields)
        for code in spec.codes:
            final = (params.then or 200) if semantics.is_interim(code) else code
            if final < 300:
                return True
        return False


USAGE = """\
statuskit {version}: every HTTP status code, really produced.

  /{{code}}                 that code, e.g. /404, /status/404, /503/any/path
  /{{a}},{{b}}  /200:0.9,503:0.1  /500-504   one at random, by weight, from a range
  ?sleep=ms               wait first (also X-Statuskit-Sleep)
  ?then=CODE              the final code after /100, /102, /103, /104
  ?phrase=TEXT            another reason phrase
  ?location=/path         Location of 201 and 3xx (a path on this server)
  ?retry_after=SECONDS    Retry-After of 429, 503, 3xx (also with /413?temporary=1)
  ?fault=drop|drop-after-headers|drop-mid-body|dribble|stall[:ms]   break the response
  ?lang=en|zh-CN          language of the content (or Accept-Language)
  X-Statuskit-Response-NAME: value   put NAME on the response
  Accept: application/json or text/html   other representations

  /anything /redirect/3 /basic-auth/u/p /digest-auth/auth/u/p /bearer /methods
  /negotiate /items /jobs /etag/x /cache /conditional-put /range/1024 /ratelimit/5/60
  /unstable /gateway/502 /headers /cookies/set?a=1 /gzip /stream/5 /drip /image
  /response-headers?X-A=1 ...   resources: Accept: application/json lists them all
"""


# The request fields `semantics.evaluate_preconditions` reads (RFC 9110 §13.1, §14.2).
VALIDATED_FIELDS = ("if-match", "if-none-match", "if-modified-since", "if-unmodified-since", "if-range", "range")

# What the page, a code page and an asset depend on: negotiation (an error's document too),
# the coding, the preconditions, and for the pages the URL API's parameters (?lang=).
PAGE_INPUTS = Inputs(
    fields=("accept", "accept-language", "accept-encoding", *VALIDATED_FIELDS, *HEADER_PARAMETERS), params=True
)


@functools.lru_cache(maxsize=64)
def entity_tag(content: bytes) -> str:
    """A strong entity-tag of these exact octets (RFC 9110 §8.8.3): gzip and identity differ."""
    return '"' + hashlib.sha256(content).hexdigest()[:20] + '"'


def validated(request: Request, content: tuple[bytes, str], coding: Fields, cache: str) -> Plan:
    """The page, a code page or an asset, with an ETag so that `no-cache` costs a 304, not the page.

    `coding` is what `encoding.encode` returned (Content-Encoding, Vary). If-None-Match
    naming the ETag gets 304, a failed If-Match 412, as §13.2.2 orders them.
    """
    etag = entity_tag(content[0])
    vary = next((value for name, value in coding if name == "Vary"), "")
    sent = request.values(VALIDATED_FIELDS)
    conditions = {name: value for name, value in zip(VALIDATED_FIELDS, sent, strict=True) if value is not None}
    outcome = semantics.evaluate_preconditions(request.method, conditions, etag, now=request.now)
    if outcome.status == 304:
        repeated = (("ETag", etag), ("Cache-Control", cache), *((("Vary", vary),) if vary else ()))
        return compose(request, 304, fields=repeated, vary=vary, reusable=True)
    if outcome.status == 412:
        detail = f"{outcome.field} evaluated to false ({outcome.section}): the current entity-tag is {etag}"
        return compose(request, 412, fields=(("ETag", etag),), detail=detail, vary=vary, reusable=True)
    return compose(
        request, 200, content=content, fields=(*coding, ("Cache-Control", cache), ("ETag", etag)), reusable=True
    )


class IndexRoute(Resource):
    endpoints = (("/", "this index: text, JSON (Accept: application/json) or the reference page for a browser"),)
    # The index is read, never written: PUT, DELETE ... get 405 with Allow (RFC 9110 §15.5.6).
    methods = GET_ONLY
    inputs = PAGE_INPUTS

    def __init__(self) -> None:
        self.router: Router | None = None

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            return NotFoundRoute().respond(request, ("", *rest))
        self.methods.check(request)
        media = negotiate.choose_media_type(request.header("accept"))
        params = parse_params(request, 0)
        lang = negotiate.language(request, params.lang)
        if media == negotiate.HTML:
            content = (web.index_page(lang).encode("utf-8"), negotiate.CONTENT_TYPES[media])
        elif media == negotiate.JSON:
            document = {
                "name": "statuskit",
                "version": __version__,
                "endpoints": dict(self.router.endpoints()) if self.router is not None else {},
                "codes": [{"code": s.code, "reason": s.reason, "url": f"/{s.code}"} for s in statuses()],
            }
            content = (json.dumps(document, indent=2).encode("utf-8") + b"\n", negotiate.CONTENT_TYPES[media])
        else:
            content = (USAGE.format(version=__version__).encode("utf-8"), negotiate.CONTENT_TYPES[media])
        # The page's assets are versioned; the page itself is revalidated.
        content, coding = encoding.encode(request, content, negotiate.vary(params.lang is not None))
        return validated(request, content, coding, "no-cache")


class DocsRoute(Route):
    """`/docs/{code}`: the HTML page of a code, in the negotiated language."""

    endpoints = (("/docs/{code}", "a page explaining the code, in English or Chinese (?lang=, Accept-Language)"),)
    inputs = PAGE_INPUTS

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if not rest or not rest[0]:
            raise RequestError(detail="no status code in the path: ask for /docs/404")
        spec = parse_spec(rest[0])
        if not spec.single:
            raise RequestError(detail="/docs/ takes one status code")
        params = parse_params(request, 0)
        lang = negotiate.language(request, params.lang)
        page = web.code_page(lookup(spec.codes[0]), lang)
        content, coding = encoding.encode(
            request,
            (page.encode("utf-8"), negotiate.CONTENT_TYPES[negotiate.HTML]),
            "Accept-Language" if params.lang is None else "",
        )
        return validated(request, content, coding, "no-cache")

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return False


class StaticRoute(Route):
    endpoints = (("/static/{name}", "the reference page's styles and scripts"),)
    # ?v=HASH marks a versioned URL: the whole query is read.
    inputs = Inputs(fields=("accept", "accept-language", "accept-encoding", *VALIDATED_FIELDS), query=True)

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        name = "/".join(rest)
        found = web.asset(name) if name and ".." not in rest else None
        if found is None:
            return compose(request, 404, detail=f"no asset named {shown(name)}", reusable=True)
        # The page links assets as /static/NAME?v=HASH-OF-CONTENT: such a URL never changes meaning.
        # (No `public`: nothing here needs authentication, so shared caches may store it anyway.)
        versioned = any(part.startswith("v=") for part in request.query.split("&"))
        cache = "max-age=31536000, immutable" if versioned else "no-cache"
        content, coding = encoding.encode(request, found)
        return validated(request, content, coding, cache)

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return False


class ServiceRoute(Route):
    """`/_statuskit/...`: what the server says about itself, for the reference page.

    `/_statuskit/exchange/{path}` is the text of every byte the server writes
    for `GET /{path}` with the same fields (interim responses, status line,
    fields, content; nothing for 444), because fetch hides interim responses,
    followed redirects and dropped connections from the page's scripts.
    """

    endpoints = (("/_statuskit/exchange/{path}", "text/plain: every byte the server writes for GET /{path}"),)

    def __init__(self, respond: Callable[[Request], Plan]) -> None:
        self._respond = respond

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if not rest or rest[0] != "exchange" or len(rest) < 2 or not rest[1]:
            return NotFoundRoute().respond(request, ("_statuskit", *rest))
        if rest[1] == "_statuskit":
            # Each level would answer by calling the responder again: a deep enough
            # nesting would exhaust the stack (RecursionError), and no page asks for it.
            raise RequestError(
                detail="/_statuskit/exchange/ shows the exchanges of the URL API, not of /_statuskit/ itself"
            )
        target = "/" + "/".join(rest[1:]) + (f"?{request.query}" if request.query else "")
        inner = Request.build(
            "GET",
            target,
            http_version=request.http_version,
            headers=request.headers,
            client=request.client,
            scheme=request.scheme,
            now=request.now,
        )
        return self._shown(request, inner, target, self._respond(inner))

    def _shown(self, request: Request, inner: Request, target: str, plan: Plan) -> Plan:
        step = plan.store
        if step is not None:
            # A stateful resource (/ratelimit ...): the same store steps, then its answer shown.
            return dataclasses.replace(
                plan, store=StoreStep(step.ops, lambda results: self._shown(request, inner, target, step.then(results)))
            )
        if plan.upstream is not None:
            raise RequestError(
                detail=f"the answer to {target[:100]} depends on an upstream request made then; ask for it directly"
            )
        text = wire.exchange(plan, wire.date_line(request.now), inner.http_version)
        return compose(
            request,
            200,
            content=(text, "text/plain; charset=utf-8"),
            fields=(("Cache-Control", "no-store"),),
        )

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return False


class NotFoundRoute(Route):
    # The negotiated document names the path; nothing else of the request shows.
    inputs = Inputs(fields=("accept", "accept-language"))

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        path = "/" + "/".join(rest)
        return compose(
            request,
            404,
            detail=f"nothing at {path[:200]}; ask for a status code such as /404 or /status/503",
            reusable=True,
        )

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return False


# Paths whose route `Router.route_for` remembers.
ROUTE_MEMO_SIZE = 1024


class Router:
    """Routes by the first path segment; a segment made of digits and `,:.-` goes to the code route."""

    def __init__(self, codes: Route) -> None:
        self.codes = codes
        self.not_found: Route = NotFoundRoute()
        self._routes: dict[str, Route] = {}
        # The route of each path met, for `route_for`; emptied when a route is added or when full.
        self._by_path: dict[str, Route] = {}

    def add(self, segment: str, route: Route) -> None:
        if "/" in segment:
            raise ValueError(f"a route is one path segment, not {segment!r}")
        self._routes[segment] = route
        self._by_path.clear()

    def route_for(self, path: str) -> Route:
        """The route of `resolve(path)`, remembered: the memo by inputs asks for every request."""
        route = self._by_path.get(path)
        if route is None:
            if len(self._by_path) >= ROUTE_MEMO_SIZE:
                self._by_path.clear()
            route = self._by_path[path] = self.resolve(path)[0]
        return route

    def endpoints(self) -> list[tuple[str, str]]:
        """Every endpoint of every route, in the order the routes were added, each once."""
        seen: dict[str, str] = {}
        for route in (self.codes, *self._routes.values()):
            for path, description in route.endpoints:
                seen.setdefault(path, description)
        return list(seen.items())

    def resolve(self, path: str) -> tuple[Route, tuple[str, ...]]:
        segments = path[1:].split("/")
        first = segments[0]
        route = self._routes.get(first)
        if route is not None:
            return route, tuple(segments[1:])
        if looks_like_spec(first):
            return self.codes, tuple(segments)
        return self.not_found, tuple(segments)


def default_router(config: ResponderConfig, rng: random.Random, respond: Callable[[Request], Plan]) -> Router:
    codes = CodeRoute(config, rng)
    router = Router(codes)
    index = IndexRoute()
    router.add("", index)
    router.add("status", codes)
    router.add("random", codes)
    router.add("docs", DocsRoute())
    router.add("static", StaticRoute())
    router.add("_statuskit", ServiceRoute(respond))
    resources.register(router, config)
    index.router = router
    return router
