"""gzip for the large documents the server renders: the reference page, code pages and their assets.

The reference page is about 380 KB of HTML and under 90 KB gzipped (benchmarks/page.py).
Only these routes are coded; a status code's own small body never is, so
what `/{code}` sends stays exactly what a test expects. A document is
compressed once and kept: the pages are pure functions of the registry.
"""

from __future__ import annotations

import gzip
from functools import lru_cache

from statuskit.responder import negotiate
from statuskit.responder.errors import RequestError
from statuskit.responder.request import Request

# Below this, the gzip header and the Vary entry cost more than they save.
MIN_SIZE = 1024

Fields = tuple[tuple[str, str], ...]


def accepts_gzip(request: Request) -> bool:
    """Does the request's Accept-Encoding give gzip a weight above 0 (RFC 9110 §12.5.3)?

    An absent field means any coding is acceptable, but §12.5.3 lets the
    server send identity then; a field that breaks the grammar is read as
    asking for nothing, so a page still loads.
    """
    value = request.header("accept-encoding")
    if not value:
        return False
    try:
        codings = dict(negotiate.parse_codings(value))
    except RequestError:
        return False
    if "gzip" in codings:
        return codings["gzip"] > 0
    if "x-gzip" in codings:  # §8.4.1.3: x-gzip is gzip
        return codings["x-gzip"] > 0
    return codings.get("*", 0) > 0


@lru_cache(maxsize=32)
def _compress(content: bytes) -> bytes:
    # mtime=0: the same document always compresses to the same bytes.
    return gzip.compress(content, compresslevel=6, mtime=0)


def encode(request: Request, content: tuple[bytes, str], vary: str = "") -> tuple[tuple[bytes, str], Fields]:
    """The content to send and the fields that say how: Content-Encoding and Vary (§8.4, §12.5.5)."""
    body, media_type = content
    vary_all = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"
    if len(body) < MIN_SIZE:
        return content, (("Vary", vary),) if vary else ()
    if not accepts_gzip(request):
        return content, (("Vary", vary_all),)
    return (_compress(body), media_type), (("Content-Encoding", "gzip"), ("Vary", vary_all))
