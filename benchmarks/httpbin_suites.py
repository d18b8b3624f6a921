"""Acceptance of statuskit as a drop-in for pytest-httpbin: other projects' own test suites, before and after.

    python benchmarks/httpbin_suites.py [--suite pytest-httpbin] [--suite requests] [--suite vcrpy] [--keep DIR]

For each suite, the sdist is fetched from PyPI with pip (`pip download
--no-deps --no-binary :all:`), unpacked, and its tests run twice in a
throwaway virtual environment (with this checkout of statuskit, pytest-httpbin
and httpbin installed): first as the project runs them, against
pytest-httpbin, then with the one-line switch, `-p statuskit.httpbin`.
Each run's configuration is the project's own (its pytest.ini or
pyproject.toml). It prints the outcome counts of both runs, their times, and
every test whose outcome differs; docs/httpbin.md explains each of those.

The suites:
    pytest-httpbin   its own tests (the fixtures' contract), version 2.1.0
    requests         the tests of the requests release installed here (the largest user of pytest-httpbin)
    vcrpy            vcrpy 9.4.2's tests, with the clients they need that install without a compiler
                     (tornado, httplib2, pytest-asyncio, pytest-aiohttp, PySocks; not pycurl, pyreqwest,
                     httpx2 or httpx-curl-cffi, whose tests are then skipped); installed after the
                     requests run, since PySocks changes what requests' suite can do

Not part of `python -m pytest`: it needs PyPI, installs packages, and
takes minutes (requests' suite runs for one to two minutes each time on a
shared 2-core machine); the outcome also depends on what PyPI serves that
day. Times are wall-clock and noisy.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import subprocess
import sys
import tarfile
import tempfile
import time
import venv
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PYTEST_HTTPBIN = "pytest-httpbin==2.1.0"
SUITES = ("pytest-httpbin", "requests", "vcrpy")
VCRPY = "vcrpy==9.4.2"
VCRPY_CLIENTS = ("pytest-asyncio", "pytest-aiohttp", "tornado", "httplib2", "pysocks")
RUN_TIMEOUT = 1200


@dataclass
class Run:
    outcomes: dict[str, str] = field(default_factory=dict)  # test id -> passed / failed / skipped / error
    seconds: float = 0.0

    def count(self, outcome: str) -> int:
        return sum(1 for value in self.outcomes.values() if value == outcome)

    def summary(self) -> str:
        return (
            ", ".join(f"{self.count(o)} {o}" for o in ("passed", "failed", "error", "skipped"))
            + f" in {self.seconds:.0f} s"
        )


def sh(*args: str | Path, cwd: Path | None = None) -> None:
    subprocess.run([str(a) for a in args], check=True, cwd=cwd, timeout=RUN_TIMEOUT)


def environment(work: Path) -> Path:
    """A virtual environment seeing the system's packages, with statuskit, pytest-httpbin and httpbin; its python."""
    where = work / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(where)
    python = where / "bin" / "python"
    sh(python, "-m", "pip", "install", "-q", "--no-deps", "-e", ROOT)
    sh(python, "-m", "pip", "install", "-q", PYTEST_HTTPBIN, "httpbin")
    return python


def sdist(python: Path, requirement: str, work: Path) -> Path:
    """The unpacked source distribution of `requirement`, fetched by pip."""
    target = work / "sdists"
    sh(python, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:", "-d", target, requirement)
    name = requirement.split("==")[0].replace("-", "_").lower()
    archive = next(p for p in target.iterdir() if p.name.lower().replace("-", "_").startswith(name))
    with tarfile.open(archive) as tar:
        tar.extractall(work, filter="data")
    return work / archive.name.removesuffix(".tar.gz")


def run(python: Path, project: Path, report: Path, *extra: str) -> Run:
    start = time.monotonic()
    args = [str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", f"--junitxml={report}", *extra, "tests"]
    subprocess.run(
        args, check=False, cwd=project, timeout=RUN_TIMEOUT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    result = Run(seconds=time.monotonic() - start)
    for case in ET.parse(report).getroot().iter("testcase"):
        name = f"{case.get('classname')}::{case.get('name')}"
        kinds = {child.tag for child in case}
        outcome = "passed"
        for tag, label in (("error", "error"), ("failure", "failed"), ("skipped", "skipped")):
            if tag in kinds:
                outcome = label
                break
        result.outcomes[name] = outcome
    return result


def compare(name: str, python: Path, project: Path, work: Path) -> None:
    before = run(python, project, work / f"{name}-before.xml")
    after = run(python, project, work / f"{name}-after.xml", "-p", "statuskit.httpbin")
    print(f"{name}:")
    print(f"  pytest-httpbin:          {before.summary()}")
    print(f"  -p statuskit.httpbin:    {after.summary()}")
    changed = sorted(
        t for t in set(before.outcomes) | set(after.outcomes) if before.outcomes.get(t) != after.outcomes.get(t)
    )
    for test in changed:
        print(f"  {before.outcomes.get(test, '-'):>8} -> {after.outcomes.get(test, '-'):<8} {test}")
    failing = sorted(t for t, o in after.outcomes.items() if o in ("failed", "error") and t not in changed)
    for test in failing:
        print(f"  fails in both runs:      {test}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--suite", action="append", choices=SUITES, help="which suites (default: all)")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it (default: a temporary one)")
    args = parser.parse_args()
    suites = args.suite or list(SUITES)
    with tempfile.TemporaryDirectory(prefix="statuskit-httpbin-") as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        python = environment(work)
        for name in suites:
            if name == "pytest-httpbin":
                requirement = PYTEST_HTTPBIN
            elif name == "requests":
                requirement = f"requests=={importlib.metadata.version('requests')}"
            else:
                requirement = VCRPY
            project = sdist(python, requirement, work)
            if name == "vcrpy":
                # Its tests import the installed vcr.
                sh(python, "-m", "pip", "install", "-q", project, *VCRPY_CLIENTS)
            compare(name, python, project, work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
