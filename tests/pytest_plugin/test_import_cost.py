"""pytest loads the plugin in every project that installs statuskit: it must cost (almost) nothing there."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import pytest

pytest_plugins = ["pytester"]

# Nothing of these may load before a fixture is used.
HEAVY = (
    "statuskit.server",
    "statuskit.responder",
    "statuskit.lint",
    "statuskit.web",
    "trustme",
    "cryptography",
    "httptools",
    "uvloop",
)


def test_importing_the_plugin_loads_no_server() -> None:
    code = "import sys, statuskit.pytest_plugin; print(' '.join(sorted(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    ).stdout.split()
    assert "statuskit.pytest_plugin" in loaded
    for name in HEAVY:
        assert not any(module == name or module.startswith(name + ".") for module in loaded), name


def test_a_suite_that_does_not_use_it_loads_no_server(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    suite.makepyfile(
        test_unrelated=f"""
        import sys

        HEAVY = {HEAVY!r}

        def test_nothing_heavy_is_loaded(request):
            assert request.config.pluginmanager.has_plugin("statuskit")  # loaded by its entry point
            loaded = [m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in HEAVY)]
            assert loaded == []
        """
    )
    run().assert_outcomes(passed=1)
