"""The server as a tool against others: open redirects, response splitting, unbounded work.

A test server answers anyone who can reach it, so no request may make it
send a browser to another site, write a field line or framing the caller
chose, or do more work than its limits allow. Paths come from the server's
own index, so a resource added later is covered too.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time

import pytest

HOST = b"Host: t\r\n"
# A Location on this server: one "/", then no second "/" or "\" (which browsers read as another host).
SAME_ORIGIN = re.compile(r"/(?![/\\])[\x21-\x7e]*\Z")

EVIL = [
    "//evil.example",
    "//evil.example/200",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "http://evil.example/",
    "https:evil.example",
    "HTTP://evil.example",
    "javascript:alert(1)",
    "%2F%2Fevil.example",
    "%2F%5Cevil.example",
    "%5C%5Cevil.example",
    "/%09/evil.example",
    "%09//evil.example",
    "/%0d%0a//evil.example",
    "%0d%0aLocation:%20http://evil.example",
    "%20//evil.example",
    "//%65vil.example",
    "%00//evil.example",
    "/%C0%AF/evil.example",
    "evil.example",
    "@evil.example",
]


@pytest.fixture(scope="module")
def endpoints(target, wire) -> list[str]:
    """Every path the server's index lists, with {placeholders} filled with a code that redirects."""
    received, _ = target.converse(b"GET / HTTP/1.1\r\n" + HOST + b"Accept: application/json\r\n\r\n")
    import json

    templates = json.loads(wire.check(received).responses[0].body)["endpoints"]
    return sorted(
        {re.sub(r"\{[^}]*\}", "302", template) for template in templates} | {"/201", "/301", "/303", "/307", "/308"}
    )


def test_no_location_leads_off_the_server(target, wire, endpoints: list[str]) -> None:
    # Every endpoint, every way of writing another host in ?location= (and in the
    # names a route might use for it): the answer is a Location on this server, or 400.
    for path in endpoints:
        for evil in EVIL:
            for name in ("location", "url", "to", "next", "redirect", "redirect_uri", "return"):
                query = f"{name}={evil}"
                received, _ = target.converse(f"GET {path}?{query} HTTP/1.1\r\n".encode() + HOST + b"\r\n")
                stream = wire.check(received)
                for response in stream.responses:
                    for location in response.all("location"):
                        assert SAME_ORIGIN.match(location), f"GET {path}?{query} -> Location: {location}"
                    for refresh in response.all("refresh"):
                        assert "evil" not in refresh, f"GET {path}?{query} -> Refresh: {refresh}"
    target.assert_no_errors()


def test_a_path_on_the_server_is_a_fine_location(target, wire) -> None:
    # "/%252F%252Fevil" is decoded once, by the query, into "/%2F%2Fevil": a path whose
    # slashes are escaped, which no browser reads as a host.
    for location, expected in (("/200", "/200"), ("/404%3Fx%3D1", "/404?x=1"), ("/%252F%252Fevil", "/%2F%2Fevil")):
        received, _ = target.converse(f"GET /302?location={location} HTTP/1.1\r\n".encode() + HOST + b"\r\n")
        response = wire.check(received).responses[0]
        assert response.status == 302
        assert response.header("location") == expected


FRAMING_NAMES = [
    "Content-Length",
    "content-length",
    "CONTENT-LENGTH",
    "Transfer-Encoding",
    "transfer-encoding",
    "Connection",
    "Keep-Alive",
    "Proxy-Connection",
    "TE",
    "Upgrade",
    "Trailer",
]


@pytest.mark.parametrize(
    "prefix", ["X-Statuskit-Response-", "X-HttpStatus-Response-", "x-statuskit-response-", "X-STATUSKIT-RESPONSE-"]
)
@pytest.mark.parametrize("name", FRAMING_NAMES)
def test_caller_fields_cannot_frame_the_message_or_steer_the_connection(target, wire, prefix: str, name: str) -> None:
    received, _ = target.converse(f"GET /200 HTTP/1.1\r\nHost: t\r\n{prefix}{name}: 5\r\n\r\n".encode())
    stream = wire.check(received)
    response = stream.responses[0]
    if name.lower() == "trailer":
        # Trailer frames nothing (the URL API's answers are never chunked): it may be set.
        assert response.status == 200
        return
    assert response.status == 400, received[:300]
    assert response.header("content-length") == str(len(response.body))


