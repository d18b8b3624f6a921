"""Request content: undo its content codings, read its media type, refuse what a resource cannot take.

RFC 9110 §8.4: Content-Encoding lists the codings applied, in the order
applied, so they are undone last to first. The server decodes gzip (with
its alias x-gzip, §8.4.1.3) and deflate (§8.4.1.2); any other coding gets
415 with Accept-Encoding naming what it decodes (§15.5.16, §12.5.3).
Decoding stops at the resource limit (`max_body`, the engine's --max-body):
a small gzip body must not become a huge one in memory.
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass
from typing import Any

from statuskit.responder.negotiate import split_list
from statuskit.responder.request import Request
from statuskit.responder.resources.base import Refused

# The codings this server undoes, as a 415 names them in Accept-Encoding.
ACCEPT_ENCODING = "gzip, deflate"

# §8.4.1.3: "A recipient SHOULD consider "x-gzip" to be equivalent to "gzip"."
_GZIP = ("gzip", "x-gzip")

# Conditions of semantics.field_rules(415) that hold for each kind of refusal.
CODING_PROBLEM = frozenset({"", "unsupported-coding"})
MEDIA_TYPE_PROBLEM = frozenset({"", "unsupported-media-type"})


@dataclass(frozen=True, slots=True)
class MediaType:
    """A Content-Type, parsed: `type/subtype` in lower case and its parameters (names lower-case)."""

    essence: str
    params: tuple[tuple[str, str], ...] = ()

    def param(self, name: str) -> str | None:
        for key, value in self.params:
            if key == name:
                return value
        return None

    @property
    def is_json(self) -> bool:
        # RFC 6839 §3.1: the +json structured syntax suffix.
        return self.essence == "application/json" or self.essence.endswith("+json")


def parse_media_type(value: str) -> MediaType | None:
    """A Content-Type value (RFC 9110 §8.3.1), or None when it is not `type/subtype *( ; parameter )`."""
    media, *parts = split_list(value, ";") or [""]
    kind, slash, sub = media.strip().lower().partition("/")
    if not slash or not kind or not sub or "*" in kind or "*" in sub or " " in media.strip():
        return None
    params: list[tuple[str, str]] = []
    for part in parts:
        name, equals, raw = part.partition("=")
        if not equals:
            return None
        raw = raw.strip()
        if len(raw) >= 2 and raw[0] == raw[-1] == '"':
            raw = raw[1:-1]
        params.append((name.strip().lower(), raw))
    return MediaType(f"{kind}/{sub}", tuple(params))


def _inflate(data: bytes, wbits: int, limit: int, coding: str) -> bytes:
    out = bytearray()
    while data:
        decoder = zlib.decompressobj(wbits)
        try:
            out += decoder.decompress(data, limit + 1 - len(out))
        except zlib.error:
            raise Refused(
                status=400, detail=f"Content-Encoding: {coding}, but the content is not valid {coding} data"
            ) from None
        if len(out) > limit:
            raise Refused(
                status=413, detail=f"the content is over {limit} bytes once decoded from {coding} (--max-body)"
            )
        if not decoder.eof:
            raise Refused(status=400, detail=f"Content-Encoding: {coding}, but the {coding} data ends early")
        # RFC 1952 §2.2: a gzip file is a series of members; deflate has one.
        data = decoder.unused_data if wbits > 16 else b""
    return bytes(out)


def decoded(request: Request, limit: int) -> tuple[bytes, tuple[str, ...]]:
    """The request content with every content coding undone, and the codings that were."""
    header = request.header("content-encoding")
    if header is None:
        return request.body, ()
    codings = [c.lower() for c in split_list(header)]
    for coding in codings:
        if coding not in (*_GZIP, "deflate", "identity"):
            raise Refused(
                status=415,
                detail=f"Content-Encoding: {coding[:40]!r} is not a coding this server decodes; "
                f"send {ACCEPT_ENCODING} or none (RFC 9110 §15.5.16)",
                fields=(("Accept-Encoding", ACCEPT_ENCODING),),
                conditions=CODING_PROBLEM,
            )
    body = request.body
    for coding in reversed(codings):
        if not body:
            break
        if coding in _GZIP:
            body = _inflate(body, 16 + zlib.MAX_WBITS, limit, "gzip")
        elif coding == "deflate":
            # §8.4.1.2: the zlib format; some senders send a bare deflate stream, which is taken too.
            try:
                body = _inflate(body, zlib.MAX_WBITS, limit, "deflate")
            except Refused as refused:
                if refused.status != 400:
                    raise
                body = _inflate(body, -zlib.MAX_WBITS, limit, "deflate")
    return body, tuple(c for c in codings if c != "identity")


def media_type_of(request: Request) -> MediaType | None:
    value = request.header("content-type")
    return parse_media_type(value) if value is not None else None


def accept_fields(accepted: tuple[str, ...], post: bool) -> tuple[tuple[str, str], ...]:
    """Accept (RFC 9110 §12.5.1: in a response, what the resource takes in requests) and, for POST, Accept-Post.

    Accept-Post is the Linked Data Platform's field (W3C LDP 1.0 §7.1, in the
    IANA field registry) for the media types a POST may carry.
    """
    value = ", ".join(accepted)
    return (("Accept", value), ("Accept-Post", value)) if post else (("Accept", value),)


def require_media_type(request: Request, accepted: tuple[str, ...], *, post: bool) -> MediaType:
    """The request's media type if the resource takes it, else 415 with Accept (and Accept-Post)."""
    found = media_type_of(request)
    if found is None or found.essence not in accepted:
        sent = request.header("content-type")
        what = f"Content-Type: {sent[:60]!r} is not" if sent is not None else "content without a Content-Type is not"
        raise Refused(
            status=415,
            detail=f"{what} taken here; send one of {', '.join(accepted)} (RFC 9110 §15.5.16)",
            fields=accept_fields(accepted, post),
            conditions=MEDIA_TYPE_PROBLEM,
        )
    charset = found.param("charset")
    if charset is not None and charset.lower() not in ("utf-8", "us-ascii"):
        raise Refused(
            status=415,
            detail=f"charset={charset[:40]}: only UTF-8 text is taken here",
            fields=accept_fields(accepted, post),
            conditions=MEDIA_TYPE_PROBLEM,
        )
    return found


def text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(status=400, detail=f"the content is not UTF-8 (byte {exc.start})") from None


def parse_json(body: bytes) -> Any:
    """The JSON document of the content; malformed JSON is the client's fault (RFC 9110 §15.5.1: 400)."""
    try:
        return json.loads(text(body))
    except json.JSONDecodeError as exc:
        raise Refused(
            status=400, detail=f"the content is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
