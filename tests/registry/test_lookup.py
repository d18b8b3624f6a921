"""The registry against its sources: the IANA snapshot, the seed page, FACTS.md."""

from __future__ import annotations

import http
import pickle

import pytest

import statuskit
from statuskit import InvalidStatusCode, Standing, Status, StatusClass, UnknownStatusName, lookup, statuses

SEED_CODES = [
    100, 101, 102, 103,
    200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
    300, 301, 302, 303, 304, 305, 306, 307, 308,
    400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
    421, 422, 423, 424, 425, 426, 428, 429, 431, 451,
    500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]  # fmt: skip

UNOFFICIAL = {
    440: "Microsoft", 444: "nginx", 449: "Microsoft", 494: "nginx", 495: "nginx", 496: "nginx",
    497: "nginx", 499: "nginx", 509: "cPanel", 520: "Cloudflare", 521: "Cloudflare",
    522: "Cloudflare", 523: "Cloudflare", 524: "Cloudflare", 525: "Cloudflare", 526: "Cloudflare",
    527: "Cloudflare", 530: "Cloudflare", 598: "proxies", 599: "proxies",
}  # fmt: skip

FORMER_NAMES = {
    "Payload Too Large": 413,
    "Request Entity Too Large": 413,
    "Unprocessable Entity": 422,
    "Requested Range Not Satisfiable": 416,
    "Request-URI Too Long": 414,
    "Multiple Choice": 300,
    "I'm a teapot": 418,
    "Moved Temporarily": 302,
    "Gateway Time-out": 504,
}


def test_every_iana_code_with_its_phrase(iana_rows: list[tuple[int, str, str]]) -> None:
    assert len(iana_rows) == 64
    for code, phrase, reference in iana_rows:
        status = lookup(code)
        assert status.phrase == phrase, code
        assert status.is_registered
        assert status.standing is not Standing.UNOFFICIAL
        # The spec document named in the registry is the one we cite.
        number = reference.strip("[]").split("#")[0].split("]")[0]
        if number.isdigit():
            assert status.spec is not None and status.spec.document == f"RFC {number}", code
        if "#section-" in reference:
            assert status.spec is not None
            assert status.spec.section == reference.split("#section-")[1].rstrip("]"), code


def test_registered_codes_are_exactly_the_snapshot(iana_rows: list[tuple[int, str, str]]) -> None:
    registered = [s.code for s in statuskit.statuses() if s.is_registered]
    assert registered == [code for code, _, _ in iana_rows]


def test_every_seed_code_is_known() -> None:
    for code in SEED_CODES:
        assert lookup(code).is_known


def test_standings_from_facts() -> None:
    assert lookup(104).standing is Standing.PROVISIONAL
    assert lookup(305).standing is Standing.DEPRECATED
    assert lookup(306).standing is Standing.UNUSED
    assert lookup(418).standing is Standing.UNUSED
    assert lookup(510).standing is Standing.OBSOLETE
    assert lookup(425).standing is Standing.STANDARD
    assert lookup(451).standing is Standing.STANDARD
    assert "webdav" in lookup(207).flags and "webdav" in lookup(423).flags


@pytest.mark.parametrize("code,who", sorted(UNOFFICIAL.items()))
def test_unofficial_codes_name_their_owner_and_source(code: int, who: str) -> None:
    status = lookup(code)
    assert status.standing is Standing.UNOFFICIAL
    assert not status.is_registered
    assert who in status.owner
    assert status.spec is not None and status.spec.url.startswith("https://")
    # A standard client only knows the class (RFC 9110 §15).
    assert status.understood_as == status.status_class.first


@pytest.mark.parametrize("name,code", sorted(FORMER_NAMES.items()))
def test_former_names_still_resolve(name: str, code: int) -> None:
    assert lookup(name) == code
    assert lookup(name.upper()) == code
    assert lookup(name.lower().replace(" ", "_")) == code


def test_lookup_by_every_http_status_member() -> None:
    for member in http.HTTPStatus:
        assert lookup(member) == member.value
        assert lookup(member) is lookup(member.value)
        assert lookup(member.name) == member.value, member.name
        assert lookup(member.phrase) == member.value, member.phrase


