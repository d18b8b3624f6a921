"""statuskit and httplint in one report: each problem once, at the level RFC 9110 gives it.

Also pins the httplint checks statuskit relies on instead of writing its own:
if a future httplint drops one, a test here fails and the rule comes back.
"""

from __future__ import annotations

import importlib

import pytest

from statuskit.lint import RULES, Exchange, Request, Response, Severity, check, lint_exchange
from statuskit.lint.rules import fields as field_rules

GET = {"method": "GET", "url": "http://example.test/r"}


def rules(request: object, response: object, **options: object) -> list[str]:
    return [f.rule for f in check(request, response, **options)]


def test_an_httplint_note_appears_prefixed_and_once() -> None:
    # A single-part 206 without Content-Range: httplint's PARTIAL_WITHOUT_RANGE
    # says it, and statuskit's field rule (same MUST, §15.3.7.1) stays silent.
    request = {**GET, "headers": {"Range": "bytes=0-9"}}
    response = {"status": 206, "headers": {"Content-Type": "text/plain"}, "body": b"0123456789"}
    findings = check(request, response)
    about = [f for f in findings if "Content-Range" in f.message_en or f.rule.endswith("PARTIAL_WITHOUT_RANGE")]
    assert [f.rule for f in about] == ["httplint:PARTIAL_WITHOUT_RANGE"]
    assert about[0].severity is Severity.ERROR
    assert "Content-Range" in about[0].message_zh and any("\u4e00" <= ch <= "\u9fff" for ch in about[0].message_zh)
    # Without httplint, statuskit's own rule reports it.
    alone = [f.rule for f in check(request, response, httplint=False) if "Content-Range" in f.message_en]
    assert alone == ["required-field-missing"]


@pytest.mark.parametrize(
    "response,ours,theirs",
    [
        # httplint calls these BAD; RFC 9110 says SHOULD (§15.4.2) and MAY (§15.3.2).
        ({"status": 301}, "recommended-field-missing", "httplint:REDIRECT_WITHOUT_LOCATION"),
        ({"status": 201}, "optional-field-missing", "httplint:CREATED_WITHOUT_LOCATION"),
        # The registry knows whose code 499 is; httplint only that it is not standard.
        ({"status": 499}, "unofficial-code", "httplint:STATUS_NONSTANDARD"),
        ({"status": 471}, "unassigned-code", "httplint:STATUS_NONSTANDARD"),
        ({"status": 600}, "status-code-out-of-range", "httplint:STATUS_NONSTANDARD"),
    ],
)
def test_statuskit_findings_replace_misrated_notes(response: dict[str, int], ours: str, theirs: str) -> None:
    found = rules({**GET, "method": "POST"} if response["status"] == 201 else GET, response)
    assert ours in found and theirs not in found


def test_303_without_location_is_left_to_httplint() -> None:
    # Same level on both sides (the 303 is defined by its Location), so httplint's note stands.
    found = rules(GET, {"status": 303})
    assert "httplint:REDIRECT_WITHOUT_LOCATION" in found and "required-field-missing" not in found


def test_multipart_206_drops_httplints_false_alarm() -> None:
    # §15.3.7.2 forbids a top-level Content-Range on a multipart 206; httplint asks for one.
    request = {**GET, "headers": {"Range": "bytes=0-1,5-6"}}
    response = {"status": 206, "headers": {"Content-Type": "multipart/byteranges; boundary=B"}}
    assert "httplint:PARTIAL_WITHOUT_RANGE" not in rules(request, response)


def test_content_where_none_is_allowed_is_reported_once() -> None:
    with_octets = rules(GET, {"status": 204, "body": b"hello"})
    assert "httplint:CONTENT_NOT_ALLOWED" in with_octets and "content-forbidden" not in with_octets
    size_only = rules(GET, {"status": 204, "content_length": 5})
    assert "content-forbidden" in size_only and "httplint:CONTENT_NOT_ALLOWED" not in size_only
    head = rules({**GET, "method": "HEAD"}, {"status": 200, "headers": {"Content-Length": "5"}, "body": b"hello"})
    assert head.count("httplint:CONTENT_NOT_ALLOWED") == 1 and "content-forbidden" not in head


def test_410_heuristic_freshness_is_httplints() -> None:
    found = rules(GET, {"status": 410})
    assert "httplint:FRESHNESS_HEURISTIC" in found and "cacheable-error-without-freshness" not in found
    found = rules(GET, {"status": 404})  # not on httplint's heuristic list
    assert "cacheable-error-without-freshness" in found and "httplint:FRESHNESS_HEURISTIC" not in found


