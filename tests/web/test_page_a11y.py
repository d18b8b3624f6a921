"""Accessibility of the page, checked by axe-core in Chromium.

axe-core is a test-only npm package pinned in tests/web/package.json;
install it with `npm ci --prefix tests/web` (CI does, see .ci/run). Without
it these tests skip with that instruction, or fail under
STATUSKIT_REQUIRE_TOOLS=1 (the rule of tests/conftest.py).
Every rule axe runs by default must pass (WCAG 2.x A/AA and best practices),
in light and dark mode, with detail views and Try it results open.
"""

from __future__ import annotations

import pathlib
from typing import Any

import pytest

AXE = pathlib.Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
pytestmark = pytest.mark.tools("axe-core")  # the rule of tests/conftest.py checks AXE before the browser starts


@pytest.fixture
def axe_page(page: Any) -> Any:
    return page


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".map(v => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')}`)"
    )
    return list(found)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_index_has_no_axe_violations(axe_page: Any, page_server: str, scheme: str) -> None:
    page = axe_page
    page.emulate_media(color_scheme=scheme)
    page.goto(f"{page_server}/")
    for details in page.locator("article details").all()[::7]:
        details.evaluate("d => d.open = true")
    for code in (404, 301, 204, 103):
        page.click(f"button[data-try='{code}']")
        page.locator(f"article[id='{code}'] .try-out .curl").wait_for()
    page.fill("#q", "time")
    assert violations(page) == []


@pytest.mark.parametrize("path", ["/docs/471?lang=zh-CN", "/docs/520", "/404", "/docs/103", "/docs/425?lang=zh-CN"])
def test_code_pages_have_no_axe_violations(axe_page: Any, page_server: str, path: str) -> None:
    page = axe_page
    page.goto(f"{page_server}{path}")
    assert violations(page) == []
