"""`statuskit.lint.pytest`: asserting in a test suite that every response uses its status correctly."""

from __future__ import annotations

import httpx
import pytest
import requests

from statuskit.lint import Severity
from statuskit.lint.pytest import StatusFindings, assert_status_ok, httpx_hook, requests_hook


def test_passes_and_returns_findings(bad_server: str) -> None:
    response = httpx.get(bad_server + "/429")
    findings = assert_status_ok(response)  # info only: passes at the default level
    assert [f.rule for f in findings] == ["optional-field-missing"]
    assert assert_status_ok(httpx.get(bad_server + "/ok")) == []


def test_fails_with_a_readable_message(bad_server: str) -> None:
    response = httpx.get(bad_server + "/401")
    with pytest.raises(AssertionError) as info:
        assert_status_ok(response)
    message = str(info.value)
    assert "401 response breaks 1 rule(s) at or above error" in message
    assert "[required-field-missing]" in message and "(RFC 9110 §15.5.2)" in message
    assert isinstance(info.value, StatusFindings) and info.value.findings[0].severity is Severity.ERROR


def test_fail_on_ignore_and_lang(bad_server: str) -> None:
    response = httpx.get(bad_server + "/301")
    assert_status_ok(response)  # a warning does not fail at "error"
    with pytest.raises(StatusFindings):
        assert_status_ok(response, fail_on="warning")
    assert_status_ok(response, fail_on="warning", ignore=["recommended-field-missing", "httplint:FRESHNESS_*"])
    with pytest.raises(StatusFindings, match="响应应当带 Location"):
        assert_status_ok(response, fail_on="warning", lang="zh-CN")


def test_request_and_response_as_plain_data() -> None:
    with pytest.raises(StatusFindings):
        assert_status_ok({"method": "GET", "url": "/"}, {"status": 405})
    assert_status_ok({"method": "GET", "url": "/"}, {"status": 405, "headers": {"Allow": "POST"}})


def test_requests_response(bad_server: str) -> None:
    with pytest.raises(StatusFindings):
        assert_status_ok(requests.get(bad_server + "/405", timeout=10))


def test_httpx_hook_checks_every_response(bad_server: str) -> None:
    with httpx.Client(base_url=bad_server, event_hooks={"response": [httpx_hook()]}) as client:
        assert client.get("/ok").text == "ok\n"
        with pytest.raises(StatusFindings):
            client.get("/401")


def test_requests_hook_checks_every_response(bad_server: str) -> None:
    with requests.Session() as session:
        session.hooks["response"].append(requests_hook())
        assert session.get(bad_server + "/ok", timeout=10).status_code == 200
        with pytest.raises(StatusFindings):
            session.get(bad_server + "/204", timeout=10)