# The brief's status-code checks that httplint already makes, each with an
# exchange that shows it still does. statuskit has no rule of its own for these.
RELIED_ON = [
    ("UPGRADE_NOT_REQUESTED", GET, {"status": 101, "headers": {"Upgrade": "websocket", "Connection": "upgrade"}}),
    ("CREATED_SAFE_METHOD", GET, {"status": 201, "headers": {"Location": "/new"}}),
    ("STATUS_417_WITHOUT_EXPECT", GET, {"status": 417}),
    ("STATUS_412_WITHOUT_PRECONDITION", GET, {"status": 412}),
    ("STATUS_406_WITHOUT_NEGOTIATION", GET, {"status": 406}),
    ("STATUS_DEPRECATED", GET, {"status": 305}),
    ("STATUS_RESERVED", GET, {"status": 306}),
    ("STATUS_IM_A_TEAPOT", GET, {"status": 418}),
    ("LOCATION_BAD_URI", GET, {"status": 302, "headers": {"Location": "http://["}}),
    ("BAD_SYNTAX", GET, {"status": 503, "headers": {"Retry-After": "soon"}}),
    ("BAD_SYNTAX", GET, {"status": 301, "headers": {"Location": "/a b"}}),
    (
        "CONNECT_TUNNEL_FRAMING",
        {"method": "CONNECT", "url": "example.test:443"},
        {"status": 200, "headers": {"Content-Length": "0"}},
    ),
    ("PARTIAL_NOT_REQUESTED", GET, {"status": 206, "headers": {"Content-Range": "bytes 0-1/2"}, "body": b"ab"}),
    ("STATUS_416_WITHOUT_RANGE", GET, {"status": 416}),
    ("STATUS_416_WITHOUT_CONTENT_RANGE", {**GET, "headers": {"Range": "bytes=5-"}}, {"status": 416}),
    ("NO_DATE_304", {**GET, "headers": {"If-None-Match": '"a"'}}, {"status": 304, "headers": {"ETag": '"a"'}}),
    ("CONTENT_NOT_ALLOWED", GET, {"status": 304, "body": b"x"}),
]


@pytest.mark.parametrize("note,request_,response", RELIED_ON, ids=[n for n, _, _ in RELIED_ON])
def test_httplint_still_makes_the_checks_statuskit_relies_on(note: str, request_: dict, response: dict) -> None:
    found = rules(request_, response, httplint_info=True)
    # BAD_SYNTAX comes as BAD_SYNTAX_DETAILED when httplint can say where.
    assert any(rule in (f"httplint:{note}", f"httplint:{note}_DETAILED") for rule in found), found


def test_retry_after_syntax_is_checked_by_httplint() -> None:
    def syntax(value: str) -> list[str]:
        found = check(GET, {"status": 503, "headers": {"Retry-After": value}})
        return [f.rule for f in found if f.rule.startswith("httplint:BAD_SYNTAX") and "Retry-After" in f.message_en]

    for good in ("120", "Fri, 31 Dec 1999 23:59:59 GMT"):
        assert syntax(good) == []
    for bad in ("soon", "-5", "1.5", "Friday"):
        assert len(syntax(bad)) == 1, bad


def _httplint_note(name: str) -> type:
    for module in ("httplint.status", "httplint.message", "httplint.cache", "httplint.field"):
        found = getattr(importlib.import_module(module), name, None)
        if found is not None:
            return found  # type: ignore[no-any-return]
    raise AssertionError(f"httplint has no note {name}")


def test_every_note_named_in_statuskit_exists_in_httplint() -> None:
    from httplint import Note

    named = set()
    for table in (field_rules.HTTPLINT_REPORTS, field_rules.HTTPLINT_MISRATES):
        for notes in table.values():
            named.update(notes)
    for rule in RULES:
        named.update(rule.covered_by)
        named.update(rule.supersedes)
    named.add("PARTIAL_WITHOUT_RANGE")  # MultipartWithContentRange.overrides
    for name in sorted(named):
        assert issubclass(_httplint_note(name), Note), name


def test_levels_map_to_severities() -> None:
    findings = {f.rule: f for f in check(GET, {"status": 302, "headers": {"Location": "http://["}})}
    assert findings["httplint:LOCATION_BAD_URI"].severity is Severity.ERROR  # BAD
    findings = {f.rule: f for f in check(GET, {"status": 503, "headers": {"Retry-After": "soon"}})}
    assert findings["httplint:BAD_SYNTAX"].severity is Severity.WARNING  # WARN


