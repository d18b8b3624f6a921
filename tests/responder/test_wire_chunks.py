"""A plan with `chunks`: Transfer-Encoding: chunked to HTTP/1.1, Content-Length to HTTP/1.0, nothing after HEAD."""

from __future__ import annotations

import h11

from statuskit.responder import Request, Responder
from statuskit.responder.wire import Serialized, chunk_encoded, date_line, exchange

DATE = date_line(0)


def test_chunks_are_framed_one_each_and_h11_reads_them_back() -> None:
    plan = Responder().respond(Request.build("GET", "/stream/3"))
    assert plan.chunks is not None and len(plan.chunks) == 3 and b"".join(plan.chunks) == plan.body
    data = exchange(plan, DATE)
    assert b"\r\nTransfer-Encoding: chunked\r\n" in data and b"\r\nContent-Length:" not in data
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/stream/3", headers=[("Host", "x")]))
    client.send(h11.EndOfMessage())
    client.receive_data(data)
    events = []
    while not events or not isinstance(events[-1], h11.EndOfMessage):
        events.append(client.next_event())
    assert b"".join(bytes(e.data) for e in events if isinstance(e, h11.Data)) == plan.body


def test_http_1_0_gets_a_length_and_head_gets_no_content() -> None:
    plan = Responder().respond(Request.build("GET", "/stream-bytes/30?chunk_size=7&seed=1", http_version="1.0"))
    old = exchange(plan, DATE, "1.0")
    assert b"\r\nTransfer-Encoding:" not in old and f"Content-Length: {len(plan.body)}".encode() in old
    assert old.endswith(plan.body)
    head = Serialized(plan, "1.1", head=True)
    assert head.body == b"" and b"Transfer-Encoding: chunked" in head.head(DATE, False)


def test_empty_chunks_are_not_sent_since_one_would_end_the_content() -> None:
    assert chunk_encoded((b"ab", b"", b"c")) == b"2\r\nab\r\n1\r\nc\r\n0\r\n\r\n"
    assert chunk_encoded(()) == b"0\r\n\r\n"
