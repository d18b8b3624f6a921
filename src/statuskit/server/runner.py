"""Running a server beside a test: in a background thread, or as a subprocess.

    with ServerThread(ServerConfig(port=0)) as server:
        httpx.get(server.url + "/503")

    with ServerProcess(["--max-sleep", "2000"]) as server:   # python -m statuskit serve --port 0 ...
        httpx.get(server.url + "/503")

The thread runs its own event loop (uvloop when installed), so a slow
`?sleep=` in one test never blocks another; the subprocess is the real
command line, for signals, workers and anything that needs its own process.
"""

from __future__ import annotations

import asyncio
import collections
import os
import re
import selectors
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from types import TracebackType

from statuskit.responder import Responder
from statuskit.server.config import ServerConfig
from statuskit.server.loops import new_event_loop
from statuskit.server.server import Server

# Seconds to wait for a server to be listening, or to be gone.
START_TIMEOUT = 15.0
STOP_TIMEOUT = 15.0

LISTENING = re.compile(r"statuskit listening on (\S+)")
# `statuskit serve --tls` ends its first line with where the CA certificate is.
CA_NOTE = re.compile(r"; CA certificate: (.+)\)$")


class ServerThread:
    """A `Server` on its own event loop in a daemon thread."""

    def __init__(self, config: ServerConfig | None = None, *, responder: Responder | None = None) -> None:
        self.config = config if config is not None else ServerConfig(port=0, access_log=False)
        self._responder = responder
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._error: BaseException | None = None
        self._stop: asyncio.Event | None = None
        self.server: Server | None = None

    @property
    def url(self) -> str:
        assert self.server is not None, "the server is not started"
        return self.server.url

    @property
    def host(self) -> str:
        assert self.server is not None, "the server is not started"
        return self.server.host

    @property
    def port(self) -> int:
        assert self.server is not None, "the server is not started"
        return self.server.port

    def url_for(self, path: str) -> str:
        return self.url + (path if path.startswith("/") else "/" + path)

    def start(self) -> ServerThread:
        self._thread = threading.Thread(target=self._main, name="statuskit-server", daemon=True)
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT):
            raise RuntimeError("the statuskit server thread did not start in time")
        if self._error is not None:
            raise self._error
        return self

    def _main(self) -> None:
        loop = new_event_loop()
        self._loop = loop
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve())
        finally:
            loop.close()

    async def _serve(self) -> None:
        self._stop = asyncio.Event()
        server = Server(self.config, responder=self._responder)
        try:
            await server.start()
        except BaseException as exc:
            self._error = exc
            self._ready.set()
            return
        self.server = server
        self._ready.set()
        await self._stop.wait()
        await server.stop()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(STOP_TIMEOUT)

    def __enter__(self) -> ServerThread:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class ServerProcess:
    """`python -m statuskit serve --port 0 [args]` in a subprocess; the URL comes from its first line."""

    def __init__(
        self,
        args: Sequence[str] = (),
        *,
        env: Mapping[str, str] | None = None,
        keep_lines: int = 1000,
    ) -> None:
        self.args = list(args)
        self.env = dict(os.environ if env is None else env)
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""
        self.first_line = ""
        self.ca_bundle: str | None = None  # the CA certificate of `--tls`, from the first line
        # Output, drained continuously so that the child never blocks on a full pipe.
        self.lines: collections.deque[str] = collections.deque(maxlen=keep_lines)  # stdout: the access log
        self.errors: collections.deque[str] = collections.deque(maxlen=keep_lines)  # stderr
        self._readers: list[threading.Thread] = []

    @property
    def port(self) -> int:
        return int(self.url.rsplit(":", 1)[1])

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def url_for(self, path: str) -> str:
        return self.url + (path if path.startswith("/") else "/" + path)

    def start(self) -> ServerProcess:
        args = self.args if "--port" in self.args else ["--port", "0", *self.args]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "statuskit", "serve", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=self.env,
        )
        assert self.process.stdout is not None
        line = _read_line(self.process.stdout, START_TIMEOUT)
        found = LISTENING.search(line)
        if not found:
            self.process.kill()
            _, err = self.process.communicate(timeout=STOP_TIMEOUT)
            self._close_pipes()
            raise RuntimeError(f"statuskit serve did not start: {line.strip() or err.decode(errors='replace').strip()}")
        self.first_line = line.strip()
        self.url = found.group(1)
        note = CA_NOTE.search(self.first_line)
        self.ca_bundle = note.group(1) if note else None
        assert self.process.stderr is not None
        for stream, sink in ((self.process.stdout, self.lines), (self.process.stderr, self.errors)):
            reader = threading.Thread(target=_drain, args=(stream, sink), daemon=True)
            reader.start()
            self._readers.append(reader)
        return self

    def signal(self, signum: int = signal.SIGTERM) -> None:
        assert self.process is not None
        self.process.send_signal(signum)

    def wait(self, timeout: float = STOP_TIMEOUT) -> int:
        """Wait for the process to exit (after `signal`); its exit status."""
        assert self.process is not None
        code = self.process.wait(timeout)
        for reader in self._readers:
            reader.join(timeout)
        self._close_pipes()
        return code

    def stop(self, timeout: float = STOP_TIMEOUT) -> int:
        """SIGTERM, wait; SIGKILL if it does not exit in time. Returns the exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.wait(timeout)

    def _close_pipes(self) -> None:
        assert self.process is not None
        for stream in (self.process.stdout, self.process.stderr):
            if stream is not None:
                stream.close()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _drain(stream: object, sink: collections.deque[str]) -> None:
    try:
        for raw in stream:  # type: ignore[attr-defined]
            sink.append(raw.decode("utf-8", "replace").rstrip("\n"))
    except (OSError, ValueError):
        pass  # closed under us at exit


def _read_line(stream: object, timeout: float) -> str:
    """One line from a pipe, or "" if none comes within `timeout` seconds."""
    fileno = stream.fileno()  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    data = b""
    with selectors.DefaultSelector() as selector:
        selector.register(fileno, selectors.EVENT_READ)
        while b"\n" not in data:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not selector.select(remaining):
                break
            chunk = os.read(fileno, 1)
            if not chunk:
                break
            data += chunk
    return data.decode("utf-8", "replace")
