"""Proactive negotiation (RFC 9110 §12): which media type and language to answer in.

The server has three representations of every code: text/plain (the default,
so `curl` shows a line), application/json and text/html. When Accept names
none of them, the server disregards the field and sends the default, as
§12.5.1 allows ("the origin server can either disregard the header field by
treating the response as if it is not subject to content negotiation..."):
a client that asked for a status code gets that code, never a 406 instead.

Parsing is memoized: clients send the same few Accept values again and again.
"""

from __future__ import annotations

from functools import lru_cache

from statuskit.registry import LANGUAGES, resolve_language
from statuskit.registry.texts import language as _explicit_language
from statuskit.responder.errors import RequestError

TEXT = "text/plain"
JSON = "application/json"
HTML = "text/html"

# In order of preference when the client likes several equally.
MEDIA_TYPES = (TEXT, JSON, HTML)

CONTENT_TYPES = {
    TEXT: "text/plain; charset=utf-8",
    JSON: "application/json",
    HTML: "text/html; charset=utf-8",
}


def _quality(params: list[str]) -> float:
    # §12.4.2: weight = OWS ";" OWS "q=" qvalue, qvalue 0 to 1 with up to three decimals.
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "q":
            try:
                q = float(value.strip())
            except ValueError:
                return 0.0
            return q if 0.0 <= q <= 1.0 else 0.0
    return 1.0


@lru_cache(maxsize=512)
def choose_media_type(accept: str | None) -> str:
    """The media type to send for this Accept value (§12.5.1).

    Each offer takes the quality of the most specific range that matches it
    (`text/html` over `text/*` over `*/*`); the best quality wins, ties go
    to the range listed first, then to the server's order.
    """
    if not accept:
        return TEXT
    best: tuple[float, int, int] | None = None
    choice = TEXT
    ranges: list[tuple[str, str, float, int]] = []
    for position, member in enumerate(accept.split(",")):
        media, *params = member.split(";")
        kind, _, sub = media.strip().lower().partition("/")
        if not kind or not sub:
            continue
        ranges.append((kind, sub, _quality(params), position))
    for preference, offer in enumerate(MEDIA_TYPES):
        kind, sub = offer.split("/")
        match: tuple[int, float, int] | None = None  # (specificity, q, position)
        for rkind, rsub, q, position in ranges:
            if rkind == kind and rsub == sub:
                specificity = 2
            elif rkind == kind and rsub == "*":
                specificity = 1
            elif rkind == "*" and rsub == "*":
                specificity = 0
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, q, position)
        if match is None or match[1] <= 0.0:
            continue
        rank = (match[1], -match[2], -preference)
        if best is None or rank > best:
            best = rank
            choice = offer
    return choice


@lru_cache(maxsize=512)
def choose_language(accept_language: str | None) -> str:
    """The language to answer in for this Accept-Language value (§12.5.4); English by default."""
    if not accept_language:
        return LANGUAGES[0]
    ranked: list[tuple[float, int, str]] = []
    for position, member in enumerate(accept_language.split(",")):
        tag, *params = member.split(";")
        tag = tag.strip()
        if tag:
            ranked.append((_quality(params), -position, tag))
    for q, _, tag in sorted(ranked, reverse=True):
        if q <= 0.0:
            break
        if tag == "*":
            return LANGUAGES[0]
        found = resolve_language(tag, default=None)
        if found is not None:
            return found
    return LANGUAGES[0]


def explicit_language(tag: str) -> str:
    """The language named by `?lang=`; an unknown one is the caller's mistake (400)."""
    try:
        return _explicit_language(tag)
    except ValueError:
        raise RequestError(f"lang: {tag!r} is not available; use one of {', '.join(LANGUAGES)}") from None


def vary(language_fixed: bool) -> str:
    """The Vary value for what was negotiated (§12.5.5)."""
    return "Accept" if language_fixed else "Accept, Accept-Language"
