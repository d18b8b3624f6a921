"""The bytes of a plan: status lines, heads, interim responses. Pure, like h11's writers.

The engine writes these bytes (it adds only the Date it is given and the
Connection option it decides), and `/_statuskit/exchange/{code}` shows them,
so what a page says the server sends is what the server sends.

A final response is serialized once per plan into a `Serialized` whose parts
around the Date field are fixed; the whole message is rebuilt only when the
second changes. A reusable plan's `Serialized` is kept by the engine, so a
repeated request costs one dict look-up and one write.
"""

from __future__ import annotations

from email.utils import formatdate

from statuskit import __version__, semantics
from statuskit.responder.plan import GARBAGE, FaultKind, Interim, Plan

SERVER = f"statuskit/{__version__}"
_SERVER_LINE = f"Server: {SERVER}\r\n".encode("ascii")


def _latin1(text: str) -> bytes:
    # RFC 9110 §5.5: field values are octets; the responder's are ASCII and
    # caller-chosen ones arrived as latin-1, so this only fails for a route
    # that put other text in a field: send its UTF-8 octets then.
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


def status_line(status: int, reason: str) -> bytes:
    # The server answers in the highest version it conforms to, whatever the request's (1.0 or 1.1).
    return b"HTTP/1.1 %d %s\r\n" % (status, _latin1(reason))


def encode_fields(fields: tuple[tuple[str, str], ...]) -> bytes:
    return _latin1("".join(f"{name}: {value}\r\n" for name, value in fields))


def encode_interim(interim: Interim) -> bytes:
    # RFC 9110 §15.2: a 1xx ends at its header section; no content, no Content-Length.
    return status_line(interim.status, interim.reason) + encode_fields(interim.headers) + b"\r\n"


def chunk_encoded(chunks: tuple[bytes, ...]) -> bytes:
    """The chunked coding of `chunks` (RFC 9112 §7.1); an empty chunk would end the content early, so none is sent."""
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks if chunk) + b"0\r\n\r\n"


def date_line(seconds: float) -> bytes:
    """The Date field (RFC 9110 §6.6.1) for a time in seconds since the epoch, IMF-fixdate (§5.6.7)."""
    return b"Date: " + formatdate(int(seconds), usegmt=True).encode("ascii") + b"\r\n"


class Serialized:
    """A final response ready to write, but for Date and Connection.

    `connection` tokens come from the plan (Connection: upgrade on 426) and
    the engine adds "close" when the connection ends after this response, or
    "keep-alive" for an HTTP/1.0 client that keeps it open (RFC 9110 §7.6.1).
    """

    __slots__ = (
        "status",
        "reason",
        "body",
        "length",
        "_first",
        "_fields",
        "_dated",
        "_connection",
        "_keep_line",
        "_close_line",
        "_stamp",
        "_keep",
        "_close",
    )

    def __init__(self, plan: Plan, http_version: str = "1.1", *, head: bool = False) -> None:
        # Framing follows the bytes, whatever a plan says: no content answers a
        # HEAD (RFC 9110 §9.3.2), whose Content-Length is the GET's; otherwise
        # Content-Length is the length of the content sent (§8.6).
        body = b"" if head else plan.body
        content_length = plan.content_length
        if not head and (body or content_length):
            content_length = len(body)
        chunked = plan.chunks is not None and http_version != "1.0"
        if chunked:
            # RFC 9112 §7.1: chunk = chunk-size CRLF chunk-data CRLF, ended by last-chunk and an empty trailer.
            body = b"" if head else chunk_encoded(plan.chunks or ())
        self.status = plan.status
        self.reason = plan.reason
        self.body = body
        self.length = len(body)
        tokens: list[str] = []
        fields: list[tuple[str, str]] = []
        has_server = has_date = False
        for name, value in plan.headers:
            lower = name.lower()
            if lower == "connection":
                tokens.extend(t.strip() for t in value.split(",") if t.strip())
                continue
            has_server = has_server or lower == "server"
            has_date = has_date or lower == "date"
            fields.append((name, value))
        first = status_line(plan.status, plan.reason)
        if not has_server:
            first += _SERVER_LINE
        self._first = first
        self._dated = not has_date
        middle = encode_fields(tuple(fields))
        if chunked:
            middle += b"Transfer-Encoding: chunked\r\n"
        elif content_length is not None:
            middle += b"Content-Length: %d\r\n" % content_length
        self._fields = middle
        keep_tokens = tokens + (["keep-alive"] if http_version == "1.0" else [])
        self._keep_line = b"Connection: " + ", ".join(keep_tokens).encode("latin-1") + b"\r\n" if keep_tokens else b""
        self._close_line = b"Connection: " + ", ".join([*tokens, "close"]).encode("latin-1") + b"\r\n"
        self._stamp = b""
        self._keep = b""
        self._close = b""

    def head(self, date_line: bytes, close: bool) -> bytes:
        return b"".join(
            (
                self._first,
                date_line if self._dated else b"",
                self._fields,
                self._close_line if close else self._keep_line,
                b"\r\n",
            )
        )

    def message(self, date_line: bytes, close: bool) -> bytes:
        """Head and content, memoized until the Date changes."""
        if self._stamp is not date_line:
            self._stamp = date_line
            self._keep = self._close = b""
        if close:
            if not self._close:
                self._close = self.head(date_line, True) + self.body
            return self._close
        if not self._keep:
            self._keep = self.head(date_line, False) + self.body
        return self._keep


def exchange(plan: Plan, date: bytes, http_version: str = "1.1") -> bytes:
    """Everything a connection carries for `plan`, as one byte string (waits aside).

    Interim responses (none to HTTP/1.0, RFC 9110 §15.2), then the final
    response, cut where the plan's fault cuts it: nothing for a drop before
    the status line (444 included), the head alone, or half the content.
    """
    parts = [encode_interim(interim) for interim in plan.interims] if semantics.interims_allowed(http_version) else []
    kind = plan.fault.kind if plan.fault is not None else None
    if kind is FaultKind.DROP:
        return b"".join(parts)
    if kind is FaultKind.GARBAGE:
        return b"".join([*parts, GARBAGE])
    serialized = Serialized(plan, http_version)
    parts.append(serialized.head(date, plan.close))
    if plan.upgrade or kind in (FaultKind.DROP_AFTER_HEADERS, FaultKind.STALL):
        return b"".join(parts)
    body = serialized.body
    parts.append(body[: len(body) // 2] if kind is FaultKind.DROP_MID_BODY else body)
    return b"".join(parts)
