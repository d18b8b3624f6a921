"""Memory a client can make the server hold: bounded, whatever it sends.

Each test measures the resident memory (RSS) of a real `statuskit serve`
process before and while a client does the most expensive thing it can
within the limits. The bounds are loose (tens of MiB) because they separate
"bounded" from "grows with what the client sends", which was hundreds.
"""

from __future__ import annotations

import selectors
import socket
import time

from statuskit.server import ServerProcess

HOST = b"Host: t\r\n"


def _exchange(port: int, data: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(data)
        sock.shutdown(socket.SHUT_WR)
        received = b""
        while chunk := sock.recv(1 << 20):
            received += chunk
    return received


def test_requests_read_ahead_are_bounded_in_bytes(rss, wire) -> None:
    # Found by this test: while one answer waited (?sleep=), the engine read ahead up
    # to 64 pipelined requests whatever their size, so 64 requests of --max-body
    # (1 MiB) held 64 MiB per connection. Now reading pauses at max(--max-body, 64 KiB).
    clients = 8
    body = b"x" * (1024 * 1024 - 1)
    post = b"POST /200 HTTP/1.1\r\n" + HOST + b"Content-Length: %d\r\n\r\n" % len(body) + body
    with ServerProcess(["--quiet", "--max-sleep", "10000"]) as server:
        _exchange(server.port, b"GET /200 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
        baseline = rss(server.pid)
        sockets = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(clients)]
        peak = baseline
        try:
            for sock in sockets:
                sock.sendall(b"GET /200?sleep=6000 HTTP/1.1\r\n" + HOST + b"\r\n")
                sock.setblocking(False)
            stream = memoryview(post * 64)
            offsets = dict.fromkeys(sockets, 0)
            quiet_since = time.monotonic()
            with selectors.DefaultSelector() as selector:
                for sock in sockets:
                    selector.register(sock, selectors.EVENT_WRITE)
                while selector.get_map() and time.monotonic() - quiet_since < 0.5:
                    peak = max(peak, rss(server.pid))
                    for key, _ in selector.select(timeout=0.05):
                        sock = key.fileobj
                        start = offsets[sock]  # type: ignore[index]
                        try:
                            offsets[sock] = start + sock.send(stream[start : start + (1 << 20)])  # type: ignore[union-attr,index]
                        except BlockingIOError:
                            continue
                        quiet_since = time.monotonic()
                        if offsets[sock] == len(stream):  # type: ignore[index]
                            selector.unregister(sock)
            peak = max(peak, rss(server.pid))
            unsent = sum(len(stream) - offset for offset in offsets.values())
        finally:
            for sock in sockets:
                sock.close()
    assert unsent > 0, "the server read 64 MiB from each client while it was busy"
    assert peak - baseline < 60, f"{clients} pipelining clients grew the server from {baseline:.0f} to {peak:.0f} MiB"


def test_remembered_answers_are_bounded_in_bytes(rss, wire) -> None:
    # Found by this test: the engine remembers each reusable answer by the request's
    # fields, up to 4096 answers, whatever their size. A client varying one field of
    # a request for the 380 KB reference page made it hold ~750 KB per request
    # (2.2 GB after 3000). Now the store is bounded by --max-cache-bytes.
    with ServerProcess(["--quiet", "--max-cache-bytes", str(8 * 1024 * 1024)]) as server:
        first = wire.check(
            _exchange(server.port, b"GET / HTTP/1.1\r\n" + HOST + b"Accept: text/html\r\nConnection: close\r\n\r\n")
        )
        size = len(first.responses[0].body)
        assert size > 100_000  # the page is large, which is the point
        baseline = rss(server.pid)
        requests = 200
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            for number in range(requests):
                sock.sendall(b"GET / HTTP/1.1\r\n" + HOST + b"Accept: text/html\r\nX-Vary: %d\r\n\r\n" % number)
                received = b""
                while len(received) < size or b"\r\n\r\n" not in received:
                    received += sock.recv(1 << 20)
                    head, _, rest = received.partition(b"\r\n\r\n")
                    if rest and len(rest) >= size:
                        break
        peak = rss(server.pid)
    # Without the bound: requests * ~0.75 MiB, about 150 MiB here.
    assert peak - baseline < 50, (
        f"{requests} requests for the page grew the server from {baseline:.0f} to {peak:.0f} MiB"
    )


def test_remembering_can_be_turned_off(wire) -> None:
    with ServerProcess(["--quiet", "--max-cache-bytes", "0"]) as server:
        for _ in range(3):
            stream = wire.check(_exchange(server.port, b"GET /404 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n"))
            assert stream.statuses == [404]


def test_a_closed_connection_is_freed_at_once(make_target, wire) -> None:
    # Found by benchmarks/load.py: RSS rose round after round of 1,000 connections
    # (34 to 52 MiB over 15 rounds). Each closed connection stayed in memory until
    # the cyclic garbage collector ran, because the parser holds the protocol's
    # callbacks. Counted here with the collector off: nothing may be left.
    import gc

    from statuskit.server.protocol import HttpProtocol

    server = make_target()
    state = server.thread.server.state
    gc.collect()
    gc.disable()
    try:
        for path in (b"/200", b"/103", b"/200?sleep=5", b"/404", b"/200?fault=drop"):
            for _ in range(10):
                received, _ = server.converse(b"GET " + path + b" HTTP/1.1\r\n" + HOST + b"\r\n")
                wire.check(received, cut_allowed=True)
        deadline = time.monotonic() + 5
        while state.connections and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not state.connections
        left = [obj for obj in gc.get_objects() if isinstance(obj, HttpProtocol) and obj.state is state]
    finally:
        gc.enable()
    assert left == [], f"{len(left)} closed connections still in memory"
