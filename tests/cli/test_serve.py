"""`statuskit serve` as a user runs it: a subprocess, signals, errors, workers."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from statuskit.server import ServerProcess

TIMEOUT = 15


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statuskit", "serve", *args], capture_output=True, text=True, timeout=TIMEOUT
    )


def _wait_for(predicate, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_port_0_prints_the_url_then_logs_each_request() -> None:
    with ServerProcess() as server:
        assert server.first_line.startswith(f"statuskit listening on http://127.0.0.1:{server.port} (1 worker, ")
        assert httpx.get(server.url_for("/404")).status_code == 404
        httpx.get(server.url_for("/418?x=1"))
        assert _wait_for(lambda: any('"GET /418?x=1 HTTP/1.1" 418 ' in line for line in server.lines))
        line = next(line for line in server.lines if "/404" in line)
        assert line.split()[1].startswith("127.0.0.1:")
        assert line.endswith(" 404 120") or " 404 " in line


def test_quiet_has_no_access_log() -> None:
    server = ServerProcess(["--quiet"]).start()
    httpx.get(server.url_for("/200"))
    assert server.stop() == 0
    assert list(server.lines) == []


def test_port_in_use_is_one_line_and_exit_2() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--port", str(port))
    assert result.returncode == 2
    assert result.stderr == f"statuskit: cannot listen on 127.0.0.1:{port}: the address is already in use\n"


@pytest.mark.parametrize(
    "args,words",
    [
        (["--port", "abc"], "invalid int value"),
        (["--port", "70000"], "--port must be 0-65535"),
        (["--max-body", "-1"], "--max-body must be 0 or more"),
        (["--request-timeout", "0"], "--request-timeout must be more than 0"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--no-such-option"], "unrecognized arguments"),
        (["--host", "no.such.host.invalid"], "cannot listen on no.such.host.invalid"),
        (["--store", "mongodb://x"], "is not memory:, sqlite:PATH, redis://HOST:PORT/DB"),
        (["--store", "sqlite:/no/such/folder/state.db"], "--store sqlite:/no/such/folder/state.db: unable to open"),
        (["--workers", "2", "--store", "sqlite:/no/such/folder/state.db"], "unable to open database file"),
        (["--store", "redis://localhost:port/0"], "is not a Redis URL"),
        (
            ["--store", "rediss://:pw@localhost:6379/0?ssl_ca_certs=/no/ca.pem"],
            "ssl_ca_certs='/no/ca.pem' is not a file",
        ),
        (["--store", "redis://localhost:6379/0?colour=blue"], "redis-py does not take the query"),
        (["--store-timeout", "0"], "--store-timeout must be more than 0"),
        (["--store-prefix", "a b"], "--store-prefix must be 1-100 characters without spaces"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], words: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("statuskit: ")
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0
    for option in ("--max-sleep", "--max-target", "--max-header-bytes", "--max-body", "--request-timeout", "--workers"):
        assert option in result.stdout


def _in_flight(url: str, results: list[object]) -> threading.Thread:
    def go() -> None:
        try:
            results.append(httpx.get(url, timeout=10).status_code)
        except httpx.HTTPError as exc:
            results.append(exc)

    thread = threading.Thread(target=go)
    thread.start()
    return thread


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_finishes_in_flight_responses_then_exits_0(signum: int) -> None:
    server = ServerProcess(["--quiet"]).start()
    results: list[object] = []
    thread = _in_flight(server.url_for("/201?sleep=1200"), results)
    time.sleep(0.4)  # the request is in flight
    started = time.monotonic()
    server.signal(signum)
    # stops accepting at once
    assert _wait_for(lambda: _refused(server.port), timeout=3)
    assert server.wait() == 0
    thread.join(TIMEOUT)
    assert results == [201]
    assert time.monotonic() - started < 5


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
    except OSError:
        return True
    return False


def test_shutdown_grace_bounds_the_wait() -> None:
    server = ServerProcess(["--quiet", "--shutdown-grace", "0.5", "--max-sleep", "10000"]).start()
    results: list[object] = []
    thread = _in_flight(server.url_for("/200?sleep=8000"), results)
    time.sleep(0.3)
    started = time.monotonic()
    server.signal(signal.SIGTERM)
    assert server.wait() == 0
    assert time.monotonic() - started < 3
    thread.join(TIMEOUT)
    assert len(results) == 1 and isinstance(results[0], httpx.HTTPError)


def _children(pid: int) -> set[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    if not path.exists():
        pytest.skip("needs /proc to find the workers")
    return {int(child) for child in path.read_text().split()}


@pytest.mark.skipif(not hasattr(socket, "SO_REUSEPORT"), reason="workers need SO_REUSEPORT")
def test_workers_share_the_port_and_a_dead_one_is_replaced() -> None:
    server = ServerProcess(["--workers", "2", "--quiet"]).start()
    try:
        assert "(2 workers," in server.first_line
        workers = _children(server.pid)
        assert len(workers) == 2
        with httpx.Client() as client:
            assert all(client.get(server.url_for("/204")).status_code == 204 for _ in range(10))
        victim = sorted(workers)[0]
        os.kill(victim, signal.SIGKILL)
        assert _wait_for(lambda: len(_children(server.pid)) == 2 and victim not in _children(server.pid), timeout=5)
        for _ in range(20):
            assert httpx.get(server.url_for("/200")).status_code == 200
        current = _children(server.pid)
        assert server.stop() == 0
        # every worker, the replacement included, is gone with the supervisor
        for pid in workers | current:
            assert not Path(f"/proc/{pid}").exists() or _is_zombie(pid)
        assert _refused(server.port)
    finally:
        if server.process is not None and server.process.poll() is None:
            server.process.kill()


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True
