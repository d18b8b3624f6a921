"""The engine's CPU cost per request, without sockets: a fake transport, best of several runs.

    PYTHONPATH=$PWD/src python benchmarks/engine.py [--requests 200000]

Feeds `HttpProtocol.data_received` the same `GET /200` again and again (the
replay path: identical bytes at a request boundary) and 16 pipelined copies
per read (the parse path: llhttp, the memo store keyed by the parsed head),
and requests no memo has seen (the fresh path: `GET /404?n=N` with a new
`N` and a new `X-Request-Id` each time, so the whole responder runs unless a
memo knows what the answer depends on), and prints microseconds per request,
the best of five runs. Unlike
benchmarks/server.py it needs no free core, so it tells small changes to the
hot path apart on a busy machine: run it with PYTHONPATH pointing at the
tree before a change and at the tree after it, alternately. It reads the
process's CPU time, not the wall clock, so that time the core spent on a
neighbour's work is not counted (the wall clock swung by 50 % at a load of 5).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from statuskit.responder import Responder
from statuskit.server.config import ServerConfig
from statuskit.server.protocol import HttpProtocol
from statuskit.server.server import ServerState

REQUEST = b"GET /200 HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\n\r\n"


class Transport:
    """Counts writes; the connection never closes or pauses."""

    def __init__(self) -> None:
        self.writes = 0

    def write(self, data: bytes) -> None:
        self.writes += 1

    def get_extra_info(self, name: str, default: object = None) -> object:
        return ("127.0.0.1", 1) if name == "peername" else default

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        pass

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


def best_of(protocol: HttpProtocol, data: bytes, reads: int, runs: int = 5) -> float:
    best = float("inf")
    for _ in range(runs):
        started = time.process_time()
        for _ in range(reads):
            protocol.data_received(data)
        best = min(best, time.process_time() - started)
    return best


def fresh_requests(first: int, count: int) -> list[bytes]:
    """`count` requests that differ in their query and their X-Request-Id, numbered from `first`."""
    return [
        b"GET /404?n=%d HTTP/1.1\r\nHost: localhost:8080\r\nUser-Agent: wrk\r\nX-Request-Id: %d\r\n\r\n" % (n, n)
        for n in range(first, first + count)
    ]


def best_of_fresh(protocol: HttpProtocol, count: int, runs: int = 5) -> float:
    best = float("inf")
    for run in range(runs):
        requests = fresh_requests(run * count, count)
        started = time.process_time()
        for data in requests:
            protocol.data_received(data)
        best = min(best, time.process_time() - started)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200_000)
    args = parser.parse_args()
    loop = asyncio.new_event_loop()
    config = ServerConfig.from_options(access_log=False)
    state = ServerState(config, Responder(config.responder), loop, None)
    protocol = HttpProtocol(state)
    transport = Transport()
    protocol.connection_made(transport)  # type: ignore[arg-type]
    replay = best_of(protocol, REQUEST, args.requests) / args.requests * 1e6
    parse = best_of(protocol, REQUEST * 16, args.requests // 16) / args.requests * 1e6
    fresh_count = max(1, args.requests // 4)
    fresh = best_of_fresh(protocol, fresh_count) / fresh_count * 1e6
    assert transport.writes >= 10 * args.requests + 5 * fresh_count, "the requests were not all answered"
    print(
        f"replay {replay:.3f} µs/request, pipelined parse {parse:.3f} µs/request, "
        f"fresh {fresh:.3f} µs/request (best of 5, Python {sys.version.split()[0]})"
    )
    loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
