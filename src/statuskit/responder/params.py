"""Query parameters and allowed methods of the resources (/etag, /cache, /range, /ratelimit, ...).

The resources take few parameters each; every one is validated here the same
way, and a mistake is a `RequestError` (400) whose message names the
parameter and what it accepts. Unknown parameters are ignored, as the URL API
ignores them (cache busters); a known one given twice is an error.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl

from statuskit.responder.compose import compose
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request

_DIGITS = re.compile(r"\d{1,12}\Z")
_DECIMAL = re.compile(r"(\d{1,9}(\.\d{0,9})?|\.\d{1,9})\Z")


def query(request: Request, names: tuple[str, ...]) -> dict[str, str]:
    """The parameters in `names` that the query gives (a `-` in a name counts as `_`)."""
    if not request.query:
        return {}
    try:
        pairs = parse_qsl(request.query, keep_blank_values=True, max_num_fields=64)
    except ValueError:
        raise RequestError("too many query parameters (at most 64)") from None
    found: dict[str, str] = {}
    for name, value in pairs:
        name = name.replace("-", "_")
        if name in names:
            if name in found:
                raise RequestError(f"{name} is given more than once")
            found[name] = value
    return found


def whole_number(name: str, text: str, *, low: int, high: int, unit: str = "") -> int:
    if not _DIGITS.match(text):
        raise RequestError(f"{name}: {text[:40]!r} is not a whole number{' of ' + unit if unit else ''}")
    value = int(text)
    if not low <= value <= high:
        raise RequestError(f"{name}: {value} is out of range ({low}-{high}{' ' + unit if unit else ''})")
    return value


def milliseconds(name: str, text: str, max_ms: int) -> float:
    """A wait in ms as seconds, at most the server's --max-sleep."""
    if not _DIGITS.match(text):
        raise RequestError(f"{name}: {text[:40]!r} is not a whole number of milliseconds")
    value = int(text)
    if value > max_ms:
        raise RequestError(f"{name}: {value} ms is over the server's limit of {max_ms} ms (--max-sleep)")
    return value / 1000.0


def ratio(name: str, text: str) -> float:
    """A number from 0 to 1, such as a failure rate."""
    if not _DECIMAL.match(text) or not 0.0 <= float(text) <= 1.0:
        raise RequestError(f"{name}: {text[:40]!r} is not a number from 0 to 1 (such as 0.3)")
    return float(text)


def choice(name: str, text: str, options: tuple[str, ...]) -> str:
    if text not in options:
        raise RequestError(f"{name}: {text[:40]!r} is not one of {', '.join(options)}")
    return text


def allow(methods: tuple[str, ...]) -> str:
    """The Allow value for a resource: its methods, HEAD with GET (RFC 9110 §9.3.2), and OPTIONS."""
    listed = list(methods)
    if "GET" in listed and "HEAD" not in listed:
        listed.insert(listed.index("GET") + 1, "HEAD")
    if "OPTIONS" not in listed:
        listed.append("OPTIONS")
    return ", ".join(listed)


def method_guard(request: Request, methods: tuple[str, ...], hint: str = "") -> Plan | None:
    """None when the resource answers this method; else the plan: 204 for OPTIONS, 405 otherwise.

    RFC 9110 §15.5.6: a 405 "MUST generate an Allow header field"; §9.3.7:
    OPTIONS describes the communication options of the target resource.
    """
    allowed = allow(methods)
    method = request.method
    if method in methods or (method == "HEAD" and "GET" in methods):
        return None
    if method == "OPTIONS":
        return compose(request, 204, fields=(("Allow", allowed),), reusable=True)
    detail = f"{request.path[:100]} answers {allowed}, not {method}" + (f"; {hint}" if hint else "")
    return compose(request, 405, fields=(("Allow", allowed),), detail=detail, reusable=True)
