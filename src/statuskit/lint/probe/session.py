"""Sending the probes' requests: one at a time, a fixed budget per URL, a delay between them.

Ordinary requests go through `statuskit.lint.fetch` (the raw client for
http://, so content after a 304 or on a HEAD answer is seen; httpx for
https:// unless --client says otherwise). The limit and error probes write
their bytes over a socket themselves, since no client library sends a
malformed request line; those are bounded in size (`RAW_MAX_SEND`), in what is
read back (`RAW_MAX_READ`) and in time (`RAW_TIMEOUT`), and each is sent once.
"""

from __future__ import annotations

import socket
import ssl
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from statuskit.lint.fetch import FetchError, fetch, tls_context
from statuskit.lint.model import Fields, Response
from statuskit.lint.probe._base import Sent, Skip
from statuskit.lint.wire import WireError, parse_responses

# Every probe of one URL together sends at most this many requests (the
# baseline GET included); a probe that would go over is skipped, saying so.
MAX_REQUESTS = 25
RAW_MAX_SEND = 40 * 1024
RAW_MAX_READ = 64 * 1024
RAW_TIMEOUT = 5.0


def user_agent() -> str:
    from statuskit import __version__

    return f"statuskit/{__version__} (statuskit check --probe)"


class Session:
    """The requests sent to one URL: counted, spaced by `delay`, never two at once."""

    def __init__(
        self,
        url: str,
        *,
        timeout: float = 10.0,
        delay: float = 0.0,
        client: str = "auto",
        context: ssl.SSLContext | None = None,
    ) -> None:
        parts = urlsplit(url)
        self.url = url
        self.scheme = parts.scheme
        self.host = parts.hostname or ""
        self.authority = parts.netloc.rpartition("@")[2]
        try:
            self.port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            self.port = 0  # not a port: the baseline's fetch says so, and nothing more is sent
        self.path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self.timeout = timeout
        self.delay = delay
        self.client = client
        self.context = context  # certificate checks for https:// (`fetch.tls_context`); None: the defaults
        self.count = 0
        self.log: list[Sent] = []  # every request sent, in order
        self._last = 0.0

    def _turn(self) -> None:
        if self.count >= MAX_REQUESTS:
            raise Skip("budget", limit=MAX_REQUESTS)
        if self.count and self.delay > 0:
            wait = self._last + self.delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
        self.count += 1

    def send(
        self,
        method: str = "GET",
        fields: Sequence[tuple[str, str]] = (),
        body: bytes | None = None,
        url: str | None = None,
    ) -> Sent:
        """One request to the URL (or to `url`, a redirect's target); the answer or why none came."""
        self._turn()
        target = url or self.url
        headers = [("User-Agent", user_agent()), *fields]
        try:
            exchange = fetch(
                target, method, headers, body, timeout=self.timeout, client=self.client, context=self.context
            )
            response: Response | None = exchange.response
            error = ""
        except FetchError as exc:
            response, error = None, str(exc)
        finally:
            self._last = time.monotonic()
        return self._logged(Sent(method, _shown_target(target), Fields(fields), response, error))

    def send_raw(
        self, head: bytes, *, method: str, target: str, fields: Sequence[tuple[str, str]] = (), note: str = ""
    ) -> Sent:
        """Bytes written as they are, the answer read back within the bounds above."""
        self._turn()
        try:
            data, error = self._raw(head[:RAW_MAX_SEND])
        finally:
            self._last = time.monotonic()
        response = None
        if data:
            try:
                parsed = parse_responses(data, method=method, eof=True)
                response = parsed.exchanges[0][1]
            except (WireError, IndexError):
                error = f"the answer is not HTTP: {data[:40]!r}"
        elif not error:
            error = "the server closed the connection without an answer"
        return self._logged(Sent(method, target, Fields(fields), response, error, note))

    def _logged(self, sent: Sent) -> Sent:
        self.log.append(sent)
        return sent

    def _raw(self, head: bytes) -> tuple[bytes, str]:
        limit = min(self.timeout, RAW_TIMEOUT)
        deadline = time.monotonic() + limit
        try:
            sock = socket.create_connection((self.host, self.port), timeout=limit)
        except OSError as exc:
            return b"", f"cannot connect: {exc.strerror or exc}"
        data = bytearray()
        try:
            if self.scheme == "https":
                sock = (self.context or tls_context()).wrap_socket(sock, server_hostname=self.host)
            try:
                sock.sendall(head)
            except OSError:
                pass  # a server may answer and close before reading everything: read what it said
            while len(data) < RAW_MAX_READ:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                sock.settimeout(remaining)
                try:
                    chunk = sock.recv(RAW_MAX_READ - len(data))
                except TimeoutError:
                    break
                except OSError:
                    break  # reset after the answer: keep what came
                if not chunk:
                    break
                data += chunk
                try:
                    parsed = parse_responses(bytes(data), method="GET", eof=False)
                except WireError:
                    continue
                if parsed.complete and parsed.exchanges and parsed.exchanges[0][1] is not None:
                    break
        except ssl.SSLError as exc:
            return bytes(data), f"TLS failed: {exc.reason or exc}"
        finally:
            sock.close()
        if not data and time.monotonic() >= deadline:
            return b"", f"no answer within {limit:g} s"
        return bytes(data), ""


def _shown_target(url: str) -> str:
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
