"""Registry speed, as ratios against baselines measured in the same run.

    python benchmarks/registry.py

Prints:
- look-up cost: `statuskit.lookup(404)` against a plain dict subscription
  `d[404]`, a plain `d.get(404)` call and `http.HTTPStatus(404)`. Target: no
  more than 2x a plain dict look-up.
- import cost: `python -c "import statuskit"` against `python -c pass`, the
  difference in milliseconds (median of many runs). Target: at most 10 ms.

Absolute figures on these machines are noisy; the ratios are what to read.
"""

from __future__ import annotations

import http
import os
import statistics
import subprocess
import sys
import tempfile
import timeit

ROUNDS = 7
NUMBER = 200_000
IMPORT_RUNS = 40

# An installed package has its bytecode compiled by pip; a checkout run with
# PYTHONDONTWRITEBYTECODE (set on these machines) would recompile on every
# start and measure the compiler. Give the child interpreters a private
# bytecode cache so they measure what users get.
CHILD_ENV = dict(os.environ)
CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
CHILD_ENV["PYTHONPYCACHEPREFIX"] = tempfile.mkdtemp(prefix="statuskit-bench-pyc-")


def best(stmt: str, setup: str) -> float:
    """Best time per call in nanoseconds over ROUNDS rounds."""
    times = timeit.repeat(stmt, setup, repeat=ROUNDS, number=NUMBER, globals=globals())
    return min(times) / NUMBER * 1e9


def bench_lookup() -> None:
    setup = "import statuskit; from statuskit import lookup; d = {c: c for c in range(100, 600)}; import http"
    rows = {
        "d[404] (dict subscription)": best("d[404]", setup),
        "d.get(404) (dict method)": best("d.get(404)", setup),
        "http.HTTPStatus(404)": best("http.HTTPStatus(404)", setup),
        "statuskit.lookup(404)": best("lookup(404)", setup),
        "statuskit.lookup(HTTPStatus.NOT_FOUND)": best("lookup(http.HTTPStatus.NOT_FOUND)", setup),
        "statuskit.lookup('Not Found')": best("lookup('Not Found')", setup),
    }
    base = rows["d[404] (dict subscription)"]
    print("look-up                                   ns/call   x d[404]   x d.get")
    for name, ns in rows.items():
        print(f"  {name:<40}{ns:8.1f}  {ns / base:8.2f}  {ns / rows['d.get(404) (dict method)']:8.2f}")
    ratio = rows["statuskit.lookup(404)"] / base
    print(f"lookup(404) / d[404] = {ratio:.2f} (target <= 2.0: {'met' if ratio <= 2.0 else 'NOT met'})")


def _median_ms(code: str) -> float:
    runs = []
    for _ in range(IMPORT_RUNS):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env=CHILD_ENV,
        )
        runs.append(out.stderr)
    # Wall time of whole interpreters is noisy; -X importtime gives the
    # cumulative microseconds of each top-level import, measured in-process.
    return statistics.median(_top_level_us(err, "statuskit") for err in runs) / 1000


def _top_level_us(stderr: str, module: str) -> float:
    for line in stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            return float(parts[1])
    return 0.0


def bench_import() -> None:
    subprocess.run([sys.executable, "-c", "import statuskit.cli.explain"], check=True, env=CHILD_ENV)  # warm the cache
    import_ms = _median_ms("import statuskit")
    wall = []
    for code in ("pass", "import statuskit"):
        t = timeit.repeat(
            lambda code=code: subprocess.run([sys.executable, "-c", code], check=True, env=CHILD_ENV),
            repeat=IMPORT_RUNS,
            number=1,
        )
        wall.append(statistics.median(t) * 1000)
    print(f"import statuskit (cumulative, -X importtime): {import_ms:.1f} ms (target <= 10 ms)")
    print(
        f"python -c pass: {wall[0]:.1f} ms; python -c 'import statuskit': {wall[1]:.1f} ms;"
        f" difference {wall[1] - wall[0]:.1f} ms; ratio {wall[1] / wall[0]:.2f}"
    )


if __name__ == "__main__":
    print(f"Python {sys.version.split()[0]}, http.HTTPStatus has {len(http.HTTPStatus)} members")
    bench_lookup()
    bench_import()