def test_status_behaves_like_its_int() -> None:
    s = lookup(404)
    assert s == 404 and s == 404 and s == http.HTTPStatus.NOT_FOUND
    assert hash(s) == hash(404)
    assert {404: "x"}[s] == "x" and {s: "y"}[404] == "y"
    assert s < 500 and s + 1 == 405
    assert f"{s}" == "404" and "%d" % s == "404"  # noqa: UP031 - %-formatting of a Status is what is tested
    assert isinstance(s, int)
    assert repr(s) == "<Status 404 Not Found>"
    assert Status(404) is s
    assert pickle.loads(pickle.dumps(s)) is s
    with pytest.raises(AttributeError):
        s.phrase = "Nope"  # type: ignore[misc]


def test_constants() -> None:
    assert Status.NOT_FOUND == 404
    assert Status.CONTENT_TOO_LARGE == 413 and Status.REQUEST_ENTITY_TOO_LARGE == 413
    assert Status.IM_A_TEAPOT == 418
    assert lookup(306).constant == "SWITCH_PROXY"
    assert lookup(404).constant == "NOT_FOUND"


def test_class_predicates() -> None:
    assert lookup(101).is_informational
    assert lookup(204).is_success
    assert lookup(308).is_redirection
    assert lookup(404).is_client_error and lookup(404).is_error
    assert lookup(503).is_server_error and lookup(503).is_error
    assert not lookup(302).is_error
    assert lookup(499).status_class is StatusClass.CLIENT_ERROR


def test_iteration_by_class() -> None:
    client = statuskit.by_class("4xx")
    assert client == statuskit.by_class(4) == statuskit.by_class(StatusClass.CLIENT_ERROR)
    assert all(s.is_client_error for s in client)
    assert [int(s) for s in client] == sorted(int(s) for s in client)
    total = sum(len(statuskit.by_class(c)) for c in StatusClass)
    assert total == len(list(statuskit.statuses()))


def test_unassigned_code_is_understood_as_its_class() -> None:
    s = lookup(471)
    assert s == 471
    assert s.standing is Standing.UNASSIGNED
    assert not s.is_known and not s.is_registered
    assert s.understood_as is lookup(400)
    assert lookup("599") == 599 and lookup(150).understood_as == 100
    assert lookup(471) is lookup(471)


@pytest.mark.parametrize("bad", [99, 600, 1000, -404, 0, "1000", "99", "0404", 404.5, True, None, [404], "", "  "])
def test_invalid_input_raises_a_typed_error(bad: object) -> None:
    with pytest.raises(InvalidStatusCode) as info:
        lookup(bad)
    assert isinstance(info.value, ValueError)
    assert info.value.value == bad


def test_unknown_and_ambiguous_names() -> None:
    with pytest.raises(UnknownStatusName) as info:
        lookup("Not A Real Status")
    assert info.value.candidates == ()
    assert isinstance(info.value, LookupError)
    with pytest.raises(UnknownStatusName) as amb:
        lookup("(Unused)")
    assert amb.value.candidates == (306, 418)


def test_get_returns_default() -> None:
    assert statuskit.get(404) == 404
    assert statuskit.get("nope") is None
    assert statuskit.get(1000, "x") == "x"


def test_spec_links() -> None:
    assert lookup(404).spec.url == "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5"  # type: ignore[union-attr]
    assert lookup(429).spec.citation == "RFC 6585 §4"  # type: ignore[union-attr]
    assert "resumable-upload" in lookup(104).spec.url  # type: ignore[union-attr]


def test_understood_as() -> None:
    # RFC 9110 §15: a recipient treats a code it does not know as the x00 of its class.
    assert lookup(471).understood_as == 400
    assert lookup(599).understood_as == 500
    assert lookup(404).understood_as == 404
    assert lookup(520).understood_as == 500  # unofficial: unknown to standard clients


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_understood_as_agrees_with_the_client_text(lang: str) -> None:
    # The registry says one thing: a code understood as another has a client
    # text naming that code, and the "(Unused)" codes (306, 418) fall back to
    # their class's x00 as every unknown code does (RFC 9110 §15).
    assert lookup(418).understood_as is lookup(400) and lookup(306).understood_as is lookup(300)
    for status in statuses():
        fallback = status.understood_as
        if fallback is not status:
            assert str(fallback.code) in status.describe(lang).client, status.code
        if status.standing is Standing.UNUSED:
            assert fallback.code == status.status_class.first, status.code
