"""`/gzip`, `/deflate`, `/brotli`: a JSON document always sent in that content coding (httpbin's).

These exist to test a client's decoding, so the coding does not depend on
Accept-Encoding: a client that cannot decode it is what the test is
looking for. (RFC 9110 §12.5.3 says a server SHOULD send an unlisted coding
only when it has no other; docs/httpbin.md lists this as a deliberate
difference.) Since the answer never varies by Accept-Encoding, there is no
Vary. deflate is the zlib format (RFC 1950), as §8.4.1.2 defines it; brotli
(RFC 7932) needs the `brotli` or `brotlicffi` package, and without either
the answer is 501 saying so.
"""

from __future__ import annotations

import gzip
import importlib
import zlib
from collections.abc import Callable
from typing import Any

from statuskit.responder.compose import compose
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import GET_ONLY, Resource, json_content
from statuskit.responder.resources.inspect import NO_STORE, header_object, origin_of


def _brotli() -> Callable[[bytes], bytes] | None:
    """brotli's compress, from whichever of the two packages is installed (imported when first asked for)."""
    for name in ("brotli", "brotlicffi"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        compress: Callable[[bytes], bytes] = module.compress
        return compress
    return None


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


# path -> (Content-Encoding, httpbin's flag in the document)
CODINGS = {"gzip": ("gzip", "gzipped"), "deflate": ("deflate", "deflated"), "brotli": ("br", "brotli")}


class CodingRoute(Resource):
    def __init__(self, name: str) -> None:
        self.name = name
        self.coding, self.flag = CODINGS[name]
        self.endpoints = (
            (f"/{name}", f"a JSON document sent with Content-Encoding: {self.coding}, whatever Accept-Encoding says"),
        )

    methods = GET_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            raise RequestError(detail=f"/{self.name} has nothing below it")
        self.methods.check(request)
        compress: Callable[[bytes], bytes] | None
        if self.name == "gzip":
            compress = _gzip
        elif self.name == "deflate":
            compress = zlib.compress
        else:
            compress = _brotli()
            if compress is None:
                return compose(
                    request,
                    501,
                    detail="/brotli needs the brotli or brotlicffi package on the server (pip install brotli)",
                )
        document: dict[str, Any] = {
            self.flag: True,
            "headers": header_object(request),
            "method": request.method,
            "origin": origin_of(request),
        }
        body, media = json_content(document)
        return compose(
            request,
            200,
            content=(compress(body), media),
            fields=(("Content-Encoding", self.coding), *NO_STORE),
        )


def coding_routes() -> dict[str, CodingRoute]:
    return {name: CodingRoute(name) for name in CODINGS}
