"""The test server under load: many connections, churn, slow requests beside fast ones, memory.

    python benchmarks/load.py [--connections 1000] [--requests 20] [--churn 10000]
                              [--sleepers 500] [--probe-seconds 3] [--rounds 3] [--workers 1]

Starts `statuskit serve --quiet` (default limits unless said) pinned to one
core, and drives it from this process (asyncio, uvloop when installed) pinned
to the other. Prints:

1. keep-alive: --connections connections open at once, each sending
   --requests requests one after another (GET /200): errors, requests/s.
2. churn: --churn connections opened, used for one request and closed,
   200 at a time: errors, connections/s.
3. sleepers: p50 and p99 latency of GET /200 on 20 keep-alive connections
   for --probe-seconds, alone and then while --sleepers connections wait in
   a ?sleep= that outlasts the probe, in --rounds alternating rounds; the
   medians and their ratio (with / without; target: about 1).
4. memory: the server's RSS at start, its peak during each phase, and after
   every connection has closed (target: peak within the stated bound, and
   back near the start).
5. leak check: the keep-alive phase three more times, the RSS after each
   (target: no growth from round to round).

An error is anything but the expected complete response: a refused or reset
connection, a timeout, another status. The target for every phase is zero.

Each open connection is a file descriptor on both sides: the script raises
its soft RLIMIT_NOFILE toward the hard limit (and says so); the server
raises its own to --max-connections + 64.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# The stated bound: the server's peak RSS may grow this much over its start while
# 1,000 connections are open (about 64 KiB of buffers each at most, far less in practice).
RSS_BOUND_MIB = 100
# "Back near the start": at most this much above it once every connection is closed.
RSS_RETURN_MIB = 20
# No leak: repeating a phase does not grow the RSS left after it by more than this.
RSS_LEAK_MIB = 5


def raise_fd_limit(wanted: int) -> str:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError) as exc:
            return f"open files: soft limit {soft}, could not raise it to {target} ({exc})"
        return f"open files: soft limit raised from {soft} to {target} (hard {hard})"
    return f"open files: soft limit {soft} (hard {hard}), enough for {wanted}"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def tree_rss_mib(pid: int) -> float:
    """RSS of the server and its workers (a supervisor's children)."""
    total = rss_mib(pid)
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        for child in children.read_text().split():
            try:
                total += rss_mib(int(child))
            except OSError:
                pass
    return total


class Server:
    def __init__(self, args: list[str], core: int | None) -> None:
        command = [sys.executable, "-m", "statuskit", "serve", "--port", "0", "--quiet", *args]
        if core is not None and shutil.which("taskset"):
            command = ["taskset", "-c", str(core), *command]
        env = dict(os.environ)
        env["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + env.get("PYTHONPATH", "")
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        assert self.process.stdout is not None
        line = self.process.stdout.readline().decode()
        if "listening on" not in line:
            raise SystemExit(f"the server did not start: {line}{self.process.stderr.read().decode()}")  # type: ignore[union-attr]
        self.first_line = line.strip()
        url = line.split("listening on ", 1)[1].split()[0]
        self.host, port = url.removeprefix("http://").rsplit(":", 1)
        self.port = int(port)
        self.pid = self.process.pid

    def stop(self) -> int:
        self.process.terminate()
        return self.process.wait(30)


class Peak:
    """Samples the server's RSS every 50 ms while a phase runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.value = 0.0
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            self.value = max(self.value, tree_rss_mib(self.pid))
            await asyncio.sleep(0.05)

    def __enter__(self) -> Peak:
        self.value = tree_rss_mib(self.pid)
        self._task = asyncio.get_running_loop().create_task(self._run())
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._task is not None
        self._task.cancel()
        self.value = max(self.value, tree_rss_mib(self.pid))


async def read_response(reader: asyncio.StreamReader) -> int:
    """The status of one response with Content-Length framing (all the server sends for /200)."""
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    start = head.find(b"\r\nContent-Length: ")
    if start < 0:
        raise ValueError("no Content-Length")
    end = head.find(b"\r\n", start + 2)
    await reader.readexactly(int(head[start + 18 : end]))
    return status


REQUEST = b"GET /200 HTTP/1.1\r\nHost: load\r\n\r\n"
CLOSE_REQUEST = b"GET /200 HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n"


# What a client of the benchmark can meet on one exchange: counted, never raised.
EXCHANGE_ERRORS = (OSError, asyncio.TimeoutError, asyncio.IncompleteReadError, ValueError)


class Tally:
    def __init__(self) -> None:
        self.ok = 0
        self.errors: dict[str, int] = {}

    def error(self, exc: BaseException | str) -> None:
        name = exc if isinstance(exc, str) else type(exc).__name__
        self.errors[name] = self.errors.get(name, 0) + 1

    def answered(self, status: int) -> None:
        if status == 200:
            self.ok += 1
        else:
            self.error(f"status {status}")

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def describe(self) -> str:
        if not self.errors:
            return "0 errors"
        return (
            f"{self.error_count} errors (" + ", ".join(f"{n} {name}" for name, n in sorted(self.errors.items())) + ")"
        )


async def keep_alive_phase(host: str, port: int, connections: int, requests: int) -> tuple[Tally, float, int]:
    tally = Tally()
    opened = asyncio.Event()
    ready = 0
    peak_open = 0

    async def one() -> None:
        nonlocal ready, peak_open
        try:
            reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
        except (TimeoutError, OSError) as exc:
            tally.error(exc)
            return
        finally:  # opened or failed: either way this connection is settled
            ready += 1
            if ready == connections:
                opened.set()
        peak_open = max(peak_open, ready)
        try:
            await opened.wait()  # every connection is open before any request: 1,000 at once
            for _ in range(requests):
                writer.write(REQUEST)
                status = await asyncio.wait_for(read_response(reader), 30)
                tally.answered(status)
        except EXCHANGE_ERRORS as exc:
            tally.error(exc)
        finally:
            writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(connections)))
    return tally, time.perf_counter() - started, peak_open


async def churn_phase(host: str, port: int, total: int, concurrency: int) -> tuple[Tally, float]:
    tally = Tally()
    gate = asyncio.Semaphore(concurrency)

    async def one() -> None:
        async with gate:
            try:
                reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
            except (TimeoutError, OSError) as exc:
                tally.error(exc)
                return
            try:
                writer.write(CLOSE_REQUEST)
                status = await asyncio.wait_for(read_response(reader), 30)
                tally.answered(status)
            except EXCHANGE_ERRORS as exc:
                tally.error(exc)
            finally:
                writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(total)))
    return tally, time.perf_counter() - started


async def latency_probe(host: str, port: int, seconds: float, clients: int = 20) -> tuple[list[float], Tally]:
    tally = Tally()
    samples: list[float] = []
    deadline = time.perf_counter() + seconds

    async def one() -> None:
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            tally.error(exc)
            return
        try:
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                writer.write(REQUEST)
                status = await asyncio.wait_for(read_response(reader), 30)
                samples.append(time.perf_counter() - started)
                tally.answered(status)
        except EXCHANGE_ERRORS as exc:
            tally.error(exc)
        finally:
            writer.close()

    await asyncio.gather(*(one() for _ in range(clients)))
    return samples, tally


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def sleepers_round(host: str, port: int, sleepers: int, seconds: float) -> dict[str, object]:
    """One probe alone, then one while `sleepers` connections wait in a ?sleep= that outlasts it."""
    alone, alone_tally = await latency_probe(host, port, seconds)
    tally = Tally()
    sent = 0
    # Each sleeper waits through the whole second probe, and a little more, then reads its
    # answer: the server holds a sleeping request's connection until it has answered,
    # even if the client left, so leaving early would leave them counted.
    sleep_ms = int((seconds + 2.0) * 1000)

    async def sleeper() -> None:
        nonlocal sent
        try:
            reader, writer = await asyncio.open_connection(host, port)
        except OSError as exc:
            tally.error(exc)
            return
        try:
            writer.write(b"GET /200?sleep=%d HTTP/1.1\r\nHost: load\r\nConnection: close\r\n\r\n" % sleep_ms)
            await writer.drain()
            sent += 1
            status = await asyncio.wait_for(read_response(reader), sleep_ms / 1000 + 30)
            tally.answered(status)
        except EXCHANGE_ERRORS as exc:
            tally.error(exc)
        finally:
            writer.close()

    started = time.perf_counter()
    tasks = [asyncio.ensure_future(sleeper()) for _ in range(sleepers)]
    while sent + tally.error_count < sleepers:
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)  # every sleeper's request has reached the server
    during, during_tally = await latency_probe(host, port, seconds)
    waiting = sleepers - tally.ok - tally.error_count
    if time.perf_counter() - started > sleep_ms / 1000:
        raise SystemExit("the sleepers were answered before the probe ended; use a longer sleep")
    await asyncio.gather(*tasks)
    return {
        "alone": alone,
        "during": during,
        "waited": waiting,
        "sleep_ms": sleep_ms,
        "errors": alone_tally.error_count + during_tally.error_count + tally.error_count,
        "answered": tally.ok,
    }


async def settle_rss(pid: int, seconds: float = 3.0) -> float:
    await asyncio.sleep(seconds)
    return tree_rss_mib(pid)


async def main_async(args: argparse.Namespace, server: Server) -> int:
    host, port = server.host, server.port
    failures: list[str] = []
    # warm up: imports, first answers, memo stores
    await latency_probe(host, port, 0.5, clients=4)
    start = await settle_rss(server.pid, 1.0)
    print(f"server RSS at start: {start:.1f} MiB")

    with Peak(server.pid) as peak:
        tally, elapsed, opened = await keep_alive_phase(host, port, args.connections, args.requests)
    total = args.connections * args.requests
    print(
        f"\n1. keep-alive: {args.connections} connections open at once ({opened} opened), {args.requests} requests "
        f"each: "
        f"{tally.ok}/{total} answered, {tally.describe()}, {tally.ok / elapsed:,.0f} requests/s, "
        f"peak RSS {peak.value:.1f} MiB (+{peak.value - start:.1f})"
    )
    if tally.error_count or tally.ok != total:
        failures.append("keep-alive phase had errors")
    keep_peak = peak.value

    with Peak(server.pid) as peak:
        tally, elapsed = await churn_phase(host, port, args.churn, 200)
    print(
        f"2. churn: {args.churn} connections opened, used once and closed (200 at a time): "
        f"{tally.ok}/{args.churn} answered, {tally.describe()}, {args.churn / elapsed:,.0f} connections/s, "
        f"peak RSS {peak.value:.1f} MiB (+{peak.value - start:.1f})"
    )
    if tally.error_count or tally.ok != args.churn:
        failures.append("churn phase had errors")
    churn_peak = peak.value

    # Rounds alternate the probe alone and with sleepers, so that a busy neighbour on a
    # shared machine disturbs both alike; the medians of the rounds are reported.
    with Peak(server.pid) as peak:
        results = [await sleepers_round(host, port, args.sleepers, args.probe_seconds) for _ in range(args.rounds)]
    figures = {}
    for key in ("alone", "during"):
        runs = [result[key] for result in results]
        assert all(isinstance(run, list) for run in runs)
        figures[key] = (
            statistics.median(percentile(run, 0.5) * 1000 for run in runs),  # type: ignore[arg-type]
            statistics.median(percentile(run, 0.99) * 1000 for run in runs),  # type: ignore[arg-type]
            sum(len(run) for run in runs),  # type: ignore[arg-type]
        )
    (p50a, p99a, na), (p50d, p99d, nd) = figures["alone"], figures["during"]
    errors = sum(int(result["errors"]) for result in results)  # type: ignore[call-overload]
    print(
        f"3. sleepers: GET /200 on 20 keep-alive connections, {args.rounds} rounds of {args.probe_seconds:g} s alone "
        f"and "
        f"{args.probe_seconds:g} s while {min(int(r['waited']) for r in results)} connections wait in "  # type: ignore[call-overload]
        f"?sleep={results[0]['sleep_ms']} (each then answered: {sum(int(r['answered']) for r in results)}), medians "
        f"of the rounds:\n"  # type: ignore[call-overload]
        f"   alone:  {na:>7,} requests  p50 {p50a:.2f} ms  p99 {p99a:.2f} ms\n"
        f"   during: {nd:>7,} requests  p50 {p50d:.2f} ms  p99 {p99d:.2f} ms\n"
        f"   ratio (during / alone): p50 {p50d / p50a:.2f}x  p99 {p99d / p99a:.2f}x, "
        f"{errors} errors, peak RSS {peak.value:.1f} MiB (+{peak.value - start:.1f})"
    )
    if errors:
        failures.append("sleepers phase had errors")
    sleep_peak = peak.value

    end = await settle_rss(server.pid)
    worst = max(keep_peak, churn_peak, sleep_peak)
    print(
        f"4. memory: start {start:.1f} MiB, peak {worst:.1f} MiB (+{worst - start:.1f}; bound +{RSS_BOUND_MIB}), "
        f"after every connection closed {end:.1f} MiB (+{end - start:.1f}; bound +{RSS_RETURN_MIB})"
    )
    if worst - start > RSS_BOUND_MIB:
        failures.append(f"peak RSS over the bound (+{worst - start:.1f} MiB)")
    if end - start > RSS_RETURN_MIB:
        failures.append(f"RSS did not return near the start (+{end - start:.1f} MiB)")

    # What stays after the connections close is the allocator keeping memory for the
    # next peak, or a leak; a leak grows with every round, retention does not.
    rounds = []
    for _ in range(3):
        tally, _, _ = await keep_alive_phase(host, port, args.connections, args.requests)
        if tally.error_count:
            failures.append("a repeated keep-alive phase had errors")
        rounds.append(await settle_rss(server.pid))
    growth = max(rounds) - end
    print(
        "5. leak check: the keep-alive phase 3 more times, RSS after each: "
        + ", ".join(f"{value:.1f}" for value in rounds)
        + f" MiB (at most +{growth:.1f} over step 4; bound +{RSS_LEAK_MIB})"
    )
    if growth > RSS_LEAK_MIB:
        failures.append(f"RSS grew by {growth:.1f} MiB over repeated rounds")
    print("\nresult: " + ("all targets met" if not failures else "; ".join(failures)))
    return 0 if not failures else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--connections", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--churn", type=int, default=10_000)
    parser.add_argument("--sleepers", type=int, default=500)
    parser.add_argument("--probe-seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3, help="sleepers phase: alternating rounds (median reported)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--server-core", type=int, default=0, help="core the server runs on (-1: no pinning)")
    parser.add_argument("--client-core", type=int, default=1, help="core this script runs on (-1: no pinning)")
    args = parser.parse_args()

    print(raise_fd_limit(args.connections + args.sleepers + 256))
    if args.client_core >= 0 and hasattr(os, "sched_setaffinity"):
        try:
            os.sched_setaffinity(0, {args.client_core})
            print(f"client pinned to core {args.client_core}")
        except OSError:
            print("client not pinned (sched_setaffinity refused)")
    # The default --max-connections (1024 per worker) holds every phase at the default sizes.
    needed = max(args.connections, args.sleepers + 20) + 8
    limits = ["--max-connections", str(needed)] if needed > 1024 * args.workers else []
    pinned = args.server_core >= 0 and args.workers == 1
    server = Server(["--workers", str(args.workers), *limits], args.server_core if pinned else None)
    print(
        server.first_line
        + (f", {' '.join(limits)}" if limits else ", default limits")
        + (f", pinned to core {args.server_core}" if pinned else "")
    )
    try:
        try:
            import uvloop

            runner = uvloop.run
        except ImportError:
            runner = asyncio.run
        code = runner(main_async(args, server))
    finally:
        status = server.stop()
        print(f"server exit status after SIGTERM: {status}")
    return code


if __name__ == "__main__":
    sys.exit(main())
