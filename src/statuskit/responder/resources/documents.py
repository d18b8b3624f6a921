"""Fixed documents in the formats clients parse, under httpbin's names.

    /html /json /xml /robots.txt /deny /encoding/utf8 /forms/post   one document each
    /image                       PNG, JPEG, WebP or SVG by Accept (406 with the list when none fits)
    /image/png|jpeg|webp|svg     one of them
    /base64/{value}              the URL-safe base64 value, decoded
    /links/{n}[/{offset}]        a page of n links to its sibling pages (/links/{n} redirects to offset 0)

The texts are statuskit's own; only the top-level JSON keys (`slideshow`)
and the media types follow httpbin, since that is what its clients read.
Each answer depends on the request's head only, so each may be reused.
"""

from __future__ import annotations

import base64
import binascii
import html

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.negotiate import Variant, select_variant
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import (
    GET_ONLY,
    Resource,
    json_content,
    whole_number,
)
from statuskit.responder.resources.images import IMAGES
from statuskit.responder.route import Inputs

HTML_TYPE = "text/html; charset=utf-8"

PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>statuskit: a page to fetch</title></head>
<body>
<h1>A page to fetch</h1>
<p>This page never changes. A client under test can fetch it, parse it, cache it or compare it with an earlier
copy; a test can count its paragraphs or look for this sentence.</p>
<p>Status codes tell a client what happened to its request: 2xx it worked, 3xx look elsewhere, 4xx the request was
wrong, 5xx the server failed. Everything else in a response is there to say more about that one number.</p>
</body>
</html>
"""

SLIDESHOW = {
    "slideshow": {
        "title": "Status codes in five minutes",
        "author": "statuskit",
        "date": "2026-01-01",
        "slides": [
            {"type": "all", "title": "Five classes"},
            {
                "type": "all",
                "title": "What to remember",
                "items": ["1xx are interim", "304 has no content", "401 carries a challenge"],
            },
        ],
    }
}

XML = """<?xml version="1.0" encoding="utf-8"?>
<!-- A document that never changes, for clients that parse XML. -->
<slideshow title="Status codes in five minutes" date="2026-01-01" author="statuskit">
  <slide type="all"><title>Five classes</title></slide>
  <slide type="all">
    <title>What to remember</title>
    <item>1xx are interim</item>
    <item>304 has no content</item>
    <item>401 carries a challenge</item>
  </slide>
</slideshow>
"""

ROBOTS = "User-agent: *\nDisallow: /deny\n"

DENY = "robots.txt asks crawlers to keep out of /deny, and here you are anyway.\n"

UTF8_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>UTF-8 text</title></head>
<body>
<h1>UTF-8 text in several scripts</h1>
<ul>
<li lang="en">English: the server answered 200 OK.</li>
<li lang="zh-CN">中文：服务器返回了 200 OK。</li>
<li lang="ru">Русский: сервер ответил 200 OK.</li>
<li lang="el">Ελληνικά: ο διακομιστής απάντησε 200 OK.</li>
<li lang="ar" dir="rtl">العربية: أجاب الخادم 200 OK.</li>
<li lang="hi">हिन्दी: सर्वर ने 200 OK लौटाया।</li>
<li>Symbols: ✓ ✗ → ← ∞ € £ ¥ 🙂</li>
</ul>
</body>
</html>
"""

