"""Fetching a URL to check, and showing everything the server sent.

Two clients, chosen per URL (`client="auto"`):

- **raw** (the default for `http://`): a plain HTTP/1.1 exchange over a
  socket, read with `statuskit.lint.wire`. It sees what client libraries
  hide: interim 1xx responses, content after a 204 or 304, a 1xx that no
  final response follows. It sends `Connection: close` (unless the caller set
  Connection) and reads until the server closes, or for a short grace after
  the final response is complete by its framing.
- **h2** (`--http2`): HTTP/2 with the `h2` library, h2c with prior knowledge
  for `http://` and h2 by ALPN for `https://`; like raw, it shows interim
  responses (HEADERS frames before the final one).
- **httpx** (the default for `https://`): certificates, proxies from the
  environment, and a well-trodden TLS stack. httpx does not show 1xx
  responses, so none are checked; its content is read raw (still coded).

Both verify certificates the same way (`tls_context`): against `cacert` when
given (curl's --cacert: that file alone), else the system's store plus
certifi's, or `SSL_CERT_FILE` / `SSL_CERT_DIR` when set; `insecure` (curl's
--insecure) checks nothing.

Failures to reach the server or to get a response raise `FetchError` with a
one-line message.
"""

from __future__ import annotations

import os
import socket
import ssl
import time
from collections.abc import Sequence
from urllib.parse import urlsplit

from statuskit.errors import StatuskitError
from statuskit.lint.model import Exchange, Fields, Request, Response
from statuskit.lint.wire import WireError, parse_responses

# Read at most this much of a response: enough for any page worth linting,
# small enough that a runaway stream cannot fill memory.
MAX_RESPONSE = 16 * 1024 * 1024
# How long to wait after the final response is complete, for bytes a bodyless
# response should not have had (content after a 204) or for the close.
GRACE = 0.3
# How long to wait for "100 Continue" before sending content anyway, as curl does (1 s).
EXPECT_WAIT = 1.0
UNTRUSTED_HINT = " (a server with its own CA, such as serve --tls: --cacert FILE, or --insecure)"


class FetchError(StatuskitError, OSError):
    """The URL could not be fetched: bad URL, no connection, no response in time."""


def _user_agent() -> str:
    from statuskit import __version__

    return f"statuskit/{__version__}"


def _target(url: str) -> tuple[str, str, int, str, str]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"cannot fetch {url!r}: only http:// and https:// URLs with a host are supported")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise FetchError(f"cannot fetch {url!r}: the port is not a number from 0 to 65535") from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    host = parts.netloc.rpartition("@")[2]
    return parts.scheme, parts.hostname, port, host, path


def _request_head(
    method: str, host: str, path: str, headers: Sequence[tuple[str, str]], body: bytes | None
) -> list[tuple[str, str]]:
    given = {name.lower() for name, _ in headers}
    fields: list[tuple[str, str]] = []
    if "host" not in given:
        fields.append(("Host", host))
    if "user-agent" not in given:
        fields.append(("User-Agent", _user_agent()))
    if "accept" not in given:
        fields.append(("Accept", "*/*"))
    if "connection" not in given:
        fields.append(("Connection", "close"))
    if body is not None and "content-length" not in given and "transfer-encoding" not in given:
        fields.append(("Content-Length", str(len(body))))
    fields.extend(headers)
    return fields


