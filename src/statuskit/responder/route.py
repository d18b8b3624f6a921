"""`Route`, what every resource is, and `Inputs`, what a route's answers depend on.

Kept apart from `routes.py` (the built-in routes and the router) so that the
resources in `resources/` build on it without importing the router that
registers them.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from statuskit.responder.plan import Plan, UpstreamResponse
from statuskit.responder.request import Request
from statuskit.responder.urlapi import parameter_pieces

# One key of the memo of answers by their inputs: the route, the path, the
# method and version, the declared parameters and fields as sent.
InputKey = tuple[Hashable, ...]


@dataclass(frozen=True, slots=True)
class Inputs:
    """Everything besides the method, version and path that a route's answers may depend on.

    The engine keeps a reusable answer (`Plan.reusable`) under exactly these
    inputs, so that `/404?n=1` and `/404?n=2` sent with different request ids
    are one answer computed once. `params` says whether the answers read the
    URL API's parameters from the query (`urlapi.query_parameters`; the key
    holds the query's `urlapi.parameter_pieces`; their header forms are fields
    to declare), `query` whether it reads the whole query (then the key holds
    it); `fields` are the lower-case names of the request fields read,
    `prefixes` the name prefixes read (X-Statuskit-Response-*). A route that
    reads anything else must not declare Inputs: tests/responder/test_inputs.py
    fails when a route reads a field it did not declare or answers differently
    when an undeclared input changes.

    The key holds the declared field lines as sent, in order: finer than the
    values the route reads (a repeated field is two lines), and computed in
    one pass over the lines, from a `Request` (`key`) or straight from the
    bytes the engine parsed (`head_key`, the same key without building a
    `Request`: the path of a request no memo has seen).
    """

    fields: tuple[str, ...] = ()
    prefixes: tuple[str, ...] = ()
    params: bool = False
    query: bool = False  # the whole query is read (the page's assets: ?v=HASH)
    _names: frozenset[bytes] = field(init=False, repr=False, compare=False)
    _prefixes: tuple[bytes, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names", frozenset(name.encode("latin-1") for name in self.fields))
        object.__setattr__(self, "_prefixes", tuple(prefix.encode("latin-1") for prefix in self.prefixes))

    def key(self, route: Route, request: Request) -> InputKey | None:
        """The memo key of `request` to `route`; None when its query has more fields than are parsed."""
        params = self._params(request.query)
        if params is None:
            return None
        names, prefixes = self.fields, self.prefixes
        lines = tuple([line for line in request.headers if line[0] in names or line[0].startswith(prefixes)])
        return (id(route), request.method, request.http_version, request.path, params, lines)

    def head_key(
        self, route: Route, method: str, version: str, path: str, query: str, lines: Iterable[tuple[bytes, bytes]]
    ) -> InputKey | None:
        """`key` of the request these parts would build, from the field lines as parsed (names in any case)."""
        params = self._params(query)
        if params is None:
            return None
        names, prefixes = self._names, self._prefixes
        declared = []
        for name, value in lines:
            lower = name.lower()
            if lower in names or lower.startswith(prefixes):
                declared.append((lower.decode("latin-1"), value.decode("latin-1")))
        return (id(route), method, version, path, params, tuple(declared))

    def _params(self, query: str) -> str | tuple[str, ...] | None:
        if self.query:
            return query
        # The header forms of the parameters are among the declared fields.
        return parameter_pieces(query) if self.params else ()


class Route:
    """A resource: `respond` answers a request whose path is this route's segment plus `rest`.

    `endpoints` lists the paths the route answers with a one-line description
    each; the index (`GET /` with `Accept: application/json`) is built from
    them, so a new resource documents itself by declaring them. `inputs`
    declares what the answers depend on; None (the default) keeps them out
    of the memo by inputs (only a byte-identical head is answered again).
    """

    endpoints: tuple[tuple[str, str], ...] = ()
    inputs: Inputs | None = None

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        raise NotImplementedError

    def after_upstream(self, request: Request, rest: tuple[str, ...], outcome: UpstreamResponse) -> Plan:
        """The answer once the engine made the `Plan.upstream` request this route asked for."""
        raise NotImplementedError(f"{type(self).__name__} makes no upstream requests")

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        """Will the answer use the request content? Decided from the head alone.

        False lets the engine answer at once, without 100 (Continue), when
        the client waits for it (RFC 9110 §10.1.1: "an immediate response
        with a final status code, if that status can be determined by
        examining just the method, target URI, and header fields").
        """
        return True
