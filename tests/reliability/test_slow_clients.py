"""Slow clients: those that send too slowly (slowloris) and those that never read.

A slow sender gets 408 and loses its connection once --request-timeout has
passed, however it spreads its bytes; meanwhile everyone else is served. A
client that never reads its responses does not grow the server: the engine
stops reading from it once its write buffer is full, and drops it after
--send-timeout.

Times are bounded generously (a loaded CI machine is slow); they prove that
the server acts on its timeouts, not how fast it is.
"""

from __future__ import annotations

import selectors
import socket
import time
from collections.abc import Callable

import pytest

from statuskit.server import ServerProcess

HOST = b"Host: t\r\n"
TIMEOUT = 0.5  # --request-timeout of these tests' servers
# However the bytes are spread, the answer comes within the timeout plus the
# engine's sweep; allow far more, so that only a server that ignores its timeout fails.
DEADLINE = TIMEOUT + 4.0


def _trickle(sockets: list[socket.socket], data: bytes, every: float, deadline: float) -> dict[socket.socket, bytes]:
    """Send `data` one byte every `every` seconds on each socket, reading what comes back, until each is closed."""
    received = dict.fromkeys(sockets, b"")
    sent = dict.fromkeys(sockets, 0)
    open_ = set(sockets)
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
        next_send = time.monotonic()
        while open_ and time.monotonic() < deadline:
            if time.monotonic() >= next_send:
                for sock in list(open_):
                    if sent[sock] < len(data):
                        try:
                            sock.send(data[sent[sock] : sent[sock] + 1])
                            sent[sock] += 1
                        except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                            pass
                next_send += every
            for key, _ in selector.select(timeout=max(0.0, min(every, next_send - time.monotonic()))):
                sock = key.fileobj
                try:
                    chunk = sock.recv(65536)  # type: ignore[union-attr]
                except ConnectionResetError:
                    chunk = b""
                except BlockingIOError:
                    continue
                if chunk:
                    received[sock] += chunk  # type: ignore[index]
                else:
                    open_.discard(sock)  # type: ignore[arg-type]
                    selector.unregister(sock)
    assert not open_, f"{len(open_)} of {len(sockets)} connections still open after the deadline"
    return received


@pytest.mark.parametrize(
    "data",
    [
        b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Slow: " + b"s" * 400,
        b"GET /" + b"a" * 300,
        b"POST /200 HTTP/1.1\r\n" + HOST + b"Content-Length: 400\r\n\r\n" + b"b" * 400,
        b"POST /200 HTTP/1.1\r\n" + HOST + b"Transfer-Encoding: chunked\r\n\r\n" + b"1\r\nc\r\n" * 100,
    ],
    ids=["head one byte at a time", "request line one byte at a time", "content trickled", "chunks trickled"],
)
def test_slowloris_gets_408_and_is_closed_within_the_timeout(make_target, wire, data: bytes) -> None:
    server = make_target(request_timeout=TIMEOUT)
    sockets = [socket.create_connection((server.host, server.port)) for _ in range(20)]
    started = time.monotonic()
    try:
        received = _trickle(sockets, data, every=0.02, deadline=started + DEADLINE)
    finally:
        for sock in sockets:
            sock.close()
    for output in received.values():
        stream = wire.check(output)
        assert stream.statuses == [408], output[:200]
        assert "--request-timeout" in stream.responses[0].body.decode()
    server.assert_serving()
    server.assert_no_errors()


