"""Memory under the HTTP/2 attacks: bounded, and other connections keep being served meanwhile.

A real `statuskit serve` process takes rounds of rapid resets
(CVE-2023-44487), CONTINUATION floods (CVE-2024-27316), HPACK bombs and
streams over --max-streams, several connections at a time, while another
client keeps asking for /200 over h2c and over HTTP/1.1. Its resident memory
(/proc/<pid>/status) is read after every round. As in test_memory.py the bound
is loose: it separates "bounded" from "grows with what the attackers send".
"""

from __future__ import annotations

import socket
import threading
from concurrent.futures import ThreadPoolExecutor

from h2.errors import ErrorCodes

from statuskit.server import ServerProcess
from tests.support.h2attacks import continuation_flood, hpack_bomb, rapid_reset
from tests.support.h2client import H2Client

ROUNDS = 8
ATTACKERS = 3  # connections per attack and round, at once


def _too_many_streams(client: H2Client) -> int | None:
    # Streams over --max-streams (10 here): each is refused (REFUSED_STREAM), the connection goes on.
    streams = [client.start("/200?sleep=500") for _ in range(30)]
    outcomes = [client.response(stream_id) for stream_id in streams]
    refused = [response for response in outcomes if response.reset == ErrorCodes.REFUSED_STREAM]
    assert refused and all(response.status == 200 for response in outcomes if response not in refused), outcomes
    return None


def _http1_ok(port: int) -> bool:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /200 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    return received.startswith(b"HTTP/1.1 200 ")


class Bystander(threading.Thread):
    """A client that is no attacker: /200 over h2c and over HTTP/1.1, again and again, counting the answers."""

    def __init__(self, port: int) -> None:
        super().__init__(daemon=True)
        self.port = port
        self.answered = 0
        self.failures: list[str] = []
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            try:
                with H2Client(self.port) as client:
                    status = client.request("/200").status
                if status != 200 or not _http1_ok(self.port):
                    self.failures.append(f"h2c status {status}")
                else:
                    self.answered += 1
            except OSError as exc:
                self.failures.append(repr(exc))


def test_memory_stays_bounded_under_the_http2_attacks(rss) -> None:
    attacks = [rapid_reset, continuation_flood, hpack_bomb, _too_many_streams]
    with ServerProcess(["--quiet", "--max-streams", "10", "--max-sleep", "10000"]) as server:

        def attack(kind) -> int | None:  # type: ignore[no-untyped-def]
            with H2Client(server.port) as client:
                return kind(client)

        def one_round() -> None:
            with ThreadPoolExecutor(len(attacks) * ATTACKERS) as pool:
                codes = list(pool.map(attack, attacks * ATTACKERS))
            assert codes.count(ErrorCodes.ENHANCE_YOUR_CALM) >= ATTACKERS, codes  # the rapid resets were cut off

        one_round()  # warm-up: imports, caches and the allocator's first arenas
        baseline = peak = rss(server.pid)
        bystander = Bystander(server.port)
        bystander.start()
        answered = []
        try:
            for _ in range(ROUNDS):
                one_round()
                peak = max(peak, rss(server.pid))
                answered.append(bystander.answered)
        finally:
            bystander.stop.set()
            bystander.join(30)
        with H2Client(server.port) as client:
            assert client.request("/200").status == 200
    print(f"RSS {baseline:.1f} MiB after warm-up, peak {peak:.1f} MiB over {ROUNDS} rounds; bystander {answered}")
    assert not bystander.failures, bystander.failures
    assert bystander.answered > 0, "no other client was served during the attacks"
    assert peak - baseline < 40, f"the attacks grew the server from {baseline:.0f} to {peak:.0f} MiB"