@pytest.mark.parametrize(
    "value",
    [
        b"a%0d%0aInjected: 1",
        b"a\\r\\nInjected: 1",
        b"a&#13;&#10;Injected: 1",
        b"a\xc2\x85Injected: 1",  # U+0085 NEXT LINE in UTF-8: two obs-text octets on the wire
        b"a\xe2\x80\xa8Injected: 1",  # U+2028 LINE SEPARATOR
        b"\xff\xfe\x80",
        b"v" * 3000,
    ],
    ids=["percent CRLF", "escaped CRLF", "HTML CRLF", "NEL", "LINE SEPARATOR", "obs-text", "long"],
)
def test_caller_field_values_are_sent_as_one_line_octet_for_octet(target, wire, value: bytes) -> None:
    # Encoded line breaks stay text, obs-text passes through untouched (RFC 9110
    # §5.5 allows it), and a long value is bounded by --max-header-bytes on the way in.
    received, _ = target.converse(
        b"GET /200 HTTP/1.1\r\n" + HOST + b"X-Statuskit-Response-X-Echo: " + value + b"\r\n\r\n"
    )
    response = wire.check(received).responses[0]
    assert response.status == 200
    assert response.header("injected") is None
    assert [v.encode("latin-1") for v in response.all("x-echo")] == [value]


@pytest.mark.parametrize(
    "line",
    [
        b"X-Statuskit-Response-X: a\x00b",
        b"X-Statuskit-Response-X: a\rb",
        b"X-Statuskit-Response-X: a\x7fb",
        b"X-Statuskit-Response-X: a\x0bb",
    ],
    ids=["NUL", "CR", "DEL", "VT"],
)
def test_control_characters_in_a_caller_field_are_refused(target, wire, line: bytes) -> None:
    received, _ = target.converse(b"GET /200 HTTP/1.1\r\n" + HOST + line + b"\r\n\r\n")
    stream = wire.check(received)
    assert stream.statuses == [400]


def test_caller_fields_are_capped_per_request(make_target, wire) -> None:
    server = make_target(max_caller_fields=3)
    fields = b"".join(b"X-Statuskit-Response-F%d: v\r\n" % i for i in range(4))
    received, _ = server.converse(b"GET /200 HTTP/1.1\r\n" + HOST + fields + b"\r\n")
    response = wire.check(received).responses[0]
    assert response.status == 400 and "3" in response.body.decode()


@pytest.mark.parametrize(
    "query,field,words",
    [
        ("sleep=41", "", "--max-sleep"),
        ("fault=stall:41", "", "--max-sleep"),
        ("fault=dribble:41", "", "--max-sleep"),
        ("", "X-Statuskit-Sleep: 41", "--max-sleep"),
        ("", "X-HttpStatus-Sleep: " + "9" * 3000, "not a whole number"),
        ("", "X-Statuskit-Fault: stall:" + "9" * 3000, "not a whole number"),
    ],
    ids=["sleep", "stall", "dribble", "sleep field", "5000-digit sleep field", "5000-digit stall field"],
)
def test_waits_are_capped(target, wire, query: str, field: str, words: str) -> None:
    # The shared server's --max-sleep is 40 ms.
    extra = field.encode() + b"\r\n" if field else b""
    received, _ = target.converse(f"GET /200?{query} HTTP/1.1\r\n".encode() + HOST + extra + b"\r\n")
    response = wire.check(received).responses[0]
    assert response.status == 400 and words in response.body.decode()
    assert len(response.body) < 300


def test_many_ranges_get_one_bounded_part(target, wire) -> None:
    # A Range of thousands of overlapping ranges (a classic amplification) gets one
    # part of the 1024-byte representation, never a multipart answer built from all.
    ranges = b",".join(b"0-1023" for _ in range(400))
    received, _ = target.converse(b"GET /206 HTTP/1.1\r\n" + HOST + b"Range: bytes=" + ranges + b"\r\n\r\n")
    response = wire.check(received).responses[0]
    assert response.status == 206 and len(response.body) <= 1024
    assert response.header("content-range") == "bytes 0-1023/1024"


