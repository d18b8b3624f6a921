"""Attacks that broke real HTTP/2 servers, as functions: each sends one over a fresh `H2Client` connection.

Used by tests/server/test_http2_attacks.py (each attack meets its bound) and
tests/reliability/test_memory_http2.py (the server's memory stays bounded
while they are repeated). Each returns the error code of the GOAWAY that
ended the connection (None if none came).
"""

from __future__ import annotations

import hpack
from h2.errors import ErrorCodes
from hyperframe.frame import ContinuationFrame, HeadersFrame

from statuskit.server.h2conn import MAX_JUNK
from tests.support.h2client import H2Client

REQUEST = [(":method", "GET"), (":scheme", "http"), (":authority", "test"), (":path", "/200")]


def goaway(client: H2Client, timeout: float = 10) -> int | None:
    """The error code of the GOAWAY that ends the connection, read raw (h2 may stop at a frame it dislikes)."""
    for frame in client.raw_frames(timeout):
        if type(frame).__name__ == "GoAwayFrame":
            return int(frame.error_code)
    return None


def rapid_reset(client: H2Client) -> int | None:
    # CVE-2023-44487: open a stream and reset it at once, again and again.
    for _ in range(MAX_JUNK + 50):
        stream_id = client.conn.get_next_available_stream_id()
        client.conn.send_headers(stream_id, [*REQUEST[:3], (":path", "/200?sleep=1000")], end_stream=True)
        client.conn.reset_stream(stream_id, ErrorCodes.CANCEL)
        client.flush()
        if client.closed:
            break
    return goaway(client)


def continuation_flood(client: H2Client) -> int | None:
    # CVE-2024-27316: a header block that never ends, one CONTINUATION frame after another.
    block = hpack.Encoder().encode(REQUEST)
    client.send_raw(HeadersFrame(1, data=block, flags=["END_STREAM"]).serialize())
    for index in range(1000):
        client.send_raw(ContinuationFrame(1, data=hpack.Encoder().encode([(f"x-{index}", "y" * 100)])).serialize())
        if client.closed:
            break
    return goaway(client)


def hpack_bomb(client: H2Client) -> int | None:
    # One large field put in the dynamic table, then referenced by one byte each: a tiny block, a huge list.
    encoder = hpack.Encoder()
    block = encoder.encode([*REQUEST, ("x-bomb", "b" * 3000)])
    bomb = block + b"\xbe" * 4000  # index 62: the newest dynamic entry, x-bomb
    client.send_raw(HeadersFrame(1, data=bomb, flags=["END_HEADERS", "END_STREAM"]).serialize())
    return goaway(client)
