"""The HTTPS port (`server/tlsport.py`): handshakes, plain HTTP answered with 400, failures that hurt nobody.

Every test runs on uvloop and on asyncio's own loop: the listener uses only
public loop APIs (add_reader, connect_accepted_socket), and both must behave.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
import websockets.sync.client

from statuskit.server import ServerConfig, ServerThread, runner
from statuskit.server.tls import LocalAuthority

READ_TIMEOUT = 5.0


@pytest.fixture(scope="module")
def authority() -> LocalAuthority:
    return LocalAuthority()


@pytest.fixture(params=["uvloop", "asyncio"])
def start(
    request: pytest.FixtureRequest, authority: LocalAuthority, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., ServerThread]]:
    """`start(**config)`: an HTTPS server on the loop of the test's parameter."""
    if request.param == "asyncio":
        monkeypatch.setattr(runner, "new_event_loop", asyncio.new_event_loop)
    started: list[ServerThread] = []

    def go(**overrides: object) -> ServerThread:
        options: dict[str, object] = {"port": 0, "access_log": False, "request_timeout": 1.0, **overrides}
        thread = ServerThread(ServerConfig.from_options(ssl=authority.server_context(), **options)).start()  # type: ignore[arg-type]
        started.append(thread)
        return thread

    yield go
    for thread in started:
        thread.stop()


def connect(server: ServerThread) -> socket.socket:
    sock = socket.create_connection((server.host, server.port), timeout=READ_TIMEOUT)
    sock.settimeout(READ_TIMEOUT)
    return sock


def read_to_close(sock: socket.socket) -> bytes:
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except ConnectionResetError:
            raise AssertionError(f"reset after {data!r}") from None
        if not chunk:
            return data
        data += chunk


def is_closed_by_server(sock: socket.socket) -> bool:
    """True if the server closes the connection within READ_TIMEOUT (nothing sent); False if it stays open."""
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False


def serves(server: ServerThread, authority: LocalAuthority) -> bool:
    with httpx.Client(verify=authority.client_context(), timeout=READ_TIMEOUT) as client:
        return client.get(server.url_for("/200")).status_code == 200


def test_plain_http_gets_a_400_that_names_the_https_url(start: Callable[..., ServerThread]) -> None:
    server = start()
    with connect(server) as sock:
        sock.sendall(b"GET /200 HTTP/1.1\r\nHost: test\r\n\r\n")
        response = read_to_close(sock)
    head, _, body = response.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    assert lines[0] == "HTTP/1.1 400 Bad Request"
    assert "Connection: close" in lines
    assert f"Content-Length: {len(body)}" in lines
    assert body.decode() == (
        f"400 Bad Request\nthis port speaks HTTPS, and the request came in plain HTTP: use https://127.0.0.1:{server.port}/\n"
    )


def test_plain_http_with_a_large_body_still_gets_the_whole_answer(start: Callable[..., ServerThread]) -> None:
    # The listener answers at once and drains what follows: closing with unread data would reset the
    # connection, and a reset can destroy the answer before the client reads it.
    server = start()
    body = b"x" * 300_000
    with connect(server) as sock:
        sender = threading.Thread(
            target=sock.sendall, args=(b"POST /200 HTTP/1.1\r\nHost: t\r\nContent-Length: 300000\r\n\r\n" + body,)
        )
        sender.start()
        response = read_to_close(sock)
        sender.join(READ_TIMEOUT)
    assert response.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert response.endswith(b"use https://127.0.0.1:%d/\n" % server.port)


def test_httpx_over_plain_http_reads_the_400(start: Callable[..., ServerThread]) -> None:
    server = start()
    response = httpx.get(f"http://127.0.0.1:{server.port}/404")
    assert response.status_code == 400 and "this port speaks HTTPS" in response.text


def test_failed_handshakes_hurt_only_their_connection(
    start: Callable[..., ServerThread], authority: LocalAuthority, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    server = start()
    with httpx.Client(verify=authority.client_context(), timeout=READ_TIMEOUT) as kept:
        assert kept.get(server.url_for("/201")).status_code == 201  # a connection that must survive the rest
        # An untrusting client aborts the handshake.
        with pytest.raises(httpx.ConnectError):
            httpx.get(server.url_for("/200"), verify=ssl.create_default_context())
        # Noise after a handshake byte.
        with connect(server) as sock:
            sock.sendall(b"\x16" + b"\x00not a client hello" * 20)
            assert is_closed_by_server(sock)
        # A TLS 1.0 record version with a truncated hello, then silence: the handshake timeout ends it.
        with connect(server) as sock:
            sock.sendall(b"\x16\x03\x01\x00\xff\x01")
            assert is_closed_by_server(sock)
        # A client that connects and says nothing.
        with connect(server) as sock:
            assert is_closed_by_server(sock)
        # A client that goes away in the middle of its hello.
        sock = connect(server)
        sock.sendall(b"\x16\x03\x01")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        sock.close()  # a reset
        assert kept.get(server.url_for("/202")).status_code == 202
    assert serves(server, authority)
    ours = [r for r in caplog.records if r.name.split(".")[0] in ("asyncio", "statuskit")]
    assert any("TLS handshake failed" in r.getMessage() for r in ours)  # seen, at debug level
    assert [r.getMessage() for r in ours if r.levelno >= logging.WARNING] == []


def test_many_handshakes_at_once(start: Callable[..., ServerThread], authority: LocalAuthority) -> None:
    server = start()
    context = authority.client_context()
    statuses: list[int] = []

    def fetch(code: int) -> None:
        statuses.append(httpx.get(server.url_for(f"/{code}"), verify=context, timeout=10).status_code)

    threads = [threading.Thread(target=fetch, args=(200 + n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(15)
    assert sorted(statuses) == list(range(200, 224))


def test_waiting_connections_are_bounded_by_max_connections(
    start: Callable[..., ServerThread], authority: LocalAuthority
) -> None:
    server = start(max_connections=2, request_timeout=30.0)
    silent = [connect(server), connect(server)]
    with connect(server) as third:
        assert is_closed_by_server(third)  # closed at once: two wait already (the timeout is 30 s)
    for sock in silent:
        sock.close()
    assert eventually(lambda: serves(server, authority))  # once the server has seen those two close


def eventually(check: Callable[[], bool], attempts: int = 50) -> bool:
    for _ in range(attempts):
        try:
            if check():
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    return False


def test_stopping_closes_connections_that_are_still_waiting(start: Callable[..., ServerThread]) -> None:
    server = start(request_timeout=30.0)
    with connect(server) as waiting:
        server.stop()
        assert is_closed_by_server(waiting)


def test_keep_alive_interim_responses_and_pipelining_over_tls(
    start: Callable[..., ServerThread], authority: LocalAuthority
) -> None:
    server = start()
    with connect(server) as raw, authority.client_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(b"GET /103?then=404 HTTP/1.1\r\nHost: t\r\n\r\nGET /204 HTTP/1.1\r\nHost: t\r\n\r\n")
        data = b""
        while b"HTTP/1.1 204 No Content" not in data or not data.endswith(b"\r\n\r\n"):
            data += tls.recv(65536)
        assert data.startswith(b"HTTP/1.1 103 Early Hints\r\nLink: </200>; rel=preload; as=fetch; crossorigin\r\n\r\n")
        assert data.index(b"HTTP/1.1 404 Not Found") < data.index(b"HTTP/1.1 204 No Content")
        assert b"Connection: close" not in data
        tls.sendall(b"GET /418 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        rest = b""
        while True:
            chunk = tls.recv(65536)
            if not chunk:
                break
            rest += chunk
        assert rest.startswith(b"HTTP/1.1 418 I'm a teapot\r\n") and b"Connection: close" in rest


def test_websocket_over_wss(start: Callable[..., ServerThread], authority: LocalAuthority) -> None:
    server = start()
    uri = f"wss://127.0.0.1:{server.port}/101"
    with websockets.sync.client.connect(uri, ssl=authority.client_context(), open_timeout=READ_TIMEOUT) as ws:
        ws.send("over TLS")
        assert ws.recv(timeout=READ_TIMEOUT) == "over TLS"


def test_the_gateway_reaches_its_upstream_over_tls(
    start: Callable[..., ServerThread], authority: LocalAuthority
) -> None:
    # /gateway's upstream is this server itself, over the same scheme: TLS through this listener.
    server = start()
    with httpx.Client(verify=authority.client_context(), timeout=10) as client:
        passed = client.get(server.url_for("/gateway/418"))
        assert passed.status_code == 418 and passed.headers["Via"] == "1.1 statuskit"
        assert client.get(server.url_for("/gateway/504?timeout=100&sleep=500")).status_code == 504


def test_a_client_that_never_answers_close_notify_is_let_go(
    start: Callable[..., ServerThread], authority: LocalAuthority
) -> None:
    # After the keep-alive timeout the server sends close_notify; this client reads it but never answers
    # (nor closes): --tls-close-timeout, not asyncio's 30 s, decides when the connection is gone.
    server = start(keepalive_timeout=0.3, tls_close_timeout=0.5)
    state = server.server.state  # type: ignore[union-attr]
    with connect(server) as raw, authority.client_context().wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        tls.sendall(b"GET /200 HTTP/1.1\r\nHost: t\r\n\r\n")
        assert tls.recv(65536).startswith(b"HTTP/1.1 200 OK")
        assert tls.recv(1) == b""  # the server's close_notify, after the keep-alive timeout
        assert eventually(lambda: not state.connections)