def test_max_connections_under_a_flood(make_target, wire) -> None:
    # Three times --max-connections at once, each asking for a slow answer so that
    # they overlap: those within the limit are answered, the others get 503 with
    # Retry-After (RFC 9110 §10.2.3) at once; nobody is left without an answer.
    limit = 20
    server = make_target(max_connections=limit)
    sockets = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(limit * 3)]
    try:
        for sock in sockets:
            sock.sendall(b"GET /200?sleep=40 HTTP/1.1\r\n" + HOST + b"Connection: close\r\n\r\n")
        statuses = []
        for sock in sockets:
            received = b""
            while chunk := sock.recv(65536):
                received += chunk
            response = wire.check(received).responses[0]
            statuses.append(response.status)
            if response.status == 503:
                assert response.header("retry-after") == "1"
                assert "--max-connections" in response.body.decode()
    finally:
        for sock in sockets:
            sock.close()
    assert statuses.count(200) >= limit and statuses.count(200) + statuses.count(503) == len(sockets)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:  # the count goes down as they close
        received, _ = server.converse(b"GET /200 HTTP/1.1\r\n" + HOST + b"\r\n")
        if wire.check(received).statuses == [200]:
            break
        time.sleep(0.05)
    else:
        pytest.fail("the server did not accept connections again after the flood")


def test_an_idle_connection_over_the_limit_is_not_held(make_target) -> None:
    # Connections over --max-connections that send nothing are closed after the
    # keep-alive timeout like any idle connection; they cannot pile up.
    server = make_target(max_connections=2, keepalive_timeout=0.3)
    keep = [socket.create_connection((server.host, server.port)) for _ in range(2)]
    extra = [socket.create_connection((server.host, server.port), timeout=5) for _ in range(10)]
    try:
        for sock in extra:
            assert sock.recv(1) == b""  # closed by the server, silently, well before the 5 s timeout
    finally:
        for sock in keep + extra:
            sock.close()


LAUNCH_WITH_FEW_FILES = """
import resource, sys
resource.setrlimit(resource.RLIMIT_NOFILE, (48, 48))
from statuskit.cli import main
sys.exit(main(["serve", "--port", "0", "--quiet", "--max-connections", "8"]))
"""


@pytest.mark.skipif(
    not hasattr(socket, "SO_REUSEPORT") or sys.platform != "linux", reason="a Linux file-descriptor limit"
)
def test_answers_need_no_file_descriptor(wire) -> None:
    # Found by benchmarks/load.py under a flood: with every file descriptor taken by
    # connections (EMFILE), the first request in a language whose texts were not yet
    # loaded failed with 500. The server now reads its data files when it starts.
    process = subprocess.Popen(
        [sys.executable, "-c", LAUNCH_WITH_FEW_FILES], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    flood: list[socket.socket] = []
    try:
        assert process.stdout is not None
        line = process.stdout.readline().decode()
        port = int(line.split("listening on ", 1)[1].split()[0].rsplit(":", 1)[1])
        first = socket.create_connection(("127.0.0.1", port), timeout=5)
        flood.append(first)
        for _ in range(80):  # more than the 48 descriptors the server may have
            flood.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.3)  # all accepted (or closed by the accept loop when out of descriptors)
        first.sendall(b"GET /404 HTTP/1.1\r\n" + HOST + b"Accept-Language: zh-CN\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := first.recv(65536):
            received += chunk
        stream = wire.check(received)
        assert stream.statuses == [404], received[:300]
        assert stream.responses[0].body.decode().startswith("404 未找到\n")  # the zh-CN texts, read at start
    finally:
        for sock in flood:
            sock.close()
        process.terminate()
        _, err = process.communicate(timeout=15)
    assert b"Traceback" not in err, err.decode()[-2000:]


def test_the_server_connects_nowhere(target, wire, endpoints: list[str]) -> None:
    # SSRF: no request makes the server open a connection. A canary listens on
    # loopback; every endpoint of the index is asked, in every way a URL or a host
    # can be passed (query names a gateway or redirect resource might read, the
    # path, an absolute-form target, Host), to reach it. Nothing may arrive.
    canary = socket.socket()
    canary.bind(("127.0.0.1", 0))
    canary.listen(64)
    canary.setblocking(False)
    here = f"127.0.0.1:{canary.getsockname()[1]}"
    try:
        for path in endpoints:
            for name in ("url", "upstream", "host", "target", "to", "location", "gateway", "callback", "proxy"):
                for value in (f"http://{here}/", f"//{here}/", here):
                    target.converse(f"GET {path}?{name}={value} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
            templated = path.replace("302", here)
            target.converse(f"GET {templated} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
            target.converse(f"GET http://{here}{path} HTTP/1.1\r\nHost: {here}\r\n\r\n".encode())
            target.converse(
                (
                    f"GET {path} HTTP/1.1\r\nHost: {here}\r\nX-Forwarded-Host: {here}\r\nForwarded: host={here}\r\n\r\n"
                ).encode()
            )
        time.sleep(0.2)
        with pytest.raises(BlockingIOError):
            canary.accept()[0].close()
    finally:
        canary.close()
    target.assert_no_errors()
