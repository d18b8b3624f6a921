"""The one exception of the responder: a request that asks for something invalid.

It carries the status to answer with (400 unless said otherwise) and a
one-line detail that names what is wrong, as h11's `ProtocolError` carries
its `error_status_hint`. `Responder.respond` turns it into a plan with the
same body shape as every other response; it never leaves the responder.
"""

from __future__ import annotations

from statuskit.errors import Refusal

# Characters of a caller's value quoted back in an explanation: enough to
# recognise it, never a 5000-digit echo (the explanation stays one short line).
SHOWN = 40


def shown(text: str, limit: int = SHOWN) -> str:
    """`text` quoted for an error message, cut to `limit` characters with its length said."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text)} characters)"


class RequestError(Refusal, ValueError):
    """What the URL API or a request field asks for cannot be done: 400 unless said otherwise."""

    def __init__(self, *, detail: str, status: int = 400) -> None:
        super().__init__(status=status, detail=detail)
