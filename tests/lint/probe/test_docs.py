"""docs/lint.md ("Probing a server") lists every probe and every kind of finding, with the finding's severity."""

from __future__ import annotations

import pathlib

from statuskit.lint.probe import CHECKS, PROBES

DOCS = (pathlib.Path(__file__).resolve().parents[3] / "docs" / "lint.md").read_text(encoding="utf-8")


def row(first_cell: str) -> str:
    found = next((line for line in DOCS.splitlines() if line.startswith(f"| `{first_cell}`")), None)
    assert found is not None, f"docs/lint.md has no row for {first_cell}"
    return found


def test_every_probe_has_a_row() -> None:
    for probe in PROBES:
        assert ("(unsafe)" in row(probe.id)) == probe.unsafe, probe.id


def test_every_finding_has_a_row_with_its_severity_and_section() -> None:
    for check in CHECKS:
        line = row(check.rule)
        assert f"| {check.severity}" in line, line
        if check.rule not in ("probe-vaguer-code", "probe-redirect-without-location"):  # cited per fault / per code
            assert f"| {check.section} |" in line, line
