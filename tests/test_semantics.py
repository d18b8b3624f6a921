"""The RFC 9110 rules held as data, checked fact by fact against FACTS.md."""

from __future__ import annotations

import pytest

from statuskit import lookup, semantics, statuses
from statuskit.semantics import Level


def test_interim_and_final() -> None:
    for status in statuses():
        assert semantics.is_interim(status) == (100 <= status < 200)
    assert semantics.is_interim(150)  # unassigned 1xx is still interim


@pytest.mark.parametrize("code", [100, 101, 102, 103, 104, 204, 205, 304])
def test_codes_that_never_carry_content(code: int) -> None:
    assert not semantics.allows_content(code)
    assert semantics.no_content_reason(code).startswith("RFC 9110 §")


def test_head_never_carries_content() -> None:
    for status in statuses():
        assert not semantics.allows_content(status, "HEAD")
    assert semantics.no_content_reason(200, "HEAD") == "RFC 9110 §9.3.2"


def test_content_allowed_elsewhere() -> None:
    for code in (200, 201, 206, 301, 404, 500, 503):
        assert semantics.allows_content(code, "GET")
        assert semantics.no_content_reason(code) == ""
    assert not semantics.allows_content(200, "CONNECT")


def test_content_length_rules() -> None:
    # RFC 9110 §8.6
    for code in (100, 101, 103, 204):
        assert not semantics.allows_content_length(code)
    assert not semantics.allows_content_length(200, "CONNECT")
    for code in (200, 205, 304, 404):
        assert semantics.allows_content_length(code)


def test_heuristic_cacheability() -> None:
    cacheable = {200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 451, 501}
    for status in statuses():
        assert semantics.cacheability(status).heuristic == (status in cacheable), int(status)
    assert semantics.cacheability(451).section == "RFC 7725 §3"
    assert semantics.cacheability(404).section == "RFC 9110 §15.1"
    assert not semantics.cacheability(421).heuristic  # RFC 9110 Appendix B.3


@pytest.mark.parametrize(
    "code,section", [(428, "RFC 6585 §3"), (429, "RFC 6585 §4"), (431, "RFC 6585 §5"), (511, "RFC 6585 §6")]
)
def test_must_not_store(code: int, section: str) -> None:
    c = semantics.cacheability(code)
    assert not c.storable and not c.heuristic and c.section == section


FIELD_FACTS = [
    (101, "Upgrade", Level.MUST, "RFC 9110 §15.2.2"),
    (101, "Connection", Level.MUST, "RFC 9110 §7.8"),
    (426, "Upgrade", Level.MUST, "RFC 9110 §15.5.22"),
    (201, "Location", Level.MAY, "RFC 9110 §15.3.2"),
    (301, "Location", Level.SHOULD, "RFC 9110 §15.4.2"),
    (302, "Location", Level.SHOULD, "RFC 9110 §15.4.3"),
    (303, "Location", Level.MUST, "RFC 9110 §15.4.4"),
    (307, "Location", Level.SHOULD, "RFC 9110 §15.4.8"),
    (308, "Location", Level.SHOULD, "RFC 9110 §15.4.9"),
    (300, "Location", Level.SHOULD, "RFC 9110 §15.4.1"),
    (401, "WWW-Authenticate", Level.MUST, "RFC 9110 §15.5.2"),
    (407, "Proxy-Authenticate", Level.MUST, "RFC 9110 §15.5.8"),
    (405, "Allow", Level.MUST, "RFC 9110 §15.5.6"),
    (206, "Content-Range", Level.MUST, "RFC 9110 §15.3.7.1"),
    (416, "Content-Range", Level.SHOULD, "RFC 9110 §15.5.17"),
    (413, "Retry-After", Level.SHOULD, "RFC 9110 §15.5.14"),
    (429, "Retry-After", Level.MAY, "RFC 6585 §4"),
    (503, "Retry-After", Level.MAY, "RFC 9110 §15.6.4"),
    (451, "Link", Level.SHOULD, "RFC 7725 §4"),
    (103, "Link", Level.MAY, "RFC 8297 §2"),
    (304, "ETag", Level.MUST, "RFC 9110 §15.4.5"),
    (304, "Vary", Level.MUST, "RFC 9110 §15.4.5"),
    (206, "Cache-Control", Level.MUST, "RFC 9110 §15.3.7"),
    (415, "Accept-Encoding", Level.SHOULD, "RFC 9110 §15.5.16"),
]


@pytest.mark.parametrize("code,field,level,section", FIELD_FACTS)
def test_field_rules(code: int, field: str, level: Level, section: str) -> None:
    rules = [r for r in semantics.field_rules(code) if r.field == field]
    assert rules, f"{code} has no rule for {field}"
    assert any(r.level is level and r.section == section for r in rules)


