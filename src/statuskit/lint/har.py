"""Exchanges from a HAR file (HTTP Archive 1.2, as browsers' developer tools and Playwright export it).

What a HAR entry can and cannot tell:

- request method, URL, headers and posted text; response status, reason,
  headers; content as text (or base64) when it was recorded, and sizes.
- Browsers record content with its content coding undone. For a coded
  response (Content-Encoding other than identity) the octets as sent are
  unknown, so only the headers are checked.
- Interim responses are not recorded.
- Entries that never got a response (status 0: blocked, aborted) are skipped
  and counted.
- A 304 or 206 is checked against the last 200 to the same method and URL
  earlier in the file, when there is one: it tells which fields the 304 or 206
  must repeat (RFC 9110 §15.4.5, §15.3.7).

A file that is not JSON, or not a HAR log, raises `HarError` with one line.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from statuskit import semantics
from statuskit.errors import StatuskitError
from statuskit.lint.model import Exchange, Fields, Request, Response


class HarError(StatuskitError, ValueError):
    """The input is not a HAR file statuskit can read."""


@dataclass
class HarExchanges:
    exchanges: list[Exchange] = field(default_factory=list)
    skipped: int = 0  # entries without a response


def _fields(headers: Any, where: str) -> Fields:
    if headers is None:
        return Fields()
    if not isinstance(headers, list):
        raise HarError(f"{where}.headers is not a list")
    pairs = []
    for item in headers:
        if (
            not isinstance(item, dict)
            or not isinstance(item.get("name"), str)
            or not isinstance(item.get("value"), str)
        ):
            raise HarError(f"{where}.headers holds an entry without a string name and value")
        if item["name"].startswith(":"):
            continue  # HTTP/2 pseudo-header fields are control data, not fields
        pairs.append((item["name"], item["value"]))
    return Fields(pairs)


def _version(value: Any) -> str:
    return value if isinstance(value, str) and value and value.lower() != "unknown" else "1.1"


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _request(entry: dict[str, Any], where: str) -> Request:
    req = entry.get("request")
    if not isinstance(req, dict) or not isinstance(req.get("method"), str) or not isinstance(req.get("url"), str):
        raise HarError(f"{where}.request needs a method and a url")
    fields = _fields(req.get("headers"), f"{where}.request")
    post = req.get("postData")
    body: bytes | None = None
    if isinstance(post, dict) and isinstance(post.get("text"), str):
        body = post["text"].encode("utf-8")
    return Request(
        method=req["method"],
        target=req["url"],
        fields=fields,
        body=body,
        body_length=None if body is not None else _size(req.get("bodySize")),
        version=_version(req.get("httpVersion")),
    )


def _response(entry: dict[str, Any], method: str, where: str) -> Response | None:
    res = entry.get("response")
    if not isinstance(res, dict):
        raise HarError(f"{where}.response is missing")
    status = res.get("status")
    if not isinstance(status, int) or isinstance(status, bool):
        raise HarError(f"{where}.response.status is not a number")
    if status <= 0:
        return None
    fields = _fields(res.get("headers"), f"{where}.response")
    raw_content = res.get("content")
    content: dict[str, Any] = raw_content if isinstance(raw_content, dict) else {}
    coded = any(t != "identity" for t in fields.tokens("Content-Encoding"))
    body: bytes | None = None
    length: int | None = None
    text = content.get("text")
    if isinstance(text, str) and not coded:
        if content.get("encoding") == "base64":
            try:
                body = base64.b64decode(text, validate=True)
            except (binascii.Error, ValueError):
                raise HarError(f"{where}.response.content.text is not valid base64") from None
        else:
            body = text.encode("utf-8")
    elif not coded:
        # Sizes only: what crossed the wire (bodySize) says whether content was sent.
        length = _size(res.get("bodySize"))
    if not semantics.allows_content(status, method):
        # A browser never reads content these cannot have, so the HAR cannot say
        # whether any came: a recorded text is the cached representation it reused
        # (a 304), a recorded size is the Content-Length it was told.
        body, length = None, None
    return Response(
        status=status,
        reason=str(res.get("statusText") or ""),
        fields=fields,
        body=body,
        content_length=length,
        version=_version(res.get("httpVersion")),
    )


def read_har(data: bytes | str, name: str = "HAR") -> HarExchanges:
    """Every entry of a HAR log as an exchange, in file order."""
    try:
        doc = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HarError(f"{name} is not JSON ({exc.__class__.__name__}: {exc})") from None
    log = doc.get("log") if isinstance(doc, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise HarError(f"{name} is not a HAR file: it has no log.entries list")
    out = HarExchanges()
    last_ok: dict[tuple[str, str], Fields] = {}
    for index, entry in enumerate(entries):
        where = f"{name}: entry {index}"
        if not isinstance(entry, dict):
            raise HarError(f"{where} is not an object")
        request = _request(entry, where)
        response = _response(entry, request.method, where)
        if response is None:
            out.skipped += 1
            continue
        key = (request.method, request.target)
        earlier = last_ok.get(key) if response.status in (206, 304) else None
        out.exchanges.append(Exchange(request=request, response=response, earlier_ok=earlier, source=f"{name}#{index}"))
        if response.status == 200:
            last_ok[key] = response.fields
    return out
