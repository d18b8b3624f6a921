"""The public surface is curated: `statuskit.__all__` is exactly what it exports."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import statuskit


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in vars(statuskit) if not name.startswith("_")}
    # Submodules appear as attributes once imported; they are not part of __all__.
    modules = {name for name in public if type(getattr(statuskit, name)).__name__ == "module"}
    assert set(statuskit.__all__) == (public - modules) | {"__version__"}
    assert statuskit.__all__ == sorted(statuskit.__all__)


def test_import_is_light() -> None:
    # `import statuskit` must not pull in the server, the linter, json or asyncio.
    code = "import sys, statuskit; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    for heavy in ("asyncio", "httptools", "httpx", "httplint", "json", "statuskit.server", "statuskit.lint"):
        assert heavy not in out, heavy


def test_explaining_a_code_stays_light() -> None:
    # `statuskit 404` must start fast (benchmarks/cli.py): none of the server, the
    # linter or the date and mail modules only the server's resources need.
    code = "import sys; from statuskit.cli import explain; print(' '.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    for heavy in (
        "asyncio",
        "httptools",
        "httpx",
        "httplint",
        "email.utils",
        "calendar",
        "statuskit.server",
        "statuskit.responder",
        "statuskit.lint",
    ):
        assert heavy not in out, heavy


# What `statuskit 404` may not import: besides the server and linter, the
# standard modules that cost more than the whole registry on a bare
# interpreter (typing; importlib.resources and what it brings).
NOT_FOR_404 = (
    "typing",
    "importlib.resources",
    "pathlib",
    "zipfile",
    "tempfile",
    "shutil",
    "email.utils",
    "calendar",
    "datetime",
    "asyncio",
    "httpx",
    "httplint",
    "statuskit.server",
    "statuskit.responder",
    "statuskit.lint",
)


def test_statuskit_404_imports_nothing_it_does_not_need() -> None:
    # -S: no site-packages start-up hooks (a .pth may import anything), so the
    # modules counted are statuskit's own doing; statuskit is found by PYTHONPATH.
    code = (
        "import sys; before = set(sys.modules); from statuskit.cli import main; main(['404']); "
        "print(' '.join(sorted(set(sys.modules) - before)), file=sys.stderr)"
    )
    env = {**os.environ, "PYTHONPATH": str(pathlib.Path(statuskit.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, env=env, timeout=60, check=True
    )
    loaded = done.stderr.split()
    assert "statuskit.registry" in loaded and done.stdout.startswith("404 Not Found")
    for name in NOT_FOR_404:
        assert not any(module == name or module.startswith(name + ".") for module in loaded), name
