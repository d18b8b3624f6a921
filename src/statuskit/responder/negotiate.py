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

import re
from dataclasses import dataclass
from functools import lru_cache

from statuskit.registry import LANGUAGES, resolve_language
from statuskit.registry.texts import language as _explicit_language
from statuskit.responder.errors import RequestError, shown
from statuskit.responder.request import Request

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
        raise RequestError(detail=f"lang: {shown(tag)} is not available; use one of {', '.join(LANGUAGES)}") from None


def language(request: Request, explicit: str | None) -> str:
    """The language of an answer: `?lang=` when given (an unknown one is 400), else Accept-Language's choice."""
    if explicit is not None:
        return explicit_language(explicit)
    return choose_language(request.header("accept-language"))


def vary(language_fixed: bool) -> str:
    """The Vary value for what was negotiated (§12.5.5)."""
    return "Accept" if language_fixed else "Accept, Accept-Language"


# -- resources with variants of their own (RFC 9110 §12.5) ---------------------------
#
# The functions above choose among the three documents every status code has
# and never refuse. The resources (/negotiate, /items, ...) negotiate for
# real: they parse each field strictly, weigh every offer by the most
# specific range that matches it, and answer 406 when nothing fits. A field
# that breaks the grammar is the client's mistake and is named in a 400.

# §12.4.2: qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
_QVALUE = re.compile(r"(?:0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?)\Z")
# §5.6.2: token = 1*tchar
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+\Z")
# RFC 4647 §2.1: language-range = (1*8ALPHA *("-" 1*8alphanum)) / "*"
_LANGUAGE_RANGE = re.compile(r"(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\Z")


@dataclass(frozen=True, slots=True)
class MediaRange:
    """One member of Accept: `type/subtype` (either may be `*`), its parameters and its weight."""

    type: str
    subtype: str
    params: tuple[tuple[str, str], ...]
    q: float

    @property
    def specificity(self) -> int:
        # §12.5.1: "the most specific reference has precedence":
        # text/plain;format=flowed > text/plain > text/* > */*.
        if self.type == "*":
            return 0
        if self.subtype == "*":
            return 1
        return 3 if self.params else 2

    def matches(self, media_type: str, params: tuple[tuple[str, str], ...] = ()) -> bool:
        kind, _, sub = media_type.partition("/")
        if self.type != "*" and self.type != kind:
            return False
        if self.subtype != "*" and self.subtype != sub:
            return False
        offered = dict(params)
        return all(offered.get(name) == value for name, value in self.params)


def split_list(value: str, separator: str = ",") -> list[str]:
    """Split a field value at `separator`, but not inside quoted strings (§5.6.4); empty members dropped (§5.6.1)."""
    members: list[str] = []
    current: list[str] = []
    quoted = escaped = False
    for char in value:
        if escaped:
            escaped = False
        elif quoted and char == "\\":
            escaped = True
        elif char == '"':
            quoted = not quoted
        elif char == separator and not quoted:
            members.append("".join(current).strip(" \t"))
            current = []
            continue
        current.append(char)
    members.append("".join(current).strip(" \t"))
    return [member for member in members if member]


def parse_qvalue(text: str, field: str) -> float:
    text = text.strip(" \t")
    if not _QVALUE.match(text):
        raise RequestError(
            detail=(
                f"{field}: q={shown(text)} is not a weight from 0 to 1 with at most three decimals (RFC 9110 §12.4.2)"
            )
        )
    return float(text)


def _parameters(parts: list[str], field: str, member: str) -> tuple[tuple[tuple[str, str], ...], float]:
    """Media type parameters (names lower-case, quotes removed) and the weight among them."""
    params: list[tuple[str, str]] = []
    q = 1.0
    for part in parts:
        name, equals, value = part.partition("=")
        name = name.strip(" \t").lower()
        value = value.strip(" \t")
        if not equals or not _TOKEN.match(name) or not value:
            raise RequestError(
                detail=f"{field}: {shown(member)} has a parameter that is not name=value (RFC 9110 §5.6.6)"
            )
        if name == "q":
            # §12.5.1: "Recipients SHOULD process any parameter named "q" as weight, regardless of parameter ordering."
            q = parse_qvalue(value, field)
            continue
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        if name == "charset":
            value = value.lower()  # §8.3.2: charset names are case-insensitive
        params.append((name, value))
    return tuple(params), q


