"""Running the server: one process, or a supervisor and N forked workers sharing the port.

Each worker binds its own socket with SO_REUSEPORT, so the kernel spreads
connections across them; the supervisor holds the port (bound, never
listening) so that `--port 0` names one port for all, replaces a worker that
dies, and forwards SIGTERM/SIGINT so that every worker finishes its in-flight
responses before the supervisor exits.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from dataclasses import replace
from typing import TextIO

from statuskit.server.config import ServerConfig
from statuskit.server.errors import ServerError
from statuskit.server.loops import loop_name, new_event_loop
from statuskit.server.server import Server, bind_socket

# A worker that dies this many times within RESTART_WINDOW seconds is not restarted again.
MAX_RESTARTS = 5
RESTART_WINDOW = 10.0
# Seconds the workers get to start listening.
READY_TIMEOUT = 15.0
# How often the supervisor looks at its children (seconds).
POLL = 0.1


def announce(url: str, workers: int, loop: str, stream: TextIO, note: str = "") -> None:
    noun = "worker" if workers == 1 else "workers"
    extra = f"; {note}" if note else ""
    stream.write(f"statuskit listening on {url} ({workers} {noun}, {loop}{extra})\n")
    stream.flush()


def serve_one(
    config: ServerConfig,
    *,
    sock_reuse_port: bool = False,
    ready_fd: int = -1,
    quiet_announce: bool = False,
    note: str = "",
) -> int:
    """Run one server until SIGTERM or SIGINT; 0 after a graceful stop."""
    loop = new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        return loop.run_until_complete(_serve(config, sock_reuse_port, ready_fd, quiet_announce, loop_name(loop), note))
    finally:
        loop.close()


async def _serve(
    config: ServerConfig, reuse_port: bool, ready_fd: int, quiet_announce: bool, loop_label: str, note: str
) -> int:
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    sock = bind_socket(config.host, config.port, reuse_port=reuse_port)
    server = Server(config)
    await server.start(sock)
    if ready_fd >= 0:
        os.write(ready_fd, b"1")
        os.close(ready_fd)
    if not quiet_announce:
        announce(server.url, 1, loop_label, sys.stdout, note)
    await stop.wait()
    await server.stop()
    return 0


class Supervisor:
    def __init__(self, config: ServerConfig, note: str = "") -> None:
        self.config = config
        self.note = note
        self.children: dict[int, float] = {}  # pid -> start time
        self.deaths: list[float] = []
        self.stopping = False
        self.gave_up = False

    def run(self) -> int:
        holder = bind_socket(self.config.host, self.config.port, reuse_port=True)
        port = holder.getsockname()[1]
        self.config = replace(self.config, port=port)
        previous = {signum: signal.signal(signum, self._on_signal) for signum in (signal.SIGINT, signal.SIGTERM)}
        try:
            ready_read, ready_write = os.pipe()
            for _ in range(self.config.workers):
                self._spawn(ready_write)
            os.close(ready_write)
            if not self._wait_ready(ready_read, self.config.workers):
                self._stop_children()
                raise ServerError("the workers did not start listening in time")
            os.close(ready_read)
            host = f"[{self.config.host}]" if ":" in self.config.host else self.config.host
            scheme = "https" if self.config.ssl is not None else "http"
            loop = "uvloop" if _has_uvloop() else "asyncio"
            announce(f"{scheme}://{host}:{port}", self.config.workers, loop, sys.stdout, self.note)
            return self._watch()
        finally:
            for signum, handler in previous.items():
                signal.signal(signum, handler)
            holder.close()

    def _on_signal(self, signum: int, frame: object) -> None:
        self.stopping = True
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def _spawn(self, ready_fd: int = -1) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                for signum in (signal.SIGINT, signal.SIGTERM):
                    signal.signal(signum, signal.SIG_DFL)
                code = serve_one(self.config, sock_reuse_port=True, ready_fd=ready_fd, quiet_announce=True)
            except ServerError as exc:
                sys.stderr.write(f"statuskit: worker {os.getpid()}: {exc}\n")
            except BaseException as exc:  # noqa: BLE001 - a worker must never return into the supervisor's code.
                sys.stderr.write(f"statuskit: worker {os.getpid()} failed: {exc!r}\n")
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        self.children[pid] = time.monotonic()

    def _wait_ready(self, fd: int, count: int) -> bool:
        import selectors

        deadline = time.monotonic() + READY_TIMEOUT
        got = 0
        with selectors.DefaultSelector() as selector:
            selector.register(fd, selectors.EVENT_READ)
            while got < count:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.stopping:
                    return False
                if selector.select(min(remaining, POLL)):
                    data = os.read(fd, 64)
                    if not data:
                        return False
                    got += len(data)
                self._reap(respawn=False)
        return True

    def _reap(self, respawn: bool) -> None:
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                self.children.clear()
                return
            if pid == 0:
                return
            self.children.pop(pid, None)
            if respawn and not self.stopping:
                now = time.monotonic()
                self.deaths = [t for t in self.deaths if now - t < RESTART_WINDOW] + [now]
                code = os.waitstatus_to_exitcode(status)
                if len(self.deaths) > MAX_RESTARTS:
                    self.gave_up = True
                    sys.stderr.write(f"statuskit: workers keep dying (last: {pid}, status {code}); stopping\n")
                    self._on_signal(signal.SIGTERM, None)
                    continue
                sys.stderr.write(f"statuskit: worker {pid} exited (status {code}); starting another\n")
                self._spawn()

    def _watch(self) -> int:
        stop_deadline: float | None = None
        while self.children:
            time.sleep(POLL)
            self._reap(respawn=True)
            if self.stopping and stop_deadline is None:
                stop_deadline = time.monotonic() + self.config.shutdown_grace + 5.0
            if stop_deadline is not None and time.monotonic() > stop_deadline:
                self._stop_children()
        return 1 if self.gave_up else 0

    def _stop_children(self) -> None:
        deadline = time.monotonic() + self.config.shutdown_grace + 5.0
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        while self.children and time.monotonic() < deadline:
            time.sleep(POLL)
            self._reap(respawn=False)
        for pid in list(self.children):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        while self.children:
            try:
                pid, _ = os.waitpid(-1, 0)
            except ChildProcessError:
                break
            self.children.pop(pid, None)


def _has_uvloop() -> bool:
    try:
        import uvloop  # noqa: F401
    except ImportError:
        return False
    return True


def run(config: ServerConfig, note: str = "") -> int:
    """`statuskit serve`: one process, or a supervisor of `config.workers` workers.

    `note` ends the first line (where --tls wrote its CA certificate).
    """
    if config.workers == 1:
        return serve_one(config, note=note)
    if not hasattr(os, "fork"):
        raise ServerError("--workers above 1 needs fork(), which this platform does not have")
    return Supervisor(config, note).run()
