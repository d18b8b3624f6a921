"""`/methods`: a resource that supports GET and PUT only, to test how a client reads 405 and Allow.

    GET, HEAD   200 with the current document (HEAD: its fields, no content, RFC 9110 §9.3.2)
    PUT         replaces it (JSON or text, up to --max-body): 204 (§9.3.4: "200 (OK) or 204 (No Content)")
    OPTIONS     204 with Allow: GET, HEAD, PUT, OPTIONS (§9.3.7)
    others      405 with the same Allow (§15.5.6)

Allow lists HEAD because a resource with GET has HEAD (§9.3.2) and OPTIONS
because the resource answers it. The document lives in the state store
(responder/state.py), so every worker and instance sharing it has the same.
"""

from __future__ import annotations

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources import content
from statuskit.responder.resources.base import JSON_TYPE, Methods, Resource, ask, json_content
from statuskit.responder.state import ANY, Read, Swap

METHODS = ("GET", "PUT")
ACCEPTED = (JSON_TYPE, "text/plain")
INITIAL = json_content({"message": "This resource supports GET and PUT; PUT a JSON or text document to replace me."})
SPACE = "methods"


class MethodsRoute(Resource):
    endpoints = (
        ("/methods", "GET and PUT only (PUT replaces the document): others get 405 with Allow; OPTIONS lists them"),
    )

    methods = Methods(METHODS)

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            raise RequestError(detail="/methods has nothing below it")
        self.methods.check(request)
        if request.method == "PUT":
            media = content.require_media_type(request, ACCEPTED, post=False)
            body, _ = content.decoded(request, self.config.max_body)
            if media.is_json:
                content.parse_json(body)
            else:
                content.text(body)
            content_type = f"{media.essence}; charset=utf-8" if media.essence == "text/plain" else media.essence
            # The type, a newline, the content: a type has no newline.
            write = Swap(SPACE, "document", content_type.encode("latin-1") + b"\n" + body, ANY, 1)
            return ask(request, (write,), lambda _: compose(request, 204))
        return ask(request, (Read(SPACE, "document"),), lambda results: self._current(request, results[0]))

    def _current(self, request: Request, stored: bytes | None) -> Plan:
        document = INITIAL
        if stored is not None:
            content_type, _, body = stored.partition(b"\n")
            document = (body, content_type.decode("latin-1"))
        # Any PUT changes it, and it has no validator to revalidate with: not stored.
        return compose(request, 200, content=document, fields=(("Cache-Control", "no-store"),))

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return request.method == "PUT"
