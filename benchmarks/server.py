"""Test-server speed, as ratios against uvicorn measured in the same run.

    python benchmarks/server.py [--duration 10] [--rounds 3] [--long 1000000]

Runs wrk (Debian package `wrk`) against `statuskit serve` and against a raw
ASGI hello-world app on uvicorn with httptools and uvloop (`pip install
'.[bench]'`). Each server is pinned to one core and wrk to another
(`taskset`), with keep-alive and 64 connections. Rounds alternate between
the servers, so that a busy neighbour on a shared machine slows both alike;
the table shows the median of the rounds.

Prints, for GET /200 and GET /404: requests per second of each server, the
ratio (target: at least 2.5), and p99 latencies (target: statuskit's no
worse than uvicorn's); the same for GET /404?n=N with a new N for every
request; then the fresh rows: /404, /200, /503?retry_after=5 and /301, each
request with a new `n` query parameter and a new `X-Request-Id` field, so
that neither the bytes nor the head were ever seen before (target: at least
1.5, p99 no worse); then the resident memory of statuskit before and after a
long run of `--long` requests (target: flat). `--only fresh` runs the fresh
rows alone (with their uvicorn rounds).

The ratio column divides the medians; the paired columns take, in each
round, the ratio to the uvicorn run(s) nearest in time (rate, and p99 where
below 1 means statuskit's p99 is lower), then the median of those: on a
shared machine whose load drifts during a run, that is the steadier figure.
The CPU columns divide each server's CPU time during a run (/proc) by the
requests wrk counted: what a request costs the server, which a neighbour
stealing the core changes least; the paired CPU ratio is uvicorn's cost over
statuskit's.

Absolute figures depend on the machine; the ratios are what to read.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASELINE_APP = textwrap.dedent(
    """
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        body = b"Hello, world!"
        await send({
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())],
        })
        await send({"type": "http.response.body", "body": body})
    """
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_listening(port: int, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nothing listens on port {port}")


def pin(core: str | None) -> list[str]:
    return ["taskset", "-c", core] if core is not None and shutil.which("taskset") else []


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0}


# A new target for every request (/404?n=1, /404?n=2, ...): nothing can be memoized.
UNIQUE_LUA = """
counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", wrk.path .. "?n=" .. counter)
end
"""


# A new query parameter and a new X-Request-Id on every request, as a client with
# request ids and a cache-busting query sends them: no two requests are alike.
FRESH_LUA = """
counter = 0
request = function()
  counter = counter + 1
  local sep = "?"
  if string.find(wrk.path, "?", 1, true) then sep = "&" end
  return wrk.format("GET", wrk.path .. sep .. "n=" .. counter, {["X-Request-Id"] = tostring(counter)})