def test_httplint_info_notes_only_on_request() -> None:
    assert "httplint:STATUS_NOT_FOUND" not in rules(GET, {"status": 404})
    found = {f.rule: f for f in check(GET, {"status": 404}, httplint_info=True)}
    assert found["httplint:STATUS_NOT_FOUND"].severity is Severity.INFO
    assert not any(
        rule.startswith("httplint:") and f.severity is Severity.INFO
        for rule, f in found.items()
        if rule == "httplint:CL_CORRECT"
    )


def test_httplint_does_not_say_it_twice() -> None:
    found = rules({**GET, "headers": {"If-None-Match": '"a"'}}, {"status": 304, "headers": {"ETag": '"a"'}})
    assert "httplint:NO_DATE_304" in found and "httplint:DATE_CLOCKLESS" not in found


def test_good_notes_never_appear() -> None:
    found = rules(GET, {"status": 200, "headers": {"Content-Length": "2"}, "body": b"ok"}, httplint_info=True)
    assert "httplint:CL_CORRECT" not in found


def test_interim_responses_get_no_caching_notes() -> None:
    exchange = Exchange(
        request=Request(
            method="POST",
            target="http://example.test/",
            fields={"Expect": "100-continue", "Content-Length": "1"},
            body=b"x",
        ),
        response=Response(
            status=200,
            fields={"Date": "Mon, 02 Nov 2026 10:00:00 GMT", "Cache-Control": "no-store", "Content-Length": "0"},
            body=b"",
        ),
        interim=(Response(status=100),),
    )
    assert [f for f in lint_exchange(exchange, httplint_info=True) if f.status == 100] == []


def test_ignore_drops_by_glob() -> None:
    assert not [r for r in rules(GET, {"status": 401}, ignore=["httplint:*"]) if r.startswith("httplint:")]
    assert "required-field-missing" not in rules(GET, {"status": 401}, ignore=["required-*"])


def test_httplint_failure_is_a_finding_not_a_crash(monkeypatch: pytest.MonkeyPatch) -> None:
    import httplint

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(httplint.HttpResponseLinter, "process_headers", broken)
    found = {f.rule: f for f in check(GET, {"status": 401})}
    assert found["httplint:FAILED"].severity is Severity.INFO and "boom" in found["httplint:FAILED"].message_en
    assert "required-field-missing" in found


MISUSE = {
    # Notes of httplint.status that find a misuse: kept at httplint's level.
    "UNEXPECTED_CONTINUE", "UPGRADE_NOT_REQUESTED", "CREATED_SAFE_METHOD", "CREATED_WITHOUT_LOCATION",
    "PARTIAL_NOT_REQUESTED", "PARTIAL_WITHOUT_RANGE", "REDIRECT_WITHOUT_LOCATION", "NO_DATE_304",
    "HEADER_SHOULD_NOT_BE_IN_304", "STATUS_DEPRECATED", "STATUS_RESERVED", "STATUS_NONSTANDARD",
    "STATUS_405_METHOD_IN_ALLOW", "STATUS_406_WITHOUT_NEGOTIATION", "STATUS_412_WITHOUT_PRECONDITION",
    "STATUS_416_WITHOUT_RANGE", "STATUS_416_WITHOUT_CONTENT_RANGE", "STATUS_417_WITHOUT_EXPECT",
    "STATUS_IM_A_TEAPOT", "CONNECT_TUNNEL_FRAMING",
}  # fmt: skip


def test_every_status_note_of_httplint_is_classified() -> None:
    """A new note in httplint.status must be sorted into a finding or a description."""
    import httplint.status
    from httplint import Note

    from statuskit.lint._httplint import DESCRIPTIVE

    notes = {
        name
        for name, value in vars(httplint.status).items()
        if isinstance(value, type) and issubclass(value, Note) and value is not Note
    }
    assert not DESCRIPTIVE & MISUSE
    assert notes == DESCRIPTIVE | MISUSE, (notes - DESCRIPTIVE - MISUSE, (DESCRIPTIVE | MISUSE) - notes)


@pytest.mark.parametrize(
    "code,note", [(414, "STATUS_URI_TOO_LONG"), (505, "STATUS_VERSION_NOT_SUPPORTED"), (400, "STATUS_BAD_REQUEST")]
)
def test_descriptions_are_not_findings(code: int, note: str) -> None:
    assert f"httplint:{note}" not in rules(GET, {"status": code})
    described = {f.rule: f for f in check(GET, {"status": code}, httplint_info=True)}
    assert described[f"httplint:{note}"].severity is Severity.INFO
