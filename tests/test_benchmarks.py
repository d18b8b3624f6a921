"""The benchmarks clean up after themselves (they are run by hand, but on shared machines)."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent


def test_the_cli_benchmark_leaves_no_temporary_directory(tmp_path: pathlib.Path) -> None:
    env = {**os.environ, "TMPDIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "cli.py"), "--runs", "1"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "statuskit 404 / python -c pass = " in done.stdout
    assert list(tmp_path.iterdir()) == []  # the bytecode directory of the run is gone
