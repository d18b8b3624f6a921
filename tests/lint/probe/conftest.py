"""A server that answers the probes right at /good, and wrong in one way at each other path.

It is written from the RFC, not from statuskit.semantics, so that the probes
are checked against an implementation they do not share code with. Raw
sockets, one request per connection: it must be able to answer a broken
request line, an oversized head or an unknown method, and to misbehave in
ways frameworks refuse to. Each misbehaviour is a path whose first segment
names it; everything else about the resource is what /good does.
"""

from __future__ import annotations

import gzip
import socket
import socketserver
import threading
from collections.abc import Iterator

import pytest

BODY = b"0123456789" * 10
ETAG = '"v1"'
LAST_MODIFIED = "Mon, 02 Nov 2026 10:00:00 GMT"
DATE = "Fri, 04 Dec 2026 12:00:00 GMT"
ALLOW = "GET, HEAD, PUT, OPTIONS"
KNOWN = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "CONNECT"}
MAX_LINE = 8000
MAX_HEAD = 128 * 1024

# path (first segment) -> the (probe id, rule id) pairs its misbehaviour must produce, and nothing else.
MISBEHAVIOURS: dict[str, set[tuple[str, str]]] = {
    "always-304": {("validators.if-none-match-other", "probe-not-modified-for-other-tag")},
    "ignore-inm": {("validators.if-none-match", "probe-not-modified-missing")},
    "ignore-ims": {("validators.if-modified-since", "probe-not-modified-by-date-missing")},
    "304-new-etag": {("validators.if-none-match", "precondition-outcome-mismatch")},
    "304-no-etag": {
        ("validators.if-none-match", "required-field-missing"),
        ("validators.if-modified-since", "required-field-missing"),
    },
    "304-content": {
        ("validators.if-none-match", "content-forbidden"),
        ("validators.if-modified-since", "content-forbidden"),
    },
    "ignore-range": {("ranges.first-byte", "probe-accept-ranges-but-no-range")},
    "wrong-part": {("ranges.first-byte", "probe-range-wrong-part")},
    "416-length": {("ranges.unsatisfiable", "probe-unsatisfiable-range-length")},
    "206-unsatisfiable": {("ranges.unsatisfiable", "probe-range-wrong-code")},
    "ignore-if-range": {("ranges.if-range-stale", "probe-if-range-ignored")},
    "head-length": {("methods.head", "probe-head-length-differs")},
    "head-type": {("methods.head", "probe-head-field-differs")},
    "head-content": {("methods.head", "content-forbidden")},
    "head-404": {("methods.head", "probe-head-status-differs")},
    "options-404": {("methods.options", "probe-options-wrong-code")},
    "options-bare": {("methods.options", "probe-options-without-allow")},
    "allow-no-get": {("methods.options", "probe-allow-lacks-get"), ("methods.not-allowed", "probe-allow-lacks-get")},
    "405-no-allow": {("methods.not-allowed", "required-field-missing")},
    "delete-200": {("methods.not-allowed", "probe-method-not-allowed-wrong-code")},
    "unknown-500": {("methods.unknown", "probe-unknown-method-wrong-code")},
    "if-match-ignored": {("validators.if-match", "probe-if-match-ignored")},
    "long-500": {("limits.long-target", "probe-server-error-for-bad-request")},
    "header-400": {("limits.large-header", "probe-vaguer-code")},
    "expect-500": {("limits.unknown-expect", "probe-server-error-for-bad-request")},
    "line-silent": {("limits.bad-request-line", "probe-no-answer")},
    "version-500": {("limits.version", "probe-server-error-for-bad-request")},
    "line-200": {("limits.bad-request-line", "probe-broken-request-accepted")},
    "406-no-vary": {("negotiation.accept", "probe-vary-missing")},
    "accept-500": {("negotiation.accept", "probe-unacceptable-wrong-code")},
    "gzip-no-vary": {("negotiation.encoding", "probe-vary-missing")},
    "brotli": {("negotiation.encoding", "probe-coding-not-accepted")},
    "loop": {("redirects.follow", "probe-redirect-loop")},
    "to-404": {("redirects.follow", "probe-redirect-dead-end")},
    "302-bare": {
        ("redirects.follow", "probe-redirect-without-location"),
        # HEAD and OPTIONS get the same bare 302, and the linter says so of each.
        ("methods.head", "recommended-field-missing"),
        ("methods.options", "recommended-field-missing"),
    },
    "bad-challenge": {("auth.challenge", "probe-challenge-unreadable")},
    "bad-location": {("redirects.follow", "probe-redirect-bad-location")},
    "long-chain": {("redirects.follow", "probe-redirect-chain-long")},
    "vary-flip": {("negotiation.encoding", "probe-vary-inconsistent")},
    "gzip-406": {("negotiation.encoding", "probe-encoding-wrong-code")},
}
# Good redirects and challenges: they must probe clean too.
CLEAN = ("good", "moved", "login")


