"""Running a user's test suite with the plugin, as pytest does once statuskit is installed.

Each test writes a small suite into a `pytester` directory and runs it in a
subprocess (a fresh interpreter, its own servers and threads). The plugin is
found through its `pytest11` entry point: `installed_plugin` is a directory
holding distribution metadata whose entry points are exactly the
`[project.entry-points.pytest11]` table of pyproject.toml, so the suites load
the plugin the way an installed statuskit makes pytest load it (no `-p`).
"""

from __future__ import annotations

import importlib.metadata
import os
import socket
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src"

# A suite's subprocess gives up after this long (seconds).
SUITE_TIMEOUT = 120

# A strict project, as the STYLE guide recommends and as many client libraries configure pytest.
STRICT_INI = """\
[pytest]
addopts = --strict-markers -p no:cacheprovider
xfail_strict = true
filterwarnings =
    error
"""


def pytest11_table() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return dict(project["entry-points"]["pytest11"])


@pytest.fixture(scope="session")
def installed_plugin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sys.path entry with the metadata an installed statuskit has: its pytest11 entry points."""
    site = tmp_path_factory.mktemp("site")
    dist = site / "statuskit_under_test-0.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: statuskit-under-test\nVersion: 0.0\n", encoding="utf-8"
    )
    lines = ["[pytest11]"] + [f"{name} = {target}" for name, target in pytest11_table().items()]
    (dist / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return site


@pytest.fixture
def suite(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, installed_plugin: Path) -> pytest.Pytester:
    """A pytester directory whose subprocess runs find statuskit (this worktree) and its entry point."""
    path = [str(SRC), str(installed_plugin)]
    if os.environ.get("PYTHONPATH"):
        path.append(os.environ["PYTHONPATH"])
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(path))
    for name in ("STATUSKIT_PORT", "STATUSKIT_TLS_PORT", "PYTEST_ADDOPTS", "PYTEST_DISABLE_PLUGIN_AUTOLOAD"):
        monkeypatch.delenv(name, raising=False)
    pytester.makeini(STRICT_INI)
    return pytester


@pytest.fixture
def run(suite: pytest.Pytester) -> Callable[..., pytest.RunResult]:
    """`run("-v", "--statuskit-port", "0")`: the suite in a subprocess, bounded in time."""

    def go(*args: str) -> pytest.RunResult:
        # --strict-markers again on the command line: pytest 9.0 ignores it in addopts
        # (pytest-dev/pytest#14442), and a strict project must be strict here.
        return suite.runpytest_subprocess("--strict-markers", *args, timeout=SUITE_TIMEOUT)

    return go


@pytest.fixture
def in_process(suite: pytest.Pytester) -> list[str]:
    """Arguments that load the plugin for a run in this process (`pytester.parseconfigure`, `inline_run`).

    Fast, for checks that start no server. The plugin comes from `-p`, unless
    this interpreter's own metadata registers it already (an installed statuskit):
    loading it both ways would register one module twice.
    """
    installed = any(entry.name == "statuskit" for entry in importlib.metadata.entry_points(group="pytest11"))
    # This process may have imported the plugin already: it cannot be assertion-rewritten again, and
    # needs not be (its own asserts are not what these runs check).
    quiet = ["-W", "ignore::pytest.PytestAssertRewriteWarning"]
    return quiet if installed else [*quiet, "-p", "statuskit.pytest_plugin"]


@pytest.fixture
def free_port() -> Iterator[Callable[[], int]]:
    """Ports that were free a moment ago (bound, read, released), for pinning."""

    def pick() -> int:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            return int(probe.getsockname()[1])

    yield pick
