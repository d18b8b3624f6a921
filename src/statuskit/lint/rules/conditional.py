"""304 only as the outcome of a conditional GET or HEAD (RFC 9110 §13.1.2, §13.2.2, §15.4.5).

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


RULES: tuple[type[Rule], ...] = (NotModifiedWithoutCondition, NotModifiedWrongMethod)
