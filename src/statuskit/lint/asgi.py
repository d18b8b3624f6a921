"""ASGI middleware that checks every response an application sends.

    from statuskit.lint.asgi import LintMiddleware

    app = LintMiddleware(app, on_finding=lambda finding, exchange: print(finding.rule, finding.message_en))

It watches the request (method, path, headers, content up to `max_body`
octets) and the response (`http.response.start`, then the body messages);
when the response is complete it checks the exchange and calls
`on_finding(finding, exchange)` once per finding. The application's messages
pass through unchanged and in order; a failing check never breaks the
response. Without `on_finding`, findings are logged to the `statuskit.lint`
logger at WARNING.

What the server adds or removes on the wire (Date, framing, the content of a
response to HEAD, which servers drop) is not visible here; what the
application sends is.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

from statuskit.lint._engine import lint_exchange
from statuskit.lint.model import Exchange, Fields, Finding, Request, Response

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
OnFinding = Callable[[Finding, Exchange], None]

logger = logging.getLogger("statuskit.lint")

# Keep at most this much of each body: enough to check JSON requests and
# Content-Length, small enough for uploads passing through.
MAX_BODY = 1024 * 1024


def log_finding(finding: Finding, exchange: Exchange) -> None:
    """The default `on_finding`: one WARNING line per finding."""
    request = exchange.request
    where = f"{request.method} {request.target}" if request is not None else exchange.source
    logger.warning(
        "%s -> %d: [%s] %s (%s)", where, exchange.response.status, finding.rule, finding.message_en, finding.section
    )


def _target(scope: Scope) -> str:
    path = scope.get("raw_path") or scope.get("path", "/")
    if isinstance(path, bytes):
        path = path.decode("latin-1")
    query = scope.get("query_string", b"")
    if query:
        path += "?" + (query.decode("latin-1") if isinstance(query, bytes) else str(query))
    return str(path)


class LintMiddleware:
    """Wraps an ASGI app; checks each HTTP exchange once its response is complete."""

    def __init__(
        self,
        app: ASGIApp,
        on_finding: OnFinding | None = None,
        *,
        ignore: Iterable[str] = (),
        httplint: bool = True,
        max_body: int = MAX_BODY,
    ) -> None:
        self.app = app
        self.on_finding = on_finding or log_finding
        self.ignore = tuple(ignore)
        self.httplint = httplint
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        request_body = bytearray()
        request_truncated = False
        state: dict[str, Any] = {"start": None, "body": bytearray(), "truncated": False, "done": False}

        async def watched_receive() -> Message:
            nonlocal request_truncated
            message = await receive()
            if message.get("type") == "http.request":
                chunk = message.get("body", b"")
                if len(request_body) + len(chunk) <= self.max_body:
                    request_body.extend(chunk)
                else:
                    request_truncated = True
            return message

        async def watched_send(message: Message) -> None:
            kind = message.get("type")
            if kind == "http.response.start":
                state["start"] = message
            elif kind == "http.response.body" and state["start"] is not None and not state["done"]:
                chunk = message.get("body", b"")
                if len(state["body"]) + len(chunk) <= self.max_body:
                    state["body"].extend(chunk)
                else:
                    state["truncated"] = True
                if not message.get("more_body", False):
                    state["done"] = True
            await send(message)
            if state["done"] and state["start"] is not None:
                start, state["start"] = state["start"], None
                self._check(
                    scope, start, bytes(request_body), request_truncated, bytes(state["body"]), state["truncated"]
                )

        await self.app(scope, watched_receive, watched_send)

    def _check(
        self, scope: Scope, start: Message, request_body: bytes, request_truncated: bool, body: bytes, truncated: bool
    ) -> None:
        try:
            method = str(scope.get("method", "GET"))
            request = Request(
                method=method,
                target=_target(scope),
                fields=Fields([(bytes(n), bytes(v)) for n, v in scope.get("headers", [])]),
                body=None if request_truncated else request_body,
                version=str(scope.get("http_version", "1.1")),
            )
            response = Response(
                status=int(start["status"]),
                fields=Fields([(bytes(n), bytes(v)) for n, v in start.get("headers", [])]),
                # A server drops what an app sends in answer to HEAD, so it is not judged.
                body=None if truncated or method == "HEAD" else body,
                version=request.version,
            )
            exchange = Exchange(request=request, response=response, source=f"{method} {request.target}")
            findings = lint_exchange(exchange, httplint=self.httplint, ignore=self.ignore)
        except Exception:  # noqa: BLE001 - the linter must never break the application
            logger.exception("statuskit.lint could not check %s %s", scope.get("method"), scope.get("path"))
            return
        for finding in findings:
            self.on_finding(finding, exchange)
