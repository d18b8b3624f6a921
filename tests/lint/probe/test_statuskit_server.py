"""statuskit's own server, probed: its resources answer every probe right, and each `/{code}` route gets
exactly the findings a server that answers every request with that code deserves (docs/lint.md lists them).

A fresh server per test: the unsafe probes send PUT, DELETE and an unknown method.
"""

from __future__ import annotations

from typing import Any

import pytest

from statuskit import statuses
from statuskit.lint.probe import probe_url

pytestmark = pytest.mark.statuskit(fresh=True)

RESOURCES = ["/", "/etag/x", "/cache", "/range/1024", "/items", "/basic-auth/u/p", "/redirect/2", "/negotiate"]


def found(url: str) -> set[tuple[str, str]]:
    report = probe_url(url, unsafe=True, delay=0, timeout=10)
    assert report.error == "", report.error
    return {(result.probe.id, finding.rule) for result in report.results for finding in result.findings}


@pytest.mark.parametrize("path", RESOURCES)
def test_resource_probes_clean(statuskit_server: Any, path: str) -> None:
    assert found(statuskit_server.url_for(path)) == set()


def deserved(code: int) -> set[tuple[str, str]]:
    """What answering every request with `code` earns (the table in docs/lint.md, "statuskit's own server")."""
    # /1xx without Expect or ?then= ends in 200; /101 without an Upgrade request refuses with 426.
    final = 426 if code == 101 else max(code, 200)
    pairs: set[tuple[str, str]] = set()
    if 200 <= final < 300:
        # A PUT whose If-Match cannot hold gets a 2xx; OPTIONS gets one without Allow.
        pairs |= {("validators.if-match", "probe-if-match-ignored"), ("methods.options", "probe-options-without-allow")}
    if final in (206, 416):
        pairs |= {("methods.head", "range-response-to-non-get"), ("methods.options", "range-response-to-non-get")}
    if final == 304:
        pairs |= {("methods.head", "not-modified-without-condition"), ("methods.options", "not-modified-wrong-method")}
    if final == 413:
        # Retry-After "if the condition is temporary" (info)
        pairs |= {("methods.head", "conditional-field-missing"), ("methods.options", "conditional-field-missing")}
    return pairs


CODES = [int(s) for s in statuses() if s.is_registered]


@pytest.mark.parametrize("code", CODES)
def test_code_route_gets_what_it_deserves(statuskit_server: Any, code: int) -> None:
    assert found(statuskit_server.url_for(f"/{code}")) == deserved(code)


def test_https_with_cacert(statuskit_server_tls: Any, statuskit_ca_bundle: str) -> None:
    """Over TLS too, the raw limit probes included, with the certificate checked against --cacert's CA."""
    from statuskit.lint.fetch import tls_context

    report = probe_url(
        statuskit_server_tls.url_for("/range/1024"), delay=0, timeout=10, context=tls_context(statuskit_ca_bundle)
    )
    assert report.error == ""
    assert [f.rule for r in report.results for f in r.findings] == []
    limits = [r for r in report.results if r.probe.group == "limits"]
    assert limits and all(r.outcome == "pass" and r.sent[0].response is not None for r in limits)
