"""httpbin's echo endpoints: `/anything[/...]`, `/get`, `/post`, `/put`, `/patch`, `/delete`.

Each answers with a JSON document of the request as the server received
it - method, URL, query arguments, header fields, client address and the
content (decoded from gzip or deflate, parsed as JSON, a form or
multipart) - so a client under test can see what it really sent. It is
also where redirects end (`/redirect/{n}` ends at `/get` or `/anything`), so a
client can check whether it kept the method and content after a 307/308
or turned them into a GET after a 303 (RFC 9110 §15.4).

Unlike httpbin, `/get` and the others answer a method they do not take
with 405 and Allow (RFC 9110 §15.5.6), and TRACE on `/anything` is
reflected as message/http (§9.3.8).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
from typing import Any
from urllib.parse import parse_qsl

from statuskit import semantics
from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.fields import display_name
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources import content
from statuskit.responder.resources.base import (
    MAX_QUERY_FIELDS,
    Methods,
    Refused,
    Resource,
    json_content,
    not_found,
)
from statuskit.responder.resources.inspect import header_object, origin_of

# §9.3.8: "The final recipient of the request SHOULD exclude any request
# fields that are likely to contain sensitive data" from a TRACE reflection.
SENSITIVE_FIELDS = frozenset({"authorization", "proxy-authorization", "cookie"})


def request_url(request: Request) -> str:
    """The target URI as the client meant it (RFC 9110 §7.1): scheme, Host and the target."""
    if not request.target.startswith("/"):
        return request.target  # absolute-form, as sent to a proxy
    host = request.header("host") or ""
    return f"{request.scheme}://{host}{request.target}"


def grouped(pairs: list[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Pairs by name, as httpbin shows them: one value as a string, a repeated name as a list of its values."""
    out: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name in out:
            previous = out[name]
            out[name] = [*previous, value] if isinstance(previous, list) else [previous, value]
        else:
            out[name] = value
    return out


def query_args(query: str) -> dict[str, str | list[str]]:
    try:
        pairs = parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
    except ValueError:
        raise RequestError(detail=f"too many query parameters (at most {MAX_QUERY_FIELDS})") from None
    return grouped(pairs)


def _as_text(data: bytes) -> str:
    # httpbin's convention: text as text, anything else as a data: URL.
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return "data:application/octet-stream;base64," + base64.b64encode(data).decode("ascii")


def _multipart(media: content.MediaType, body: bytes) -> tuple[dict[str, str | list[str]], dict[str, str | list[str]]]:
    """The fields and files of multipart/form-data (RFC 7578), by their names."""
    boundary = media.param("boundary")
    if not boundary:
        raise RequestError(detail="Content-Type: multipart/form-data needs a boundary parameter (RFC 7578 §4.1)")
    head = f'Content-Type: multipart/form-data; boundary="{boundary}"\r\n\r\n'.encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    form: list[tuple[str, str]] = []
    files: list[tuple[str, str]] = []
    if not message.is_multipart():
        return {}, {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else b""
        (files if part.get_filename() is not None else form).append((name, _as_text(data)))
    return grouped(form), grouped(files)


def echo_document(request: Request, limit: int) -> dict[str, Any]:
    """What the request carried, as httpbin's /anything shows it (plus `path` and `decoded`)."""
    body, codings = content.decoded(request, limit)
    media = content.media_type_of(request)
    parsed: Any = None
    form: dict[str, str | list[str]] = {}
    files: dict[str, str | list[str]] = {}
    if media is not None and body:
        if media.is_json:
            try:
                parsed = content.parse_json(body)
            except Refused:
                parsed = None  # httpbin's "json": null for content that is not JSON
        elif media.essence == "application/x-www-form-urlencoded":
            try:
                form = grouped(parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=1000))
            except (UnicodeDecodeError, ValueError):
                form = {}
        elif media.essence == "multipart/form-data":
            form, files = _multipart(media, body)
    return {
        "method": request.method,
        "url": request_url(request),
        "path": request.path,
        "args": query_args(request.query),
        "headers": header_object(request),
        "origin": origin_of(request),
        "data": "" if form or files else _as_text(body),
        "json": parsed,
        "form": form,
        "files": files,
        "decoded": list(codings),
    }


def trace(request: Request) -> Plan:
    """§9.3.8: the request line and fields as received, less credentials, as message/http."""
    lines = [request.line]
    lines.extend(f"{display_name(n)}: {v}" for n, v in request.headers if n not in SENSITIVE_FIELDS)
    message = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1", "replace")
    # "Responses to the TRACE method are not cacheable."
    return compose(request, 200, content=(message, "message/http"), fields=(("Cache-Control", "no-store"),))


class EchoRoute(Resource):
    """One echo endpoint: the methods it takes, and whether it answers below its own path (/anything/...)."""

    def __init__(self, config: ResponderConfig, name: str, methods: tuple[str, ...], description: str) -> None:
        self.config = config
        self.name = name
        self.methods = Methods(methods)
        self.any_path = name == "anything"
        suffix = "[/...]" if self.any_path else ""
        self.endpoints = ((f"/{name}{suffix}", description),)

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if rest and any(rest) and not self.any_path:
            return not_found(request, f"nothing at {request.path[:200]}; /{self.name} has nothing below it")
        self.methods.check(request)
        if request.method == "TRACE":
            return trace(request)
        document = echo_document(request, self.config.max_body)
        # The same request from another address or with other content echoes differently: never stored.
        return compose(request, 200, content=json_content(document), fields=(("Cache-Control", "no-store"),))

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        return True


def echo_routes(config: ResponderConfig) -> dict[str, EchoRoute]:
    every = tuple(sorted(semantics.ORIGIN_METHODS))
    return {
        "anything": EchoRoute(
            config,
            "anything",
            every,
            "echo any request as JSON: method, URL, args, headers, content (where redirect chains end but for GET)",
        ),
        "get": EchoRoute(config, "get", ("GET",), "echo a GET (HEAD too); other methods get 405 with Allow"),
        "post": EchoRoute(config, "post", ("POST",), "echo a POST; other methods get 405 with Allow"),
        "put": EchoRoute(config, "put", ("PUT",), "echo a PUT; other methods get 405 with Allow"),
        "patch": EchoRoute(config, "patch", ("PATCH",), "echo a PATCH; other methods get 405 with Allow"),
        "delete": EchoRoute(config, "delete", ("DELETE",), "echo a DELETE; other methods get 405 with Allow"),
    }
