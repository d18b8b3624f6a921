"""What the resources share: refusals that carry their answer, methods and Allow, path and query parsing.

A resource answers with `compose` like every route; what it adds is its
methods declared as data (`Methods`: 405 with the Allow of *this* resource,
OPTIONS answered with it) and `Refused`, an error that carries its status,
fields and the field rules that hold, for the refusals whose fields matter
(415 with Accept-Encoding or Accept, 413, 406).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from statuskit import semantics
from statuskit.errors import Refusal
from statuskit.responder.compose import compose
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.plan import Plan
from statuskit.responder.request import Fields, Request
from statuskit.responder.route import Route
from statuskit.responder.state import Op, StoreStep

JSON_TYPE = "application/json"

# The order Allow lists methods in: the one RFC 9110 §9.3 defines them in.
_METHOD_ORDER = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE")

# A query longer than this is not a test; parse_qsl's own guard against floods.
MAX_QUERY_FIELDS = 64

_DECIMAL = re.compile(r"\d{1,9}(\.\d{0,9})?|\.\d{1,9}")


class Refused(Refusal):
    """A request the resource turns down, with everything its answer needs.

    `conditions` are the conditions of `semantics.field_rules` that hold for
    this answer (None: the URL API's defaults), so that, for instance, a 415
    about the media type does not get the Accept-Encoding that RFC 9110
    §12.5.3 reserves for a 415 about the content coding.
    """

    def __init__(
        self, *, status: int, detail: str, fields: Fields = (), conditions: frozenset[str] | None = None
    ) -> None:
        super().__init__(status=status, detail=detail)
        self.fields = fields
        self.conditions = conditions


class Resource(Route):
    """A route whose `handle` may raise `Refused` or `MethodRefused` (from its `Methods`, declared as data).

    The answers are never memoized unless a subclass says so.
    """

    def respond(self, request: Request, rest: tuple[str, ...]) -> Plan:
        try:
            return self.handle(request, rest)
        except Refused as refused:
            return _refusal(request, refused)
        except MethodRefused as refused:
            return refused.plan

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        raise NotImplementedError

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return False


def ask(request: Request, ops: tuple[Op, ...], then: Callable[[tuple[Any, ...]], Plan]) -> Plan:
    """A plan asking the engine to perform `ops` on the store, then to play `then(results)`.

    `then` may raise `Refused` as `handle` may; the 503 here is what an
    engine without a store would have to answer.
    """

    def answer(results: tuple[Any, ...]) -> Plan:
        try:
            return then(results)
        except Refused as refused:
            return _refusal(request, refused)

    return Plan(status=503, reason="Service Unavailable", store=StoreStep(ops, answer))


def _refusal(request: Request, refused: Refused) -> Plan:
    return compose(request, refused.status, detail=refused.detail, fields=refused.fields, conditions=refused.conditions)


def allowed(methods: Iterable[str]) -> tuple[str, ...]:
    """The methods a resource supports, in Allow's order: HEAD wherever GET is
    (`semantics.supported_methods`, RFC 9110 §9.3.2), and OPTIONS always,
    since every resource here answers it with its Allow (§9.3.7).
    """
    names = set(semantics.supported_methods(methods)) | {"OPTIONS"}
    return tuple(sorted(names, key=lambda m: (_METHOD_ORDER.index(m) if m in _METHOD_ORDER else len(_METHOD_ORDER), m)))


class MethodRefused(Exception):
    """Raised by `Methods.check`: its 405 (or its answer to OPTIONS) is the resource's whole answer."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(plan.status)
        self.plan = plan


@dataclass(frozen=True, slots=True)
class Methods:
    """The methods a resource (or one kind of path under it) implements, declared once as data.

    `check` lets them through, answers the others with 405 and Allow, and
    OPTIONS, unless declared, with 204 and Allow plus `options_fields` (such
    as Accept-Post). RFC 9110 §15.5.6: "The origin server MUST generate an
    Allow header field in a 405 response containing a list of the target
    resource's currently supported methods." §9.3.7: a successful OPTIONS
    "SHOULD send any header that might indicate optional features ... (e.g.,
    Allow)". RFC 9110 drops RFC 7231's Content-Length: 0 for an empty OPTIONS
    answer, so 204 (which carries no Content-Length, §8.6) says "nothing more
    to tell". The Allow value is computed once, here.
    """

    implemented: tuple[str, ...]
    options_fields: Fields = ()
    allow: str = field(init=False)
    _supported: frozenset[str] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        supported = allowed(self.implemented)
        object.__setattr__(self, "allow", ", ".join(supported))
        object.__setattr__(self, "_supported", frozenset(supported))

    def check(self, request: Request) -> None:
        """Return when the method is implemented; otherwise raise the answer (`Resource.respond` gives it)."""
        method = request.method
        if method == "OPTIONS" and "OPTIONS" not in self.implemented:
            raise MethodRefused(compose(request, 204, fields=(("Allow", self.allow), *self.options_fields)))
        if method not in self._supported:
            detail = f"{method} is not supported by {request.path[:100]}; it allows {self.allow} (RFC 9110 §15.5.6)"
            raise MethodRefused(compose(request, 405, fields=(("Allow", self.allow),), detail=detail))


GET_ONLY = Methods(("GET",))


def json_content(document: Any) -> tuple[bytes, str]:
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n", JSON_TYPE


def segment(text: str, what: str) -> str:
    """A path segment, percent-decoded as UTF-8 (RFC 3986 §2.1); RequestError names `what` otherwise."""
    if "%" not in text:
        return text
    try:
        return unquote(text, errors="strict")
    except UnicodeDecodeError:
        raise RequestError(detail=f"{what}: {text[:60]!r} is not UTF-8 once percent-decoded") from None


def query(request: Request, known: tuple[str, ...]) -> dict[str, str]:
    """The `known` query parameters of the request; one given twice is a 400 naming it."""
    if not request.query:
        return {}
    try:
        pairs = parse_qsl(request.query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        raise RequestError(detail=f"too many query parameters (at most {MAX_QUERY_FIELDS})") from None
    found: dict[str, str] = {}
    for name, value in pairs:
        if name in known:
            if name in found:
                raise RequestError(detail=f"{name} is given more than once")
            found[name] = value
    return found


def boolean(name: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in ("", "1", "true", "yes"):
        return True
    if lowered in ("0", "false", "no"):
        return False
    raise RequestError(detail=f"{name}: {shown(text)} is not 1/0, true/false or yes/no")


def whole_number(name: str, text: str, low: int, high: int) -> int:
    """A decimal integer in [low, high]; RequestError names the parameter and the bounds otherwise."""
    stripped = text.strip()
    if not stripped.isascii() or not stripped.isdigit() or len(stripped) > 12:
        raise RequestError(detail=f"{name}: {text[:40]!r} is not a whole number")
    value = int(stripped)
    if not low <= value <= high:
        raise RequestError(detail=f"{name}: {value} is out of range ({low}-{high})")
    return value


def milliseconds(name: str, text: str, max_ms: int) -> float:
    """A wait in whole milliseconds, at most the server's --max-sleep, as seconds."""
    value = whole_number(name, text, 0, 10**12 - 1)
    if value > max_ms:
        raise RequestError(detail=f"{name}: {value} ms is over the server's limit of {max_ms} ms (--max-sleep)")
    return value / 1000.0


def ratio(name: str, text: str) -> float:
    """A number from 0 to 1, such as a failure rate."""
    stripped = text.strip()
    if not _DECIMAL.fullmatch(stripped) or not 0.0 <= float(stripped) <= 1.0:
        raise RequestError(detail=f"{name}: {text[:40]!r} is not a number from 0 to 1 (such as 0.3)")
    return float(stripped)


def choice(name: str, text: str, options: tuple[str, ...]) -> str:
    """One of `options`; RequestError lists them otherwise."""
    if text not in options:
        raise RequestError(detail=f"{name}: {text[:40]!r} is not one of {', '.join(options)}")
    return text


def not_found(request: Request, what: str) -> Plan:
    return compose(request, 404, detail=what)
