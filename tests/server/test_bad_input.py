"""Every bad input of the URL API, on the wire: a 400 with a one-line reason, and the connection serves on."""

from __future__ import annotations

BAD = [
    "/99",
    "/600",
    "/status/0404",
    "/200,abc",
    "/200,",
    "/200:x,503:1",
    "/200:0,503:0",
    "/504-500",
    "/500-504:1",
    "/200?sleep=abc",
    "/200?sleep=-5",
    "/200?sleep=3001",
    "/200?sleep=1&sleep=2",
    "/103?then=99",
    "/200?then=404",
    "/418?phrase=%0d%0aX:%20y",
    "/302?location=//evil.example",
    "/302?location=https://evil.example/",
    "/302?location=/%5Cevil.example",
    "/503?retry_after=soon",
    "/413?temporary=maybe",
    "/200?lang=fr",
    "/200?fault=explode",
    "/200?fault=stall:9999",
    "/200?seed=x",
]

BAD_FIELDS = [
    "X-Statuskit-Sleep: abc",
    "X-HttpStatus-Sleep: 99999",
    "X-Statuskit-Fault: nope",
    "X-Statuskit-Response-Content-Length: 1",
    "X-Statuskit-Response-Transfer-Encoding: chunked",
    "X-Statuskit-Response-Connection: close",
    "X-HttpStatus-Response-Upgrade: h2c",
    "X-Statuskit-Response-: empty",
]


def test_each_bad_parameter_is_400_and_the_connection_serves_on(live) -> None:
    raw = live.connect()
    for target in BAD:
        raw.send(f"GET {target} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        response = raw.response()
        assert response is not None and response.status == 400, target
        lines = response.body.decode().split("\n")
        assert lines[0] == "400 Bad Request" and lines[1] and lines[2:] == [""], target
    raw.send(b"GET /200 HTTP/1.1\r\nHost: t\r\n\r\n")
    assert raw.response().status == 200


def test_each_bad_field_is_400_and_the_connection_serves_on(live) -> None:
    raw = live.connect()
    for field in BAD_FIELDS:
        raw.send(f"GET /200 HTTP/1.1\r\nHost: t\r\n{field}\r\n\r\n".encode())
        response = raw.response()
        assert response is not None and response.status == 400, field
        assert response.header("connection") is None
    raw.send(b"GET /204 HTTP/1.1\r\nHost: t\r\n\r\n")
    assert raw.response().status == 204
