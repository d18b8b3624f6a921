"""Running the rules and httplint over an exchange, and merging the two into one report.

The merge, per response:

1. statuskit's rules yield findings, each with the httplint notes that would
   make it a duplicate (`covered_by`) and those it replaces (`supersedes`).
2. httplint's notes for the same response are computed.
3. A statuskit finding whose `covered_by` note httplint reported is dropped:
   httplint said it first. An httplint note that a standing statuskit finding
   `supersedes`, or that a rule `overrides` as wrong for this response, is
   dropped. So one problem is reported once.
4. GOOD notes are dropped; INFO notes of httplint's are kept only on request,
   since most of them describe rather than find ("The resource could not be
   found.").
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

from statuskit.lint.model import Exchange, Finding, Severity
from statuskit.lint.rules import RULES, Context, Scope


def _ignored(rule: str, patterns: Iterable[str]) -> bool:
    return any(fnmatchcase(rule, pattern) for pattern in patterns)


def lint_exchange(
    exchange: Exchange,
    *,
    httplint: bool = True,
    httplint_info: bool = False,
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """Every finding for `exchange`, worst first (then in the order the responses arrived)."""
    patterns = tuple(ignore)
    notes_per_response = None
    if httplint:
        from statuskit.lint._httplint import httplint_notes

        notes_per_response = httplint_notes(exchange)

    ranked: list[tuple[int, int, Finding]] = []
    for index, response in enumerate(exchange.responses):
        ctx = Context(exchange, response)
        hits = [hit for rule in RULES if rule.scope is Scope.EVERY or ctx.final for hit in rule.check(ctx)]
        notes = notes_per_response[index] if notes_per_response is not None else []
        reported = {note.name for note in notes}
        kept = [hit for hit in hits if not reported.intersection(hit.covered_by)]
        dropped: set[str] = set()
        for hit in kept:
            dropped.update(hit.supersedes)
        for rule in RULES:
            if rule.scope is Scope.EVERY or ctx.final:
                dropped.update(rule.overrides(ctx))
        findings = [hit.finding for hit in kept]
        for note in notes:
            if note.name in dropped or note.level == "good":
                continue
            if note.level == "info" and not httplint_info and note.name != "FAILED":
                continue
            findings.append(note.finding)
        for finding in findings:
            if not _ignored(finding.rule, patterns):
                ranked.append((-finding.severity.rank, index, finding))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [finding for _, _, finding in ranked]


def worst(findings: Iterable[Finding]) -> Severity | None:
    """The most severe level among `findings`, or None when there are none."""
    levels = [f.severity for f in findings]
    return max(levels, key=lambda s: s.rank) if levels else None
