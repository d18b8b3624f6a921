"""`/items`: a collection in memory, for 201, 409, 410, 412 and 204 that arise from what a client does.

    GET    /items        200: the items (id, URL, version)
    POST   /items        JSON or text content: 201 with Location of the new item and its ETag
    GET    /items/{id}   200 with the content as stored and its ETag; 410 once deleted; 404 if never there
    PUT    /items/{id}   replaces (200) or creates that id (201)
    DELETE /items/{id}   204; then the item is 410 Gone

Which code answers a PUT that cannot be applied:

- 412 Precondition Failed when a precondition is false (RFC 9110 §13.1.1,
  §13.1.2): `If-Match` with a tag that is not the current one (a lost update
  prevented), `If-Match` on an item that does not exist, or
  `If-None-Match: *` on an item that exists ("create, but only if new").
- 409 Conflict for a real conflict with the item's state (§15.5.10, whose
  example is exactly this): the JSON content says which version it edits
  (`{"version": 3, ...}`) and the item is at another version. The answer
  names the current version so the client can merge and resubmit.

Bounded: at most --max-items items (the oldest evicted, then unknown: 404)
and as many deletion marks. In memory, per server process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.negotiate import split_list
from statuskit.responder.plan import Plan
from statuskit.responder.request import Fields, Request
from statuskit.responder.resources import content
from statuskit.responder.resources.base import JSON_TYPE, Refused, Resource, json_content, method_check
from statuskit.responder.resources.store import Bounded

ACCEPTED = (JSON_TYPE, "text/plain")
_ID = re.compile(r"[A-Za-z0-9_\-]{1,64}\Z")


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    version: int
    body: bytes
    content_type: str

    @property
    def url(self) -> str:
        return f"/items/{self.id}"

    @property
    def etag(self) -> str:
        # A strong validator (RFC 9110 §8.8.3): it changes with every stored version.
        return f'"{self.id}-v{self.version}"'

    def summary(self) -> dict[str, Any]:
        return {"id": self.id, "url": self.url, "version": self.version}


def _tags(value: str) -> list[str]:
    return split_list(value)


def _strong_match(value: str, item: Item | None) -> bool:
    """If-Match (§13.1.1): "*" matches any current representation; otherwise a strong comparison (§8.8.3.2)."""
    if item is None:
        return False
    tags = _tags(value)
    return "*" in tags or item.etag in tags


def _weak_match(value: str, item: Item | None) -> bool:
    """If-None-Match (§13.1.2): "*" matches any current representation; otherwise a weak comparison."""
    if item is None:
        return False
    tags = [tag.removeprefix("W/") for tag in _tags(value)]
    return "*" in tags or item.etag in tags


class ItemsRoute(Resource):
    endpoints = (
        ("/items", "a collection in memory: GET lists, POST JSON or text creates (201 with Location)"),
        (
            "/items/{id}",
            "GET (410 once deleted), PUT replaces or creates (If-Match stale: 412; JSON version behind: 409), DELETE "
            "(204)",
        ),
    )

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config
        self.items: Bounded[Item] = Bounded(config.max_items)
        self.gone: Bounded[bool] = Bounded(config.max_items)
        self.next_id = 1

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if not rest or not any(rest):
            return self._collection(request)
        if len(rest) > 1 or not _ID.match(rest[0]):
            raise RequestError(
                detail=f"an item id is 1-64 letters, digits, '-' or '_', as in /items/1, not {'/'.join(rest)[:80]!r}"
            )
        return self._item(request, rest[0])

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return request.method in ("POST", "PUT")

    # -- the collection --------------------------------------------------------------

    def _collection(self, request: Request) -> Plan:
        refused = method_check(request, ("GET", "POST"), options_fields=content.accept_fields(ACCEPTED, post=True)[1:])
        if refused is not None:
            return refused
        if request.method == "POST":
            while str(self.next_id) in self.items or str(self.next_id) in self.gone:
                self.next_id += 1
            item_id = str(self.next_id)
            self.next_id += 1
            item, coded = self._store(request, item_id, 1, post=True)
            return self._saved(request, 201, item, coded)
        listing = {"items": [item.summary() for _, item in self.items.items()], "max_items": self.items.limit}
        return compose(request, 200, content=json_content(listing), fields=(("Cache-Control", "no-store"),))

    def _store(self, request: Request, item_id: str, version: int, *, post: bool) -> tuple[Item, bool]:
        media = content.require_media_type(request, ACCEPTED, post=post)
        body, codings = content.decoded(request, self.config.max_body)
        if media.is_json:
            content.parse_json(body)
            content_type = JSON_TYPE
        else:
            content.text(body)
            content_type = "text/plain; charset=utf-8"
        item = Item(item_id, version, body, content_type)
        self.items.put(item_id, item)
        self.gone.pop(item_id)
        return item, bool(codings)

    def _saved(self, request: Request, status: int, item: Item, coded: bool) -> Plan:
        fields: list[tuple[str, str]] = []
        if status == 201:
            # §15.3.2: "the primary resource created ... is identified by either a Location header field ..."
            fields.append(("Location", item.url))
        if not coded:
            # §9.3.4: a validator only when the representation was saved without transformation.
            fields.append(("ETag", item.etag))
        return compose(request, status, content=json_content(item.summary()), fields=tuple(fields))

    # -- one item --------------------------------------------------------------------

    def _item(self, request: Request, item_id: str) -> Plan:
        refused = method_check(request, ("GET", "PUT", "DELETE"))
        if refused is not None:
            return refused
        item = self.items.get(item_id)
        if request.method in ("PUT", "DELETE"):
            self._preconditions(request, item)
        if request.method == "PUT":
            return self._put(request, item_id, item)
        if item is None:
            if item_id in self.gone:
                # §15.5.11: "access to the target resource is no longer available ... likely to be permanent".
                return compose(request, 410, detail=f"/items/{item_id} was deleted")
            return compose(
                request, 404, detail=f"there is no /items/{item_id} (never created, or evicted: --max-items)"
            )
        if request.method == "DELETE":
            self.items.pop(item_id)
            self.gone.put(item_id, True)
            return compose(request, 204)
        fields: Fields = (("ETag", item.etag), ("Cache-Control", "no-cache"))
        return compose(request, 200, content=(item.body, item.content_type), fields=fields)

    def _preconditions(self, request: Request, item: Item | None) -> None:
        # §13.2.2: If-Match first, then If-None-Match; a false one is 412 for these methods.
        if_match = request.header("if-match")
        if if_match is not None and not _strong_match(if_match, item):
            current = f"the current tag is {item.etag}" if item is not None else "the item does not exist"
            raise Refused(status=412, detail=f"If-Match: {if_match[:80]} does not match: {current} (RFC 9110 §13.1.1)")
        if_none_match = request.header("if-none-match")
        if if_none_match is not None and _weak_match(if_none_match, item):
            raise Refused(status=412, detail=f"If-None-Match: {if_none_match[:80]}: the item exists (RFC 9110 §13.1.2)")

    def _put(self, request: Request, item_id: str, item: Item | None) -> Plan:
        if item is not None:
            self._check_version(request, item)
        saved, coded = self._store(request, item_id, item.version + 1 if item is not None else 1, post=False)
        return self._saved(request, 200 if item is not None else 201, saved, coded)

    def _check_version(self, request: Request, item: Item) -> None:
        media = content.media_type_of(request)
        if media is None or not media.is_json:
            return
        body, _ = content.decoded(request, self.config.max_body)
        document = content.parse_json(body)
        if not isinstance(document, dict) or "version" not in document:
            return
        based_on = document["version"]
        if isinstance(based_on, bool) or not isinstance(based_on, int):
            raise RequestError(detail=f"version: {str(based_on)[:20]!r} is not a whole number")
        if based_on != item.version:
            # §15.5.10: "The server SHOULD generate content that includes enough
            # information for a user to recognize the source of the conflict."
            raise Refused(
                status=409,
                detail=(
                    f"the content edits version {str(based_on)[:20]}, but /items/{item.id} is at version "
                    f"{item.version}; "
                    f'GET it, merge, and PUT with "version": {item.version}'
                ),
            )
