"""The HTTPS port: TLS handshakes go on to the engine, plain HTTP gets a 400 that names the mistake.

`loop.create_server(ssl=...)` meets a plain-HTTP request on an HTTPS port
with a failed handshake and a silent close, and the user is left guessing.
nginx answers it instead (its internal code 497, "HTTP Request Sent to HTTPS
Port", sent as 400); so does this listener. It accepts connections itself
and peeks at the first byte of each before choosing:

- 0x16, the content type of a TLS handshake record: the socket goes to
  `loop.connect_accepted_socket(ssl=...)` and, once the handshake is done, to
  an `HttpProtocol` like any other connection. A handshake that fails (an
  untrusted certificate, noise, a client that stalls past the request
  timeout) closes that connection and nothing else.
- anything else: `400 Bad Request` (RFC 9110 §15.5.1) with one line saying
  to use the https URL, sent at once; the connection is half-closed, what
  the client still sends is read and dropped (closing with unread data
  would reset the connection and could destroy the answer), then it closes.
- nothing within the request timeout, or the connection closed: it closes.

Connections waiting for their first byte or for their refusal to be read
count against `--max-connections`; more are closed at once.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
import ssl
from collections.abc import Callable
from typing import TYPE_CHECKING

from statuskit.responder.wire import Serialized

if TYPE_CHECKING:
    from statuskit.server.server import ServerState

logger = logging.getLogger("statuskit.server")

# The first byte of a TLS record that carries a handshake message (ContentType handshake, 22).
TLS_HANDSHAKE = 0x16

# Accept errors that mean "out of resources for now": wait, then accept again (as asyncio's own accept loop does).
_RESOURCE_ERRORS = (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM)
_ACCEPT_PAUSE = 0.1

# The most connections accepted from one readiness event, so that a flood cannot starve the loop.
_ACCEPT_BATCH = 64


class PlainRefusal(asyncio.Protocol):
    """Answers a plain-HTTP connection on the HTTPS port with a fixed 400, then goes away."""

    def __init__(self, message: bytes, linger: float, done: Callable[[PlainRefusal], None]) -> None:
        self.message = message
        self.linger = linger
        self.done = done
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        assert self.transport is not None
        self.transport.write(self.message)
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.timer = asyncio.get_running_loop().call_later(self.linger, self.close)

    def data_received(self, data: bytes) -> None:
        pass  # the request it answers, read and dropped

    def eof_received(self) -> bool:
        self.close()
        return False

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.done(self)

    def close(self) -> None:
        if self.transport is not None and not self.transport.is_closing():
            self.transport.close()


class TlsListener:
    """Accepts on a listening socket for `Server`; stands where an `asyncio.Server` would (close, wait_closed)."""

    def __init__(
        self,
        state: ServerState,
        sock: socket.socket,
        context: ssl.SSLContext,
        protocol_factory: Callable[[], asyncio.Protocol],
        url: str,
    ) -> None:
        self.state = state
        self.loop = state.loop
        self.sock = sock
        self.context = context
        self.protocol_factory = protocol_factory
        self.timeout = state.config.request_timeout
        self.close_timeout = state.config.tls_close_timeout
        self.limit = state.config.max_connections
        self.detail = f"this port speaks HTTPS, and the request came in plain HTTP: use {url}/"
        self.waiting: dict[socket.socket, asyncio.TimerHandle] = {}  # accepted, first byte not seen yet
        # Handshakes and refusals under way, held here: the loop keeps only weak references to tasks.
        self.tasks: set[asyncio.Task[None]] = set()
        self.refusals: set[PlainRefusal] = set()
        self.closed = False
        self.paused: asyncio.TimerHandle | None = None
        self.loop.add_reader(sock.fileno(), self._accept)

    # -- accepting ----------------------------------------------------------------------

    def _accept(self) -> None:
        for _ in range(_ACCEPT_BATCH):
            try:
                conn, _ = self.sock.accept()
            except (BlockingIOError, InterruptedError):
                return
            except ConnectionAbortedError:
                continue  # the client gave up while queued
            except OSError as exc:
                if exc.errno in _RESOURCE_ERRORS:
                    logger.warning("cannot accept a connection (%s); pausing accepts briefly", exc.strerror)
                    self.loop.remove_reader(self.sock.fileno())
                    self.paused = self.loop.call_later(_ACCEPT_PAUSE, self._resume_accepting)
                    return
                raise
            if len(self.waiting) + len(self.tasks) + len(self.refusals) >= self.limit:
                conn.close()
                continue
            conn.setblocking(False)
            self.waiting[conn] = self.loop.call_later(self.timeout, self._give_up, conn)
            self.loop.add_reader(conn.fileno(), self._first_byte, conn)

    def _resume_accepting(self) -> None:
        self.paused = None
        if not self.closed:
            self.loop.add_reader(self.sock.fileno(), self._accept)

    def _first_byte(self, conn: socket.socket) -> None:
        try:
            first = conn.recv(1, socket.MSG_PEEK)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            first = b""
        self._forget(conn)
        if not first:
            conn.close()
        else:
            way = self._handshake(conn) if first[0] == TLS_HANDSHAKE else self._refuse(conn)
            task = self.loop.create_task(way)
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    def _forget(self, conn: socket.socket) -> None:
        timer = self.waiting.pop(conn, None)
        if timer is not None:
            timer.cancel()
        self.loop.remove_reader(conn.fileno())

    def _give_up(self, conn: socket.socket) -> None:
        """Nothing arrived within the request timeout."""
        self._forget(conn)
        conn.close()

    # -- the two ways on ------------------------------------------------------------------

    async def _handshake(self, conn: socket.socket) -> None:
        try:
            await self.loop.connect_accepted_socket(
                self.protocol_factory,
                conn,
                ssl=self.context,
                ssl_handshake_timeout=self.timeout,
                ssl_shutdown_timeout=self.close_timeout,
            )
        except asyncio.CancelledError:
            conn.close()
            raise
        except (TimeoutError, OSError, ssl.SSLError, EOFError) as exc:
            # An untrusted certificate, noise after 0x16, a client that stalled: this connection only.
            logger.debug("TLS handshake failed: %s", exc)
            conn.close()

    async def _refuse(self, conn: socket.socket) -> None:
        state = self.state
        message = Serialized(state.responder.error(400, self.detail)).message(state.clock.date_line, True)
        if state.access_log is not None:
            try:
                peer = conn.getpeername()
                client = f"{peer[0]}:{peer[1]}"
            except OSError:
                client = "-"
            state.access_log.log(client, "-", "-", "-", 400, len(message))
        try:
            await self.loop.connect_accepted_socket(lambda: self._refusal(message), conn)
        except asyncio.CancelledError:
            conn.close()
            raise
        except OSError:
            conn.close()

    def _refusal(self, message: bytes) -> PlainRefusal:
        refusal = PlainRefusal(message, self.timeout, self.refusals.discard)
        self.refusals.add(refusal)
        return refusal

    # -- asyncio.Server's part --------------------------------------------------------------

    def close(self) -> None:
        """Stop accepting; drop connections that have not become HTTP connections yet."""
        if self.closed:
            return
        self.closed = True
        if self.paused is not None:
            self.paused.cancel()
        else:
            self.loop.remove_reader(self.sock.fileno())
        self.sock.close()
        for conn in list(self.waiting):
            self._forget(conn)
            conn.close()
        for task in list(self.tasks):
            task.cancel()
        for refusal in list(self.refusals):
            refusal.close()

    async def wait_closed(self) -> None:
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