def test_others_are_served_while_slowloris_holds_connections(make_target, wire) -> None:
    # 200 trickling connections, all within --max-connections: a normal client on
    # a new connection is answered at once, many times, while they wait for their 408.
    server = make_target(request_timeout=2.0)
    sockets = [socket.create_connection((server.host, server.port)) for _ in range(200)]
    try:
        for sock in sockets:
            sock.sendall(b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Slow: ")
        for _ in range(50):
            server.assert_serving()
    finally:
        for sock in sockets:
            sock.close()
    server.assert_no_errors()


def _fill_without_reading(
    sockets: list[socket.socket], request: bytes, sample: Callable[[], None], stall: float = 0.3, limit: float = 15.0
) -> list[int]:
    """Pipeline `request` on every socket until each stays unwritable for `stall` seconds; requests sent on each."""
    counts = dict.fromkeys(sockets, 0)
    pending = dict.fromkeys(sockets, b"")
    writable_at = {sock: time.monotonic() for sock in sockets}
    deadline = time.monotonic() + limit
    with selectors.DefaultSelector() as selector:
        for sock in sockets:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_WRITE)
        while selector.get_map():
            if time.monotonic() > deadline:
                raise AssertionError("the server kept reading from a client that never reads")
            sample()
            for key, _ in selector.select(timeout=0.05):
                sock = key.fileobj
                try:
                    data = pending[sock] or request * 8  # type: ignore[index]
                    pending[sock] = data[sock.send(data) :]  # type: ignore[union-attr,index]
                    if not pending[sock]:  # type: ignore[index]
                        counts[sock] += 8  # type: ignore[index]
                    writable_at[sock] = time.monotonic()  # type: ignore[index]
                except BlockingIOError:
                    pass
                except (BrokenPipeError, ConnectionResetError):
                    selector.unregister(sock)
            for sock in list(selector.get_map().values()):
                if time.monotonic() - writable_at[sock.fileobj] > stall:  # type: ignore[index]
                    selector.unregister(sock.fileobj)  # the server stopped reading from it
    return [counts[sock] for sock in sockets]


def _established(sock: socket.socket) -> bool:
    """Is the TCP connection still established, as the kernel sees it (Linux TCP_INFO)?"""
    state = sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_INFO, 8)[0]
    return state == 1  # TCP_ESTABLISHED


def _small_buffers() -> socket.socket:
    # Small kernel buffers on the client side, so that the server's own write buffer,
    # not the kernel's, is what fills up (loopback buffers otherwise take megabytes).
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    return sock


SEND_TIMEOUT = 1.0


@pytest.mark.skipif(not hasattr(socket, "TCP_INFO"), reason="reads the connection state with TCP_INFO (Linux)")
@pytest.mark.parametrize(
    "request_bytes",
    [
        b"GET / HTTP/1.1\r\n" + HOST + b"Accept: text/html\r\n\r\n",  # the largest answer, the reference page
        b"GET /200?pad=" + b"p" * 900 + b" HTTP/1.1\r\n" + HOST + b"\r\n",  # small answers, many of them
        b"GET /_statuskit/exchange/200 HTTP/1.1\r\n" + HOST + b"\r\n",  # answers built each time, never remembered
    ],
    ids=["large answers", "small answers", "answers built each time"],
)
def test_a_client_that_never_reads_does_not_grow_the_server_and_is_dropped(rss, request_bytes: bytes) -> None:
    # Clients pipeline requests and never read. The server stops reading from each
    # once its write buffer is full, so its memory stays flat, and after
    # --send-timeout it ends their connections.
    clients = 10
    with ServerProcess(["--quiet", "--send-timeout", str(SEND_TIMEOUT), "--keepalive-timeout", "60"]) as server:
        with socket.create_connection(("127.0.0.1", server.port)) as warm:  # render and remember the answer once
            warm.sendall(request_bytes.replace(b"HTTP/1.1\r\n", b"HTTP/1.1\r\nConnection: close\r\n", 1))
            while warm.recv(1 << 16):
                pass
        baseline = rss(server.pid)
        sockets = []
        try:
            for _ in range(clients):
                sock = _small_buffers()
                sock.connect(("127.0.0.1", server.port))
                sockets.append(sock)
            peak = [baseline]
            # A client stops sending once the server has not read from it for longer than
            # --send-timeout: a server only slow under load (descheduled for a few tenths of a
            # second) would otherwise look stalled, answer everything into the kernel's buffers
            # and rightly wait for the next request, up to --keepalive-timeout.
            sent = _fill_without_reading(
                sockets, request_bytes, lambda: peak.append(rss(server.pid)), stall=SEND_TIMEOUT + 1
            )
            held = max(peak)
            deadline = time.monotonic() + SEND_TIMEOUT + 10
            while any(_established(sock) for sock in sockets) and time.monotonic() < deadline:
                time.sleep(0.05)
            still = sum(_established(sock) for sock in sockets)
        finally:
            for sock in sockets:
                sock.close()
        after = rss(server.pid)
    assert min(sent) > 0
    assert still == 0, f"{still} of {clients} connections whose client never read were held past --send-timeout"
    assert held - baseline < 40, (
        f"{clients} clients that never read grew the server from {baseline:.0f} to {held:.0f} MiB"
    )
    assert after - baseline < 40
