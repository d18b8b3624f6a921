"""Resources with validators, answered through `semantics.evaluate_preconditions`.

    /etag/{etag}            a fixed representation whose entity-tag is {etag} (httpbin's name)
    /cache                  a fixed representation with ETag and Last-Modified, `Cache-Control: no-cache`
    /cache/{seconds}        the same, fresh for {seconds} (`Cache-Control: public, max-age=N`)
    /conditional-put[/{name}]  a document in the store: GET it, then PUT or DELETE it with a precondition

A failed precondition is a 304 that repeats the fields the 200 would carry
(RFC 9110 §15.4.5) or a 412; which one, and in which order the fields are
evaluated, is decided by `semantics.evaluate_preconditions` alone (§13.2.2).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from statuskit import semantics
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Fields, Request
from statuskit.responder.resources.base import (
    GET_ONLY,
    Methods,
    Resource,
    ask,
    boolean,
    choice,
    json_content,
    not_found,
    query,
    segment,
    whole_number,
)
from statuskit.responder.state import Read, Swap, Swapped
from statuskit.semantics import EntityTag, PreconditionOutcome

# The modification date of every fixed representation: Sat, 01 Jan 2022
# 00:00:00 GMT. In the past, as §8.8.2.1 requires ("MUST NOT generate a
# Last-Modified date that is later than the server's time of message
# origination"); these representations never change, so it is a strong
# validator for If-Range as well (§8.8.2.2).
FIXED_LAST_MODIFIED = 1_640_995_200

# /cache/{seconds}: a year, the longest freshness RFC 9111 §5.2.2.1 examples use
# and the `immutable` assets of this server carry.
MAX_AGE_LIMIT = 31_536_000

# /etag/{etag}: the longest opaque-tag taken from a path.
MAX_ETAG = 256


@dataclass(frozen=True, slots=True)
class Validators:
    """What a representation says about itself, and what a 304 for it repeats.

    `vary` is what its 200 varies on ("" for nothing); `exists` is False
    when the target resource has no current representation.
    """

    etag: EntityTag | None = None
    last_modified: int | None = None
    cache_control: str | None = None
    vary: str = ""
    exists: bool = True

    def fields(self) -> Fields:
        """The fields a 200 carries about the representation."""
        out: list[tuple[str, str]] = []
        if self.etag is not None:
            out.append(("ETag", str(self.etag)))
        if self.last_modified is not None:
            out.append(("Last-Modified", semantics.format_http_date(self.last_modified)))
        if self.cache_control is not None:
            out.append(("Cache-Control", self.cache_control))
        if self.vary:
            out.append(("Vary", self.vary))
        return tuple(out)

    def not_modified_fields(self) -> Fields:
        """§15.4.5: ETag, Cache-Control, Vary (and Date, the engine's) as the 200 has them;
        Last-Modified only "if the response does not have an ETag field"."""
        return tuple((name, value) for name, value in self.fields() if name != "Last-Modified" or self.etag is None)


def check_preconditions(
    request: Request, validators: Validators, *, strong_dates: bool = True, reusable: bool = True
) -> tuple[Plan | None, PreconditionOutcome]:
    """Evaluate the request's preconditions; the plan is the 304 or 412 to send, or None to go on."""
    outcome = semantics.evaluate_preconditions(
        request.method,
        request.headers,
        validators.etag,
        validators.last_modified,
        exists=validators.exists,
        strong_dates=strong_dates,
        now=request.now,
    )
    if outcome.status == 304:
        return compose(
            request, 304, fields=validators.not_modified_fields(), vary=validators.vary, reusable=reusable
        ), outcome
    if outcome.status == 412:
        current = (
            f"the current entity-tag is {validators.etag}"
            if validators.etag is not None
            else "there is no current representation"
        )
        if validators.exists and validators.etag is None:
            current = "the resource has no entity-tag"
        detail = f"{outcome.field} evaluated to false ({outcome.section}): {current}"
        fields = (("ETag", str(validators.etag)),) if validators.etag is not None else ()
        return compose(request, 412, fields=fields, detail=detail, vary=validators.vary, reusable=reusable), outcome
    return None, outcome


# -- /etag/{etag} -------------------------------------------------------------------


class EtagRoute(Resource):
    """`/etag/{etag}`: httpbin's resource "with the given etag", evaluated as RFC 9110 says.

    httpbin sends the tag unquoted and answers If-Match with 412 only when
    If-None-Match is absent; here the tag is quoted (`/etag/abc` has
    `ETag: "abc"`, `?weak=1` or a path of `W/"abc"` makes it weak) and the
    fields are evaluated in the order of §13.2.2.
    """

    endpoints = (
        (
            "/etag/{etag}",
            'a representation with ETag "{etag}" (?weak=1: W/"{etag}"): If-None-Match -> 304, If-Match -> 412',
        ),
    )
    # Read-only: /conditional-put takes PUT and DELETE. §13.2.1 then makes a
    # PUT here 405 whatever preconditions it carries.
    methods = GET_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) > 1:
            return not_found(request, f"nothing at {request.path[:100]}: /etag/ takes one entity-tag")
        if not rest or not rest[0]:
            raise RequestError(detail='no entity-tag in the path: ask for /etag/abc (ETag: "abc") or /etag/abc?weak=1')
        self.methods.check(request)
        tag = self._etag(rest[0], request)
        # no-cache: a cache stores it and asks again each time, with If-None-Match.
        validators = Validators(etag=tag, cache_control="no-cache")
        failed, _ = check_preconditions(request, validators)
        if failed is not None:
            return failed
        document = {"etag": str(tag), "weak": tag.weak}
        return compose(request, 200, content=json_content(document), fields=validators.fields(), reusable=True)

    def _etag(self, text: str, request: Request) -> EntityTag:
        text = segment(text, "the entity-tag")
        if len(text) > MAX_ETAG:
            raise RequestError(detail=f"the entity-tag is longer than {MAX_ETAG} characters")
        weak = query(request, ("weak",)).get("weak")
        weak_flag = boolean("weak", weak) if weak is not None else False
        if text.startswith(('"', 'W/"')):
            tag = semantics.parse_entity_tag(text)
            if tag is None:
                raise RequestError(
                    detail=f'{text[:60]!r} is not an entity-tag (RFC 9110 §8.8.3: "opaque" or W/"opaque")'
                )
            return EntityTag(tag.opaque, tag.weak or weak_flag)
        if not text.isascii() or not all(ch == "\x21" or "\x23" <= ch <= "\x7e" for ch in text):
            raise RequestError(
                detail=f"{text[:60]!r} cannot be an entity-tag: only visible ASCII except '\"' (RFC 9110 §8.8.3)"
            )
        return EntityTag(text, weak_flag)