def tls_context(cacert: str | None = None, insecure: bool = False) -> ssl.SSLContext:
    """The certificate checks of both clients, as curl makes them (see the module's docstring)."""
    if insecure:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        return context
    if cacert is not None:
        try:
            return ssl.create_default_context(cafile=cacert)
        except (OSError, ssl.SSLError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
            raise FetchError(f"cannot use {cacert!r} as a CA bundle: {reason}") from None
    context = ssl.create_default_context()  # the system's store, or SSL_CERT_FILE / SSL_CERT_DIR
    if not (os.environ.get("SSL_CERT_FILE") or os.environ.get("SSL_CERT_DIR")):
        import certifi  # httpx's own default: public sites verify where the system has no store

        context.load_verify_locations(certifi.where())
    return context


def fetch_raw(
    url: str,
    method: str = "GET",
    headers: Sequence[tuple[str, str]] = (),
    body: bytes | None = None,
    timeout: float = 10.0,
    context: ssl.SSLContext | None = None,
) -> Exchange:
    """One HTTP/1.1 exchange over a socket, every response the server sent kept."""
    scheme, hostname, port, host, path = _target(url)
    fields = _request_head(method, host, path, headers, body)
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{n}: {v}\r\n" for n, v in fields) + "\r\n"
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection((hostname, port), timeout=timeout)
    except OSError as exc:
        raise FetchError(f"cannot connect to {url}: {exc.strerror or exc}") from None
    data = bytearray()
    try:
        if scheme == "https":
            context = context or tls_context()
            context.set_alpn_protocols(["http/1.1"])
            sock = context.wrap_socket(sock, server_hostname=hostname)
        sock.sendall(head.encode("latin-1"))
        expect = any(n.lower() == "expect" and "100-continue" in v.lower() for n, v in fields)
        if body:
            if expect:
                # Give the server its chance to answer 100 (or a final status) first.
                sock.settimeout(EXPECT_WAIT)
                try:
                    chunk = sock.recv(65536)
                    data += chunk
                except TimeoutError:
                    pass
            sock.sendall(body)
        data = _read(sock, data, method, deadline)
    except ssl.SSLCertVerificationError as exc:
        raise FetchError(f"TLS failed with {url}: {exc.verify_message or exc}{UNTRUSTED_HINT}") from None
    except ssl.SSLError as exc:
        raise FetchError(f"TLS failed with {url}: {exc.reason or exc}") from None
    except TimeoutError:
        if not data:
            raise FetchError(f"no response from {url} within {timeout:g} s") from None
    except OSError as exc:
        if not data:
            raise FetchError(f"connection to {url} failed: {exc.strerror or exc}") from None
    finally:
        sock.close()
    if not data:
        raise FetchError(f"{url} closed the connection without sending a response")
    try:
        parsed = parse_responses(bytes(data), method=method, eof=True)
    except WireError as exc:
        raise FetchError(f"{url} did not answer with HTTP: {exc}") from None
    interim, final = parsed.exchanges[0]
    assert final is not None
    request = Request(method=method, target=url, fields=Fields(fields), body=body)
    return Exchange(request=request, response=final, interim=tuple(interim), source=url)


def _read(sock: socket.socket, data: bytearray, method: str, deadline: float) -> bytearray:
    done_at: float | None = None
    while len(data) < MAX_RESPONSE:
        now = time.monotonic()
        if done_at is not None and now >= done_at:
            break
        remaining = (done_at if done_at is not None else deadline) - now
        if remaining <= 0:
            if data:
                break
            raise TimeoutError
        sock.settimeout(remaining)
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            if data:
                break
            raise
        if not chunk:
            break
        data += chunk
        if done_at is None and len(data) < 1024 * 1024:
            try:
                parsed = parse_responses(bytes(data), method=method, eof=False)
            except WireError:
                continue  # judged at the end, on everything that came
            if parsed.switched:
                break  # 101: the rest is another protocol
            if parsed.complete and parsed.exchanges and parsed.exchanges[-1][1] is not None:
                done_at = time.monotonic() + GRACE
    return data


def fetch_httpx(
    url: str,
    method: str = "GET",
    headers: Sequence[tuple[str, str]] = (),
    body: bytes | None = None,
    timeout: float = 10.0,
    context: ssl.SSLContext | None = None,
) -> Exchange:
    """One exchange through httpx (no interim responses: httpx does not expose them)."""
    import httpx

    _target(url)
    given = {name.lower() for name, _ in headers}
    extra = [] if "user-agent" in given else [("User-Agent", _user_agent())]
    try:
        with httpx.Client(timeout=timeout, follow_redirects=False, verify=context or tls_context()) as client:
            request = client.build_request(method, url, headers=[*extra, *headers], content=body)
            response = client.send(request, stream=True)
            try:
                content = b"".join(response.iter_raw())
            finally:
                response.close()
    except httpx.TimeoutException:
        raise FetchError(f"no response from {url} within {timeout:g} s") from None
    except httpx.HTTPError as exc:
        hint = UNTRUSTED_HINT if "CERTIFICATE_VERIFY_FAILED" in str(exc) else ""
        raise FetchError(f"cannot fetch {url}: {exc}{hint}") from None
    sent = Request(method=method, target=url, fields=Fields(request.headers.multi_items()), body=body)
    received = Response(
        status=response.status_code,
        reason=response.reason_phrase,
        fields=Fields(response.headers.multi_items()),
        body=content,
        version=response.http_version,
    )
    return Exchange(request=sent, response=received, source=url)


def fetch_h2(
    url: str,
    method: str = "GET",
    headers: Sequence[tuple[str, str]] = (),
    body: bytes | None = None,
    timeout: float = 10.0,
    context: ssl.SSLContext | None = None,
) -> Exchange:
    """One exchange over HTTP/2 (h2c with prior knowledge for http://, h2 by ALPN for https://), interim responses kept.

    Fields that describe an HTTP/1.1 connection (Connection, Host, ...) are
    not sent: HTTP/2 forbids them (RFC 9113 §8.2.2) and carries the host as
    :authority.
    """
    import h2.config
    import h2.connection
    import h2.events
    import h2.exceptions

    scheme, hostname, port, host, path = _target(url)
    dropped = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "host"}
    fields = [(n.lower(), v) for n, v in _request_head(method, host, path, headers, body) if n.lower() not in dropped]
    deadline = time.monotonic() + timeout
    try:
        sock = socket.create_connection((hostname, port), timeout=timeout)
    except OSError as exc:
        raise FetchError(f"cannot connect to {url}: {exc.strerror or exc}") from None
    connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding=None))
    interim: list[Response] = []
    final: Response | None = None
    content = bytearray()
    try:
        if scheme == "https":
            context = context or tls_context()
            context.set_alpn_protocols(["h2"])
            sock = context.wrap_socket(sock, server_hostname=hostname)
            if sock.selected_alpn_protocol() != "h2":
                raise FetchError(
                    f"{url} does not speak HTTP/2 (ALPN chose {sock.selected_alpn_protocol() or 'nothing'})"
                )
        connection.initiate_connection()
        pseudo = [(":method", method), (":scheme", scheme), (":authority", host), (":path", path)]
        connection.send_headers(1, pseudo + fields, end_stream=not body)
        if body:
            connection.send_data(1, body, end_stream=True)  # within the initial window: -d content is small
        sock.sendall(connection.data_to_send())
        ended = False
        while not ended and len(content) < MAX_RESPONSE:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError
            sock.settimeout(remaining)
            data = sock.recv(65536)
            if not data:
                break
            for event in connection.receive_data(data):
                if isinstance(event, (h2.events.InformationalResponseReceived, h2.events.ResponseReceived)):
                    decoded = [(n.decode("latin-1"), v.decode("latin-1")) for n, v in event.headers]
                    status = int(dict(decoded)[":status"])
                    plain = Fields([(n, v) for n, v in decoded if not n.startswith(":")])
                    response = Response(status=status, fields=plain, version="2")
                    if isinstance(event, h2.events.InformationalResponseReceived):
                        interim.append(response)
                    else:
                        final = response
                elif isinstance(event, h2.events.DataReceived):
                    content += event.data
                    connection.acknowledge_received_data(event.flow_controlled_length, event.stream_id)
                elif isinstance(event, h2.events.StreamEnded):
                    ended = True
                elif isinstance(event, h2.events.StreamReset):
                    raise FetchError(
                        f"{url} reset the stream (error code {event.error_code}) before the response was complete"
                    )
                elif isinstance(event, h2.events.ConnectionTerminated) and (
                    # RFC 9113 §6.8: a GOAWAY naming stream 1 or later without an error still
                    # completes stream 1 (a server closing after this answer, e.g. 408).
                    event.error_code != 0 or (event.last_stream_id or 0) < 1
                ):
                    raise FetchError(f"{url} ended the HTTP/2 connection (GOAWAY, error code {event.error_code})")
            sock.sendall(connection.data_to_send())
    except ssl.SSLCertVerificationError as exc:
        raise FetchError(f"TLS failed with {url}: {exc.verify_message or exc}{UNTRUSTED_HINT}") from None
    except ssl.SSLError as exc:
        raise FetchError(f"TLS failed with {url}: {exc.reason or exc}") from None
    except TimeoutError:
        if final is None:
            raise FetchError(f"no response from {url} within {timeout:g} s") from None
    except h2.exceptions.ProtocolError as exc:
        raise FetchError(f"{url} broke HTTP/2: {exc}") from None
    except FetchError:
        raise
    except OSError as exc:
        if final is None:
            raise FetchError(f"connection to {url} failed: {exc.strerror or exc}") from None
    finally:
        sock.close()
    if final is None:
        raise FetchError(f"{url} closed the connection without sending a response")
    received = Response(status=final.status, fields=final.fields, body=bytes(content), version="2")
    request = Request(method=method, target=url, fields=Fields(fields), body=body, version="2")
    return Exchange(request=request, response=received, interim=tuple(interim), source=url)


def fetch(
    url: str,
    method: str = "GET",
    headers: Sequence[tuple[str, str]] = (),
    body: bytes | None = None,
    timeout: float = 10.0,
    client: str = "auto",
    context: ssl.SSLContext | None = None,
) -> Exchange:
    """Fetch `url` with the client `client` names ("auto": raw for http://, httpx for https://; "h2": HTTP/2).

    `context` (from `tls_context`) is how the clients check certificates.
    """
    if client not in ("auto", "raw", "httpx", "h2"):
        raise ValueError(f"client must be auto, raw, httpx or h2, not {client!r}")
    if client == "h2":
        return fetch_h2(url, method, headers, body, timeout, context)
    if client == "raw" or (client == "auto" and url.lower().startswith("http://")):
        return fetch_raw(url, method, headers, body, timeout, context)
    return fetch_httpx(url, method, headers, body, timeout, context)
