"""Turning what callers have into the linter's `Request` and `Response`.

`check()` accepts, for the request: None, a `Request`, a mapping (`method`,
`url`/`target`/`path`, `headers`/`fields`, `body`/`content`, `version`), a
tuple `(method, target[, headers[, body]])`, an `httpx.Request` or a
`requests.PreparedRequest`; for the response: a `Response`, a mapping
(`status`/`status_code`, `reason`, `headers`/`fields`, `body`/`content`,
`content_length`, `version`), a tuple `(status[, headers[, body]])`, a bare
status code, an `httpx.Response` or a `requests.Response`. Client libraries are
recognised by their module name, so neither is imported here.

httpx and requests hand out content with its content coding already undone;
httplint needs the octets as sent, so for a coded response only the headers
are kept (the body is then treated as unknown).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from statuskit.lint.model import Fields, Request, Response

_REQUEST_KEYS = {
    "method": ("method",),
    "target": ("url", "target", "path"),
    "fields": ("headers", "fields"),
    "body": ("body", "content", "data"),
    "body_length": ("body_length",),
    "version": ("version", "http_version"),
}
_RESPONSE_KEYS = {
    "status": ("status", "status_code", "code"),
    "reason": ("reason", "reason_phrase"),
    "fields": ("headers", "fields"),
    "body": ("body", "content"),
    "content_length": ("content_length",),
    "version": ("version", "http_version"),
}


def _from_mapping(data: Mapping[str, Any], keys: dict[str, tuple[str, ...]], what: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    known = {alias for aliases in keys.values() for alias in aliases}
    unknown = sorted(set(data) - known)
    if unknown:
        raise TypeError(f"unknown {what} key(s): {', '.join(map(repr, unknown))}")
    for name, aliases in keys.items():
        for alias in aliases:
            if alias in data and data[alias] is not None:
                out[name] = data[alias]
                break
    return out


def _library(obj: object) -> str:
    return type(obj).__module__.split(".", 1)[0]


def _coded(fields: Fields) -> bool:
    return any(t != "identity" for t in fields.tokens("Content-Encoding"))


def to_request(obj: Any) -> Request | None:
    """A `Request` from any of the accepted shapes (None stays None: nothing is known)."""
    if obj is None or isinstance(obj, Request):
        return obj
    if isinstance(obj, Mapping):
        return Request(**_from_mapping(obj, _REQUEST_KEYS, "request"))
    if isinstance(obj, (tuple, list)):
        if not 2 <= len(obj) <= 4:
            raise TypeError("a request tuple is (method, target[, headers[, body]])")
        names = ("method", "target", "fields", "body")
        return Request(**{n: v for n, v in zip(names, obj, strict=False) if v is not None})
    library = _library(obj)
    if library == "httpx":
        try:
            body: bytes | None = obj.content
        except Exception:  # noqa: BLE001 - httpx.RequestNotRead: a streaming body was not kept
            body = None
        return Request(method=obj.method, target=str(obj.url), fields=Fields(obj.headers.multi_items()), body=body)
    if library == "requests":
        raw = obj.body
        body = raw.encode("utf-8") if isinstance(raw, str) else raw if isinstance(raw, bytes) else None
        return Request(
            method=obj.method or "GET", target=obj.url or "/", fields=Fields(list(obj.headers.items())), body=body
        )
    raise TypeError(f"cannot read a request from {type(obj).__name__}")


def to_response(obj: Any) -> Response:
    """A `Response` from any of the accepted shapes."""
    if isinstance(obj, Response):
        return obj
    if isinstance(obj, int) and not isinstance(obj, bool):
        return Response(status=obj)
    if isinstance(obj, Mapping):
        return Response(**_from_mapping(obj, _RESPONSE_KEYS, "response"))
    if isinstance(obj, (tuple, list)):
        if not 1 <= len(obj) <= 3:
            raise TypeError("a response tuple is (status[, headers[, body]])")
        names = ("status", "fields", "body")
        return Response(**{n: v for n, v in zip(names, obj, strict=False) if v is not None})
    library = _library(obj)
    if library == "httpx":
        fields = Fields(obj.headers.multi_items())
        body: bytes | None = None
        if not _coded(fields):
            try:
                body = obj.read()
            except Exception:  # noqa: BLE001 - a consumed stream: the octets are gone
                body = None
        return Response(
            status=obj.status_code,
            reason=obj.reason_phrase,
            fields=fields,
            body=body,
            version=obj.http_version,
        )
    if library == "requests":
        raw_headers = getattr(getattr(obj, "raw", None), "headers", None)
        fields = Fields(list(raw_headers.items()) if raw_headers is not None else list(obj.headers.items()))
        raw_version = getattr(getattr(obj, "raw", None), "version", 11)
        version = {9: "0.9", 10: "1.0", 11: "1.1", 20: "2"}.get(raw_version, "1.1")
        return Response(
            status=obj.status_code,
            reason=obj.reason or "",
            fields=fields,
            body=None if _coded(fields) else obj.content,
            version=version,
        )
    raise TypeError(f"cannot read a response from {type(obj).__name__}")


def request_of(response: Any) -> Any:
    """The request an httpx or requests response carries, else None."""
    if _library(response) in ("httpx", "requests"):
        try:
            return response.request
        except Exception:  # noqa: BLE001 - httpx raises when a Response was built by hand
            return None
    return None
