"""Every byte the server writes for a broad sample of requests is what it wrote before the memo by inputs.

tests/data/wire-before.sha256 holds, per request of `sample()`, the SHA-256 of
the response bytes (Date blanked) that the implementation before the memo by
inputs wrote (main before i18 merged, with i14, i15 and i17 landed: branch i14 at d2a6100); it was recorded with

    PYTHONPATH=<that tree>/src python tests/server/test_wire_unchanged.py --record

The sample asks each request twice in a row with another X-Request-Id and
another cache-busting query parameter, on one server: the second is answered
from the memo by inputs, and must be byte for byte what the whole responder
wrote when there was no such memo.
"""

from __future__ import annotations

import hashlib
import pathlib
import re
import socket
import sys

from statuskit.registry import statuses
from statuskit.server import ServerConfig, ServerThread

RECORD = pathlib.Path(__file__).resolve().parent.parent / "data" / "wire-before.sha256"

_DATE = re.compile(rb"\r\nDate: [^\r]*\r\n")

# Codes that get each variant below (every registered code gets the basic ones).
DETAILED = (200, 201, 204, 206, 226, 300, 301, 304, 401, 404, 405, 406, 407, 413, 415, 416, 418, 429, 451, 503)

VARIANTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("?retry_after=5", ()),
    ("?retry-after=Sun,%2006%20Nov%201994%2008:49:37%20GMT", ()),
    ("?location=/elsewhere", ()),
    ("?phrase=Quite%20So", ()),
    ("?temporary=1", ()),
    ("?lang=zh-CN", ("Accept: application/json",)),
    ("", ("Accept: application/json", "Accept-Language: zh-CN")),
    ("", ("Accept: text/html",)),
    ("", ("Accept: text/html", "Accept-Language: zh-CN;q=0.9, en;q=0.1")),
    ("", ("Accept: image/png",)),
    ("", ("X-Statuskit-Response-Retry-After: 9", "X-HttpStatus-Response-X-Trace: a")),
    ("", ("X-Statuskit-Response-Content-Length: 9",)),
    ("", ('If-None-Match: "abc", "def"',)),
    ("", ("Range: bytes=0-10",)),
    ("", ("X-Statuskit-Fault: nonsense",)),
    ("?sleep=abc", ()),
    ("?lang=xx", ()),
    ("?phrase=a&phrase=b", ()),
    ("?sl%65ep=x", ()),
    ("?seed=7", ()),
)


def _request(method: str, target: str, fields: tuple[str, ...], version: str = "1.1") -> bytes:
    lines = [f"{method} {target} HTTP/{version}", "Host: 127.0.0.1", *fields, "Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def _with_n(target: str, n: int) -> str:
    return f"{target}{'&' if '?' in target else '?'}n={n}"


def sample() -> list[bytes]:
    """The requests, in order; each variant twice, with a new `n` and a new X-Request-Id."""
    plain: list[tuple[str, str, tuple[str, ...], str]] = []
    for status in statuses():
        code = status.code
        if code in (102, 408, 444):
            continue  # 102 sends heartbeats while waiting, 408 and 444 close: none is a fixed exchange
        plain.append(("GET", f"/{code}", (), "1.1"))
        plain.append(("HEAD", f"/{code}", (), "1.1"))
        plain.append(("GET", f"/{code}", ("Accept: application/json",), "1.1"))
        plain.append(("GET", f"/{code}", ("Accept: text/html", "Accept-Language: zh-CN"), "1.1"))
    for code in DETAILED:
        for query, fields in VARIANTS:
            plain.append(("GET", f"/{code}{query}", fields, "1.1"))
        for method in ("POST", "PUT", "DELETE", "OPTIONS", "PATCH"):
            plain.append((method, f"/{code}", (), "1.1"))
        plain.append(("GET", f"/{code}", (), "1.0"))
        plain.append(("GET", f"/status/{code}/more/path", (), "1.1"))
    for target, fields in (
        ("/random/200,503?seed=3", ()),
        ("/random/200:0.5,503:0.5?seed=4", ("Accept: application/json",)),
        ("/500-504?seed=5", ()),
        ("/99", ()),
        ("/200,abc", ()),
        ("/nothing/here", ()),
        ("/nothing?lang=zh-CN", ("Accept: text/html",)),
        ("/nothing", ("Accept-Language: zh-CN",)),
        ("/docs/404", ()),
        ("/docs/404?lang=zh-CN", ()),
        ("/", ()),
        ("/", ("Accept: application/json",)),
        ("/101", ()),
        ("/103?then=404", ()),
        ("/404", ("Origin: http://a.example", "Access-Control-Request-Method: PUT")),
        ("/status/", ()),
    ):
        plain.append(("GET", target, fields, "1.1"))
    plain.append(("OPTIONS", "*", (), "1.1"))
    plain.append(("OPTIONS", "/404", ("Origin: http://a.example", "Access-Control-Request-Method: PUT"), "1.1"))
    plain.append(("BREW", "/404", (), "1.1"))
    out: list[bytes] = []
    n = 0
    for method, target, fields, version in plain:
        for _ in range(2):
            n += 1
            busted = _with_n(target, n) if target.startswith("/") else target
            out.append(_request(method, busted, (*fields, f"X-Request-Id: {n}"), version))
    return out


def exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    return _DATE.sub(b"\r\nDate: -\r\n", b"".join(chunks))


def digests() -> list[str]:
    with ServerThread(ServerConfig(port=0, access_log=False)) as server:
        return [hashlib.sha256(exchange(server.port, request)).hexdigest() for request in sample()]


def test_every_sampled_response_is_byte_for_byte_what_it_was() -> None:
    recorded = RECORD.read_text().split()
    requests = sample()
    assert len(recorded) == len(requests) > 1000
    now = digests()
    changed = [
        requests[i].split(b"\r\n")[0].decode() for i, (a, b) in enumerate(zip(recorded, now, strict=True)) if a != b
    ]
    assert not changed, f"{len(changed)} responses changed, the first: {changed[:5]}"


if __name__ == "__main__" and sys.argv[1:] == ["--record"]:
    RECORD.write_text("\n".join(digests()) + "\n")
