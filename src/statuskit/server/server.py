"""`Server`: listen, accept, keep time, and stop gracefully.

    server = Server(ServerConfig(port=0))
    await server.start()          # bound and accepting; server.url is known
    ...
    await server.stop()           # stop accepting, finish in-flight responses, close

For a server in a background thread (the pytest plugin) see `runner.ServerThread`;
for a subprocess, `runner.ServerProcess`.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import time
from typing import TYPE_CHECKING, Protocol, TextIO

from statuskit import web
from statuskit.registry.texts import preload as preload_texts
from statuskit.responder import Responder
from statuskit.server.accesslog import AccessLog
from statuskit.server.clock import Clock
from statuskit.server.config import ServerConfig
from statuskit.server.errors import ServerError
from statuskit.server.memo import Memos
from statuskit.server.protocol import HttpProtocol
from statuskit.server.tls import ALPN_PROTOCOLS

if TYPE_CHECKING:
    from statuskit.server.tlsport import TlsListener

logger = logging.getLogger("statuskit.server")

# Timeouts are enforced this often (seconds), at most; less for short timeouts.
MAX_TICK = 0.25
MIN_TICK = 0.01


class Connection(Protocol):
    """What the server asks of every connection, whatever its protocol."""

    transport: asyncio.Transport

    def check(self, now: float) -> None:
        """Enforce the timeouts (a few times a second)."""

    def shutdown(self) -> None:
        """Stop taking requests; close once the ones in flight are answered."""


class ServerState:
    """What every connection of one server shares: config, responder, clock, cache, the open connections."""

    def __init__(
        self,
        config: ServerConfig,
        responder: Responder,
        loop: asyncio.AbstractEventLoop,
        access_log: AccessLog | None,
    ) -> None:
        self.config = config
        self.responder = responder
        self.loop = loop
        self.access_log = access_log
        self.clock = Clock()
        self.clock.refresh(time.time(), loop.time())
        self.memos = Memos(config.max_cache_bytes)
        self.connections: set[Connection] = set()
        self.served = 0  # connections within --max-connections
        # Where the gateway's upstream requests go: this server (set once bound).
        self.upstream_address: tuple[str, int] = ("127.0.0.1", config.port)
        self.stopping = False
        self.idle = asyncio.Event()
        self.idle.set()

    def admit(self, connection: Connection) -> bool:
        """Count a new connection; True if it is over --max-connections (it answers 503 and closes)."""
        self.connections.add(connection)
        if self.served >= self.config.max_connections:
            return True
        self.served += 1
        return False

    def release(self, connection: Connection, overloaded: bool) -> None:
        """The connection is closed (or handed to another protocol, which admits itself)."""
        if connection in self.connections:
            self.connections.discard(connection)
            if not overloaded:
                self.served -= 1
        if not self.connections:
            self.idle.set()

    def tick(self) -> None:
        self.clock.refresh(time.time(), self.loop.time())
        now = self.clock.now
        for connection in list(self.connections):
            connection.check(now)


class Server:
    def __init__(
        self,
        config: ServerConfig | None = None,
        *,
        responder: Responder | None = None,
        loop: asyncio.AbstractEventLoop | None = None,
        log_stream: TextIO | None = None,
    ) -> None:
        self.config = config if config is not None else ServerConfig()
        self.responder = responder if responder is not None else Responder(self.config.responder)
        self._loop = loop
        self._log_stream = log_stream
        self._server: asyncio.Server | TlsListener | None = None
        self._ticker: asyncio.TimerHandle | None = None
        self.state: ServerState | None = None
        self.host = self.config.host
        self.port = self.config.port

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        scheme = "https" if self.config.ssl is not None else "http"
        return f"{scheme}://{host}:{self.port}"

    async def start(self, sock: socket.socket | None = None) -> None:
        """Bind (or use `sock`) and start accepting. Raises ServerError if the address cannot be used."""
        loop = self._loop if self._loop is not None else asyncio.get_running_loop()
        self._loop = loop
        load_data()
        config = self.config
        access_log = AccessLog(loop, self._log_stream) if config.access_log else None
        state = ServerState(config, self.responder, loop, access_log)
        self.state = state
        if sock is None:
            sock = bind_socket(config.host, config.port, reuse_port=False)
        sock.listen(config.backlog)
        bound = sock.getsockname()
        self.host, self.port = str(bound[0]), int(bound[1])
        state.upstream_address = (loopback_for(self.host), self.port)
        if config.ssl is not None:
            # ALPN offers what this server speaks (RFC 7301: the server picks from the client's list).
            config.ssl.set_alpn_protocols(list(alpn_protocols(config.http2)))
            # Accepts itself so that plain HTTP on this port gets a 400, not a silent close.
            from statuskit.server.tlsport import TlsListener

            self._server = TlsListener(state, sock, config.ssl, lambda: HttpProtocol(state), self.url)
        else:
            self._server = await loop.create_server(lambda: HttpProtocol(state), sock=sock, backlog=config.backlog)
        self._schedule_tick()

    def _tick_interval(self) -> float:
        config = self.config
        shortest = min(config.request_timeout, config.keepalive_timeout, config.send_timeout, config.websocket_timeout)
        return max(MIN_TICK, min(MAX_TICK, shortest / 10))

    def _schedule_tick(self) -> None:
        assert self._loop is not None
        self._ticker = self._loop.call_later(self._tick_interval(), self._tick)

    def _tick(self) -> None:
        if self.state is None:
            return
        try:
            self.state.tick()
        finally:
            self._schedule_tick()

    async def stop(self, grace: float | None = None) -> None:
        """Stop accepting, let in-flight responses finish for up to `grace` seconds, then close everything."""
        state = self.state
        if state is None or self._server is None:
            return
        grace = self.config.shutdown_grace if grace is None else grace
        state.stopping = True
        self._server.close()
        if state.connections:
            state.idle.clear()
            for connection in list(state.connections):
                connection.shutdown()
            try:
                await asyncio.wait_for(state.idle.wait(), timeout=grace)
            except TimeoutError:
                for connection in list(state.connections):
                    connection.transport.abort()
        await self._server.wait_closed()
        if self._ticker is not None:
            self._ticker.cancel()
            self._ticker = None
        if state.access_log is not None:
            state.access_log.flush()
        self._server = None

    async def serve(self, stop: asyncio.Event) -> None:
        """Run until `stop` is set, then stop gracefully (the CLI's main loop)."""
        if self._server is None:
            await self.start()
        await stop.wait()
        await self.stop()


def alpn_protocols(http2: bool) -> tuple[str, ...]:
    """The ALPN protocols a TLS server offers, preferred first."""
    return ("h2", *ALPN_PROTOCOLS) if http2 else ALPN_PROTOCOLS


def loopback_for(host: str) -> str:
    """The address to reach a server listening on `host` from the same machine."""
    if host in ("0.0.0.0", ""):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def load_data() -> None:
    """Read every data file answers are made from (texts in each language, the page's assets) now.

    Then serving never opens a file: under a flood that takes every file
    descriptor (EMFILE), a text loaded on first use failed its request with 500.
    """
    preload_texts()
    web.asset("app.js")


def bind_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """A bound TCP socket for `host`:`port` (not yet listening); ServerError with a one-line reason if not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if reuse_port:
            if not hasattr(socket, "SO_REUSEPORT"):
                raise ServerError("--workers needs SO_REUSEPORT, which this platform does not have")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ServerError(f"cannot listen on {host}:{port}: the address is already in use") from None
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    except ServerError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock
