"""What the server saw of the request, one part at a time: `/headers`, `/ip`, `/user-agent`, `/uuid` (httpbin's).

Each is a GET resource answering a small JSON object under httpbin's key
(`headers`, `origin`, `user-agent`, `uuid`), so a client's suite written
against httpbin reads the same document here. The answers depend on the
client's address or on randomness, so none is stored (no-store) or reused.
"""

from __future__ import annotations

import random
import uuid
from typing import Any, ClassVar

from statuskit.responder.compose import compose
from statuskit.responder.errors import RequestError
from statuskit.responder.fields import display_name
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import GET_ONLY, Resource, json_content

NO_STORE = (("Cache-Control", "no-store"),)


def header_object(request: Request) -> dict[str, str]:
    """The request's fields under their usual spelling (`User-Agent`), repeated ones joined (RFC 9110 §5.3)."""
    shown: dict[str, str] = {}
    for name, _ in request.headers:
        shown.setdefault(display_name(name), request.header(name) or "")
    return shown


def origin_of(request: Request) -> str:
    return request.client[0] if request.client else ""


class InspectRoute(Resource):
    """One of the inspection resources, named by `part`."""

    DESCRIPTIONS: ClassVar[dict[str, str]] = {
        "headers": 'the request\'s header fields as JSON ({"headers": {...}})',
        "ip": 'the client\'s address as JSON ({"origin": ...})',
        "user-agent": 'the request\'s User-Agent as JSON ({"user-agent": ...})',
        "uuid": 'a new random UUID (version 4) as JSON ({"uuid": ...})',
    }

    def __init__(self, part: str, rng: random.Random) -> None:
        self.part = part
        self.rng = rng
        self.endpoints = ((f"/{part}", self.DESCRIPTIONS[part]),)

    methods = GET_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest):
            raise RequestError(detail=f"/{self.part} has nothing below it")
        self.methods.check(request)
        document: dict[str, Any]
        if self.part == "headers":
            document = {"headers": header_object(request)}
        elif self.part == "ip":
            document = {"origin": origin_of(request)}
        elif self.part == "user-agent":
            document = {"user-agent": request.header("user-agent")}
        else:
            document = {"uuid": str(uuid.UUID(int=self.rng.getrandbits(128), version=4))}
        return compose(request, 200, content=json_content(document), fields=NO_STORE)


def inspect_routes(rng: random.Random) -> dict[str, InspectRoute]:
    return {part: InspectRoute(part, rng) for part in InspectRoute.DESCRIPTIONS}
