"""Shared fixtures. Paths to the shared reference material live here so tests
can check the registry against the same sources the code was written from."""

from __future__ import annotations

import os
import pathlib
import shutil
from collections.abc import Callable, Iterator
from typing import Any, NoReturn

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def iana_rows() -> list[tuple[int, str, str]]:
    """The IANA registry snapshot (copied into tests/data so CI needs nothing outside the repo)."""
    rows = []
    lines = (DATA / "iana-http-status-codes-2025-09.tsv").read_text(encoding="utf-8").splitlines()
    for line in lines[1:]:
        code, phrase, reference = line.split("\t")
        rows.append((int(code), phrase, reference))
    return rows


# -- external tools: one rule for every program the tests run --------------------
#
# A test that needs a program outside Python (curl, Chromium, axe-core from npm,
# redis-server, nghttp/h2load, nginx) asks `tool(name)` for its path or carries
# `@pytest.mark.tools(name, ...)`. Missing on a
# developer's machine, the test skips and says how to install it; with
# STATUSKIT_REQUIRE_TOOLS=1 (set by .ci/run) it fails instead, so CI never passes
# by skipping. STATUSKIT_REQUIRE_BROWSER=1, the older name, means the same.

INSTALL_HINTS = {
    "curl": "apt-get install curl",
    "chromium": "apt-get install chromium, or point STATUSKIT_CHROMIUM at a Chromium",
    "firefox-esr": "apt-get install firefox-esr",
    "npm": "apt-get install npm",
    "axe-core": "npm ci --prefix tests/web --no-audit --no-fund",
    "redis-server": "apt-get install redis-server",
    "nghttp": "apt-get install nghttp2-client",
    "h2load": "apt-get install nghttp2-client",
    "nginx": "apt-get install nginx-light",
}
REQUIRE_VARIABLES = ("STATUSKIT_REQUIRE_TOOLS", "STATUSKIT_REQUIRE_BROWSER")
AXE = ROOT / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"


def tools_required() -> bool:
    return any(os.environ.get(name) == "1" for name in REQUIRE_VARIABLES)


def tool_unavailable(name: str, reason: str) -> NoReturn:
    """Skip for a developer without the tool; fail where CI requires every tool."""
    hint = INSTALL_HINTS.get(name)
    message = f"{name}: {reason}" + (f" (install: {hint})" if hint else "")
    if tools_required():
        pytest.fail(f"{message}; STATUSKIT_REQUIRE_TOOLS=1 requires it", pytrace=False)
    pytest.skip(message)


def chromium_path() -> str | None:
    """$STATUSKIT_CHROMIUM, else Debian's `chromium` on PATH."""
    explicit = os.environ.get("STATUSKIT_CHROMIUM")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def find_tool(name: str) -> str:
    """The path of an external tool, or skip/fail by the rule above.

    Programs are looked up on PATH; "chromium" honours $STATUSKIT_CHROMIUM and
    "axe-core" is the script `npm ci --prefix tests/web` installs.
    """
    if name == "chromium":
        path = chromium_path()
        explicit = os.environ.get("STATUSKIT_CHROMIUM")
        if path is None:
            tool_unavailable(
                name, f"STATUSKIT_CHROMIUM={explicit} is not an executable" if explicit else "not installed"
            )
        return path
    if name == "axe-core":
        if not AXE.is_file():
            tool_unavailable(name, f"{AXE} is not installed")
        return str(AXE)
    found = shutil.which(name)
    if found is None:
        tool_unavailable(name, "not found on PATH")
    return found


@pytest.fixture(scope="session")
def tool() -> Callable[[str], str]:
    """`tool("curl")`: the tool's path, or the test skips (locally) or fails (CI)."""
    return find_tool


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "tools(*names): the external tools a test runs (skipped or failed by the rule above)"
    )


def pytest_runtest_setup(item: pytest.Item) -> None:
    for mark in item.iter_markers("tools"):
        for name in mark.args:
            find_tool(name)


# -- a real browser, for tests/web and tests/e2e -------------------------------------
#
# Debian's Chromium driven by Playwright's Python API (never `playwright
# install`: the browser comes from apt), found by the rule above.

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI and these machines run as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
BROWSER_TIMEOUT_MS = 10_000  # every wait in a browser test is bounded by this


def browser_unavailable(reason: str) -> NoReturn:
    tool_unavailable("chromium", reason)


@pytest.fixture(scope="session")
def unavailable() -> Callable[[str], NoReturn]:
    """`unavailable(reason)`: skip a browser test here, fail it in CI."""
    return browser_unavailable


# Per module, not per session: Playwright's sync API allows one driver at a
# time in a thread, and other test modules (tests/lint) start their own, so
# this one is closed before the next module runs, whatever the order.
@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("the playwright package is not installed (pip install -e '.[test]')")
    path = find_tool("chromium")
    driver = sync_playwright().start()
    try:
        launched = driver.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, timeout=30_000)
    except Exception as exc:  # a broken install must say why, not error every test
        driver.stop()
        browser_unavailable(f"Chromium at {path} did not start: {exc}")
    yield launched
    launched.close()
    driver.stop()


class ConsoleLog:
    """Errors a page reported: console.error messages and uncaught exceptions."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.messages: list[Any] = []

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.messages.append(message)
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"uncaught: {error}")


@pytest.fixture
def browser_context(browser: Any) -> Iterator[Any]:
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    context.set_default_navigation_timeout(BROWSER_TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(browser_context: Any) -> Any:
    return browser_context.new_page()


@pytest.fixture
def console(page: Any) -> ConsoleLog:
    """Attach before navigating: the page's console errors, collected."""
    log = ConsoleLog()
    page.on("console", log.on_console)
    page.on("pageerror", log.on_page_error)
    return log
