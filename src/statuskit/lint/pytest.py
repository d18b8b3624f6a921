"""Assertions for test suites: every response a test produces uses its status code correctly.

    from statuskit.lint.pytest import assert_status_ok, httpx_hook

    def test_missing_item(client):
        response = client.get("/items/42")
        assert response.status_code == 404
        assert_status_ok(response)                 # request taken from the response

    # or check every response a client ever gets:
    client = httpx.Client(event_hooks={"response": [httpx_hook()]})

`assert_status_ok` raises AssertionError listing the findings at or above
`fail_on` (default "error"); it returns every finding otherwise, so a test can
look at warnings too. Nothing here imports pytest; the name says where it is
meant to be used.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from statuskit.lint import check
from statuskit.lint.model import Finding, Severity


class StatusFindings(AssertionError):
    """A response broke the rules; `findings` holds what did."""

    def __init__(self, message: str, findings: list[Finding]) -> None:
        super().__init__(message)
        self.findings = findings


def _describe(findings: list[Finding], lang: str) -> str:
    lines = []
    for f in findings:
        cite = f" ({f.section})" if f.section else ""
        lines.append(f"  {f.severity}: [{f.rule}] {f.message(lang)}{cite}")
    return "\n".join(lines)


def assert_status_ok(
    request_or_response: Any,
    response: Any = None,
    *,
    fail_on: Severity | str = Severity.ERROR,
    ignore: Iterable[str] = (),
    lang: str = "en",
    **options: Any,
) -> list[Finding]:
    """Assert that a response has no finding at or above `fail_on`; return all of its findings.

    Call it as `assert_status_ok(request, response)` with any shapes `check`
    accepts, or as `assert_status_ok(response)` with an httpx or requests
    response, which carries its request.
    """
    __tracebackhide__ = True  # pytest shows the caller's line, not this one
    if response is None:
        request, response = None, request_or_response
    else:
        request = request_or_response
    findings = check(request, response, ignore=ignore, **options)
    failing = [f for f in findings if f.severity.at_least(fail_on)]
    if failing:
        status = failing[0].status
        raise StatusFindings(
            f"the {status} response breaks {len(failing)} rule(s) at or above {Severity(fail_on)}:\n"
            + _describe(failing, lang),
            failing,
        )
    return findings


def httpx_hook(
    *, fail_on: Severity | str = Severity.ERROR, ignore: Iterable[str] = (), lang: str = "en"
) -> Callable[[Any], None]:
    """An httpx `event_hooks["response"]` callable asserting every response (sync clients)."""

    def hook(response: Any) -> None:
        __tracebackhide__ = True
        response.read()
        assert_status_ok(response, fail_on=fail_on, ignore=ignore, lang=lang)

    return hook


def requests_hook(
    *, fail_on: Severity | str = Severity.ERROR, ignore: Iterable[str] = (), lang: str = "en"
) -> Callable[..., None]:
    """A requests `hooks={"response": ...}` callable asserting every response."""

    def hook(response: Any, *args: Any, **kwargs: Any) -> None:
        __tracebackhide__ = True
        assert_status_ok(response, fail_on=fail_on, ignore=ignore, lang=lang)

    return hook
