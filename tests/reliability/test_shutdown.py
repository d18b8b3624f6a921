"""Stopping and restarting `statuskit serve`, as a process manager does it.

tests/cli/test_serve.py covers one process finishing an in-flight response on
SIGTERM/SIGINT, the grace bound, and a killed worker being replaced. Here:
the same guarantees with several workers and several connections in every
state (answering, idle, half-sent), new connections refused while draining,
the port free for the next server at once, and a crash loop that ends
instead of spinning.
"""

from __future__ import annotations

import errno
import os
import signal
import socket
import threading
import time
from pathlib import Path

import pytest

from statuskit.server import ServerProcess

HOST = b"Host: t\r\n"
needs_workers = pytest.mark.skipif(
    not hasattr(socket, "SO_REUSEPORT") or not Path("/proc").exists(), reason="workers need SO_REUSEPORT and /proc"
)


def _ask(port: int, data: bytes, results: list[bytes], timeout: float = 15.0) -> threading.Thread:
    """Send `data` on a new connection in a thread; what the server sent until it closed goes into `results`."""

    def go() -> None:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
                sock.sendall(data)
                received = b""
                while chunk := sock.recv(65536):
                    received += chunk
                results.append(received)
        except OSError as exc:
            results.append(f"error: {exc}".encode())

    thread = threading.Thread(target=go)
    thread.start()
    return thread


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError as exc:
        return exc.errno == errno.ECONNREFUSED
    return False


def _wait_for(predicate, timeout: float = 5.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _children(pid: int) -> set[int]:
    return {int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}


@pytest.mark.parametrize("workers", [1, pytest.param(3, marks=needs_workers)], ids=["1 worker", "3 workers"])
def test_sigterm_drains_every_connection_then_exits(wire, workers: int) -> None:
    grace = 5.0
    server = ServerProcess(["--quiet", "--workers", str(workers), "--shutdown-grace", str(grace)]).start()
    try:
        # In flight: slow answers on new connections (spread over the workers by the kernel).
        answers: list[bytes] = []
        threads = [_ask(server.port, b"GET /201?sleep=1500 HTTP/1.1\r\n" + HOST + b"\r\n", answers) for _ in range(12)]
        # Idle keep-alive connections, and one that has sent half a request.
        idle = [socket.create_connection(("127.0.0.1", server.port), timeout=10) for _ in range(3)]
        for sock in idle:
            sock.sendall(b"GET /204 HTTP/1.1\r\n" + HOST + b"\r\n")
            assert wire.strict(sock.recv(65536)).statuses == [204]
        half = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        half.sendall(b"GET /202 HTTP/1.1\r\n")
        time.sleep(0.5)  # everything is in flight
        started = time.monotonic()
        server.signal(signal.SIGTERM)
        assert _wait_for(lambda: _refused(server.port), timeout=3), "new connections were still accepted while draining"
        # The idle connections are closed at once, without a response.
        for sock in idle:
            assert sock.recv(65536) == b""
        # The half-sent request may still be completed within the grace, and is answered, with close.
        half.sendall(HOST + b"\r\n")
        rest = b""
        while chunk := half.recv(65536):
            rest += chunk
        last = wire.check(rest)
        assert last.statuses == [202] and last.responses[0].closes
        assert server.wait(timeout=grace + 10) == 0
        elapsed = time.monotonic() - started
        for thread in threads:
            thread.join(15)
        for received in answers:
            stream = wire.check(received)
            assert stream.statuses == [201], received[:200]
            assert stream.responses[0].closes  # draining: the connection ends with this answer
        assert len(answers) == 12
        assert elapsed < grace + 3, f"exit took {elapsed:.1f} s with a grace of {grace} s"
    finally:
        for sock in [*idle, half]:
            sock.close()
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.wait()


def test_the_port_is_free_for_the_next_server_at_once(wire) -> None:
    # A server that served many connections (leaving TIME_WAIT sockets behind) and
    # stopped: the next one binds the same port immediately (SO_REUSEADDR).
    first = ServerProcess(["--quiet"]).start()
    port = first.port
    for _ in range(50):
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /200 HTTP/1.1\r\n" + HOST + b"\r\n")
            sock.recv(65536)  # the client closes first: the server side is the one that...
    with socket.create_connection(("127.0.0.1", port)) as sock:  # ...and here the server closes first
        sock.sendall(b"GET /200 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
        while sock.recv(65536):
            pass
    assert first.stop() == 0
    assert _refused(port)
    with ServerProcess(["--quiet", "--port", str(port)]) as second:
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(b"GET /204 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
        assert wire.check(received).statuses == [204]
        assert second.port == port


@needs_workers
def test_a_killed_worker_does_not_disturb_the_others(wire) -> None:
    # While slow answers are in flight, one worker is killed. Connections on the
    # other worker finish normally; those on the killed one end (a client error,
    # not a hang); a replacement starts; every new request is answered.
    server = ServerProcess(["--quiet", "--workers", "2"]).start()
    try:
        workers = _children(server.pid)
        answers: list[bytes] = []
        threads = [
            _ask(server.port, b"GET /200?sleep=1000 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n", answers)
            for _ in range(10)
        ]
        time.sleep(0.3)
        victim = min(workers)
        os.kill(victim, signal.SIGKILL)
        for thread in threads:
            thread.join(15)
        complete = [received for received in answers if wire.strict(received).statuses == [200]]
        cut = [received for received in answers if received not in complete]
        assert len(answers) == 10 and complete, "no in-flight answer survived on the other worker"
        for received in cut:
            assert received == b"" or received.startswith(b"error:"), received[:200]
        assert _wait_for(lambda: len(_children(server.pid)) == 2 and victim not in _children(server.pid))
        for _ in range(20):
            results: list[bytes] = []
            _ask(server.port, b"GET /200 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n", results).join(10)
            assert wire.check(results[0]).statuses == [200]
        assert server.stop() == 0
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.wait()


@needs_workers
def test_a_crash_loop_ends_instead_of_spinning() -> None:
    # Workers that die again and again (here: killed as soon as they start) make the
    # supervisor stop with status 1 and say why, rather than fork without end.
    server = ServerProcess(["--quiet", "--workers", "2"]).start()
    try:
        deadline = time.monotonic() + 20
        killed = 0
        while server.process.poll() is None and time.monotonic() < deadline:  # type: ignore[union-attr]
            try:
                children = _children(server.pid)
            except FileNotFoundError:
                break
            for pid in children:
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed += 1
                except ProcessLookupError:
                    pass
            time.sleep(0.05)
        assert server.wait(timeout=10) == 1
        assert any("keep dying" in line for line in server.errors), list(server.errors)
        assert killed <= 20
        assert _refused(server.port)
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()
            server.wait()
