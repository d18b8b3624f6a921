"""`statuskit 404` start-up time against a bare interpreter, in the same run.

    python benchmarks/cli.py [--runs 40]

Prints the median wall time of `python -c pass`, of `python -m statuskit 404`
and of the installed `statuskit 404` script (when it is on PATH), and their
ratios. Target: `statuskit 404` under 3x `python -c pass`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def bench_env(pycache: str) -> dict[str, str]:
    """Installed packages have compiled bytecode; a checkout with
    PYTHONDONTWRITEBYTECODE set would measure the compiler on every start, so
    bytecode goes to a directory of this run (removed at its end)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("NO_COLOR", None)
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def median_ms(cmd: list[str], runs: int, env: dict[str, str]) -> float:
    subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)  # warm caches
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args()
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -m statuskit 404": [sys.executable, "-m", "statuskit", "404"],
        "python -m statuskit search 超时": [sys.executable, "-m", "statuskit", "search", "超时"],
    }
    script = shutil.which("statuskit")
    if script:
        cases["statuskit 404 (console script)"] = [script, "404"]
    with tempfile.TemporaryDirectory(prefix="statuskit-bench-pyc-") as pycache:
        env = bench_env(pycache)
        results = {name: median_ms(cmd, args.runs, env) for name, cmd in cases.items()}
    base = results["python -c pass"]
    print(f"{'command':<36}{'median ms':>10}{'x pass':>9}")
    for name, ms in results.items():
        print(f"{name:<36}{ms:10.1f}{ms / base:9.2f}")
    ratio = results["python -m statuskit 404"] / base
    print(f"statuskit 404 / python -c pass = {ratio:.2f} (target < 3: {'met' if ratio < 3 else 'NOT met'})")


if __name__ == "__main__":
    main()
