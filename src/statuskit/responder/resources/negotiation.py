"""`/negotiate`: one resource in JSON, HTML and plain text, each in English and Simplified Chinese.

    GET /negotiate              the variant Accept and Accept-Language prefer (q-values, most
                                specific range first, RFC 9110 §12.5.1, §12.5.4); Vary on both,
                                Content-Language, and Content-Location naming the variant (§8.7)
                                406 when no variant is acceptable, listing them all (§15.5.7)
    GET /negotiate/{lang}.{ext} one variant, not negotiated: en or zh-CN; txt, json or html
    POST /negotiate             JSON or text/plain content, gzip or deflate coded or not:
                                200 describing what arrived; another media type gets 415 with
                                Accept and Accept-Post, another coding 415 with Accept-Encoding

Unlike the status-code documents (`/{code}`), which disregard an Accept
they cannot meet (§12.5.1 allows both), this resource honours the fields:
a client can see whether it negotiates as it means to. Both fields are
read strictly; a member that breaks their grammar is a 400 naming it.
"""

from __future__ import annotations

import html
from typing import Any

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.negotiate import Variant, select_variant
from statuskit.responder.plan import Plan
from statuskit.responder.request import Fields, Request
from statuskit.responder.resources import content
from statuskit.responder.resources.base import GET_ONLY, JSON_TYPE, Methods, Resource, json_content

VARY = "Accept, Accept-Language"
EXTENSIONS = {"text/plain": "txt", "application/json": "json", "text/html": "html"}
LANGUAGES = ("en", "zh-CN")
# The server's preference among equally acceptable variants: the order of this tuple.
VARIANTS = tuple(
    Variant(media, lang, f"/negotiate/{lang}.{ext}") for media, ext in EXTENSIONS.items() for lang in LANGUAGES
)
GREETING = {
    "en": "Hello! This is the English {kind} variant of /negotiate.",
    "zh-CN": "你好！这是 /negotiate 的中文{kind}版本。",
}
KIND = {
    ("en", "text/plain"): "plain-text",
    ("en", "application/json"): "JSON",
    ("en", "text/html"): "HTML",
    ("zh-CN", "text/plain"): "纯文本",
    ("zh-CN", "application/json"): "JSON ",
    ("zh-CN", "text/html"): "HTML ",
}
ACCEPTED = (JSON_TYPE, "text/plain")


def render(variant: Variant) -> tuple[bytes, str]:
    message = GREETING[variant.language].format(kind=KIND[(variant.language, variant.media_type)])
    if variant.media_type == JSON_TYPE:
        return json_content(
            {
                "language": variant.language,
                "media_type": variant.media_type,
                "message": message,
                "variants": [v.url for v in VARIANTS],
            }
        )
    if variant.media_type == "text/html":
        page = (
            f'<!doctype html>\n<html lang="{variant.language}">\n<head><meta charset="utf-8">'
            f"<title>/negotiate</title></head>\n<body><p>{html.escape(message)}</p></body>\n</html>\n"
        )
        return page.encode("utf-8"), "text/html; charset=utf-8"
    return (message + "\n").encode("utf-8"), "text/plain; charset=utf-8"


def alternates() -> list[dict[str, str]]:
    return [{"url": v.url, "type": v.media_type, "language": v.language} for v in VARIANTS]


def links() -> str:
    # RFC 8288 §3: rel="alternate" with the media type and language of each variant.
    return ", ".join(f'<{v.url}>; rel="alternate"; type="{v.media_type}"; hreflang="{v.language}"' for v in VARIANTS)


def _variant_fields(variant: Variant) -> Fields:
    return (("Content-Language", variant.language),)


class NegotiateRoute(Resource):
    endpoints = (
        (
            "/negotiate",
            "JSON, HTML or text, English or Chinese by Accept / Accept-Language (406 if none fits); POST JSON or text "
            "(else 415)",
        ),
        ("/negotiate/{lang}.{ext}", "one variant of /negotiate: lang en or zh-CN, ext txt, json or html"),
    )

    # The negotiated resource takes POST (and says what in its answer to OPTIONS); its variants are read only.
    methods = Methods(("GET", "POST"), options_fields=content.accept_fields(ACCEPTED, post=True)[1:])
    variant_methods = GET_ONLY

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            return self._variant(request, rest)
        self.methods.check(request)
        if request.method == "POST":
            return self._post(request)
        variant = select_variant(VARIANTS, request.header("accept"), request.header("accept-language"))
        if variant is None:
            return self._not_acceptable(request)
        fields = (("Vary", VARY), ("Content-Location", variant.url), *_variant_fields(variant))
        return compose(request, 200, content=render(variant), fields=fields, reusable=True)

    def _variant(self, request: Request, rest: tuple[str, ...]) -> Plan:
        name = rest[0] if len(rest) == 1 else ""
        for variant in VARIANTS:
            if variant.url == f"/negotiate/{name}":
                break
        else:
            names = ", ".join(v.url for v in VARIANTS)
            return compose(request, 404, detail=f"no variant {request.path[:100]}; there are {names}", reusable=True)
        self.variant_methods.check(request)
        return compose(request, 200, content=render(variant), fields=_variant_fields(variant), reusable=True)

    def _not_acceptable(self, request: Request) -> Plan:
        accept, language = request.header("accept"), request.header("accept-language")
        media_ok = select_variant(VARIANTS, accept, None) is not None
        language_ok = select_variant(VARIANTS, None, language) is not None
        if not media_ok and not language_ok:
            why = f"neither Accept: {accept} nor Accept-Language: {language} matches a variant"
        elif not media_ok:
            why = f"Accept: {accept} matches none of {', '.join(EXTENSIONS)}"
        elif not language_ok:
            why = f"Accept-Language: {language} matches none of {', '.join(LANGUAGES)}"
        else:
            why = "no variant is acceptable in both media type and language"
        document: dict[str, Any] = {"status": 406, "detail": why[:300], "alternates": alternates()}
        # §15.5.7: "The server SHOULD generate content containing a list of available
        # representation characteristics and corresponding resource identifiers".
        return compose(
            request,
            406,
            content=json_content(document),
            fields=(("Vary", VARY), ("Link", links())),
            reusable=True,
        )

    def _post(self, request: Request) -> Plan:
        media = content.require_media_type(request, ACCEPTED, post=True)
        body, codings = content.decoded(request, self.config.max_body)
        received: dict[str, Any] = {"media_type": media.essence, "length": len(body), "decoded": list(codings)}
        if media.is_json:
            received["json"] = content.parse_json(body)
        else:
            received["text"] = content.text(body)
        return compose(
            request, 200, content=json_content({"received": received}), fields=(("Cache-Control", "no-store"),)
        )

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return request.method == "POST" and not any(rest)
