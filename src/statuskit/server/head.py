"""What a request head must satisfy before its content is read: Host, Transfer-Encoding, Expect, Content-Length.

Sans-IO, for both wire protocols: the HTTP/1.x engine calls it when llhttp
has read a header section, the HTTP/2 engine when a stream's HEADERS arrive
(with version "2", where the HTTP/2 layer has already refused
Transfer-Encoding as a connection-specific field). Each breach is a
`ProtocolError` carrying its status.
"""

from __future__ import annotations

from statuskit import semantics
from statuskit.server.errors import ProtocolError


class Head:
    """How the content of an accepted request is framed, and whether its client waits for 100 (Continue)."""

    __slots__ = ("chunked", "expects_continue", "length")

    def __init__(self, length: int, chunked: bool, expects_continue: bool) -> None:
        self.length = length
        self.chunked = chunked
        self.expects_continue = expects_continue

    @property
    def has_body(self) -> bool:
        return self.chunked or self.length > 0


def check_head(version: str, fields: list[tuple[bytes, bytes]], max_body: int) -> Head | None:
    """The framing of a request head, or ProtocolError (400, 413, 417, 501) for one this server refuses.

    None for the common case, no content and no expectation (nothing is made then).

    Content-Length is taken as one decimal number: llhttp and the h2 library
    have checked it is one.
    """
    hosts = 0
    length = 0
    codings: list[bytes] | None = None
    expect: bytes | None = None
    for name, value in fields:
        # Compared by length first: this runs for every request.
        size = len(name)
        if size == 4:
            if name.lower() == b"host":
                hosts += 1
        elif size == 14:
            if name.lower() == b"content-length":
                length = int(value)
        elif size == 17:
            if name.lower() == b"transfer-encoding":
                codings = (codings or []) + [coding.strip().lower() for coding in value.split(b",")]
        elif size == 6 and name.lower() == b"expect":
            expect = value
    if hosts > 1 or (hosts == 0 and version == "1.1"):
        # RFC 9110 §7.2: an HTTP/1.1 request carries exactly one Host (RFC 9112 §3.2 makes it a 400).
        raise ProtocolError(
            status=400, detail="an HTTP/1.1 request needs exactly one Host header field (RFC 9110 §7.2)"
        )
    if codings is not None:
        if codings[-1] != b"chunked" or b"chunked" in codings[:-1]:
            # Only chunked, once and last, says where the content ends (llhttp agrees).
            raise ProtocolError(status=400, detail="Transfer-Encoding must end with chunked, once (request smuggling)")
        if version == "1.0":
            # HTTP/1.0 has no transfer codings: a 1.0 front end frames this message
            # differently, so HTTP/1.1 (RFC 9112) has the server treat it as faulty framing.
            raise ProtocolError(
                status=400,
                detail="Transfer-Encoding in an HTTP/1.0 request: the framing is ambiguous (request smuggling)",
            )
        if len(codings) > 1:
            # The content would arrive still coded (gzip...), which this server cannot undo.
            other = next(coding for coding in codings if coding != b"chunked")
            shown = other[:40].decode("latin-1")
            raise ProtocolError(
                status=501, detail=f"the transfer coding {shown!r} is not implemented; send the content chunked only"
            )
    if length > max_body:
        # RFC 9110 §15.5.14: refuse before reading content that is too large.
        raise ProtocolError(status=413, detail=f"the content is larger than {max_body} bytes (--max-body)")
    # RFC 9110 §10.1.1: 100-continue is the only expectation; a server MUST
    # ignore it in HTTP/1.0 and MAY answer any other with 417.
    if expect is None or not semantics.interims_allowed(version):
        return None if codings is None and length == 0 else Head(length, codings is not None, False)
    if expect.strip().lower().decode("latin-1") not in semantics.EXPECTATIONS:
        shown = expect[:60].decode("latin-1")
        raise ProtocolError(status=417, detail=f"the expectation {shown!r} is not supported; only 100-continue is")
    return Head(length, codings is not None, True)