# -- /cache and /cache/{seconds} ---------------------------------------------------------

_CACHE_ETAG_CHOICES = ("strong", "weak", "none")


class CacheRoute(Resource):
    """`/cache`, `/cache/{seconds}`: a fixed representation for caches to store and revalidate.

    httpbin's `/cache` answers 304 to any If-Modified-Since or If-None-Match,
    whatever it holds; here they are evaluated against a fixed ETag and
    Last-Modified, so a cache gets 304 only when its copy is current.
    """

    endpoints = (
        ("/cache", "ETag and Last-Modified, Cache-Control: no-cache: a cache revalidates every time and gets 304"),
        ("/cache/{seconds}", "the same with Cache-Control: public, max-age={seconds}"),
    )
    methods = GET_ONLY

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) > 1:
            return not_found(request, f"nothing at {request.path[:100]}: ask for /cache or /cache/{{seconds}}")
        self.methods.check(request)
        if rest and rest[0]:
            seconds = whole_number("seconds", rest[0], 0, MAX_AGE_LIMIT)
            cache_control = f"public, max-age={seconds}"
        else:
            cache_control = "no-cache"
        found = query(request, ("etag", "last_modified"))
        kind = choice("etag", found.get("etag", "strong"), _CACHE_ETAG_CHOICES)
        dated = found.get("last_modified", "1")
        if dated not in ("0", "1"):
            raise RequestError(detail=f"last_modified: {dated[:40]!r} is not 1 (send Last-Modified) or 0")
        if kind == "none" and dated == "0":
            raise RequestError(detail="etag=none and last_modified=0 leave no validator: a cache could not revalidate")
        document = {
            "resource": "/cache",
            "cache_control": cache_control,
            "last_modified": semantics.format_http_date(FIXED_LAST_MODIFIED),
        }
        body, content_type = json_content(document)
        # A strong validator names these exact bytes (§8.8.1); the weak one only their meaning.
        digest = hashlib.sha256(body).hexdigest()[:16]
        etag = None if kind == "none" else EntityTag(digest, weak=kind == "weak")
        validators = Validators(
            etag=etag,
            last_modified=FIXED_LAST_MODIFIED if dated == "1" else None,
            cache_control=cache_control,
        )
        failed, _ = check_preconditions(request, validators)
        if failed is not None:
            return failed
        return compose(request, 200, content=(body, content_type), fields=validators.fields(), reusable=True)


