"""Every rule, from one table: an exchange that breaks it and one that does not.

The table is checked to name every rule in `statuskit.lint.RULES`, so a new
rule without its pair of exchanges fails here. Exchanges go through the whole
engine (httplint included), because what a user sees is the merged report.
"""

from __future__ import annotations

import re
import string
from typing import Any

import pytest

from statuskit.lint import RULES, Exchange, Request, Response, Severity, lint_exchange
from statuskit.lint.rules import BY_ID, Context
from statuskit.registry.catalogue import text, words


def ex(
    status: int,
    headers: dict[str, str] | list[tuple[str, str]] | None = None,
    *,
    method: str | None = "GET",
    req: dict[str, str] | list[tuple[str, str]] | None = None,
    body: bytes | None = None,
    length: int | None = None,
    req_body: bytes | None = None,
    version: str = "1.1",
    req_version: str = "1.1",
    interim: tuple[Response, ...] = (),
    earlier_ok: dict[str, str] | None = None,
) -> Exchange:
    request = (
        None
        if method is None
        else Request(
            method=method, target="http://example.test/r", fields=req or {}, body=req_body, version=req_version
        )
    )
    response = Response(status=status, fields=headers or {}, body=body, content_length=length, version=version)
    from statuskit.lint.model import Fields

    return Exchange(
        request=request,
        response=response,
        interim=interim,
        earlier_ok=Fields(earlier_ok) if earlier_ok is not None else None,
    )


MP = "multipart/byteranges; boundary=XYZ"
INM = {"If-None-Match": '"v1"'}

# rule id -> (breaking exchange, passing exchange)
CASES: dict[str, tuple[Exchange, Exchange]] = {
    "required-field-missing": (ex(401), ex(401, {"WWW-Authenticate": 'Basic realm="api"'})),
    "recommended-field-missing": (ex(301), ex(301, {"Location": "/elsewhere"})),
    "optional-field-missing": (ex(429), ex(429, {"Retry-After": "120"})),
    "conditional-field-missing": (ex(413), ex(413, {"Retry-After": "30"})),
    "field-forbidden": (
        ex(
            415,
            {"Accept-Encoding": "gzip", "Accept": "application/json"},
            method="POST",
            req={"Content-Type": "text/csv"},
        ),
        ex(415, {"Accept-Encoding": "gzip"}, method="POST", req={"Content-Encoding": "br"}),
    ),
    "content-forbidden": (ex(204, length=5), ex(204, length=0)),
    "content-length-forbidden": (ex(204, {"Content-Length": "0"}), ex(204)),
    "interim-as-final": (ex(100), ex(200, {"Content-Length": "0"}, interim=(Response(status=100),))),
    "interim-to-http10": (
        ex(200, interim=(Response(status=100),), req_version="1.0"),
        ex(200, interim=(Response(status=100),), req={"Expect": "100-continue"}),
    ),
    "unrequested-continue": (
        ex(200, interim=(Response(status=100),)),
        ex(200, interim=(Response(status=100),), method="POST", req={"Expect": "100-continue"}),
    ),
    "range-response-to-non-get": (
        ex(206, {"Content-Range": "bytes 0-9/100"}, method="POST", req={"Range": "bytes=0-9"}, body=b"0123456789"),
        ex(206, {"Content-Range": "bytes 0-9/100"}, req={"Range": "bytes=0-9"}, body=b"0123456789"),
    ),
    "partial-length-mismatch": (
        ex(206, {"Content-Range": "bytes 0-9/100"}, req={"Range": "bytes=0-9"}, body=b"0123456789xy"),
        ex(206, {"Content-Range": "bytes 0-9/100"}, req={"Range": "bytes=0-9"}, body=b"0123456789"),
    ),
    "partial-range-not-requested": (
        ex(206, {"Content-Range": "bytes 50-59/100"}, req={"Range": "bytes=0-9"}, body=b"0123456789"),
        ex(206, {"Content-Range": "bytes 90-99/100"}, req={"Range": "bytes=-10"}, body=b"0123456789"),
    ),
    "multipart-for-single-range": (
        ex(206, {"Content-Type": MP}, req={"Range": "bytes=0-9"}),
        ex(206, {"Content-Type": MP}, req={"Range": "bytes=0-9, 20-29"}),
    ),
    "multipart-with-content-range": (
        ex(206, {"Content-Type": MP, "Content-Range": "bytes 0-9/100"}, req={"Range": "bytes=0-9,20-29"}),
        ex(206, {"Content-Type": MP}, req={"Range": "bytes=0-9,20-29"}),
    ),
    "range-was-satisfiable": (
        ex(416, {"Content-Range": "bytes */100"}, req={"Range": "bytes=0-9"}),
        ex(416, {"Content-Range": "bytes */100"}, req={"Range": "bytes=100-"}),
    ),
    "not-modified-without-condition": (ex(304), ex(304, {"ETag": '"v1"'}, req=INM)),
    "not-modified-wrong-method": (ex(304, method="PUT", req=INM), ex(412, method="PUT", req=INM)),
    "precondition-failed-for-get": (ex(412, req=INM), ex(412, req={**INM, "If-Match": '"v2"'})),
    # If-Match is evaluated before If-None-Match (§13.2.2): a false If-Match is 412, not 304.
    "precondition-outcome-mismatch": (
        ex(304, {"ETag": '"v1"'}, req={**INM, "If-Match": '"v0"'}),
        ex(412, {"ETag": '"v1"'}, req={**INM, "If-Match": '"v0"'}),
    ),
    "unofficial-code": (ex(499), ex(400)),
    "unassigned-code": (ex(471), ex(400)),
    "obsolete-code": (ex(510), ex(500)),
    "provisional-code": (
        ex(200, interim=(Response(status=104),)),
        ex(200, interim=(Response(status=103, fields={"Link": "</a.css>; rel=preload"}),)),
    ),
    "status-code-out-of-range": (ex(600), ex(500)),
    "cacheable-error-without-freshness": (ex(404), ex(404, {"Cache-Control": "max-age=60"})),
    "server-error-for-malformed-content": (
        ex(500, method="POST", req={"Content-Type": "application/json", "Content-Length": "5"}, req_body=b"{nope"),
        ex(500, method="POST", req={"Content-Type": "application/json", "Content-Length": "8"}, req_body=b'{"a": 1}'),
    ),
    "server-error-for-missing-length": (
        ex(500, method="POST"),
        ex(500, method="POST", req={"Content-Length": "0"}),
    ),
}


