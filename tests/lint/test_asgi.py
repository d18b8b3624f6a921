"""The ASGI middleware: every response an application sends is checked, none is changed."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from typing import Any

import httpx
import pytest

from statuskit.lint import Exchange, Finding
from statuskit.lint.asgi import LintMiddleware


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A small application that gets a few codes wrong on purpose."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    path = scope["path"]
    date = [(b"date", b"Mon, 02 Nov 2026 10:00:00 GMT")]
    if path == "/ok":
        headers = [
            *date,
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"cache-control", b"no-store"),
            (b"content-length", b"2"),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"o", "more_body": True})
        await send({"type": "http.response.body", "body": b"k"})
    elif path == "/login":
        await send({"type": "http.response.start", "status": 401, "headers": [*date, (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
    elif path == "/items":
        try:
            json.loads(body)
            status = 201
        except ValueError:
            status = 500  # the bug: the client's bad JSON answered as the server's fault
        await send({"type": "http.response.start", "status": status, "headers": [*date, (b"content-length", b"0")]})
        await send({"type": "http.response.body", "body": b""})
    else:
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [*date, (b"content-length", b"0"), (b"cache-control", b"no-store")],
            }
        )
        await send({"type": "http.response.body", "body": b""})


def collect() -> tuple[list[tuple[Finding, Exchange]], Any]:
    seen: list[tuple[Finding, Exchange]] = []
    return seen, lambda finding, exchange: seen.append((finding, exchange))


def test_middleware_reports_and_passes_through() -> None:
    seen, on_finding = collect()
    wrapped = LintMiddleware(app, on_finding=on_finding)

    async def go() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=wrapped)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return [
                await client.get("/ok"),
                await client.get("/login"),
                await client.post("/items", content=b"{oops", headers={"Content-Type": "application/json"}),
                await client.post("/items", content=b'{"a": 1}', headers={"Content-Type": "application/json"}),
            ]

    responses = asyncio.run(go())
    assert [r.status_code for r in responses] == [200, 401, 500, 201]
    assert responses[0].content == b"ok"  # the body is untouched
    rules = [(e.request.target if e.request else "", f.rule) for f, e in seen]
    assert ("/login", "required-field-missing") in rules
    assert ("/items", "server-error-for-malformed-content") in rules
    assert not [r for r in rules if r[0] == "/ok"]
    (login,) = [(f, e) for f, e in seen if f.rule == "required-field-missing"]
    assert login[1].request is not None and login[1].request.method == "GET" and login[1].response.status == 401


def test_default_logs_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    async def go() -> None:
        transport = httpx.ASGITransport(app=LintMiddleware(app))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            await client.get("/login")

    with caplog.at_level(logging.WARNING, logger="statuskit.lint"):
        asyncio.run(go())
    assert any(
        "required-field-missing" in r.getMessage() and "GET /login -> 401" in r.getMessage() for r in caplog.records
    )


def test_linter_failure_never_breaks_the_app(caplog: pytest.LogCaptureFixture) -> None:
    def explode(finding: Finding, exchange: Exchange) -> None:
        raise AssertionError("on_finding errors are the caller's")

    async def bad_status(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 99999, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    async def go() -> int:
        transport = httpx.ASGITransport(app=LintMiddleware(bad_status, on_finding=explode))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            return (await client.get("/")).status_code

    with caplog.at_level(logging.ERROR, logger="statuskit.lint"):
        assert asyncio.run(go()) == 99999
    assert any("could not check" in r.getMessage() for r in caplog.records)


def test_under_a_real_server() -> None:
    """uvicorn on a loopback port, a real HTTP client, the middleware in between."""
    uvicorn = pytest.importorskip("uvicorn")
    seen, on_finding = collect()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = uvicorn.Config(LintMiddleware(app, on_finding=on_finding), host="127.0.0.1", port=port, log_level="error")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.02)
        assert server.started
        with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
            assert client.get("/login").status_code == 401
            assert client.get("/ok").status_code == 200
    finally:
        server.should_exit = True
        thread.join(10)
    assert [f.rule for f, _ in seen] == ["required-field-missing"]
