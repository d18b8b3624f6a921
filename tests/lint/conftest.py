"""Fixtures for the linter's tests: a server that misbehaves on purpose, and a Chromium HAR of it.

The server writes raw bytes, so that it can send what real frameworks refuse
to: a 204 with content, a 1xx that no final response follows, a malformed
Content-Range. It answers one request per connection and closes it, so a
client that stops reading early (as browsers do after a 204) cannot
desynchronise the next exchange.
"""

from __future__ import annotations

import pathlib
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from email.utils import formatdate
from typing import NoReturn

import pytest

DATE = "Date: {date}\r\n"


def _date() -> str:
    return formatdate(usegmt=True)


# path -> raw response (str.format'ed with the date); a list sends interim parts first.
ROUTES: dict[str, str | list[str]] = {
    "/ok": (
        'HTTP/1.1 200 OK\r\nDate: {date}\r\nCache-Control: max-age=60\r\nETag: "v1"\r\n'
        "Last-Modified: Mon, 02 Nov 2026 10:00:00 GMT\r\n"
        "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n"
    ),
    "/401": (
        "HTTP/1.1 401 Unauthorized\r\nDate: {date}\r\nContent-Type: text/plain\r\nContent-Length: 4\r\nConnection: "
        "close\r\n\r\nwho?"
    ),
    "/405": (
        "HTTP/1.1 405 Method Not Allowed\r\nDate: {date}\r\nContent-Type: text/plain\r\nContent-Length: "
        "2\r\nConnection: close\r\n\r\nno"
    ),
    "/204": "HTTP/1.1 204 No Content\r\nDate: {date}\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello",
    "/301": "HTTP/1.1 301 Moved Permanently\r\nDate: {date}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    "/429": (
        "HTTP/1.1 429 Too Many Requests\r\nDate: {date}\r\nContent-Type: text/plain\r\nContent-Length: "
        "4\r\nConnection: close\r\n\r\nslow"
    ),
    "/206": (
        "HTTP/1.1 206 Partial Content\r\nDate: {date}\r\nContent-Range: 0-30\r\nContent-Type: text/plain\r\n"
        "Content-Length: 10\r\nConnection: close\r\n\r\n0123456789"
    ),
    "/503-bad-retry": (
        "HTTP/1.1 503 Service Unavailable\r\nDate: {date}\r\nRetry-After: soon\r\nContent-Type: "
        "text/plain\r\nContent-Length: 4\r\nConnection: close\r\n\r\nbusy"
    ),
    "/500": (
        "HTTP/1.1 500 Internal Server Error\r\nDate: {date}\r\nContent-Type: text/plain\r\nContent-Length: "
        "4\r\nConnection: close\r\n\r\noops"
    ),
    "/continue": [
        "HTTP/1.1 100 Continue\r\n\r\n",
        "HTTP/1.1 200 OK\r\nDate: {date}\r\nCache-Control: no-store\r\nContent-Type: text/plain; "
        "charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
    ],
    "/hints": [
        "HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n",
        "HTTP/1.1 200 OK\r\nDate: {date}\r\nCache-Control: no-store\r\nContent-Type: text/plain; "
        "charset=utf-8\r\nContent-Length: 3\r\nConnection: close\r\n\r\nok\n",
    ],
    "/interim-only": ["HTTP/1.1 100 Continue\r\n\r\n"],
}

# The page Chromium loads: it fetches every misbehaving path, then says it is done.
BROWSER_PATHS = ["/ok", "/401", "/405", "/204", "/301", "/429", "/206", "/503-bad-retry"]
PAGE = (
    "<!doctype html><meta charset=utf-8><title>loading</title><script>\n"
    "(async () => {{\n"
    "  for (const p of {paths}) {{\n"
    "    try {{ const r = await fetch(p, {{redirect: 'manual', cache: 'no-store'}}); await r.arrayBuffer(); }} catch "
    "(e) {{}}\n"
    "  }}\n"
    "  document.title = 'done';\n"
    "}})();\n"
    "</script>"
)


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
            head, _, rest = data.partition(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            method, path, _ = lines[0].split(" ", 2)
            fields = {ln.split(":", 1)[0].strip().lower(): ln.split(":", 1)[1].strip() for ln in lines[1:] if ":" in ln}
            route = ROUTES.get(path.split("?")[0])
            if path == "/":
                body = PAGE.format(paths=BROWSER_PATHS).encode()
                parts = [
                    f"HTTP/1.1 200 OK\r\nDate: {_date()}\r\nCache-Control: no-store\r\n"
                    f"Content-Type: text/html; charset=utf-8\r\nContent-Length: {len(body)}\r\nConnection: "
                    f"close\r\n\r\n"
                ]
                sock.sendall(parts[0].encode() + body)
                return
            if route is None:
                body = b"not here"
                sock.sendall(
                    f"HTTP/1.1 404 Not Found\r\nDate: {_date()}\r\nCache-Control: no-store\r\n"
                    f"Content-Type: text/plain\r\nContent-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
                return
            parts = route if isinstance(route, list) else [route]
            for part in parts:
                sock.sendall(part.format(date=_date()).encode("latin-1"))
            # Read the request content the client may send after a 100, then close.
            want = int(fields.get("content-length", "0") or 0)
            while len(rest) < want:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                rest += chunk
        except OSError:
            return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(scope="session")
def bad_server() -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of the misbehaving server."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium_har(
    bad_server: str,
    tmp_path_factory: pytest.TempPathFactory,
    tool: Callable[[str], str],
    unavailable: Callable[[str], NoReturn],
) -> pathlib.Path:
    """A HAR file recorded by Chromium (through Playwright) loading the misbehaving server's page."""
    chromium = tool("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")

    path = tmp_path_factory.mktemp("har") / "chromium.har"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(record_har_path=str(path))
            page = context.new_page()
            page.goto(bad_server + "/")
            page.wait_for_function("document.title === 'done'", timeout=30_000)
            context.close()  # writes the HAR
        finally:
            browser.close()
    return path
