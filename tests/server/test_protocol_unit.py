"""The connection protocol with a fake transport (as uvicorn tests its protocols): exact, fast, no sockets."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator

import pytest

from statuskit.responder import Responder
from statuskit.server.config import ServerConfig
from statuskit.server.protocol import HttpProtocol
from statuskit.server.server import ServerState
from tests.support.fakes import FakeTransport


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    yield loop
    # Plans that take time run as tasks; end them before the loop goes.
    pending = asyncio.all_tasks(loop)
    for task in pending:
        task.cancel()
    if pending:
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    loop.close()


def _connection(loop: asyncio.AbstractEventLoop, **config: object) -> tuple[HttpProtocol, FakeTransport, ServerState]:
    settings = ServerConfig.from_options(
        access_log=False, max_target=1024, max_header_bytes=4096, max_headers=20, **config
    )  # type: ignore[arg-type]
    state = ServerState(settings, Responder(settings.responder), loop, None)
    protocol = HttpProtocol(state)
    transport = FakeTransport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    return protocol, transport, state


REQUEST = b"GET /200?pad=" + b"p" * 300 + b" HTTP/1.1\r\nHost: t\r\n\r\n"


@pytest.mark.parametrize("seed", range(4))
def test_any_split_of_a_pipelined_stream_gives_every_answer_once(loop, seed: int) -> None:
    # Reads cut anywhere (sometimes exactly one request long, but not aligned),
    # while the client's reading stalls and resumes: every request is answered,
    # in order, and the replay of whole-request reads never answers a half one.
    rng = random.Random(seed)
    for _ in range(40):
        protocol, transport, _ = _connection(loop)
        count = rng.randint(1, 20)
        stream = REQUEST * count
        position = 0
        while position < len(stream):
            size = len(REQUEST) if rng.random() < 0.4 else rng.randint(1, 1500)
            if rng.random() < 0.2 and not protocol.flow.write_paused:
                protocol.pause_writing()
            elif rng.random() < 0.3 and protocol.flow.write_paused:
                protocol.resume_writing()
            protocol.data_received(stream[position : position + size])
            position += size
        if protocol.flow.write_paused:
            protocol.resume_writing()
        assert transport.data.count(b"HTTP/1.1 200 OK\r\n") == count
        assert b"400 Bad Request" not in transport.data


def test_identical_bytes_are_replayed_without_parsing(loop) -> None:
    protocol, transport, state = _connection(loop)
    protocol.data_received(REQUEST)
    assert REQUEST in state.memos.replays
    before = len(transport.written)
    protocol.parser = None  # type: ignore[assignment]  # a replay must not touch the parser
    protocol.data_received(REQUEST)
    assert len(transport.written) == before + 1 and transport.written[-1] == transport.written[before - 1]


def test_non_reusable_answers_are_not_replayed(loop) -> None:
    protocol, transport, state = _connection(loop)
    for target in (b"/200,503", b"/200?sleep=10", b"/444"):
        protocol.data_received(b"GET " + target + b" HTTP/1.1\r\nHost: t\r\n\r\n")
    assert state.memos.replays == {}
    assert all(key[1] not in (b"/200,503",) for key in state.memos.cache)


def test_write_pause_stops_reading_and_queues(loop) -> None:
    protocol, transport, _ = _connection(loop)
    protocol.pause_writing()
    assert not transport.reading
    protocol.data_received(REQUEST * 3)
    assert transport.written == []  # nothing is written while the client does not read
    protocol.resume_writing()
    assert transport.data.count(b"HTTP/1.1 200 OK") == 3
    assert transport.reading


def test_pipeline_limit_pauses_reading(loop) -> None:
    protocol, transport, _ = _connection(loop)
    protocol.data_received(b"GET /200?sleep=1000 HTTP/1.1\r\nHost: t\r\n\r\n")  # busy
    protocol.data_received(REQUEST * 70)
    assert not transport.reading
    assert len(protocol.pipeline) == 70


def test_timeouts_by_phase(loop) -> None:
    protocol, transport, state = _connection(loop, request_timeout=1.0, keepalive_timeout=2.0)
    now = state.clock.now
    protocol.data_received(b"GET /200 HTTP/1.1\r\nHo")
    protocol.check(now + 0.5)
    assert transport.written == []
    protocol.check(now + 1.5)
    assert transport.data.startswith(b"HTTP/1.1 408 Request Timeout\r\n") and transport.closing

    idle, transport, state = _connection(loop, request_timeout=1.0, keepalive_timeout=2.0)
    idle.check(state.clock.now + 1.5)
    assert not transport.closing
    idle.check(state.clock.now + 2.5)
    assert transport.closing and transport.written == []  # idle: closed quietly


def test_nothing_is_written_after_close(loop) -> None:
    protocol, transport, _ = _connection(loop)
    protocol.data_received(b"GET /200 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n" + REQUEST)
    assert transport.closing
    assert transport.data.count(b"HTTP/1.1 200 OK") == 1
    protocol.data_received(REQUEST)  # late data is ignored
    assert transport.data.count(b"HTTP/1.1 200 OK") == 1


def test_a_closing_answer_closes_every_time(loop) -> None:
    # /408 closes the connection; a memoized copy of it must close too.
    for _ in range(3):
        protocol, transport, _ = _connection(loop)
        protocol.data_received(b"GET /408 HTTP/1.1\r\nHost: t\r\n\r\n")
        assert transport.data.startswith(b"HTTP/1.1 408 ") and b"Connection: close\r\n" in transport.data
        assert transport.closing


def test_framing_follows_the_bytes_whatever_the_plan_says(loop) -> None:
    from statuskit.responder import Plan
    from statuskit.responder.wire import Serialized

    careless = Plan(status=200, reason="OK", body=b"abc", content_length=None)
    assert b"Content-Length: 3\r\n" in Serialized(careless).message(b"", False)
    wrong = Plan(status=200, reason="OK", body=b"abc", content_length=99)
    assert b"Content-Length: 3\r\n" in Serialized(wrong).message(b"", False)
    head = Serialized(Plan(status=200, reason="OK", body=b"abc", content_length=3), head=True).message(b"", False)
    assert head.endswith(b"Content-Length: 3\r\n\r\n")  # the GET's length, no content
    no_content = Serialized(Plan(status=204, reason="No Content")).message(b"", False)
    assert b"Content-Length" not in no_content


def test_a_failing_responder_gives_500_and_closes(loop, monkeypatch, caplog) -> None:
    # A statuskit bug: logged, answered with 500, and the connection closes (nothing says what state it left),
    # also when the request asked for 100-continue and is answered early.
    for request in (
        b"GET /200 HTTP/1.1\r\nHost: t\r\n\r\n",
        b"POST /200 HTTP/1.1\r\nHost: t\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n",
    ):
        protocol, transport, state = _connection(loop)

        def broken(request: object) -> object:
            raise RuntimeError("a bug")

        monkeypatch.setattr(state.responder, "respond", broken)
        monkeypatch.setattr(state.responder, "wants_body", lambda request: False)
        protocol.data_received(request + REQUEST)
        assert transport.data.startswith(b"HTTP/1.1 500 ") and b"a statuskit bug" in transport.data
        assert b"Connection: close\r\n" in transport.data and transport.closing
        assert transport.data.count(b"HTTP/1.1 ") == 1
        assert "the responder failed on" in caplog.text


def test_a_connection_has_at_most_30_attributes(loop) -> None:
    # Past 30, CPython stops sharing instance dict keys and specializing attribute
    # loads: the replay path then costs ~20 % more (benchmarks/engine.py).
    protocol, _, _ = _connection(loop)
    assert len(vars(protocol)) <= 30, sorted(vars(protocol))
