"""Reading HTTP/1.x responses from bytes: a socket's, or what `curl -si` prints.

Sans-IO and lenient: the point is to see what a server really sent, so the
parser keeps what a strict client would refuse or silently drop - content
after a 204, a 1xx with Content-Length, a 1xx that nothing follows - and
leaves judging it to the rules. It refuses only input that is not an HTTP
response at all (`WireError`, with the line that gave it away).

Two sources differ. On the wire a chunked body is chunked; `curl -si` prints
it already de-chunked, and with `-L` prints the head of each redirect it
followed without that response's content, then the next response. With
`curl=True` the parser accepts either form of a chunked body, ends a body that
has no length where the next status line starts, and takes a head followed at
once by a status line as a response whose content was not shown (`body` None),
so a Content-Length there is not held against it.

Message framing is the engine's, `statuskit.semantics.response_framing` (RFC
9112 §6.3): no content after 1xx, 204, 304 or a response to HEAD; a 2xx to
CONNECT ends HTTP on the stream; then Transfer-Encoding chunked; then
Content-Length; else (and for an invalid Content-Length, leniently) the content
runs to the end of the input.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from statuskit import semantics
from statuskit.errors import StatuskitError
from statuskit.lint.model import Fields, Response

_STATUS_LINE = re.compile(rb"HTTP/(\d(?:\.\d)?)[ \t]+(\S+)(?:[ \t]+([^\r\n]*))?")
_NEXT_STATUS = re.compile(rb"(?m)^HTTP/\d(?:\.\d)?[ \t]+\d{3}\b")
_CHUNK_SIZE = re.compile(rb"([0-9A-Fa-f]{1,16})[ \t]*(?:;[^\r\n]*)?\r?\n")
_BLANK = re.compile(rb"\r?\n\r?\n")


class WireError(StatuskitError, ValueError):
    """The input is not an HTTP response (or is cut off inside a header section)."""


@dataclass
class Parsed:
    """What a byte stream held: exchanges (interim responses, then the final one) and whether it ended cleanly."""

    exchanges: list[tuple[list[Response], Response | None]] = field(default_factory=list)
    complete: bool = True  # the last response ended by its framing, not by running out of input
    switched: bool = False  # a 101 ended HTTP on the stream


def _preview(line: bytes) -> str:
    text = line[:60].decode("latin-1")
    return "".join(ch if ch.isprintable() else "?" for ch in text) + ("..." if len(line) > 60 else "")


def _head(data: bytes, start: int, end: int, number: int) -> tuple[str, int, str, list[tuple[str, str]]]:
    lines = data[start:end].split(b"\n")
    lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
    m = _STATUS_LINE.fullmatch(lines[0])
    if m is None:
        raise WireError(f"response {number} does not start with a status line: {_preview(lines[0])!r}")
    version, code, reason = m[1].decode(), bytes(m[2]), (m[3] or b"").decode("latin-1").strip()
    if not (len(code) == 3 and code.isdigit()):
        raise WireError(f"the status code {_preview(code)!r} of response {number} is not three digits")
    fields: list[tuple[str, str]] = []
    for index, line in enumerate(lines[1:], start=2):
        if line[:1] in (b" ", b"\t") and fields:
            previous_name, previous_value = fields[-1]  # obs-fold: a continuation of the previous line
            fields[-1] = (previous_name, f"{previous_value} {line.strip().decode('latin-1')}")
            continue
        raw_name, colon, raw_value = line.partition(b":")
        if not colon or not raw_name.strip() or raw_name != raw_name.rstrip():
            raise WireError(f"line {index} of response {number} is not a header field: {_preview(line)!r}")
        fields.append((raw_name.decode("latin-1"), raw_value.strip().decode("latin-1")))
    return version, int(code), reason, fields


def _get(fields: list[tuple[str, str]], name: str) -> list[str]:
    return [v for n, v in fields if n.lower() == name]


def _dechunk(data: bytes, pos: int) -> tuple[bytes, int, bool]:
    """Decode a chunked body from `pos`: (content, position after it, complete?)."""
    out = bytearray()
    while True:
        m = _CHUNK_SIZE.match(data, pos)
        if m is None:
            return bytes(out), len(data), False
        size = int(m[1], 16)
        pos = m.end()
        if size == 0:
            # The last chunk; then a trailer section, ended by an empty line.
            if data[pos : pos + 2] == b"\r\n":
                return bytes(out), pos + 2, True
            if data[pos : pos + 1] == b"\n":
                return bytes(out), pos + 1, True
            end = _BLANK.search(data, pos)
            if end is None:
                return bytes(out), len(data), False
            return bytes(out), end.end(), True
        if len(data) < pos + size:
            out += data[pos:]
            return bytes(out), len(data), False
        out += data[pos : pos + size]
        pos += size
        if data[pos : pos + 2] == b"\r\n":
            pos += 2
        elif data[pos : pos + 1] == b"\n":
            pos += 1
        else:
            return bytes(out), len(data), False


def _until_next_status(data: bytes, pos: int) -> int:
    m = _NEXT_STATUS.search(data, pos)
    return m.start() if m else len(data)


def parse_responses(data: bytes, *, method: str = "GET", eof: bool = True, curl: bool = False) -> Parsed:
    """Split `data` into exchanges of interim and final responses.

    With `eof=False` a response that may still be growing is left out and
    `complete` is False, so a caller reading a socket knows to read on.
    Raises `WireError` for input that is not HTTP.
    """
    parsed = Parsed()
    interim: list[Response] = []
    pos, number = 0, 0
    while True:
        while pos < len(data) and data[pos : pos + 1] in (b"\r", b"\n"):
            pos += 1
        if pos >= len(data):
            break
        number += 1
        blank = _BLANK.search(data, pos)
        if blank is None:
            if not eof:
                parsed.complete = False
                break
            if not data.startswith(b"HTTP/", pos):
                first_line = data[pos:].split(b"\n", 1)[0]
                raise WireError(f"response {number} does not start with a status line: {_preview(first_line)!r}")
            # The input ends inside (or right at the end of) a header section.
            end = len(data)
            blank_end = len(data)
        else:
            end, blank_end = blank.start(), blank.end()
        version, status, reason, fields = _head(data, pos, end, number)
        pos = blank_end

        framing = semantics.response_framing(
            status, method, _get(fields, "transfer-encoding"), _get(fields, "content-length")
        )
        if status == 101 or framing.kind is semantics.Framing.TUNNEL:
            # Switching Protocols (RFC 9110 §15.2.2) or a tunnel (RFC 9110 §9.3.6):
            # what follows is no longer HTTP/1.1.
            parsed.exchanges.append(
                (interim, Response(status=status, reason=reason, fields=Fields(fields), version=version))
            )
            parsed.switched = True
            return parsed
        if 100 <= status < 200:
            interim.append(Response(status=status, reason=reason, fields=Fields(fields), version=version))
            continue

        complete = True
        body: bytes | None
        if curl and framing.kind is not semantics.Framing.NONE and _NEXT_STATUS.match(data, pos):
            # `curl -L` prints the head of each response it followed, never its
            # content: the content is unknown, whatever Content-Length says.
            body = None
        elif framing.kind is semantics.Framing.NONE:
            # No content by framing; whatever comes before the next status line
            # is content the server sent anyway.
            stop = _until_next_status(data, pos)
            body, pos = data[pos:stop], stop
            if not eof and stop == len(data):
                complete = False
        elif framing.kind is semantics.Framing.CHUNKED:
            if curl and _CHUNK_SIZE.match(data, pos) is None:
                stop = _until_next_status(data, pos)  # curl printed it de-chunked
                body, pos = data[pos:stop], stop
            else:
                body, pos, complete = _dechunk(data, pos)
        elif framing.length is not None:
            body = data[pos : pos + framing.length]
            complete = len(body) == framing.length
            pos += len(body)
        else:
            stop = _until_next_status(data, pos) if curl else len(data)
            body, pos = data[pos:stop], stop
            complete = eof or stop < len(data)
        if not complete and not eof:
            parsed.complete = False
            break
        parsed.complete = complete
        final = Response(status=status, reason=reason, fields=Fields(fields), body=body, version=version)
        parsed.exchanges.append((interim, final))
        interim = []
    if interim:
        # 1xx responses that no final response followed.
        if not eof:
            parsed.complete = False
        else:
            parsed.exchanges.append((interim[:-1], interim[-1]))
    if number == 0 and eof:
        raise WireError("the input is empty, not an HTTP response")
    return parsed