def rules_of(exchange: Exchange, **options: Any) -> list[str]:
    return [f.rule for f in lint_exchange(exchange, **options)]


def test_the_table_covers_every_rule() -> None:
    assert set(CASES) == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_on_the_breaking_exchange(rule_id: str) -> None:
    breaking, _ = CASES[rule_id]
    findings = [f for f in lint_exchange(breaking) if f.rule == rule_id]
    assert findings, f"{rule_id} did not fire; got {rules_of(breaking)}"
    rule = BY_ID[rule_id]
    for finding in findings:
        assert finding.severity is rule.severity
        assert finding.section.startswith("RFC ") and finding.url.startswith("https://www.rfc-editor.org/rfc/rfc")
        assert "{" not in finding.message_en and "{" not in finding.message_zh


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_is_silent_on_the_passing_exchange(rule_id: str) -> None:
    _, passing = CASES[rule_id]
    assert rule_id not in rules_of(passing)


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _fields_of(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_every_rule_class_is_complete(rule: Any) -> None:
    """The walk over every rule class, as httplint's test walks every note."""
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", rule.id), rule.id
    assert isinstance(rule.severity, Severity)
    assert re.fullmatch(r"RFC \d+ §\d+(\.\d+)*", rule.section), rule.section
    assert rule.__doc__ and rule.__doc__.strip()
    # The message is the rule id's text in each language's catalogue, filled from the rule's example.
    english, chinese = words("lint", "en")[rule.id], words("lint", "zh-CN")[rule.id]
    assert english.strip() and chinese.strip() and chinese != english
    assert _CJK.search(chinese) and not _CJK.search(english)
    values = {"code": 500, "reason": "Internal Server Error", "method": "GET", **rule.example}
    assert _fields_of(english) | _fields_of(chinese) <= set(values), rule.id
    for lang in ("en", "zh-CN"):
        said = text("lint", rule.id, lang, **values)
        assert "{" not in said, (rule.id, lang, said)
        assert not _CJK.search(said) if lang == "en" else _CJK.search(said)


def test_rule_ids_are_unique() -> None:
    assert len(BY_ID) == len(RULES)


# -- more exchanges for the data-driven field rules -----------------------------


def ids(exchange: Exchange) -> set[str]:
    return set(rules_of(exchange))


@pytest.mark.parametrize(
    "exchange,expected",
    [
        (ex(405), "Allow"),
        (ex(407), "Proxy-Authenticate"),
        (ex(426), "Upgrade"),
        (ex(401, {"WWW-Authenticate": ""}), "WWW-Authenticate"),  # at least one challenge
        (ex(426, {"Upgrade": "h2c"}), "Connection"),  # §7.8: and "upgrade" in Connection
        (ex(426, {"Upgrade": "h2c", "Connection": "close"}), "Connection"),
        (ex(304, {"Date": "x"}, req=INM), "ETag"),  # the client holds an ETag: a 200 carries one
        (
            ex(
                206,
                {"Content-Range": "bytes 0-9/10"},
                req={"Range": "bytes=0-9", "If-Range": '"v1"'},
                body=b"0123456789",
            ),
            "ETag",
        ),
        (
            ex(304, {"ETag": '"v1"'}, req=INM, earlier_ok={"ETag": '"v1"', "Cache-Control": "max-age=60"}),
            "Cache-Control",
        ),
    ],
)
def test_required_fields(exchange: Exchange, expected: str) -> None:
    found = [f for f in lint_exchange(exchange) if f.rule == "required-field-missing"]
    assert any(expected in f.message_en for f in found), [f.message_en for f in found]


@pytest.mark.parametrize(
    "exchange",
    [
        ex(405, {"Allow": ""}),  # §10.2.1: an empty Allow is meaningful
        ex(405, {"Allow": "GET, HEAD"}, method="POST"),
        ex(426, {"Upgrade": "h2c", "Connection": "Upgrade"}),
        ex(426, version="2"),  # §7.8: Upgrade is an HTTP/1.1 mechanism
        ex(
            101,
            {"Upgrade": "websocket", "Connection": "upgrade"},
            req={"Upgrade": "websocket", "Connection": "upgrade"},
        ),
        ex(304, {"ETag": '"v1"', "Date": "x"}, req={"If-Modified-Since": "Mon, 02 Nov 2026 10:00:00 GMT"}),
        ex(304, {"ETag": '"v1"'}, req=INM, earlier_ok={"ETag": '"v1"'}),
    ],
)
def test_required_fields_present(exchange: Exchange) -> None:
    assert "required-field-missing" not in ids(exchange)


def test_field_findings_cite_the_semantics_section() -> None:
    (finding,) = [f for f in lint_exchange(ex(405)) if f.rule == "required-field-missing"]
    assert finding.section == "RFC 9110 §15.5.6"
    assert finding.url == "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.6"
    assert "Allow" in finding.message_zh


def test_conditions_that_cannot_be_seen_are_at_most_info() -> None:
    # §15.5.14: Retry-After SHOULD be sent *if* the 413 is temporary; nothing shows whether it is.
    (finding,) = [f for f in lint_exchange(ex(413)) if "Retry-After" in f.message_en]
    assert finding.rule == "conditional-field-missing" and finding.severity is Severity.INFO
    # §15.5.17: a 416 to an unknown request may or may not have been a byte-range request.
    found = [f for f in lint_exchange(ex(416, method=None)) if "Content-Range" in f.message_en]
    assert [f.severity for f in found] == [Severity.INFO]


def test_retry_after_on_429_and_503_is_info() -> None:
    # RFC 6585 §4 and RFC 9110 §15.6.4 say MAY: absent is worth knowing, not wrong.
    for code, section in ((429, "RFC 6585 §4"), (503, "RFC 9110 §15.6.4")):
        (finding,) = [f for f in lint_exchange(ex(code)) if "Retry-After" in f.message_en]
        assert (finding.rule, finding.severity, finding.section) == ("optional-field-missing", Severity.INFO, section)


def test_415_accept_fields_follow_the_request() -> None:
    plain = lint_exchange(
        ex(415, method="POST", req={"Content-Type": "text/x-odd", "Content-Length": "1"}, req_body=b"x")
    )
    assert [f.rule for f in plain if "Accept" in f.message_en] == ["optional-field-missing"]
    coded = lint_exchange(ex(415, method="POST", req={"Content-Encoding": "br", "Content-Length": "1"}, req_body=b"x"))
    assert {f.rule for f in coded if "Accept-Encoding" in f.message_en} == {"conditional-field-missing"}


def test_unknown_request_silences_request_rules() -> None:
    quiet = {"not-modified-without-condition", "range-response-to-non-get", "server-error-for-missing-length"}
    for exchange in (ex(304, method=None), ex(206, method=None), ex(500, method=None)):
        assert not quiet & ids(exchange)


def test_partial_range_rules_use_the_complete_length() -> None:
    # bytes=-10 of 100 octets is 90-99: the response is what was asked for.
    assert "partial-range-not-requested" not in ids(
        ex(206, {"Content-Range": "bytes 90-99/100"}, req={"Range": "bytes=-10"}, body=b"0" * 10)
    )
    # A last-pos past the end means "to the end" (§14.1.2).
    assert "partial-range-not-requested" not in ids(
        ex(206, {"Content-Range": "bytes 95-99/100"}, req={"Range": "bytes=95-500"}, body=b"0" * 5)
    )


def test_416_with_many_ranges_may_be_a_refusal() -> None:
    # §15.5.17: a 416 may refuse many small ranges even when they are satisfiable.
    many = "bytes=0-1,3-4,6-7,9-10"
    assert "range-was-satisfiable" not in ids(ex(416, {"Content-Range": "bytes */100"}, req={"Range": many}))


def test_context_knows_an_out_of_range_status() -> None:
    exchange = ex(600)
    ctx = Context(exchange, exchange.response)
    assert ctx.status is None and ctx.code == 600


def test_docs_list_every_rule() -> None:
    import pathlib

    docs = (pathlib.Path(__file__).resolve().parents[2] / "docs" / "lint.md").read_text(encoding="utf-8")
    for rule in RULES:
        row = next((line for line in docs.splitlines() if line.startswith(f"| `{rule.id}` |")), None)
        assert row is not None, f"docs/lint.md has no row for {rule.id}"
        assert f"| {rule.severity} |" in row, row
