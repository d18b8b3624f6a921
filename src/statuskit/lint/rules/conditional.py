"""304 only as the outcome of a conditional GET or HEAD, and 304 rather than 412 there (RFC 9110 §13.1.2, §13.2.2, §15.4.5).

httplint checks what a 304 carries (Date; no representation metadata); it
does not ask whether a 304 could be the answer at all. What a 304 must repeat
from the 200 (ETag and the rest) is a field rule (fields.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit import semantics
from statuskit.lint.model import Severity
from statuskit.lint.rules._base import Context, Hit, Rule


class NotModifiedWithoutCondition(Rule):
    """A 304 to a GET or HEAD that carried neither If-None-Match nor If-Modified-Since."""

    id = "not-modified-without-condition"
    severity = Severity.ERROR
    section = semantics.NOT_MODIFIED_SECTION
    message_en = (
        "304 Not Modified answers a {method} request without If-None-Match or If-Modified-Since: "
        "there was no condition to evaluate, and the client may hold nothing to reuse."
    )
    message_zh = "304 Not Modified 响应的 {method} 请求既没有 If-None-Match 也没有 If-Modified-Since：没有条件可判定，客户端手里可能也没有可复用的缓存。"
    example = {"method": "GET"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 304 or ctx.method is None or ctx.method not in semantics.NOT_MODIFIED_METHODS:
            return
        if not semantics.may_answer_not_modified(ctx.method, ctx.request_fields.names()):
            yield cls.hit(ctx)


class NotModifiedWrongMethod(Rule):
    """A 304 to a method other than GET or HEAD, where a false If-None-Match gets 412."""

    id = "not-modified-wrong-method"
    severity = Severity.ERROR
    section = "RFC 9110 §13.1.2"
    message_en = (
        "304 Not Modified answers a {method} request; only GET and HEAD can get 304, any other method "
        "whose If-None-Match is false must get 412 Precondition Failed."
    )
    message_zh = "304 Not Modified 响应的是 {method} 请求；只有 GET 和 HEAD 才能得到 304，其他方法的 If-None-Match 判定为假时必须返回 412 Precondition Failed。"
    example = {"method": "PUT"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code == 304 and ctx.method is not None and ctx.method not in semantics.NOT_MODIFIED_METHODS:
            yield cls.hit(ctx)


class PreconditionFailedForCacheCheck(Rule):
    """A 412 to a GET or HEAD whose only preconditions are If-None-Match or If-Modified-Since: that is a 304."""

    id = "precondition-failed-for-get"
    severity = Severity.ERROR
    section = "RFC 9110 §13.1.2"
    message_en = (
        "412 Precondition Failed answers a {method} whose only preconditions are {fields}; when those are "
        "false, a GET or HEAD must get 304 Not Modified (412 is for If-Match and If-Unmodified-Since)."
    )
    message_zh = "412 Precondition Failed 响应的 {method} 请求只带了 {fields} 这类前置条件；对 GET 或 HEAD，这些条件为假时必须返回 304 Not Modified（412 用于 If-Match 和 If-Unmodified-Since）。"
    example = {"method": "GET", "fields": "If-None-Match"}

    @classmethod
    def check(cls, ctx: Context) -> Iterator[Hit]:
        if ctx.code != 412 or ctx.method not in semantics.NOT_MODIFIED_METHODS:
            return
        present = [name for name in semantics.NOT_MODIFIED_PRECONDITIONS if name in ctx.request_fields]
        lost_update = any(name in ctx.request_fields for name in semantics.LOST_UPDATE_PRECONDITIONS)
        if present and not lost_update:
            yield cls.hit(ctx, fields=", ".join(present))


RULES: tuple[type[Rule], ...] = (NotModifiedWithoutCondition, NotModifiedWrongMethod, PreconditionFailedForCacheCheck)