def _answer(
    method: str, target: str, version: str, fields: dict[str, str], long_line: bool
) -> tuple[int, list[tuple[str, str]], bytes] | None:
    """(status, fields, content) for a request; None to close without answering."""
    path = target.split("?", 1)[0]
    kind = path.strip("/").split("/", 1)[0].split("\x01", 1)[0]

    def plain(
        status: int, text: str = "", extra: tuple[tuple[str, str], ...] = ()
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        return status, [("Content-Type", "text/plain"), *extra], text.encode()

    if any(ord(ch) < 0x20 or ch == "\x7f" for ch in target) and kind != "line-200":
        return None if kind == "line-silent" else plain(400, "bad request line")
    if not version.startswith("HTTP/1."):
        if kind == "version-500":
            return plain(500, "oops")
        return plain(505, "HTTP/1.x only")
    if len(target) > MAX_LINE:
        return plain(500, "oops") if kind == "long-500" else plain(414, "target too long")
    if long_line:
        return plain(400, "too big") if kind == "header-400" else plain(431, "header too large")
    expect = fields.get("expect", "").lower()
    if expect and expect != "100-continue":
        return plain(500, "oops") if kind == "expect-500" else plain(417, "unknown expectation")
    if method not in KNOWN:
        return plain(500, "oops") if kind == "unknown-500" else plain(501, "not implemented")

    if kind == "long-chain":
        hop = int(path.rsplit("/", 1)[-1]) if path.count("/") > 1 else 0
        return plain(302, "on", (("Location", f"/long-chain/{hop + 1}"),))
    if kind == "bad-location":
        return plain(302, "there", (("Location", "/a place"),))
    if kind in ("loop", "to-404", "302-bare", "moved"):
        if "/end" in path:
            return plain(404 if kind == "to-404" else 200, "end")
        location = {"loop": f"/{kind}", "302-bare": None}.get(kind, f"/{kind}/end")
        return plain(302, "elsewhere", (("Location", location),) if location else ())
    if kind in ("login", "bad-challenge"):
        challenge = 'Basic realm="probe", charset="UTF-8"' if kind == "login" else 'Basic "no realm"'
        return plain(401, "who?", (("WWW-Authenticate", challenge),))
    if kind == "head-404" and method == "HEAD":
        return plain(404)

    allow = "HEAD, PUT, OPTIONS" if kind == "allow-no-get" else ALLOW
    if method == "OPTIONS":
        if kind == "options-404":
            return plain(404, "no such thing")
        return 204, ([] if kind == "options-bare" else [("Allow", allow)]), b""
    if method == "DELETE" and kind == "delete-200":
        return plain(200, "deleted")
    if method not in ("GET", "HEAD", "PUT"):
        return plain(405, "not here", () if kind == "405-no-allow" else (("Allow", allow),))

    validators = [("ETag", ETAG), ("Last-Modified", LAST_MODIFIED), ("Cache-Control", "no-cache")]
    if method == "PUT":
        if_match = fields.get("if-match")
        if if_match is not None and if_match != ETAG and kind != "if-match-ignored":
            return plain(412, "precondition failed")
        return 204, [], b""

    vary = "Accept" if kind == "gzip-no-vary" else "Accept, Accept-Encoding"
    accept = fields.get("accept", "*/*")
    if not any(t in accept for t in ("*/*", "text/*", "text/plain")):
        if kind == "accept-500":
            return plain(500, "oops")
        return plain(406, "text/plain only")
    if kind == "406-no-vary":
        vary = ""
    representation = [("Content-Type", "text/plain"), ("Accept-Ranges", "bytes"), *validators]
    if vary:
        representation.append(("Vary", vary))
    inm = fields.get("if-none-match")
    ims = fields.get("if-modified-since")
    not_modified = kind == "always-304" and (inm or ims)
    if inm is not None and kind != "ignore-inm":
        not_modified = not_modified or inm == ETAG
    elif ims is not None and kind != "ignore-ims":
        not_modified = not_modified or ims == LAST_MODIFIED
    if not_modified:
        head = [(n, v) for n, v in representation if n not in ("Content-Type", "Accept-Ranges", "ETag")]
        if kind != "304-no-etag":
            head.append(("ETag", '"v2"' if kind == "304-new-etag" else ETAG))
        return 304, head, b"stale" if kind == "304-content" else b""

    coding = fields.get("accept-encoding", "")
    if "gzip" in coding and kind == "gzip-406":
        return plain(406, "identity only")
    if "gzip" in coding and kind == "vary-flip":
        representation = [(n, "Accept" if n == "Vary" else v) for n, v in representation]
    if "gzip" in coding and kind in ("gzip-no-vary", "brotli"):
        name = "gzip" if kind == "gzip-no-vary" else "br"
        return 200, [*representation, ("Content-Encoding", name)], gzip.compress(BODY, mtime=0)

    range_value = fields.get("range")
    if_range = fields.get("if-range")
    if range_value and kind != "ignore-range" and (if_range is None or if_range == ETAG or kind == "ignore-if-range"):
        first, _, last = range_value.removeprefix("bytes=").partition("-")
        start = int(first)
        end = min(int(last), len(BODY) - 1) if last else len(BODY) - 1
        if start >= len(BODY) and kind != "206-unsatisfiable":
            total = 5 if kind == "416-length" else len(BODY)
            return plain(416, "", (("Content-Range", f"bytes */{total}"),))
        if start >= len(BODY):
            start = end = len(BODY) - 1
        total = len(BODY) + 1 if kind == "wrong-part" else len(BODY)
        part = BODY[start : end + 1]
        return 206, [*representation, ("Content-Range", f"bytes {start}-{end}/{total}")], part
    if kind == "head-type" and method == "HEAD":
        representation = [(n, "application/octet-stream" if n == "Content-Type" else v) for n, v in representation]
    return 200, representation, BODY


class Seen:
    """What the server saw: each request's line and User-Agent, and the most connections open at once."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.open = 0
        self.most_open = 0

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.most_open = 0


SEEN = Seen()


class _Handler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        with SEEN.lock:
            SEEN.open += 1
            SEEN.most_open = max(SEEN.most_open, SEEN.open)
        try:
            self._handle()
        finally:
            with SEEN.lock:
                SEEN.open -= 1

    def _handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data and len(data) < MAX_HEAD:
                chunk = sock.recv(65536)
                if not chunk:
                    return
                data += chunk
            head = data.partition(b"\r\n\r\n")[0].decode("latin-1")
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            method, target, version = parts[0], " ".join(parts[1:-1]), parts[-1]
            fields = {ln.split(":", 1)[0].strip().lower(): ln.split(":", 1)[1].strip() for ln in lines[1:] if ":" in ln}
            long_line = any(len(ln) > MAX_LINE for ln in lines[1:])
            with SEEN.lock:
                SEEN.requests.append((lines[0][:80], fields.get("user-agent", "")))
            answer = _answer(method, target, version, fields, long_line)
            if answer is None:
                return
            status, out, content = answer
            kind = target.split("?", 1)[0].strip("/").split("/", 1)[0]
            if status not in (204, 304) and not (kind == "head-length" and method == "HEAD"):
                out.append(("Content-Length", str(len(content))))
            elif kind == "head-length" and method == "HEAD":
                out.append(("Content-Length", str(len(content) // 2)))
            if status == 304 and kind == "304-content":
                out.append(("Content-Length", str(len(content))))
            if method == "HEAD" and kind != "head-content":
                content = b""
            lines_out = [f"HTTP/1.1 {status} X", f"Date: {DATE}", *(f"{n}: {v}" for n, v in out), "Connection: close"]
            sock.sendall(("\r\n".join(lines_out) + "\r\n\r\n").encode("latin-1") + content)
        except OSError:
            return


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture(scope="session")
def probe_server() -> Iterator[str]:
    """Base URL of the server that misbehaves on purpose (http://127.0.0.1:PORT)."""
    server = _Server(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
