"""statuskit.lint: does a response use its status code correctly?

    from statuskit.lint import check

    findings = check({"method": "GET", "url": "https://example.com/"},
                     {"status": 401, "headers": {"Content-Type": "text/plain"}})
    for f in findings:
        print(f.severity, f.rule, f.section, f.message("zh-CN"))

The rules live in `statuskit.lint.rules`, one small class per kind of finding;
what each status code requires comes from `statuskit.semantics`, never from a
copy here. httplint runs beside them for the general message checks and its
notes are merged into the same list (rule ids `httplint:<NOTE>`), each problem
once. Front ends: `statuskit check` (the CLI), `statuskit.lint.asgi`
(middleware) and `statuskit.lint.pytest` (assertions for test suites).

This package imports httplint when it checks, not before; `import statuskit`
never imports this package.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from statuskit.lint._engine import lint_exchange, worst
from statuskit.lint.adapters import request_of, to_request, to_response
from statuskit.lint.model import Exchange, Fields, Finding, Request, Response, Severity
from statuskit.lint.rules import BY_ID, RULES, Rule


def check(
    request: Any,
    response: Any,
    *,
    interim: Iterable[Any] = (),
    earlier_ok: Any = None,
    httplint: bool = True,
    httplint_info: bool = False,
    ignore: Iterable[str] = (),
) -> list[Finding]:
    """Check one exchange; return its findings, worst first (an empty list when clean).

    `request` may be None (unknown), and both accept plain dicts and tuples,
    the dataclasses of this package, or httpx/requests objects (see
    `statuskit.lint.adapters`). `interim` lists the 1xx responses seen before
    the final one; `earlier_ok` the header fields of a 200 to the same request,
    if known. `ignore` drops findings whose rule id matches a glob
    (`httplint:*`). `httplint_info` keeps httplint's informational notes,
    which are left out by default because most of them describe rather than
    find. Findings are data: this never raises over what the exchange holds,
    only over inputs it cannot read (TypeError, ValueError).
    """
    if request is None:
        request = request_of(response)
    exchange = Exchange(
        request=to_request(request),
        response=to_response(response),
        interim=tuple(to_response(r) for r in interim),
        earlier_ok=Fields(earlier_ok) if earlier_ok is not None else None,
    )
    return lint_exchange(exchange, httplint=httplint, httplint_info=httplint_info, ignore=ignore)


__all__ = [
    "BY_ID",
    "RULES",
    "Exchange",
    "Fields",
    "Finding",
    "Request",
    "Response",
    "Rule",
    "Severity",
    "check",
    "lint_exchange",
    "worst",
]
