"""A small HTTP server for the page itself, so the browser tests of tests/web
need nothing but `statuskit.web`.

It serves what the page is made of, from the real functions: `/` is
`index_page`, `/docs/{code}` is `code_page`, `/static/{name}` is `asset`, with
the language from `?lang=` or `Accept-Language` as the real server chooses it.

`/{code}` (with `code_page` for a browser that asks for HTML) and
`/_statuskit/exchange/{code}` are a STUB, not the server: just
enough HTTP for Try it's client-side paths to run in Chromium (an ordinary
answer, a redirect that fetch follows, no content, an interim response, a
connection closed without an answer). What the page shows for the real server
is proven in tests/e2e against `statuskit serve`.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from statuskit import semantics
from statuskit.registry import get, resolve_language
from statuskit.web import CONTENT_TYPE, asset, code_page, index_page

# Values the stub puts in the fields semantics asks for.
STUB_FIELDS = {
    "Location": "/200",
    "Retry-After": "5",
    "WWW-Authenticate": 'Basic realm="stub"',
    "Proxy-Authenticate": 'Basic realm="stub"',
    "Allow": "GET, HEAD",
    "Content-Range": "bytes */100",
    "Upgrade": "websocket",
    "Connection": "upgrade",
    "Link": '</static/app.css>; rel="preload"; as="style"',
}
DROPPED = {444}  # the stub closes these without an answer, like nginx's 444


def pick_language(query: str, accept: str) -> str:
    """?lang= first, then the Accept-Language tags by weight, then English."""
    if query:
        return resolve_language(query) or "en"
    tags = []
    for index, item in enumerate(accept.split(",")):
        tag, _, params = item.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        tags.append((-weight, index, tag.strip()))
    for _, _, tag in sorted(tags):
        found = resolve_language(tag, default=None)
        if found:
            return found
    return "en"


def stub_exchange(code: int) -> bytes:
    """The bytes the stub writes for `GET /{code}`: interim response, then a final one."""
    status = get(code)
    parts = []
    if semantics.is_interim(status) and code != 101:
        parts.append(f"HTTP/1.1 {code} {status.reason}\r\n\r\n")
        status = get(200)
    elif code == 101:
        status = get(426)  # a fetch never asks to upgrade
    fields = {
        rule.field: STUB_FIELDS[rule.field] for rule in semantics.field_rules(status) if rule.field in STUB_FIELDS
    }
    body = ""
    if semantics.allows_content(status):
        body = f"{status.code} {status.reason}\n{status.describe('en').summary}\n"
        fields["Content-Type"] = "text/plain; charset=utf-8"
    if semantics.allows_content_length(status):
        fields["Content-Length"] = str(len(body.encode()))
    head = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    parts.append(f"HTTP/1.1 {status.code} {status.reason}\r\n{head}\r\n{body}")
    return "".join(parts).encode()


class PageHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        pass

    def send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 - BaseHTTPRequestHandler's name
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        lang = pick_language(query.get("lang", [""])[0], self.headers.get("Accept-Language", ""))
        path = url.path
        if path == "/":
            return self.send(200, CONTENT_TYPE, index_page(lang).encode())
        if path.startswith("/docs/"):
            status = get(path[len("/docs/") :])
            if status is None:
                return self.send(404, "text/plain", b"no such code\n")
            return self.send(200, CONTENT_TYPE, code_page(status, lang).encode())
        if path.startswith("/static/"):
            found = asset(path[len("/static/") :])
            if found is None:
                return self.send(404, "text/plain", b"no such file\n")
            return self.send(200, found[1], found[0])
        match = re.fullmatch(r"/_statuskit/exchange/(\d{3})", path)
        if match:
            code = int(match[1])
            text = b"" if code in DROPPED else stub_exchange(code)
            return self.send(200, "text/plain; charset=utf-8", text)
        match = re.fullmatch(r"/(\d{3})", path)
        if match and get(match[1]) is not None:
            code = int(match[1])
            if code in DROPPED:
                self.close_connection = True
                return None
            status = get(code)
            if "text/html" in self.headers.get("Accept", "") and semantics.allows_content(status):
                # A browser visiting /{code}: the real status with the page that explains it.
                head = stub_exchange(code).decode().partition("\r\n\r\n")[0]
                page = code_page(status, lang, exchange=head + "\r\n\r\n").encode()
                self.wfile.write(f"HTTP/1.1 {code} {status.reason}\r\n".encode())
                self.send_header("Content-Type", CONTENT_TYPE)
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)
                return None
            self.wfile.write(stub_exchange(code))
            return None
        return self.send(404, "text/plain", b"not here\n")


@pytest.fixture(scope="session")
def page_server() -> Iterator[str]:
    """Base URL (http://127.0.0.1:PORT) of the page server, for the whole session."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), PageHandler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="page-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