end
"""

FRESH_TARGETS = ("/404", "/200", "/503?retry_after=5", "/301")


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of process `pid` so far (Linux /proc), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wrk(
    url: str, seconds: float, connections: int, core: str | None, script: str | None = None, pid: int | None = None
) -> tuple[float, float, int, float]:
    """Requests per second, p99 latency in ms, socket errors, and the CPU µs per request of server `pid`."""
    command = [*pin(core), "wrk", "-t1", f"-c{connections}", f"-d{max(1, math.ceil(seconds))}s", "--latency", url]
    if script is not None:
        command[-1:-1] = ["-s", script]
    cpu_before = cpu_seconds(pid) if pid is not None else 0.0
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    cpu = cpu_seconds(pid) - cpu_before if pid is not None else 0.0
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p99_value, p99_unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    requests = int(re.search(r"(\d+) requests in", out).group(1))  # type: ignore[union-attr]
    return rate, float(p99_value) * _UNITS[p99_unit], errors, cpu / max(requests, 1) * 1e6


def statuskit_env() -> dict[str, str]:
    """The environment that makes `python -m statuskit` run this checkout's code."""
    return {**os.environ, "PYTHONPATH": f"{ROOT / 'src'}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Terminate every process, then wait for each (killing one that lingers), so the next run gets the cores."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


class Servers:
    def __init__(self, core: str | None) -> None:
        self.core = core
        self.processes: list[subprocess.Popen[bytes]] = []
        self.tmp = tempfile.TemporaryDirectory(prefix="statuskit-bench-")

    def start(self, command: list[str], port: int, **popen: object) -> tuple[str, int]:
        """Start a server pinned to this run's core; its URL and pid once it listens."""
        process = subprocess.Popen([*pin(self.core), *command], stdout=subprocess.DEVNULL, **popen)  # type: ignore[call-overload]
        self.processes.append(process)
        wait_listening(port)
        return f"http://127.0.0.1:{port}", process.pid

    def statuskit(self) -> tuple[str, int]:
        port = free_port()
        command = [sys.executable, "-m", "statuskit", "serve", "--quiet", "--port", str(port)]
        return self.start(command, port, env=statuskit_env())

    def uvicorn(self) -> tuple[str, int]:
        Path(self.tmp.name, "hello_asgi.py").write_text(BASELINE_APP)
        port = free_port()
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "hello_asgi:app",
            "--port",
            str(port),
            "--http",
            "httptools",
            "--loop",
            "uvloop",
            "--no-access-log",
            "--log-level",
            "warning",
        ]
        return self.start(command, port, cwd=self.tmp.name)

    def close(self) -> None:
        stop(self.processes)
        self.tmp.cleanup()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per wrk run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds, median reported (default 3)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--long", type=int, default=1_000_000, help="requests in the memory run (0: skip)")
    parser.add_argument("--server-core", default="0")
    parser.add_argument("--client-core", default="1")
    parser.add_argument("--only", choices=("all", "fresh"), default="all", help="'fresh': only the fresh rows")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (apt-get install wrk)", file=sys.stderr)
        return 2
    if (os.cpu_count() or 1) < 2:
        args.server_core = args.client_core = None

    load_at_start = " ".join(f"{x:.2f}" for x in os.getloadavg())
    servers = Servers(args.server_core)
    try:
        ours, our_pid = servers.statuskit()
        base, base_pid = servers.uvicorn()
        unique = Path(servers.tmp.name, "unique.lua")
        unique.write_text(UNIQUE_LUA)
        fresh = Path(servers.tmp.name, "fresh.lua")
        fresh.write_text(FRESH_LUA)
        for url in (f"{ours}/200", f"{ours}/404", f"{base}/"):
            wrk(url, 2, args.connections, args.client_core)  # warm up
        runs: list[tuple[str, str, str | None]] = []
        if args.only == "all":
            runs += [
                ("/200", f"{ours}/200", None),
                ("uvicorn", f"{base}/", None),
                ("/404", f"{ours}/404", None),
                ("uvicorn", f"{base}/", None),
                ("/404?n=N", f"{ours}/404", str(unique)),
            ]
        # The fresh rows, a uvicorn run between each two of them.
        for index, target in enumerate(FRESH_TARGETS):
            if index % 2 == 0:
                runs.append(("uvicorn", f"{base}/", None))
            runs.append((f"fresh {target}", f"{ours}{target}", str(fresh)))
        results: dict[str, list[tuple[float, float, int, float]]] = {name: [] for name, _, _ in runs}
        timeline: list[tuple[str, tuple[float, float, int, float]]] = []  # every run in the order it ran
        for _ in range(args.rounds):
            for name, url, script in runs:
                pid = base_pid if name == "uvicorn" else our_pid
                result = wrk(url, args.duration, args.connections, args.client_core, script, pid)
                results[name].append(result)
                timeline.append((name, result))

        def median(name: str, index: int) -> float:
            return statistics.median(r[index] for r in results[name])

        def paired(name: str) -> tuple[float, float, float]:
            """Median over its runs of the rate, p99 and CPU ratios to the nearest uvicorn run(s) in time.

            On a shared machine the load drifts within a run; the nearest
            baseline ran under the load closest to this row's. The CPU ratio
            is uvicorn's CPU time per request over statuskit's.
            """
            rates, p99s, cpus = [], [], []
            for position, (ran, result) in enumerate(timeline):
                if ran != name:
                    continue
                distance = {i: abs(i - position) for i, (other, _) in enumerate(timeline) if other == "uvicorn"}
                nearest = min(distance.values())
                near = [timeline[i][1] for i, d in distance.items() if d == nearest]
                rates.append(result[0] / statistics.mean(r[0] for r in near))
                p99s.append(result[1] / statistics.mean(r[1] for r in near))
                cpus.append(statistics.mean(r[3] for r in near) / max(result[3], 1e-9))
            return statistics.median(rates), statistics.median(p99s), statistics.median(cpus)

        base_rate, base_p99 = median("uvicorn", 0), median("uvicorn", 1)
        print(
            f"wrk -t1 -c{args.connections} -d{args.duration:g}s, {args.rounds} rounds (median); "
            f"servers on core {args.server_core}, wrk on core {args.client_core}; Python {sys.version.split()[0]}; "
            f"load average at the start {load_at_start}"
        )
        print()
        base_cpu = median("uvicorn", 3)
        print(
            "| target | statuskit req/s | uvicorn req/s | ratio | paired ratio | statuskit p99 | uvicorn p99 "
            "| paired p99 ratio | CPU µs/request (statuskit, uvicorn) | paired CPU ratio | errors |"
        )
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        for name in results:
            if name == "uvicorn":
                continue
            rate, p99, cpu = median(name, 0), median(name, 1), median(name, 3)
            pair_rate, pair_p99, pair_cpu = paired(name)
            errors = sum(r[2] for r in results[name])
            label = f"GET {name[6:]}, new n and X-Request-Id" if name.startswith("fresh ") else f"GET {name}"
            print(
                f"| {label} | {rate:,.0f} | {base_rate:,.0f} | {rate / base_rate:.2f}x | {pair_rate:.2f}x | "
                f"{p99:.2f} ms | {base_p99:.2f} ms | {pair_p99:.2f} | {cpu:.1f}, {base_cpu:.1f} | {pair_cpu:.2f}x | "
                f"{errors} |"
            )
        print()
        every = ", ".join(f"{name}: " + " ".join(f"{r[0]:,.0f}" for r in rows) for name, rows in results.items())
        print(f"each round (req/s): {every}")
        print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

        if args.long and args.only == "all":
            before = rss_kib(our_pid)
            seconds = float(max(5, math.ceil(args.long / max(median("/404", 0), 1.0))))
            rate, _, errors, _ = wrk(f"{ours}/404", seconds, args.connections, args.client_core)
            after = rss_kib(our_pid)
            print()
            print(
                f"statuskit RSS: {before / 1024:.1f} MiB before, {after / 1024:.1f} MiB after "
                f"~{rate * seconds:,.0f} requests ({seconds:.0f} s at {rate:,.0f} req/s, {errors} errors); "
                f"uvicorn RSS {rss_kib(base_pid) / 1024:.1f} MiB"
            )
    finally:
        servers.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
