"""Requests the engine refuses before the responder sees them, each with its status.

    ProtocolError(*, status, detail) like h11's ProtocolError with its error_status_hint:
                                    the code travels with the error, so the answer is
                                    400, 413, 414, 431, 501 or 505 without guessing
    ServerError                     the server cannot start (port taken, bad address)

`from_parser_error` maps what httptools (llhttp) reports to these codes. llhttp
reports one error for several conditions, so a few are told apart here by
looking at the bytes (the method token, the version).
"""

from __future__ import annotations

import re

import httptools

from statuskit.errors import Refusal, StatuskitError


class ProtocolError(Refusal):
    """A request that cannot be answered normally; the connection closes after the answer."""

    def __init__(self, *, status: int, detail: str) -> None:
        super().__init__(status=status, detail=detail)
        self.head = False  # the refused request is a HEAD: the answer has no content

    def __str__(self) -> str:
        return f"{self.status}: {self.detail}"


class ServerError(StatuskitError):
    """The server cannot start; the message is one line for the CLI."""


# Substrings of llhttp's messages, in the order they are tried.
_PARSER_MESSAGES: tuple[tuple[str, int, str], ...] = (
    (
        "Transfer-Encoding can't be present with Content-Length",
        400,
        "both Content-Length and Transfer-Encoding: the content length is ambiguous (request smuggling)",
    ),
    ("Duplicate Content-Length", 400, "Content-Length is given more than once (request smuggling)"),
    ("Transfer-Encoding", 400, "Transfer-Encoding must end with chunked, once (request smuggling)"),
    ("Content-Length overflow", 413, "Content-Length is larger than any content this server accepts"),
    ("Content-Length", 400, "Content-Length must be a single non-negative decimal number"),
    ("Pause on PRI/Upgrade", 505, "an HTTP/2 connection preface: this server speaks HTTP/1.1 and HTTP/1.0 only"),
    ("Invalid HTTP version", 505, "this server speaks HTTP/1.1 and HTTP/1.0 only"),
    ("Unexpected whitespace after header value", 400, "obsolete line folding in a header field is not accepted"),
    ("Invalid header value char", 400, "a header field value contains a control character (RFC 9110 §5.5)"),
    ("Invalid header token", 400, "a header field name is not a token, or has whitespace before the colon"),
    ("Invalid header field char", 400, "a header field name is not a token (RFC 9110 §5.1)"),
    ("CRLF", 400, "lines must end with CRLF"),
    ("chunk", 400, "malformed chunked content"),
)

_TOKEN_PREFIX = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]*")


def from_parser_error(exc: httptools.HttpParserError, version: str | None = None) -> ProtocolError:
    message = str(exc)
    if isinstance(exc, httptools.HttpParserInvalidURLError):
        return ProtocolError(
            status=400, detail="the request target contains a character that is not allowed (RFC 9110 §4.1)"
        )
    for needle, status, detail in _PARSER_MESSAGES:
        if needle.lower() in message.lower():
            if status == 505 and version:
                detail = f"HTTP/{version} is not supported: {detail}"
            return ProtocolError(status=status, detail=detail)
    return ProtocolError(status=400, detail=f"malformed request ({message[:80]})")


def method_error(line_start: bytes, limit: int = 64) -> ProtocolError | None:
    """501 for a method token llhttp does not know, 400 for bytes that are no method at all.

    RFC 9110 §9.1: "An origin server that receives a request method that is
    unrecognized or not implemented SHOULD respond with the 501 (Not
    Implemented) status code." Bytes that are not a token followed by a
    space (a TLS handshake, binary noise) are not a method, so they make a
    malformed request. None means: not enough bytes yet to tell.
    """
    end = _TOKEN_PREFIX.match(line_start).end()  # type: ignore[union-attr]
    if end == len(line_start):
        if end < limit:
            return None
        return ProtocolError(status=400, detail="the request does not start with a method")
    if end > 0 and line_start[end : end + 1] == b" ":
        shown = line_start[:end][:40].decode("ascii")
        return ProtocolError(status=501, detail=f"{shown} is not a method this server implements (RFC 9110 §9.1)")
    return ProtocolError(status=400, detail="the request does not start with a method")
