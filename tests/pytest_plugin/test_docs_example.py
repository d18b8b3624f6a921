"""The example of docs/plugin.md is run exactly as printed, as a user's suite, so it cannot rot."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from tests.pytest_plugin.conftest import ROOT

pytest_plugins = ["pytester"]

DOC = ROOT / "docs" / "plugin.md"


def example() -> str:
    text = DOC.read_text(encoding="utf-8")
    found = re.search(r"<!-- example: [^\n]*-->\n```python\n(.*?)```", text, re.S)
    assert found, "docs/plugin.md lost its marked example"
    return found.group(1)


def test_the_example_is_short() -> None:
    code = [line for line in example().splitlines() if line.strip()]
    assert len(code) <= 10, code


def test_the_example_passes_as_printed(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(test_example=example())
    # What the page says of requests: http.client takes the 103 for the final response.
    suite.makepyfile(
        test_requests_and_103="""
        import pytest
        import requests

        @pytest.mark.xfail(strict=True, reason="http.client takes the 103 for the final response")
        def test_requests_sets_103_aside(statuskit_server_tls, statuskit_ca_bundle):
            url = statuskit_server_tls.url_for("/103?then=201")
            with requests.get(url, verify=statuskit_ca_bundle, timeout=10) as response:
                assert response.status_code == 201
        """
    )
    result = run("-v", "-rx")
    result.assert_outcomes(passed=2, xfailed=1)
    result.stdout.fnmatch_lines(["*test_example.py::test_retries_a_503_after_its_retry_after PASSED*"])


def test_the_readme_shows_the_same_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- example: [^\n]*-->\n```python\n(.*?)```", readme, re.S)
    assert found, "README.md lost the plugin example"
    assert found.group(1) == example()
