"""Every statuskit rule, one small class per kind of finding, grouped by topic.

    fields       required, recommended, optional and conditional fields per code
    content      content and Content-Length where none is allowed; 1xx misuse
    ranges       206 and 416 against the request's Range
    conditional  304 only for a conditional GET or HEAD
    standing     unofficial, unassigned, obsolete, provisional, out-of-range codes
    errors       cacheable errors without freshness; 5xx for the client's fault

`RULES` is the order findings are reported in (within a severity).
"""

from __future__ import annotations

from statuskit.lint.rules import conditional, content, errors, fields, ranges, standing
from statuskit.lint.rules._base import Context, Hit, Rule, Scope

RULES: tuple[type[Rule], ...] = (
    *standing.RULES,
    *content.RULES,
    *fields.RULES,
    *ranges.RULES,
    *conditional.RULES,
    *errors.RULES,
)

BY_ID: dict[str, type[Rule]] = {rule.id: rule for rule in RULES}

__all__ = ["BY_ID", "RULES", "Context", "Hit", "Rule", "Scope"]
