"""HTTP/2 speed (h2c), as ratios against hypercorn measured in the same run.

    python benchmarks/http2.py [--duration 10] [--rounds 3]

Runs h2load (Debian package `nghttp2-client`) with prior knowledge against
`statuskit serve` and against a raw ASGI hello-world app on hypercorn (which
speaks h2c too), each server pinned to one core and h2load to another
(`taskset`), 64 connections with 10 streams each (`-c 64 -m 10`). Rounds
alternate between the servers, so that a busy neighbour on a shared machine
slows both alike; the table shows the median of the rounds.

Targets: GET /200 (repeated, remembered answers), and GET /404?n=N with a new
N for every request (h2load -i, a file of targets), which nothing can
memoize. The goal is at least 3x hypercorn for both.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from server import BASELINE_APP, Servers, free_port, pin


def h2load(
    urls: list[str] | str, seconds: float, core: str | None, target_file: str | None = None
) -> tuple[float, int]:
    """Requests per second, and requests that got no response (h2load's "errored" and "timeout")."""
    command = [*pin(core), "h2load", "-c", "64", "-m", "10", "-t", "1", "-D", str(max(1, round(seconds)))]
    if target_file is not None:
        command += ["-i", target_file]
    else:
        command += [urls] if isinstance(urls, str) else urls
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"finished in [\d.]+\w*, ([\d.]+) req/s", out).group(1))  # type: ignore[union-attr]
    # h2load counts a 404 as "failed"; what matters is an answer that did not come.
    lost = re.search(r"requests: .*?(\d+) errored, (\d+) timeout", out)
    return rate, int(lost.group(1)) + int(lost.group(2)) if lost else -1


class H2Servers(Servers):
    def hypercorn(self) -> tuple[str, int]:
        Path(self.tmp.name, "hello_asgi.py").write_text(BASELINE_APP)
        port = free_port()
        command = [sys.executable, "-m", "hypercorn", "hello_asgi:app", "--bind", f"127.0.0.1:{port}"]
        # stderr too: hypercorn logs every connection h2load drops at the end of a run.
        return self.start([*command, "--log-level", "warning"], port, cwd=self.tmp.name, stderr=subprocess.DEVNULL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per h2load run (default 10)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds, median reported (default 3)")
    parser.add_argument("--server-core", default="0")
    parser.add_argument("--client-core", default="1")
    args = parser.parse_args()
    if shutil.which("h2load") is None:
        print("h2load is not installed (apt-get install nghttp2-client)", file=sys.stderr)
        return 2
    if (os.cpu_count() or 1) < 2:
        args.server_core = args.client_core = None

    servers = H2Servers(args.server_core)
    try:
        ours, _ = servers.statuskit()
        base, _ = servers.hypercorn()
        unique = Path(servers.tmp.name, "unique.txt")
        unique.write_text("".join(f"{ours}/404?n={n}\n" for n in range(200_000)))
        for url in (f"{ours}/200", f"{base}/"):
            h2load(url, 2, args.client_core)  # warm up
        results: dict[str, list[tuple[float, int]]] = {"/200": [], "/404?n=N": [], "hypercorn": []}
        runs: tuple[tuple[str, str, str | None], ...] = (
            ("/200", f"{ours}/200", None),
            ("hypercorn", f"{base}/", None),
            ("/404?n=N", "", str(unique)),
        )
        for _ in range(args.rounds):
            for name, url, targets in runs:
                results[name].append(h2load(url, args.duration, args.client_core, targets))

        def median(name: str) -> float:
            return statistics.median(rate for rate, _ in results[name])

        base_rate = median("hypercorn")
        print(
            f"h2load -c 64 -m 10 -D {args.duration:g} (h2c, prior knowledge), {args.rounds} rounds (median); "
            f"servers on core {args.server_core}, h2load on core {args.client_core}; Python {sys.version.split()[0]}"
        )
        print()
        print("| target | statuskit req/s | hypercorn req/s | ratio | unanswered |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name in ("/200", "/404?n=N"):
            rate = median(name)
            failed = sum(f for _, f in results[name])
            print(f"| GET {name} | {rate:,.0f} | {base_rate:,.0f} | {rate / base_rate:.2f}x | {failed} |")
        print()
        every = ", ".join(f"{name}: " + " ".join(f"{r:,.0f}" for r, _ in rows) for name, rows in results.items())
        print(f"each round (req/s): {every}")
    finally:
        servers.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
