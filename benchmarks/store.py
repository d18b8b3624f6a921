"""What a store costs: stateless requests with and without Redis configured, and /ratelimit on each store.

    python benchmarks/store.py [--duration 5] [--rounds 2]

Starts a redis-server (Debian package `redis-server`) on a free loopback
port and several `statuskit serve` processes, then runs wrk (keep-alive, 64
connections) against them, in rounds that alternate between the servers so
that a busy neighbour slows all alike; the tables show the median of the
rounds.

1. GET /200 and GET /404?n=N (a new N each request: nothing memoized) on a
   server with the memory store and on one with `--store redis://...`:
   a store is only asked by the stateful resources, so the ratio should be
   1.00 within noise.
2. GET /ratelimit/1000000/W (W differs per round, so no run reaches the
   limit) on: memory (one worker, performed inline), SQLite with two workers
   (the default with --workers 2), Redis with one and with two workers.
   Requests per second, the ratio to memory, and p99.

3. One `Hit` at a time, without HTTP: microseconds per operation on the memory
   store (inline, as the engine performs it), on SQLite (the store's thread
   and one transaction) and on Redis (a Lua script over loopback TCP): what
   docs/store.md's choice of an asynchronous step rests on.

Single-worker servers are pinned to --server-core and wrk to --client-core;
two-worker servers and Redis are not pinned (they need both cores).
Absolute figures depend on the machine and its other users; read the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import (  # noqa: E402
    _UNITS as UNITS,  # noqa: E402
    ROOT,
    UNIQUE_LUA,
    free_port,
    pin,
    statuskit_env,
    stop,
    wait_listening,
)

sys.path.insert(0, str(ROOT / "src"))

from statuskit.responder.state import Hit, MemoryStore  # noqa: E402
from statuskit.server.store import open_store  # noqa: E402

OPS = 5000


def wrk(
    url: str, seconds: float, connections: int, core: str | None, script: str | None = None
) -> tuple[float, float, int]:
    """Requests per second, p99 in ms, and failures: socket errors and, for /ratelimit, answers not 2xx (a 503)."""
    command = [*pin(core), "wrk", "-t1", f"-c{connections}", f"-d{max(1, math.ceil(seconds))}s", "--latency", url]
    if script is not None:
        command[-1:-1] = ["-s", script]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    failures = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    if "/ratelimit/" in url:
        failures += sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    return rate, float(value) * UNITS[unit], failures


def per_operation(url: str, folder: str) -> dict[str, float]:
    """Microseconds per Hit, one after another, on each store."""
    memory = MemoryStore(4096)
    start = time.perf_counter()
    for n in range(OPS):
        memory.perform(Hit(f"k{n % 100}", 0.0, 60))
    figures = {"memory (inline)": (time.perf_counter() - start) / OPS * 1e6}

    async def timed(store_url: str) -> float:
        store = open_store(store_url, prefix="ops", timeout=5.0, memory=memory)
        try:
            await store.run((Hit("warm", 0.0, 60),))
            begun = time.perf_counter()
            for n in range(OPS):
                await store.run((Hit(f"k{n % 100}", time.time(), 60),))
            return (time.perf_counter() - begun) / OPS * 1e6
        finally:
            await store.close()

    figures["SQLite (thread + transaction)"] = asyncio.run(timed(f"sqlite:{Path(folder) / 'ops.sqlite3'}"))
    figures["Redis (Lua over loopback)"] = asyncio.run(timed(url))
    return figures


class Fleet:
    def __init__(self) -> None:
        self.processes: list[subprocess.Popen[bytes]] = []
        self.tmp = tempfile.TemporaryDirectory(prefix="statuskit-store-bench-")

    def redis(self) -> str:
        port = free_port()
        command = [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            self.tmp.name,
        ]
        self.processes.append(subprocess.Popen(command, stdout=subprocess.DEVNULL))
        wait_listening(port)
        return f"redis://127.0.0.1:{port}/0"

    def statuskit(self, *args: str, core: str | None = None) -> str:
        port = free_port()
        command = [*pin(core), sys.executable, "-m", "statuskit", "serve", "--quiet", "--port", str(port), *args]
        self.processes.append(subprocess.Popen(command, env=statuskit_env(), stdout=subprocess.DEVNULL))
        wait_listening(port)
        time.sleep(0.5)  # every worker listening
        return f"http://127.0.0.1:{port}"

    def close(self) -> None:
        stop(self.processes)
        self.tmp.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per wrk run (default 5)")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds, median reported (default 2)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--server-core", default="0")
    parser.add_argument("--client-core", default="1")
    args = parser.parse_args()
    for tool, package in (("wrk", "wrk"), ("redis-server", "redis-server")):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed (apt-get install {package})", file=sys.stderr)
            return 2
    if (os.cpu_count() or 1) < 2:
        args.server_core = args.client_core = None

    fleet = Fleet()
    try:
        redis_url = fleet.redis()
        plain = fleet.statuskit(core=args.server_core)
        with_redis = fleet.statuskit("--store", redis_url, "--store-prefix", "one", core=args.server_core)
        sqlite_two = fleet.statuskit("--workers", "2")
        redis_two = fleet.statuskit("--workers", "2", "--store", redis_url, "--store-prefix", "two")
        unique = Path(fleet.tmp.name, "unique.lua")
        unique.write_text(UNIQUE_LUA)

        stateless = {
            ("/200", "memory"): (f"{plain}/200", None),
            ("/200", "redis"): (f"{with_redis}/200", None),
            ("/404?n=N", "memory"): (f"{plain}/404", str(unique)),
            ("/404?n=N", "redis"): (f"{with_redis}/404", str(unique)),
        }
        limited = {
            "memory, 1 worker (inline)": (plain, args.client_core),
            "SQLite, 2 workers": (sqlite_two, None),
            "Redis, 1 worker": (with_redis, args.client_core),
            "Redis, 2 workers": (redis_two, None),
        }
        for url, script in stateless.values():
            wrk(url, 1, args.connections, args.client_core, script)  # warm up
        results: dict[object, list[tuple[float, float, int]]] = {key: [] for key in (*stateless, *limited)}
        for round_ in range(args.rounds):
            for key, (url, script) in stateless.items():
                results[key].append(wrk(url, args.duration, args.connections, args.client_core, script))
            for name, (base, core) in limited.items():
                # A window of its own per round: no run reaches the limit of a million.
                url = f"{base}/ratelimit/1000000/{86400 - round_}"
                results[name].append(wrk(url, args.duration, args.connections, core))

        def median(key: object, index: int) -> float:
            return statistics.median(r[index] for r in results[key])

        print(
            f"wrk -t1 -c{args.connections} -d{args.duration:g}s, {args.rounds} rounds (median); "
            f"Python {sys.version.split()[0]}"
        )
        print()
        print("| target | memory store req/s | `--store redis://` req/s | ratio | p99 memory | p99 redis | failures |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for target in ("/200", "/404?n=N"):
            mem, red = (target, "memory"), (target, "redis")
            print(
                f"| GET {target} | {median(mem, 0):,.0f} | {median(red, 0):,.0f} | "
                f"{median(red, 0) / median(mem, 0):.2f}x | {median(mem, 1):.2f} ms | {median(red, 1):.2f} ms | "
                f"{sum(r[2] for r in results[mem] + results[red])} |"
            )
        print()
        base = median("memory, 1 worker (inline)", 0)
        print("| GET /ratelimit/1000000/W on | req/s | ratio to memory | p99 | failures (not 2xx, socket errors) |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name in limited:
            errors = sum(r[2] for r in results[name])
            print(
                f"| {name} | {median(name, 0):,.0f} | {median(name, 0) / base:.2f}x | "
                f"{median(name, 1):.2f} ms | {errors} |"
            )
        print()
        print("| one Hit on | µs per operation |")
        print("| --- | ---: |")
        for name, micros in per_operation(redis_url, fleet.tmp.name).items():
            print(f"| {name} | {micros:,.1f} |")
        print()
        every = "; ".join(f"{key}: " + " ".join(f"{r[0]:,.0f}" for r in rows) for key, rows in results.items())
        print(f"each round (req/s): {every}")
    finally:
        fleet.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