# -- /conditional-put[/{name}] ------------------------------------------------------------

INITIAL_CONTENT = b"statuskit: GET this document, then PUT a new one with If-Match set to its ETag.\n"
INITIAL_TYPE = "text/plain; charset=utf-8"
_NAME_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-")
MAX_NAME = 64


SPACE = "documents"


@dataclass(frozen=True, slots=True)
class Document:
    """A document of /conditional-put, or (`exists` False) the mark a DELETE leaves.

    A name never written holds the initial document (version 0); a deleted
    one holds nothing until a PUT creates it again. Each write is the
    version read plus one (a deletion mark keeps its version), and the
    entity-tag is the version and a digest of the content, so no two
    contents of a name ever share one (RFC 9110 §8.8.1: a strong validator
    "is unique across all versions of all representations associated with a
    particular resource over time").
    """

    content: bytes
    content_type: str
    last_modified: int
    version: int
    exists: bool = True

    @property
    def etag(self) -> EntityTag:
        digest = hashlib.sha256(self.content_type.encode("latin-1") + b"\n" + self.content).hexdigest()[:12]
        return EntityTag(f"{self.version}-{digest}")

    def encode(self) -> bytes:
        if not self.exists:
            return json.dumps({"deleted": True, "version": self.version}).encode()
        content = base64.b64encode(self.content).decode("ascii")
        fields = {
            "content": content,
            "type": self.content_type,
            "modified": self.last_modified,
            "version": self.version,
        }
        return json.dumps(fields).encode()

    @classmethod
    def decode(cls, stored: bytes | None) -> Document:
        if stored is None:
            return INITIAL
        fields = json.loads(stored)
        if fields.get("deleted"):
            return cls(b"", "", 0, int(fields["version"]), exists=False)
        return cls(
            base64.b64decode(fields["content"]), str(fields["type"]), int(fields["modified"]), int(fields["version"])
        )


INITIAL = Document(INITIAL_CONTENT, INITIAL_TYPE, FIXED_LAST_MODIFIED, 0)


