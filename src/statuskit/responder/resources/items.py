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

Bounded: at most --max-items items and deletion marks together (the oldest
evicted, then unknown: 404). The items are in the store (responder/state.py),
so every worker and instance sharing it sees the same ones; a write is a
compare-and-set against the version read, so two clients racing to update
an item are told apart exactly as if one had come after the other.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.negotiate import split_list
from statuskit.responder.plan import Plan
from statuskit.responder.request import Fields, Request
from statuskit.responder.resources import content
from statuskit.responder.resources.base import JSON_TYPE, Methods, Refused, Resource, ask, json_content
from statuskit.responder.state import Next, Read, Scan, Swap, Swapped

SPACE = "items"
# What a deleted item's key holds: 410 from then on.
GONE = b'{"gone":true}'

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

    def encode(self) -> bytes:
        content = base64.b64encode(self.body).decode("ascii")
        return json.dumps({"version": self.version, "type": self.content_type, "content": content}).encode()

    @classmethod
    def decode(cls, item_id: str, stored: bytes | None) -> Item | None:
        """The item a key holds; None when it holds nothing or a deletion mark."""
        if stored is None or stored == GONE:
            return None
        fields = json.loads(stored)
        return cls(item_id, int(fields["version"]), base64.b64decode(fields["content"]), str(fields["type"]))


def _above(ids: Iterable[str]) -> int:
    """A number above every numeric id in use (and their deletion marks)."""
    return 1 + max((int(item_id) for item_id in ids if item_id.isdigit() and len(item_id) < 16), default=0)


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

    collection_methods = Methods(("GET", "POST"), options_fields=content.accept_fields(ACCEPTED, post=True)[1:])
    item_methods = Methods(("GET", "PUT", "DELETE"))

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

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
        self.collection_methods.check(request)
        if request.method == "POST":
            body, content_type, coded = self._content(request, post=True)
            return self._create(request, body, content_type, coded)
        return ask(request, (Scan(SPACE),), lambda results: self._listing(request, results[0]))

    def _listing(self, request: Request, stored: tuple[tuple[str, bytes], ...]) -> Plan:
        items = [item.summary() for key, value in stored if (item := Item.decode(key, value)) is not None]
        listing = {"items": items, "max_items": self.config.max_items}
        return compose(request, 200, content=json_content(listing), fields=(("Cache-Control", "no-store"),))

    def _create(self, request: Request, body: bytes, content_type: str, coded: bool) -> Plan:
        """POST: the next number of the sequence, or, when a PUT took it, one above every number in use."""

        def claim(item_id: str) -> Plan:
            item = Item(item_id, 1, body, content_type)
            write = Swap(SPACE, item_id, item.encode(), None, self.config.max_items)
            return ask(
                request, (write,), lambda written: self._saved(request, 201, item, coded) if written[0].ok else taken()
            )

        def taken() -> Plan:
            return ask(request, (Scan(SPACE),), lambda results: claim(str(_above(key for key, _ in results[0]))))

        return ask(request, (Next(SPACE),), lambda results: claim(str(results[0])))

    def _content(self, request: Request, *, post: bool) -> tuple[bytes, str, bool]:
        """The content to store and its type, checked; and whether it came with a content coding."""
        media = content.require_media_type(request, ACCEPTED, post=post)
        body, codings = content.decoded(request, self.config.max_body)
        if media.is_json:
            content.parse_json(body)
            content_type = JSON_TYPE
        else:
            content.text(body)
            content_type = "text/plain; charset=utf-8"
        return body, content_type, bool(codings)

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
        self.item_methods.check(request)
        return ask(request, (Read(SPACE, item_id),), lambda results: self._with(request, item_id, results[0]))

    def _with(self, request: Request, item_id: str, stored: bytes | None) -> Plan:
        """The answer given what the store holds for the item; a write lost to another comes back here."""
        item = Item.decode(item_id, stored)
        if request.method in ("PUT", "DELETE"):
            self._preconditions(request, item)
        if request.method == "PUT":
            return self._put(request, item_id, item, stored)
        if item is None:
            if stored == GONE:
                # §15.5.11: "access to the target resource is no longer available ... likely to be permanent".
                return compose(request, 410, detail=f"/items/{item_id} was deleted")
            return compose(
                request, 404, detail=f"there is no /items/{item_id} (never created, or evicted: --max-items)"
            )
        if request.method == "DELETE":
            return self._write(request, item_id, GONE, stored, lambda: compose(request, 204))
        fields: Fields = (("ETag", item.etag), ("Cache-Control", "no-cache"))
        return compose(request, 200, content=(item.body, item.content_type), fields=fields)

    def _write(
        self, request: Request, item_id: str, value: bytes, stored: bytes | None, done: Callable[[], Plan]
    ) -> Plan:
        """Write `value` if the item still holds `stored`; else answer again from what it holds now."""

        def written(results: tuple[Any, ...]) -> Plan:
            swapped: Swapped = results[0]
            return done() if swapped.ok else self._with(request, item_id, swapped.current)

        return ask(request, (Swap(SPACE, item_id, value, stored, self.config.max_items),), written)

    def _preconditions(self, request: Request, item: Item | None) -> None:
        # §13.2.2: If-Match first, then If-None-Match; a false one is 412 for these methods.
        if_match = request.header("if-match")
        if if_match is not None and not _strong_match(if_match, item):
            current = f"the current tag is {item.etag}" if item is not None else "the item does not exist"
            raise Refused(status=412, detail=f"If-Match: {if_match[:80]} does not match: {current} (RFC 9110 §13.1.1)")
        if_none_match = request.header("if-none-match")
        if if_none_match is not None and _weak_match(if_none_match, item):
            raise Refused(status=412, detail=f"If-None-Match: {if_none_match[:80]}: the item exists (RFC 9110 §13.1.2)")

    def _put(self, request: Request, item_id: str, item: Item | None, stored: bytes | None) -> Plan:
        if item is not None:
            self._check_version(request, item)
        body, content_type, coded = self._content(request, post=False)
        saved = Item(item_id, item.version + 1 if item is not None else 1, body, content_type)
        status = 200 if item is not None else 201
        return self._write(request, item_id, saved.encode(), stored, lambda: self._saved(request, status, saved, coded))

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
