"""Where a response's content ends, and the fields only the sender of a message may set.

RFC 9112 §6.3 (message body length), §6.1 (Transfer-Encoding); RFC 9110 §8.6
(Content-Length), §7.6.1 (connection-specific fields), §10.1.1 (Expect).
The engine's upstream client and the linter's readers of wire bytes and HARs
all frame a response with `response_framing`.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

TYPE_CHECKING = False  # typing stays out of `statuskit 404` (see _status.NamedTuple)
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from statuskit.semantics._status import NamedTuple

# §10.1.1: 100-continue is the only expectation RFC 9110 defines, and a server
# MAY answer any other with 417. Expectations are case-insensitive.
CONTINUE = "100-continue"
EXPECTATIONS: frozenset[str] = frozenset({CONTINUE})

# Fields only the sender of a message may set, because they frame it or
# control the connection it travels on: Content-Length (§8.6) and the
# connection-specific fields of §7.6.1 (Connection, Proxy-Connection,
# Keep-Alive, TE, Transfer-Encoding, Upgrade). Lower-case.
FRAMING_FIELDS: frozenset[str] = frozenset({"content-length", "transfer-encoding"})
CONNECTION_FIELDS: frozenset[str] = frozenset(
    {"connection", "proxy-connection", "keep-alive", "te", "transfer-encoding", "upgrade"}
)

# RFC 9112 §6.3, first rule: these responses end with their header section,
# whatever fields they carry. (205 is not among them: its framing is declared.)
BODILESS_STATUSES = frozenset({*range(100, 200), 204, 304})
BODILESS_METHODS = frozenset({"HEAD"})


class Framing(enum.Enum):
    """How the content of a response is delimited (RFC 9112 §6.3, in the order of its rules)."""

    NONE = "none"  # rule 1: a response to HEAD, a 1xx, 204 or 304
    TUNNEL = "tunnel"  # rule 2: a 2xx to CONNECT; the connection is a tunnel from here on
    CHUNKED = "chunked"  # rule 4: Transfer-Encoding whose final coding is chunked
    LENGTH = "length"  # rule 6: a valid Content-Length
    CLOSE = "close"  # rules 4 and 8: until the server closes the connection
    INVALID = "invalid"  # rule 5: Content-Length values that are not one number


class ResponseFraming(NamedTuple):
    kind: Framing
    length: int | None = None  # the Content-Length, for Framing.LENGTH


def _tokens(values: Iterable[str]) -> list[str]:
    return [token for value in values for token in (part.strip().lower() for part in value.split(",")) if token]


def response_framing(
    status: int, method: str, transfer_encoding: Iterable[str] = (), content_length: Iterable[str] = ()
) -> ResponseFraming:
    """How the content of a response with these field values ends, per RFC 9112 §6.3.

    `transfer_encoding` and `content_length` are the values of every field
    line of that name (none: the field is absent).
    """
    if status in BODILESS_STATUSES or method.upper() in BODILESS_METHODS:
        return ResponseFraming(Framing.NONE)
    if 200 <= status < 300 and method.upper() == "CONNECT":
        return ResponseFraming(Framing.TUNNEL)
    codings = _tokens(transfer_encoding)
    if codings:
        # Transfer-Encoding overrides Content-Length (rule 3); without chunked
        # last, only the connection's close ends the content (rule 4).
        return ResponseFraming(Framing.CHUNKED if codings[-1] == "chunked" else Framing.CLOSE)
    lengths = set(_tokens(content_length))
    if not lengths:
        return ResponseFraming(Framing.CLOSE)
    # RFC 9110 §8.6: a list of identical values may be read as that one value.
    (length, *others) = lengths
    if others or not (length.isascii() and length.isdigit()):
        return ResponseFraming(Framing.INVALID)
    return ResponseFraming(Framing.LENGTH, int(length))
