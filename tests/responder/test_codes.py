"""Per-code fields come from `semantics.field_rules`, for every code, and nothing is left unproduced."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from statuskit import semantics, statuses
from statuskit.responder import Request, Responder
from statuskit.responder.behaviours import BEHAVIOURS
from statuskit.responder.codes import HELD_CONDITIONS, PRODUCERS, producer_for

RESPONDER = Responder()
ALL_RULES = [(code, rule) for code, rules in semantics.FIELD_RULES.items() for rule in rules]


@pytest.mark.parametrize("code,rule", ALL_RULES, ids=[f"{c}-{r.field}-{r.condition or 'always'}" for c, r in ALL_RULES])
def test_every_rule_that_can_hold_has_a_producer(code: int, rule: semantics.FieldRule) -> None:
    # A rule added to semantics without a way to produce it fails here, not silently on the wire.
    if rule.condition in HELD_CONDITIONS or rule.condition == "temporary":
        assert producer_for(rule) is not None, f"no producer for {rule!r} of {code}"
    else:
        # The conditions the URL API never meets: several ranges (see /range), and a
        # request refused for its content coding (see /negotiate, §12.5.3).
        assert rule.condition in ("multipart", "unsupported-coding")


def test_no_code_carries_a_field_semantics_bans() -> None:
    # RFC 9110 §12.5.3: a 415 not about codings must not carry Accept-Encoding.
    for code, bans in semantics.FIELD_BANS.items():
        plan = RESPONDER.respond(Request.build("POST", f"/{code}"))
        names = {name.lower() for name, _ in plan.headers}
        for ban in bans:
            assert ban.field.lower() not in names, (code, ban)


def test_producers_are_for_fields_semantics_knows() -> None:
    fields = {rule.field for _, rule in ALL_RULES}
    assert set(PRODUCERS) <= fields


FINAL = [s for s in statuses() if not semantics.is_interim(s) and s.code not in (444,)]


@pytest.mark.parametrize("status", FINAL, ids=str)
@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_plan_of_every_final_code(status, method: str) -> None:
    plan = RESPONDER.respond(Request.build(method, f"/{status.code}"))
    assert plan.status == status.code and plan.reason == status.reason
    names = {name.lower() for name, _ in plan.headers}
    for rule in semantics.required_fields(status, HELD_CONDITIONS):
        if rule.condition != "200-would":
            assert rule.field.lower() in names, f"{status} lacks {rule.field}"
    assert "content-length" not in names and "transfer-encoding" not in names  # framing is the engine's
    if not semantics.allows_content(status, method):
        assert plan.body == b""
    policy = semantics.content_length(status, method)
    if policy is semantics.ContentLength.ABSENT:
        assert plan.content_length is None
    if method == "HEAD":
        get = RESPONDER.respond(Request.build("GET", f"/{status.code}"))
        assert plan.content_length == get.content_length


def test_behaviours_are_for_real_codes() -> None:
    known = {s.code for s in statuses()}
    assert set(BEHAVIOURS) <= known


def test_413_retry_after_only_when_temporary() -> None:
    assert RESPONDER.respond(Request.build("GET", "/413")).header("Retry-After") is None
    assert RESPONDER.respond(Request.build("GET", "/413?temporary=1&retry_after=30")).header("Retry-After") == "30"


def test_retry_after_for_redirects_on_request() -> None:
    # RFC 9110 §10.2.3: with a 3xx, the minimum time to wait before following.
    assert RESPONDER.respond(Request.build("GET", "/307?retry_after=2")).header("Retry-After") == "2"
    assert RESPONDER.respond(Request.build("GET", "/307")).header("Retry-After") is None


def test_451_and_103_links() -> None:
    assert 'rel="blocked-by"' in RESPONDER.respond(Request.build("GET", "/451")).header("Link")
    early = RESPONDER.respond(Request.build("GET", "/103")).interims[0]
    assert "rel=preload" in dict(early.headers)["Link"]


@pytest.mark.parametrize(
    "value,content_range,body",
    [
        ("bytes=0-0", "bytes 0-0/1024", b"a"),
        ("bytes=-3", "bytes 1021-1023/1024", b"hij"),
        ("bytes=1020-", "bytes 1020-1023/1024", b"ghij"),
        ("bytes=26-28, 0-1", "bytes 26-28/1024", b"abc"),
        ("bytes=5000-", "bytes 0-511/1024", None),
        ("items=0-5", "bytes 0-511/1024", None),
    ],
)
def test_206_ranges(value: str, content_range: str, body: bytes | None) -> None:
    plan = RESPONDER.respond(Request.build("GET", "/206", headers=(("range", value),)))
    assert plan.header("Content-Range") == content_range
    first, last = (int(x) for x in content_range.split()[1].split("/")[0].split("-"))
    assert len(plan.body) == last - first + 1 == plan.content_length
    if body is not None:
        assert plan.body == body


nasty = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x2FF), max_size=60)


@settings(max_examples=300, deadline=None)
@given(
    path=nasty,
    query=nasty,
    method=st.sampled_from(["GET", "HEAD", "POST", "OPTIONS", "PUT", "BREW", "CONNECT"]),
    names=st.lists(
        st.sampled_from(
            [
                "x-statuskit-sleep",
                "x-statuskit-fault",
                "x-statuskit-response-",
                "accept",
                "accept-language",
                "range",
                "x-statuskit-response-x",
                "origin",
                "access-control-request-method",
                "upgrade",
                "connection",
            ]
        ),
        max_size=4,
    ),
    values=st.lists(nasty, min_size=4, max_size=4),
)
def test_nothing_escapes_the_responder(path: str, query: str, method: str, names: list[str], values: list[str]) -> None:
    headers = tuple(zip(names, values, strict=False))
    target = "/" + path + ("?" + query if query else "")
    plan = RESPONDER.respond(Request.build(method, target, headers=headers))
    assert 100 <= plan.status <= 599
    assert plan.status != 500