class ConditionalPutRoute(Resource):
    """`/conditional-put[/{name}]`: a document that only conditional requests may change.

    PUT and DELETE without If-Match, If-None-Match or If-Unmodified-Since get
    428 (RFC 6585 §3), a false precondition gets 412, a true one applies the
    change: 204 with the new ETag (201 when the PUT created the document).
    """

    endpoints = (
        (
            "/conditional-put/{name}",
            "a document in the store: GET, then PUT/DELETE with If-Match (428 without, 412 if stale)",
        ),
    )
    methods = Methods(("GET", "PUT", "DELETE"))

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def _name(self, request: Request, rest: tuple[str, ...]) -> str:
        if len(rest) > 1:
            raise RequestError(detail="/conditional-put/{name}: the name is one path segment")
        name = segment(rest[0], "the name") if rest else ""
        if len(name) > MAX_NAME or not set(name) <= _NAME_CHARS:
            raise RequestError(detail=f"/conditional-put/{{name}}: the name is 1-{MAX_NAME} letters, digits or ._~-")
        return name

    def _validators(self, document: Document) -> Validators:
        if not document.exists:
            return Validators(exists=False)
        return Validators(etag=document.etag, last_modified=document.last_modified, cache_control="no-cache")

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        name = self._name(request, rest)
        self.methods.check(request)
        return ask(request, (Read(SPACE, name),), lambda results: self._with(request, name, results[0]))

    def _with(self, request: Request, name: str, stored: bytes | None) -> Plan:
        """The answer given what the store holds for the name; a write lost to another comes back here."""
        document = Document.decode(stored)
        # The document's Last-Modified comes from the request's clock; the Date
        # field comes from the same clock, so Last-Modified is never later (§8.8.2.1).
        date = (("Date", semantics.format_http_date(request.now)),)
        method = request.method
        if not document.exists and method != "PUT":
            # §13.2.1: without its preconditions the answer would be 404, so they are ignored.
            return compose(
                request,
                404,
                fields=(("Cache-Control", "no-cache"), *date),
                detail=f"{request.path[:100]} was deleted; PUT with If-None-Match: * creates it",
            )
        if method in ("PUT", "DELETE") and not any(
            request.has_header(f.lower()) for f in semantics.CONDITIONAL_WRITE_FIELDS
        ):
            # RFC 6585 §3: "SHOULD explain how to resubmit the request successfully".
            how = f"If-Match: {document.etag}" if document.exists else "If-None-Match: *"
            return compose(
                request,
                428,
                fields=date,
                detail=f"{method} {request.path[:100]} must be conditional: send {how} (the ETag of your copy)",
            )
        if method == "PUT" and len(request.body) > self.config.max_document_bytes:
            return compose(
                request,
                413,
                fields=date,
                detail=f"a document is at most {self.config.max_document_bytes} bytes (--max-document-bytes)",
            )
        validators = self._validators(document)
        # One-second Last-Modified cannot tell two writes in one second apart,
        # so dates are not strong here (§8.8.2.2); entity-tags are.
        failed, _ = check_preconditions(request, validators, strong_dates=False, reusable=False)
        if failed is not None:
            return failed
        if method in ("GET", "HEAD"):
            return compose(
                request,
                200,
                content=(document.content, document.content_type),
                fields=(*validators.fields(), *date),
            )
        if method == "DELETE":
            deleted = Document(b"", "", 0, document.version, exists=False)
            return self._write(request, name, deleted, stored, lambda: compose(request, 204, fields=date))
        content_type = request.header("content-type") or "application/octet-stream"
        created = Document(request.body, content_type, int(request.now), document.version + 1)
        # §9.3.4: 201 when the PUT created the representation, else 200 or 204;
        # the validators describe the stored bytes, which are the request's.
        fields: Fields = (
            ("ETag", str(created.etag)),
            ("Last-Modified", semantics.format_http_date(created.last_modified)),
            *date,
        )
        if not document.exists:
            made = compose(request, 201, fields=(("Location", request.path), *fields), detail="created")
            return self._write(request, name, created, stored, lambda: made)
        return self._write(request, name, created, stored, lambda: compose(request, 204, fields=fields))

    def _write(
        self, request: Request, name: str, document: Document, stored: bytes | None, done: Callable[[], Plan]
    ) -> Plan:
        """Write `document` if the name still holds `stored`; else answer again from what it holds now."""

        def written(results: tuple[Any, ...]) -> Plan:
            swapped: Swapped = results[0]
            return done() if swapped.ok else self._with(request, name, swapped.current)

        swap = Swap(SPACE, name, document.encode(), stored, self.config.max_state_entries)
        return ask(request, (swap,), written)

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        # The content matters only to a PUT that carries a precondition;
        # anything else is answered from the head (RFC 9110 §10.1.1).
        return request.method == "PUT" and any(
            request.has_header(f.lower()) for f in semantics.CONDITIONAL_WRITE_FIELDS
        )
