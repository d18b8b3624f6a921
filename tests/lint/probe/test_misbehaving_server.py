"""Each misbehaviour of the fixture server yields its finding and nothing else; its right answers yield none."""

from __future__ import annotations

import pytest

from statuskit.lint.probe import CHECKS, PROBES, probe_url

from .conftest import CLEAN, MISBEHAVIOURS


def found(url: str, *, unsafe: bool = True) -> set[tuple[str, str]]:
    report = probe_url(url, unsafe=unsafe, delay=0, timeout=5)
    assert report.error == "", report.error
    # Every message is worded from the catalogue when read: each value it names was given (a "{name}" left
    # in the text is a value the probe forgot), in both languages. Every check fires below at least once.
    for result in report.results:
        said = [f.message(lang) for f in result.findings for lang in ("en", "zh-CN")]
        said += [result.skip_reason(lang) for lang in ("en", "zh-CN")] if result.skipped else []
        assert not any("{" in text or "}" in text for text in said), said
    return {(result.probe.id, finding.rule) for result in report.results for finding in result.findings}


@pytest.mark.parametrize("path", CLEAN)
def test_right_answers_probe_clean(probe_server: str, path: str) -> None:
    assert found(f"{probe_server}/{path}") == set()


@pytest.mark.parametrize("path", sorted(MISBEHAVIOURS))
def test_misbehaviour_gives_its_finding_only(probe_server: str, path: str) -> None:
    assert found(f"{probe_server}/{path}") == MISBEHAVIOURS[path]


def test_every_probe_can_find_something() -> None:
    """A probe no misbehaviour trips is a probe nothing tests."""
    tripped = {probe for pairs in MISBEHAVIOURS.values() for probe, _ in pairs}
    assert tripped == {p.id for p in PROBES}


def test_every_check_is_made_by_some_misbehaviour() -> None:
    """Each kind of finding a probe can make is seen at least once."""
    checks = {check.rule for check in CHECKS}
    seen = {rule for pairs in MISBEHAVIOURS.values() for _, rule in pairs}
    assert checks - seen == set()


def test_unsafe_probes_wait_for_unsafe(probe_server: str) -> None:
    report = probe_url(f"{probe_server}/if-match-ignored", delay=0, timeout=5)
    unsafe = [r for r in report.results if r.probe.unsafe]
    assert unsafe and all(r.skipped and not r.sent for r in unsafe)
    assert all(s.method in ("GET", "HEAD", "OPTIONS") for r in report.results for s in r.sent)