def test_required_fields_respects_conditions() -> None:
    assert [r.field for r in semantics.required_fields(401)] == ["WWW-Authenticate"]
    assert semantics.required_fields(413) == ()
    assert [r.field for r in semantics.required_fields(413, ["temporary"])] == ["Retry-After"]
    assert [r.field for r in semantics.required_fields(416, ["byte-range"])] == ["Content-Range"]
    assert semantics.required_fields(429) == ()  # MAY only
    assert semantics.required_fields(404) == ()
    single = [r.field for r in semantics.required_fields(206, ["single-part"])]
    assert single == ["Content-Range"]
    multi = [r.field for r in semantics.required_fields(206, ["multipart"])]
    assert multi == ["Content-Type"]


def test_every_rule_cites_a_section() -> None:
    for code, rules in semantics.FIELD_RULES.items():
        assert lookup(code).is_known
        for rule in rules:
            assert rule.section.startswith("RFC ") and "§" in rule.section


def test_version_rules() -> None:
    assert not semantics.may_be_sent_to(100, "1.0")
    assert semantics.may_be_sent_to(100, "1.1") and semantics.may_be_sent_to(200, "1.0")
    assert not semantics.interims_allowed("1.0") and semantics.interims_allowed("1.1")


def test_summary_shape() -> None:
    doc = semantics.summary(405)
    assert doc["interim"] is False and doc["content"] is True
    assert doc["cacheability"] == {"heuristic": True, "storable": True, "section": "RFC 9110 §15.1"}
    assert doc["fields"][0]["field"] == "Allow" and doc["fields"][0]["level"] == "MUST"
    assert semantics.summary(303)["method_change"]


# -- facts the linter reads (RFC 9110 §14.2, §13.2.2, §14.1.2, §10.2.1) ------------


def test_range_handling_is_defined_for_get_only() -> None:
    assert semantics.answers_range("GET") and semantics.answers_range("get")
    for method in ("HEAD", "POST", "PUT", "DELETE", "OPTIONS"):
        assert not semantics.answers_range(method)


@pytest.mark.parametrize(
    "method,fields,expected",
    [
        ("GET", ["If-None-Match"], True),
        ("HEAD", ["if-modified-since"], True),
        ("GET", [], False),
        ("GET", ["If-Match", "If-Unmodified-Since"], False),  # those fail with 412, not 304
        ("POST", ["If-None-Match"], False),  # §13.1.2: other methods get 412
        ("PUT", ["If-Modified-Since"], False),
    ],
)
def test_who_may_get_304(method: str, fields: list[str], expected: bool) -> None:
    assert semantics.may_answer_not_modified(method, fields) is expected


def test_byte_range_satisfiable() -> None:
    # §14.1.2: int-range satisfiable iff first-pos < length; suffix iff suffix-length > 0
    assert semantics.byte_range_satisfiable(0, None, 10)  # bytes=0-9
    assert semantics.byte_range_satisfiable(9, None, 10)  # bytes=9-
    assert not semantics.byte_range_satisfiable(10, None, 10)  # bytes=10-20
    assert semantics.byte_range_satisfiable(None, 5, 0)  # bytes=-5 of nothing
    assert not semantics.byte_range_satisfiable(None, 0, 10)  # bytes=-0
    assert not semantics.byte_range_satisfiable(0, None, 0)


def test_request_fact_tables() -> None:
    assert semantics.EMPTY_VALUE_MEANINGFUL == {"Allow": "RFC 9110 §10.2.1"}
    assert semantics.CLIENT_FAULTS["malformed-content"] == (400, "RFC 9110 §15.5.1")
    assert semantics.CLIENT_FAULTS["length-required"] == (411, "RFC 9110 §15.5.12")
    assert {"POST", "PUT"} == semantics.CONTENT_METHODS
    assert semantics.LOST_UPDATE_PRECONDITIONS == ("If-Match", "If-Unmodified-Since")
    assert {rule.field for rule in semantics.field_rules(426)} == semantics.UPGRADE_FIELDS


def test_415_must_not_carry_accept_encoding_unless_about_codings() -> None:
    # RFC 9110 §12.5.3
    bans = semantics.field_bans(415)
    assert [(b.field, b.section) for b in bans] == [("Accept-Encoding", "RFC 9110 §12.5.3")]
    assert semantics.field_bans(415, ["unsupported-coding"]) == ()
    assert semantics.field_bans(404) == ()


def test_every_rule_text_has_its_chinese() -> None:
    # semantics states conditions and values in English; locales/zh-CN/semantics.json
    # translates each, so the page, the CLI and the linter speak Chinese throughout.
    import re

    from statuskit.registry.texts import rule_text

    token = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
    texts = {t for rules in semantics.FIELD_RULES.values() for r in rules for t in (r.value, r.when)}
    texts |= set(semantics.METHOD_CHANGE.values())
    texts |= {ban.when for bans in semantics.FIELD_BANS.values() for ban in bans}
    for text in sorted(t for t in texts if t and not token.fullmatch(t)):
        zh = rule_text(text, "zh-CN")
        assert re.search(r"[\u4e00-\u9fff]", zh) or text.startswith("multipart/"), text
    assert semantics.rule_texts(semantics.field_rules(413)[0], "zh-CN") == ("", "这种情况只是暂时的")
    assert semantics.summary(307, lang="zh-CN")["method_change"] == "必须保持原方法和请求内容"
