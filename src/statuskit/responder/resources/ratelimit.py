"""Resources that refuse on purpose: `/ratelimit/{limit}/{window}` (429) and `/unstable` (503).

    /ratelimit/5/60          5 requests per client address per 60 s: 200 with the
                             RateLimit fields, then 429 with Retry-After until the window ends
    /unstable?failure_rate=0.3&seed=7   503 with Retry-After at that rate; a seed
                             makes the sequence of answers reproducible

Counting needs state, and state is the store's: both resources ask for one
`Hit` (responder/state.py) and answer from the window it reports, so every
worker and every instance sharing a store counts the same hits. Time is the
request's (`Request.now`): the responder reads no clock.

The RateLimit fields follow draft-ietf-httpapi-ratelimit-headers-11 (23 May
2026), §3 (RateLimit-Policy) and §4 (RateLimit): Structured Field lists of
items named by a String, with `q` (quota) and `w` (window) for the policy and
`r` (remaining) and `t` (seconds until the window ends) for the current limit.
"""

from __future__ import annotations

import math
import random

from statuskit import semantics
from statuskit.responder.compose import compose
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import (
    Methods,
    Resource,
    ask,
    json_content,
    not_found,
    query,
    ratio,
    whole_number,
)
from statuskit.responder.state import Hit, Window

# /ratelimit/{limit}/{window}: a million requests, a day.
MAX_LIMIT = 1_000_000
MAX_WINDOW = 86_400

# The name of the quota policy in the RateLimit fields (a String, draft -11 §3).
POLICY = "statuskit"


def _client(request: Request) -> str:
    # RFC 6585 §4 leaves how the user is identified to the server; here, the address.
    return request.client[0] if request.client is not None else "-"


class RateLimitRoute(Resource):
    endpoints = (
        (
            "/ratelimit/{limit}/{window}",
            "{limit} requests per {window} s per client address: 200 with RateLimit fields, then 429 with Retry-After",
        ),
    )
    methods = Methods(("GET", "POST", "PUT", "PATCH", "DELETE"))

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) > 2:
            return not_found(request, f"nothing at {request.path[:100]}: ask for /ratelimit/{{limit}}/{{window}}")
        if len(rest) != 2 or not rest[0] or not rest[1]:
            raise RequestError(
                detail="ask for /ratelimit/{limit}/{window}, such as /ratelimit/5/60: 5 requests per 60 seconds"
            )
        limit = whole_number("limit", rest[0], 1, MAX_LIMIT)
        window = whole_number("window", rest[1], 1, MAX_WINDOW)
        self.methods.check(request)
        hit = Hit(f"ratelimit:{_client(request)}:{limit}:{window}", request.now, window)
        return ask(request, (hit,), lambda results: self._answer(request, limit, window, results[0]))

    def _answer(self, request: Request, limit: int, window: int, counted: Window) -> Plan:
        count, ends = counted.count, counted.ends
        # Whole seconds, rounded up: waiting that long always reaches the next window.
        seconds = max(1, math.ceil(ends - request.now))
        remaining = max(0, limit - count)
        fields = (
            ("RateLimit-Policy", f'"{POLICY}";q={limit};w={window}'),
            ("RateLimit", f'"{POLICY}";r={remaining};t={seconds}'),
        )
        if count > limit:
            # RFC 6585 §4: 429 "MAY include a Retry-After header"; the draft's §6:
            # Retry-After "SHOULD NOT reference a point in time earlier than the end
            # of the effective window". A 429 is never stored by a cache (RFC 6585 §4),
            # so it needs no Cache-Control unless semantics says otherwise.
            store = () if not semantics.cacheability(429).storable else (("Cache-Control", "no-store"),)
            return compose(
                request,
                429,
                fields=(("Retry-After", str(seconds)), *fields, *store),
                detail=f"more than {limit} requests in {window} s from {_client(request)}; retry after {seconds} s",
            )
        document = {"limit": limit, "window": window, "used": count, "remaining": remaining, "reset": seconds}
        # The 200 carries this client's count: a cache must not answer for it.
        return compose(request, 200, content=json_content(document), fields=(*fields, ("Cache-Control", "no-store")))


# An /unstable sequence restarts this long after its first request (seconds).
SEQUENCE_WINDOW = 600.0

DEFAULT_FAILURE_RATE = 0.5  # go-httpbin's default


class UnstableRoute(Resource):
    """`/unstable`: 503 with Retry-After at `failure_rate`, as go-httpbin's (which answers 500).

    With `seed=N` the k-th request carrying that seed fails when
    `random.Random(f"N:k").random() < failure_rate` (k from 1), so a test
    can compute the sequence it will see; without a seed the server's
    generator decides (reproducible with `statuskit serve --seed`).
    """

    endpoints = (
        ("/unstable", "503 with Retry-After at ?failure_rate= (default 0.5); ?seed=N makes the sequence reproducible"),
    )
    methods = Methods(("GET", "POST", "PUT", "PATCH", "DELETE"))

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            return not_found(request, f"nothing at {request.path[:100]}: ask for /unstable")
        self.methods.check(request)
        found = query(request, ("failure_rate", "seed", "retry_after"))
        rate = ratio("failure_rate", found["failure_rate"]) if "failure_rate" in found else DEFAULT_FAILURE_RATE
        retry_after = whole_number("retry_after", found.get("retry_after", "1"), 0, MAX_WINDOW)
        if "seed" in found:
            seed = whole_number("seed", found["seed"], 0, 10**12 - 1)
            hit = Hit(f"unstable:{seed}", request.now, SEQUENCE_WINDOW)
            return ask(
                request, (hit,), lambda results: self._answer(request, rate, retry_after, seed, results[0].count)
            )
        return self._answer(request, rate, retry_after, None, 0)

    def _answer(self, request: Request, rate: float, retry_after: int, seed: int | None, attempt: int) -> Plan:
        if seed is not None:
            draw = random.Random(f"{seed}:{attempt}").random()
            where = f"request {attempt} of seed {seed}"
        else:
            draw = self.rng.random()
            where = "no seed"
        fields = (("Cache-Control", "no-store"),)
        if draw < rate:
            # RFC 9110 §15.6.4: 503 "MAY send a Retry-After header field".
            return compose(
                request,
                503,
                fields=(("Retry-After", str(retry_after)), *fields),
                detail=f"failed on purpose (failure_rate={rate:g}, {where})",
            )
        document = {"failure_rate": rate, "seed": seed, "request": attempt or None}
        return compose(request, 200, content=json_content(document), fields=fields)


__all__ = ["RateLimitRoute", "UnstableRoute"]