def parse_accept(value: str, field: str = "Accept") -> tuple[MediaRange, ...]:
    """The media ranges of an Accept field (§12.5.1); RequestError names a member that breaks the grammar."""
    ranges: list[MediaRange] = []
    for member in split_list(value):
        media, *parts = split_list(member, ";")
        kind, slash, sub = media.lower().partition("/")
        if not slash or not _TOKEN.match(kind) or not _TOKEN.match(sub) or (kind == "*" and sub != "*"):
            raise RequestError(
                detail=(
                    f"{field}: {shown(member)} is not a media range such as text/html, text/* or */* (RFC 9110 §12.5.1)"
                )
            )
        params, q = _parameters(parts, field, member)
        ranges.append(MediaRange(kind, sub, params, q))
    return tuple(ranges)


def media_quality(ranges: tuple[MediaRange, ...], media_type: str, params: tuple[tuple[str, str], ...] = ()) -> float:
    """The weight Accept gives `media_type`: that of the most specific range matching it, 0 if none (§12.5.1)."""
    best: MediaRange | None = None
    for candidate in ranges:
        if candidate.matches(media_type, params) and (best is None or candidate.specificity > best.specificity):
            best = candidate
    return best.q if best is not None else 0.0


def parse_accept_language(value: str) -> tuple[tuple[str, float], ...]:
    """The language ranges of Accept-Language (§12.5.4), lower-cased, with their weights."""
    out: list[tuple[str, float]] = []
    for member in split_list(value):
        tag, *parts = split_list(member, ";")
        if not _LANGUAGE_RANGE.match(tag):
            raise RequestError(
                detail=f"Accept-Language: {shown(tag)} is not a language range such as en, zh-CN or * (RFC 4647 §2.1)"
            )
        params, q = _parameters(parts, "Accept-Language", member)
        if params:
            raise RequestError(
                detail=f"Accept-Language: {shown(member)} has a parameter other than q (RFC 9110 §12.5.4)"
            )
        out.append((tag.lower(), q))
    return tuple(out)


def language_quality(ranges: tuple[tuple[str, float], ...], tag: str) -> float:
    """The weight Accept-Language gives `tag`, by Basic Filtering (RFC 4647 §3.3.1, as §12.5.4 suggests).

    A range matches a tag equal to it or starting with it followed by "-"
    (`zh` matches `zh-CN`); `*` matches any tag. The longest matching range
    decides, so `zh-CN;q=0, zh` excludes zh-CN alone.
    """
    tag = tag.lower()
    best: tuple[int, float] | None = None
    for candidate, q in ranges:
        if candidate == "*":
            length = 0
        elif tag == candidate or tag.startswith(candidate + "-"):
            length = len(candidate)
        else:
            continue
        if best is None or length > best[0]:
            best = (length, q)
    return best[1] if best is not None else 0.0


def parse_codings(value: str, field: str = "Accept-Encoding") -> tuple[tuple[str, float], ...]:
    """Content codings with weights, as in Accept-Encoding (§12.5.3); names lower-cased (§8.4.1)."""
    out: list[tuple[str, float]] = []
    for member in split_list(value):
        coding, *parts = split_list(member, ";")
        if not _TOKEN.match(coding):
            raise RequestError(detail=f"{field}: {shown(coding)} is not a content coding (RFC 9110 §8.4.1)")
        params, q = _parameters(parts, field, member)
        if params:
            raise RequestError(detail=f"{field}: {shown(member)} has a parameter other than q (RFC 9110 §12.5.3)")
        out.append((coding.lower(), q))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class Variant:
    """One representation a resource can send: its media type and language, and where it lives on its own."""

    media_type: str
    language: str
    url: str


def select_variant(variants: tuple[Variant, ...], accept: str | None, accept_language: str | None) -> Variant | None:
    """The variant the request prefers, or None when every one weighs 0 (then 406, §15.5.7).

    The weight of a variant is its media type's weight times its language's;
    an absent field accepts everything (§12.5.1, §12.5.4). Ties go to the
    order of `variants`, which is the server's preference.
    """
    # An empty field value says nothing; it is taken as absent.
    media_ranges = parse_accept(accept) if accept and accept.strip() else None
    language_ranges = parse_accept_language(accept_language) if accept_language and accept_language.strip() else None
    best: tuple[float, int] | None = None
    chosen: Variant | None = None
    for position, variant in enumerate(variants):
        qm = media_quality(media_ranges, variant.media_type) if media_ranges is not None else 1.0
        ql = language_quality(language_ranges, variant.language) if language_ranges is not None else 1.0
        weight = qm * ql
        if weight <= 0.0:
            continue
        rank = (weight, -position)
        if best is None or rank > best:
            best, chosen = rank, variant
    return chosen
