"""The engine's one client: the upstream request of a gateway plan (`Plan.upstream`), to this server.

A small HTTP/1.1 client on asyncio streams and httptools' response parser,
bounded in time (the plan's timeout covers connecting, sending and reading)
and in size (`max_bytes`). It never raises: every way an upstream can fail
becomes an `UpstreamResponse` with an `error` the responder turns into 502 or
504. The address is the server's own, given by the engine; a plan names
only the target, so nothing a client sends can point it elsewhere.
"""

from __future__ import annotations

import asyncio
import ssl

import httptools

from statuskit import semantics
from statuskit.responder import Upstream, UpstreamError, UpstreamResponse

READ_SIZE = 64 * 1024


class _Collector:
    """httptools callbacks: the last final response (1xx ones are skipped, RFC 9110 §15.2)."""

    def __init__(self) -> None:
        self.reason = b""
        self.headers: list[tuple[bytes, bytes]] = []
        self.body: list[bytes] = []
        self.status = 0
        self.head_done = False
        self.done = False
        self.parser: httptools.HttpResponseParser | None = None

    def on_message_begin(self) -> None:
        self.reason = b""
        self.headers = []
        self.body = []
        self.head_done = False

    def on_status(self, status: bytes) -> None:
        self.reason += status

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        assert self.parser is not None
        self.status = self.parser.get_status_code()
        self.head_done = True

    def on_body(self, body: bytes) -> None:
        self.body.append(body)

    def on_message_complete(self) -> None:
        if self.status >= 200:
            self.done = True

    def delimited_by_close(self) -> bool:
        """Is the content of the response read so far ended by the connection's close (RFC 9112 §6.3)?"""
        if not self.head_done:
            return False
        framing = semantics.response_framing(
            self.status, "GET", self._values(b"transfer-encoding"), self._values(b"content-length")
        )
        return framing.kind is semantics.Framing.CLOSE

    def _values(self, name: bytes) -> list[str]:
        return [value.decode("latin-1") for field, value in self.headers if field.lower() == name]

    def response(self, received: int) -> UpstreamResponse:
        return UpstreamResponse(
            status=self.status,
            reason=self.reason.decode("latin-1"),
            headers=tuple((n.decode("latin-1"), v.decode("latin-1")) for n, v in self.headers),
            body=b"".join(self.body),
            received=received,
        )


def request_bytes(upstream: Upstream, host: str, port: int) -> bytes:
    authority = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    lines = [f"GET {upstream.target} HTTP/1.1", f"Host: {authority}"]
    lines.extend(f"{name}: {value}" for name, value in upstream.headers)
    lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _client_tls() -> ssl.SSLContext:
    # The upstream is this server's own listening socket, reached by its
    # address: there is no name to verify and no one else to trust.
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


async def fetch(upstream: Upstream, host: str, port: int, *, tls: bool = False) -> UpstreamResponse:
    """Make the upstream request to `host`:`port`; its outcome, whatever happens."""
    try:
        return await asyncio.wait_for(_exchange(upstream, host, port, tls), upstream.timeout)
    except TimeoutError:
        return UpstreamResponse(
            error=UpstreamError.TIMEOUT,
            detail=f"sent no complete response to GET {upstream.target} within {upstream.timeout * 1000:g} ms",
        )


async def _exchange(upstream: Upstream, host: str, port: int, tls: bool) -> UpstreamResponse:
    target = f"GET {upstream.target}"
    try:
        reader, writer = await asyncio.open_connection(host, port, ssl=_client_tls() if tls else None)
    except OSError as exc:
        return UpstreamResponse(
            error=UpstreamError.UNREACHABLE, detail=f"could not be reached for {target}: {exc.strerror or exc}"
        )
    collector = _Collector()
    parser = httptools.HttpResponseParser(collector)
    collector.parser = parser
    received = 0
    try:
        writer.write(request_bytes(upstream, host, port))
        while not collector.done:
            data = await reader.read(READ_SIZE)
            if not data:
                break
            received += len(data)
            if received > upstream.max_bytes:
                return UpstreamResponse(
                    error=UpstreamError.TOO_LARGE,
                    detail=f"sent more than {upstream.max_bytes} bytes for {target} (--max-upstream-bytes)",
                    received=received,
                )
            try:
                parser.feed_data(data)
            except httptools.HttpParserUpgrade:
                return UpstreamResponse(
                    error=UpstreamError.INVALID, detail=f"switched protocols in answer to {target}", received=received
                )
            except httptools.HttpParserError as exc:
                return UpstreamResponse(
                    error=UpstreamError.INVALID,
                    detail=f"sent an invalid response to {target} ({exc}) in its first {received} bytes",
                    received=received,
                )
    except OSError as exc:
        return UpstreamResponse(
            error=UpstreamError.INCOMPLETE,
            detail=f"broke the connection for {target}: {exc.strerror or exc}",
            received=received,
        )
    finally:
        writer.close()
    if collector.done or collector.delimited_by_close():
        return collector.response(received)
    if received == 0:
        return UpstreamResponse(
            error=UpstreamError.INCOMPLETE, detail=f"closed the connection without answering {target}"
        )
    return UpstreamResponse(
        error=UpstreamError.INCOMPLETE,
        detail=f"closed the connection after {received} bytes, before its response to {target} was complete",
        received=received,
    )
