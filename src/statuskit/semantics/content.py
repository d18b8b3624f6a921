"""Which responses carry no content, and what their Content-Length may say.

RFC 9110 §6.4.1 (content), §8.6 (Content-Length), §9.3.2 (HEAD), §9.3.6
(CONNECT), §15.2 (1xx), §15.3.5 (204), §15.3.6 (205), §15.4.5 (304).

`NO_CONTENT` is the one table: every function here reads it.
"""

from __future__ import annotations

import enum

from statuskit.semantics._status import as_code

TYPE_CHECKING = False  # typing stays out of `statuskit 404` (see _status.NamedTuple)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from statuskit.semantics._status import NamedTuple


class ContentLength(enum.StrEnum):
    """What a response's Content-Length field holds, by status and method (RFC 9110 §8.6)."""

    ABSENT = "absent"  # MUST NOT be sent: 1xx, 204, 2xx to CONNECT
    CONTENT = "content"  # the length of the content that follows
    ZERO = "zero"  # 205: "Content-Length: 0" is one of the allowed framings (§15.3.6)
    AS_GET = "as-get"  # HEAD: what a GET would have said, or nothing (§8.6, §9.3.2)
    AS_200 = "as-200"  # 304: only the value a 200 would have had, so it may be left out (§8.6)


# Where several rules hold (a HEAD answered with 304, say), the first in this
# order decides Content-Length: a field that must be absent stays absent, and
# a HEAD reports what the GET would have reported.
_STRICTEST_FIRST = (ContentLength.ABSENT, ContentLength.AS_GET, ContentLength.ZERO, ContentLength.AS_200)

_ANY_CODE = range(100, 600)


class NoContent(NamedTuple):
    """One reason a response has no content: the codes and methods it covers, and what Content-Length may say.

    A NamedTuple, not a frozen dataclass: `statuskit 404` imports this module
    and `dataclasses` would add its own import cost there (typing is loaded anyway).
    """

    section: str
    codes: range | tuple[int, ...]
    methods: tuple[str, ...]  # () for any method
    content_length: ContentLength

    def holds(self, code: int, method: str) -> bool:
        return code in self.codes and (not self.methods or method in self.methods)


# In the order a reason is cited when several hold.
NO_CONTENT: tuple[NoContent, ...] = (
    NoContent("RFC 9110 §15.2", range(100, 200), (), ContentLength.ABSENT),
    NoContent("RFC 9110 §15.3.5", (204,), (), ContentLength.ABSENT),
    NoContent("RFC 9110 §15.3.6", (205,), (), ContentLength.ZERO),
    NoContent("RFC 9110 §15.4.5", (304,), (), ContentLength.AS_200),
    NoContent("RFC 9110 §9.3.2", _ANY_CODE, ("HEAD",), ContentLength.AS_GET),
    # A 2xx to CONNECT turns the connection into a tunnel: what follows is not content.
    NoContent("RFC 9110 §9.3.6", range(200, 300), ("CONNECT",), ContentLength.ABSENT),
)


class _Held(NamedTuple):
    rules: tuple[NoContent, ...]  # the rules that hold, in NO_CONTENT's order
    length: ContentLength  # what they leave Content-Length


# What holds per (code, method), found once: every response a server composes asks.
# Bounded, since a linter may bring any method name.
_HELD: dict[tuple[int, str], _Held] = {}
_HELD_SIZE = 4096


def _holding(code: Any, method: str) -> _Held:
    number = as_code(code)
    held = _HELD.get((number, method))
    if held is None:
        rules = tuple([rule for rule in NO_CONTENT if rule.holds(number, method)])
        policies = {rule.content_length for rule in rules}
        length = next((policy for policy in _STRICTEST_FIRST if policy in policies), ContentLength.CONTENT)
        held = _Held(rules, length)
        if len(_HELD) < _HELD_SIZE:
            _HELD[number, method] = held
    return held


def allows_content(code: Any, method: str = "GET") -> bool:
    """May a response with this status, to this method, carry content?"""
    return not _holding(code, method).rules


def no_content_reason(code: Any, method: str = "GET") -> str:
    """The section that forbids content here, or "" when content is allowed."""
    rules = _holding(code, method).rules
    return rules[0].section if rules else ""


def content_length(code: Any, method: str = "GET") -> ContentLength:
    """The Content-Length a response of this status to this method may carry."""
    return _holding(code, method).length


def allows_content_length(code: Any, method: str = "GET") -> bool:
    """May the response carry a Content-Length field at all? (On HEAD and 304 only the GET's or 200's value.)"""
    return content_length(code, method) is not ContentLength.ABSENT
