"""Faults on request: each breaks the response where it says, within its bound, and the server serves on."""

from __future__ import annotations

import time

import pytest

HOST = b"Host: t\r\n"


def _ask(live, target: str, headers: bytes = b""):
    raw = live.connect()
    raw.send(b"GET " + target.encode() + b" HTTP/1.1\r\n" + HOST + headers + b"\r\n")
    return raw


def _length(head: bytes) -> int:
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return int(line.split(b":")[1])
    raise AssertionError("no Content-Length")


@pytest.mark.parametrize("how", ["query", "header"])
def test_drop_before_the_status_line(live, how: str) -> None:
    raw = _ask(live, "/200?fault=drop") if how == "query" else _ask(live, "/200", b"X-Statuskit-Fault: drop\r\n")
    assert raw.response() is None
    assert raw.closed and raw.buffer == b""
    live.assert_serving()


def test_drop_after_the_headers(live) -> None:
    raw = _ask(live, "/404?fault=drop-after-headers")
    head = raw.read_head()
    assert head is not None and head.startswith(b"HTTP/1.1 404 Not Found")
    assert _length(head) > 0
    assert raw.read_to_close() == b""
    assert raw.closed
    live.assert_serving()


def test_drop_in_the_middle_of_the_content(live) -> None:
    raw = _ask(live, "/500?fault=drop-mid-body")
    head = raw.read_head()
    assert head is not None and head.startswith(b"HTTP/1.1 500")
    body = raw.read_to_close()
    assert 0 < len(body) < _length(head)
    assert raw.closed


def test_dribble_sends_all_the_content_slowly(live) -> None:
    raw = _ask(live, "/200?fault=dribble:800")
    started = time.monotonic()
    head = raw.read_head()
    assert head is not None
    body = b""
    while len(body) < _length(head) and time.monotonic() - started < 5:
        body += raw.read_exactly(1, timeout=2)
    assert len(body) == _length(head)
    assert time.monotonic() - started > 0.6
    assert not raw.closed  # a dribbled response completes; the connection stays
    raw.send(b"GET /204 HTTP/1.1\r\n" + HOST + b"\r\n")
    assert raw.response().status == 204


def test_stall_sends_the_head_then_nothing_then_closes(live) -> None:
    raw = _ask(live, "/200?fault=stall:700")
    started = time.monotonic()
    head = raw.read_head()
    assert head is not None and head.startswith(b"HTTP/1.1 200")
    assert raw.read_exactly(1, timeout=0.4) == b""  # nothing while stalled
    assert raw.is_closed(timeout=3)
    assert 0.6 < time.monotonic() - started < 2.5


def test_stall_by_default_lasts_the_sleep_cap(live) -> None:
    raw = _ask(live, "/200", b"X-Statuskit-Fault: stall\r\n")
    started = time.monotonic()
    assert raw.read_head() is not None
    assert raw.is_closed(timeout=6)
    assert 2.7 < time.monotonic() - started < 5  # --max-sleep is 3000 ms on the test server


def test_sleep_delays_the_response(live) -> None:
    started = time.monotonic()
    assert live.request("/201?sleep=400").status == 201
    assert time.monotonic() - started >= 0.39
    started = time.monotonic()
    assert live.request("/202", headers="X-HttpStatus-Sleep: 300\r\n").status == 202
    assert time.monotonic() - started >= 0.29


@pytest.mark.parametrize(
    "target,words",
    [
        ("/200?fault=explode", "not a fault"),
        ("/200?fault=stall:99999", "--max-sleep"),
        ("/200?fault=dribble:abc", "milliseconds"),
    ],
)
def test_bad_faults_are_400(live, target: str, words: str) -> None:
    response = live.request(target)
    assert response.status == 400 and words in response.body.decode()


def test_disconnect_during_a_sleep_is_clean(live) -> None:
    raw = _ask(live, "/200?sleep=2000")
    time.sleep(0.1)
    raw.close()
    live.assert_serving()