FORM = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>A form to submit</title></head>
<body>
<form method="post" action="/post">
<p><label>Name <input name="name"></label></p>
<p><label>Email <input type="email" name="email"></label></p>
<p>Size: <label><input type="radio" name="size" value="small"> small</label>
<label><input type="radio" name="size" value="large"> large</label></p>
<p><label><input type="checkbox" name="extras" value="tea"> tea</label>
<label><input type="checkbox" name="extras" value="cake"> cake</label></p>
<p><label>Note <textarea name="note"></textarea></label></p>
<p><button>Send to /post</button></p>
</form>
</body>
</html>
"""

# path -> (content, media type)
DOCUMENTS: dict[str, tuple[bytes, str]] = {
    "html": (PAGE.encode("utf-8"), HTML_TYPE),
    "json": json_content(SLIDESHOW),
    "xml": (XML.encode("utf-8"), "application/xml"),
    "robots.txt": (ROBOTS.encode("ascii"), "text/plain; charset=utf-8"),
    "deny": (DENY.encode("ascii"), "text/plain; charset=utf-8"),
    "encoding/utf8": (UTF8_PAGE.encode("utf-8"), HTML_TYPE),
    "forms/post": (FORM.encode("utf-8"), HTML_TYPE),
}

DESCRIPTIONS = {
    "html": "an HTML page",
    "json": 'a JSON document ({"slideshow": ...})',
    "xml": "an XML document",
    "robots.txt": "robots.txt disallowing /deny",
    "deny": "the page robots.txt disallows",
    "encoding/utf8": "an HTML page of UTF-8 text in several scripts",
    "forms/post": "an HTML form that posts to /post",
}

IMAGE_NAMES = {"png": "image/png", "jpeg": "image/jpeg", "webp": "image/webp", "svg": "image/svg+xml"}
IMAGE_VARIANTS = tuple(
    Variant(media, "", f"/image/{name}") for media in IMAGES for name, m in IMAGE_NAMES.items() if m == media
)

# Sizes of a /links page: the link text and markup per link.
LINK_BYTES = 40


# What these answers depend on besides method and path: the document explaining an error
# (404, 405, 400) is negotiated, and /image picks its format by Accept.
NEGOTIATED_ONLY = Inputs(fields=("accept", "accept-language"))


class DocumentRoute(Resource):
    """One fixed document, found under its first segment (`html`) or two (`encoding/utf8`)."""

    def __init__(self, first: str) -> None:
        self.first = first
        self.names = tuple(name for name in DOCUMENTS if name.split("/")[0] == first)
        self.endpoints = tuple((f"/{name}", DESCRIPTIONS[name]) for name in self.names)

    methods = GET_ONLY
    inputs = NEGOTIATED_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        name = "/".join((self.first, *rest)).rstrip("/") if rest else self.first
        if name not in DOCUMENTS:
            return compose(
                request, 404, detail=f"nothing at {request.path[:100]}; there is {', '.join(self.names)}", reusable=True
            )
        self.methods.check(request)
        return compose(request, 200, content=DOCUMENTS[name], reusable=True)


class ImageRoute(Resource):
    endpoints = (
        ("/image", "an image in the format Accept prefers: WebP, SVG, JPEG or PNG (406 if none)"),
        ("/image/{format}", "the image as png, jpeg, webp or svg"),
    )

    methods = GET_ONLY
    inputs = NEGOTIATED_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) > 1 or (rest and rest[0] not in IMAGE_NAMES):
            return compose(
                request,
                404,
                detail=f"no image at {request.path[:100]}; there is /image/{{png,jpeg,webp,svg}}",
                reusable=True,
            )
        self.methods.check(request)
        if rest:
            media = IMAGE_NAMES[rest[0]]
            return compose(request, 200, content=(IMAGES[media], media), reusable=True)
        variant = select_variant(IMAGE_VARIANTS, request.header("accept"), None)
        if variant is None:
            offered = ", ".join(IMAGES)
            document = {
                "status": 406,
                "detail": f"Accept matches no image type here: {offered}",
                "alternates": [v.url for v in IMAGE_VARIANTS],
            }
            links = ", ".join(f'<{v.url}>; rel="alternate"; type="{v.media_type}"' for v in IMAGE_VARIANTS)
            # RFC 9110 §15.5.7: a 406 should list the available representations.
            return compose(
                request,
                406,
                content=json_content(document),
                fields=(("Vary", "Accept"), ("Link", links)),
                reusable=True,
            )
        fields = (("Vary", "Accept"), ("Content-Location", variant.url))
        return compose(
            request, 200, content=(IMAGES[variant.media_type], variant.media_type), fields=fields, reusable=True
        )


class Base64Route(Resource):
    endpoints = (("/base64/{value}", "the URL-safe base64 value decoded: text/plain if UTF-8, else octets"),)

    methods = GET_ONLY
    inputs = NEGOTIATED_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) != 1 or not rest[0]:
            raise RequestError(
                detail="ask for /base64/VALUE, VALUE in URL-safe base64 (RFC 4648 §5), such as /base64/c3RhdHVza2l0"
            )
        self.methods.check(request)
        text = rest[0]
        try:
            data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
            if base64.urlsafe_b64encode(data).rstrip(b"=") != text.rstrip("=").encode("ascii"):
                raise ValueError
        except (binascii.Error, ValueError, UnicodeEncodeError):
            raise RequestError(
                detail=f"{text[:40]!r} is not URL-safe base64 (RFC 4648 §5: A-Z a-z 0-9 - _, = padding)"
            ) from None
        try:
            data.decode("utf-8")
            media = "text/plain; charset=utf-8"
        except UnicodeDecodeError:
            media = "application/octet-stream"
        return compose(request, 200, content=(data, media), reusable=True)


class LinksRoute(Resource):
    endpoints = (
        (
            "/links/{n}/{offset}",
            "an HTML page of n links to /links/{n}/0 ... (offset is the current page); /links/{n} redirects to offset "
            "0",
        ),
    )

    methods = GET_ONLY
    inputs = NEGOTIATED_ONLY

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if not 1 <= len(rest) <= 2 or not rest[0]:
            raise RequestError(detail="ask for /links/N/OFFSET, such as /links/10/0")
        self.methods.check(request)
        most = max(1, self.config.max_range_bytes // LINK_BYTES)
        count = whole_number("n", rest[0], 1, most)
        if len(rest) == 1 or not rest[1]:
            return compose(request, 302, fields=(("Location", f"/links/{count}/0"),), reusable=True)
        offset = whole_number("offset", rest[1], 0, count - 1)
        items = [str(n) if n == offset else f'<a href="/links/{count}/{n}">{n}</a>' for n in range(count)]
        page = (
            f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Links {offset} of '
            f"{count}</title></head>\n"
            f"<body>{html.escape(str(offset))}: {' '.join(items)}</body></html>\n"
        )
        return compose(request, 200, content=(page.encode("utf-8"), HTML_TYPE), reusable=True)


def document_routes(config: ResponderConfig) -> dict[str, Resource]:
    routes: dict[str, Resource] = {
        first: DocumentRoute(first) for first in dict.fromkeys(n.split("/")[0] for n in DOCUMENTS)
    }
    routes["image"] = ImageRoute()
    routes["base64"] = Base64Route()
    routes["links"] = LinksRoute(config)
    return routes


__all__ = ["DOCUMENTS", "document_routes"]
