"""Error responses: cacheable ones without freshness, and 5xx for what the client got wrong.

A 5xx says the server erred (RFC 9110 §15.6). When the exchange itself shows
the request was at fault in a way the server could see - JSON content that
does not parse, a POST or PUT without a length - a 4xx that names the fault
(`semantics.CLIENT_FAULTS`) is the right answer, and the client can fix it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint.model import Severity
from statuskit.lint.rules._base import Context, Hit, Rule
from statuskit.registry import lookup


class CacheableErrorWithoutFreshness(Rule):
    """A heuristically cacheable error (404, 405, 410, 414, 451, 501) with no Cache-Control or Expires."""

    id = "cacheable-error-without-freshness"
    severity = Severity.INFO
    section = "RFC 9110 §15.1"
    example = {"code": 404, "reason": "Not Found"}
    # httplint says the same of the codes on its own heuristic list (410).
    covered_by = ("FRESHNESS_HEURISTIC",)

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        status = ctx.status
        if status is None or not status.is_error:
            return
        if ctx.method is not None and ctx.method not in ("GET", "HEAD"):
            # RFC 9110 §9.2.3: "the overwhelming majority of cache implementations
            # only support GET and HEAD".
            return
        cacheability = semantics.cacheability(status)
        if cacheability.heuristic and "Cache-Control" not in ctx.fields and "Expires" not in ctx.fields:
            yield cls.hit(ctx, section=cacheability.section)


def _json_type(media_type: str) -> bool:
    return media_type == "application/json" or media_type.endswith("+json")


def _better(fault: str) -> str:
    code, _ = semantics.CLIENT_FAULTS[fault]
    return f"{code} {lookup(code).reason}"


class ServerErrorForMalformedContent(Rule):
    """A 5xx answering a request whose JSON content does not parse: the client's fault, 400's to name."""

    id = "server-error-for-malformed-content"
    severity = Severity.WARNING
    section = semantics.CLIENT_FAULTS["malformed-content"][1]
    example = {
        "code": 500,
        "reason": "Internal Server Error",
        "media_type": "application/json",
        "error": "line 1 column 2",
        "better": "400 Bad Request",
    }

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        status, request = ctx.status, ctx.request
        if status is None or not status.is_server_error or request is None or not request.body:
            return
        media_type = ctx.request_fields.media_type()
        if not _json_type(media_type) or any(t != "identity" for t in ctx.request_fields.tokens("Content-Encoding")):
            return
        try:
            json.loads(request.body.decode("utf-8"))
        except UnicodeDecodeError as exc:
            error = f"not UTF-8 at octet {exc.start}"
        except json.JSONDecodeError as exc:
            error = f"{exc.msg} at line {exc.lineno} column {exc.colno}"
        except ValueError as exc:
            error = str(exc)
        except RecursionError:
            return  # nested deeper than Python's parser goes: valid or not, not ours to say
        else:
            return
        yield cls.hit(ctx, media_type=media_type, error=error, better=_better("malformed-content"))


class ServerErrorForMissingLength(Rule):
    """A 5xx answering an HTTP/1.x POST or PUT that had neither Content-Length nor Transfer-Encoding.

    On HTTP/1.1 such a request has no content at all (its framing gives it none),
    which is what a server that needs a length answers with 411.
    """

    id = "server-error-for-missing-length"
    severity = Severity.WARNING
    section = semantics.CLIENT_FAULTS["length-required"][1]
    example = {"code": 500, "reason": "Internal Server Error", "method": "POST", "better": "411 Length Required"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        status, request = ctx.status, ctx.request
        if status is None or not status.is_server_error or request is None:
            return
        if request.method not in semantics.CONTENT_METHODS or not request.version.startswith("1"):
            return  # HTTP/2 and 3 frame content themselves
        if "Content-Length" in request.fields or "Transfer-Encoding" in request.fields:
            return
        if request.body_length:
            return  # content arrived, so its length was conveyed somehow; the record just lacks the field
        yield cls.hit(ctx, better=_better("length-required"))


RULES: tuple[type[Rule], ...] = (
    CacheableErrorWithoutFreshness,
    ServerErrorForMalformedContent,
    ServerErrorForMissingLength,
)
