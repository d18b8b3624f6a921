"""The engine's upstream client against real sockets: each way an upstream can fail, and the request it sends.

Small asyncio servers on loopback play the upstream (a valid answer, garbage,
a truncated one, silence, too much); the gateway route turns each outcome
into 502 or 504 (tests/responder/test_gateway.py), and the whole path runs
end to end in tests/e2e/test_resources.py.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Awaitable, Callable

import httpx
import pytest

from statuskit.responder import Upstream, UpstreamError, UpstreamResponse
from statuskit.server import ServerConfig, ServerThread
from statuskit.server.server import loopback_for
from statuskit.server.upstream import fetch, request_bytes

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


def run(handler: Handler, upstream: Upstream) -> tuple[UpstreamResponse, bytes]:
    """Serve one connection with `handler`, fetch `upstream` from it; the outcome and what the client sent."""
    seen: list[bytes] = []

    async def main() -> UpstreamResponse:
        async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            seen.append(await reader.readuntil(b"\r\n\r\n"))
            try:
                await handler(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await fetch(upstream, "127.0.0.1", port)

    outcome = asyncio.run(main())
    return outcome, seen[0] if seen else b""


def answer(data: bytes) -> Handler:
    async def handler(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(data)
        await writer.drain()

    return handler


UP = Upstream(
    target="/200?x=1", headers=(("If-None-Match", '"a"'), ("Via", "1.1 statuskit")), timeout=2.0, max_bytes=4096
)


def test_a_valid_response() -> None:
    outcome, sent = run(answer(b"HTTP/1.1 203 Fine\r\nContent-Length: 3\r\nX-A: 1\r\n\r\nabc"), UP)
    assert outcome.error is None
    assert (outcome.status, outcome.reason, outcome.body) == (203, "Fine", b"abc")
    assert ("X-A", "1") in outcome.headers
    lines = sent.decode().split("\r\n")
    assert lines[0] == "GET /200?x=1 HTTP/1.1"
    assert lines[1].startswith("Host: 127.0.0.1:")
    assert 'If-None-Match: "a"' in lines and "Via: 1.1 statuskit" in lines and "Connection: close" in lines


def test_interim_responses_are_skipped() -> None:
    outcome, _ = run(
        answer(b"HTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"), UP
    )
    assert (outcome.status, outcome.body) == (200, b"ok")


def test_content_delimited_by_close() -> None:
    outcome, _ = run(answer(b"HTTP/1.1 200 OK\r\n\r\nuntil the end"), UP)
    assert (outcome.status, outcome.body) == (200, b"until the end")


@pytest.mark.parametrize(
    ("data", "error", "words"),
    [
        (b"STATUSKIT GARBAGE\r\n\r\n", UpstreamError.INVALID, "sent an invalid response"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\n", UpstreamError.INVALID, "invalid"),
        (b"", UpstreamError.INCOMPLETE, "closed the connection without answering"),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", UpstreamError.INCOMPLETE, "after 42 bytes"),
        (b"HTTP/1.1 200 OK\r\nContent-Le", UpstreamError.INCOMPLETE, "before its response"),
        (b"HTTP/1.1 103 Early Hints\r\n\r\n", UpstreamError.INCOMPLETE, "before its response"),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 9000\r\n\r\n" + b"x" * 9000,
            UpstreamError.TOO_LARGE,
            "more than 4096 bytes",
        ),
    ],
)
def test_failures(data: bytes, error: UpstreamError, words: str) -> None:
    outcome, _ = run(answer(data), UP)
    assert outcome.error is error
    assert words in outcome.detail


def test_a_slow_upstream_times_out() -> None:
    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await asyncio.sleep(5)

    outcome, _ = run(silent, Upstream(target="/200", timeout=0.2))
    assert outcome.error is UpstreamError.TIMEOUT
    assert "within 200 ms" in outcome.detail


def test_an_unreachable_upstream() -> None:
    async def main() -> UpstreamResponse:
        server = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        server.close()
        await server.wait_closed()
        return await fetch(Upstream(target="/200", timeout=2.0), "127.0.0.1", port)

    assert asyncio.run(main()).error is UpstreamError.UNREACHABLE


def test_request_bytes_for_ipv6() -> None:
    assert b"Host: [::1]:8080\r\n" in request_bytes(Upstream(target="/"), "::1", 8080)
    assert loopback_for("0.0.0.0") == "127.0.0.1" and loopback_for("::") == "::1"
    assert loopback_for("127.0.0.5") == "127.0.0.5"


def test_the_gateway_reaches_itself_over_tls(tmp_path) -> None:  # type: ignore[no-untyped-def]
    trustme = pytest.importorskip("trustme")
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    config = ServerConfig.from_options(port=0, access_log=False, ssl=server_context, max_sleep_ms=2000)
    verify = ssl.create_default_context(cafile=str(bundle))
    with ServerThread(config) as server, httpx.Client(verify=verify, timeout=5) as client:
        assert client.get(server.url_for("/gateway/418")).status_code == 418
        assert client.get(server.url_for("/gateway/502")).status_code == 502


# -- the engine around the upstream request, on the shared test server -----------------------


def test_pipelined_requests_wait_for_the_gateway(live) -> None:  # type: ignore[no-untyped-def]
    raw = live.connect()
    raw.send(b"GET /gateway/203 HTTP/1.1\r\nHost: t\r\n\r\nGET /201 HTTP/1.1\r\nHost: t\r\n\r\n")
    first, second = raw.response(), raw.response()
    assert first is not None and second is not None
    # Answered in order: the later request waited for the upstream exchange.
    assert (first.status, second.status) == (203, 201)
    assert first.header("Via") == "1.1 statuskit"


def test_a_client_leaving_during_the_upstream_wait(live) -> None:  # type: ignore[no-untyped-def]
    raw = live.connect()
    raw.send(b"GET /gateway/504?timeout=1500 HTTP/1.1\r\nHost: t\r\n\r\n")
    raw.close()
    live.assert_serving()
    assert live.request("/gateway/200").status == 200


def test_a_second_upstream_request_is_refused() -> None:
    from statuskit.responder import Plan, Request, Responder

    class Looping(Responder):
        def after_upstream(self, request: Request, outcome: UpstreamResponse) -> Plan:
            return Plan(status=200, reason="OK", upstream=Upstream(target="/200"))

    with ServerThread(ServerConfig.from_options(port=0, access_log=False), responder=Looping()) as server:
        response = httpx.get(server.url_for("/gateway/200"), timeout=5)
    assert response.status_code == 500
