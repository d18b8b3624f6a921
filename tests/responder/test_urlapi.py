"""The URL API's grammar: code lists and parameters, valid and invalid, from tables."""

from __future__ import annotations

import random
from urllib.parse import parse_qsl

import pytest
from hypothesis import given, strategies as st

from statuskit.responder import Request
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import FaultKind
from statuskit.responder.urlapi import (
    MAX_QUERY_FIELDS,
    CodeSpec,
    looks_like_spec,
    parameter_pieces,
    parse_params,
    parse_spec,
    query_pairs,
    query_parameters,
)

VALID_SPECS = [
    ("404", (404,), None),
    ("100", (100,), None),
    ("599", (599,), None),
    ("200,503", (200, 503), None),
    ("200:0.9,503:0.1", (200, 503), (0.9, 0.1)),
    ("200:1,503:0", (200, 503), (1.0, 0.0)),
    ("200:.5,503:2", (200, 503), (0.5, 2.0)),
    ("500-504", (500, 501, 502, 503, 504), None),
    ("200,500-502", (200, 500, 501, 502), None),
    ("%32%30%30,404", (200, 404), None),
    (" 200 , 404 ", (200, 404), None),
]


@pytest.mark.parametrize("text,codes,weights", VALID_SPECS)
def test_valid_specs(text: str, codes: tuple[int, ...], weights: tuple[float, ...] | None) -> None:
    spec = parse_spec(text)
    assert spec.codes == codes
    if weights is None:
        assert spec.weights is None or set(spec.weights) == {1.0}
    else:
        assert spec.weights == weights


INVALID_SPECS = [
    ("99", "99 is not a status code"),
    ("600", "600 is not a status code"),
    ("1000", "1000 is not a status code"),
    ("0404", "0404 is not a status code"),
    ("abc", "'abc'"),
    ("200,", "empty item"),
    (",200", "empty item"),
    ("200,,404", "empty item"),
    ("200:x", "weight 'x'"),
    ("200:-1", "weight '-1'"),
    ("200:1e3", "weight '1e3'"),
    ("200:inf", "weight 'inf'"),
    ("200:nan", "weight 'nan'"),
    ("200:0,500:0", "add up to zero"),
    ("200,500:1", "every code a weight, or none"),
    ("504-500", "goes down"),
    ("500-504:1", "cannot have a weight"),
    ("500-", "'' in"),
    ("100-599,100-599", "more than every code"),
    (",".join(["200"] * 101), "too many codes"),
    ("%ff", "UTF-8"),
    ("2" * 3000, "too long"),
]


@pytest.mark.parametrize("text,words", INVALID_SPECS)
def test_invalid_specs_name_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(RequestError) as caught:
        parse_spec(text)
    assert words in caught.value.detail
    assert caught.value.status == 400
    assert "\n" not in caught.value.detail


def test_looks_like_spec() -> None:
    assert looks_like_spec("404") and looks_like_spec("200:0.5,503-504") and looks_like_spec("99")
    assert looks_like_spec("200,abc")
    assert not looks_like_spec("foo") and not looks_like_spec("") and not looks_like_spec("favicon.ico")


def test_picks_are_uniform_weighted_and_reproducible() -> None:
    rng = random.Random(1)
    picks = [parse_spec("200,503").pick(rng) for _ in range(200)]
    assert {200, 503} == set(picks)
    assert all(parse_spec("200:1,503:0").pick(rng) == 200 for _ in range(100))
    spec = CodeSpec((500, 501, 502), None)
    assert [spec.pick(random.Random(7)) for _ in range(5)] == [spec.pick(random.Random(7))] * 5


def _params(query: str = "", headers: tuple[tuple[str, str], ...] = (), max_sleep_ms: int = 5000):
    return parse_params(Request.build("GET", "/200" + (f"?{query}" if query else ""), headers=headers), max_sleep_ms)


VALID_PARAMS = [
    ("sleep=0", "sleep", 0.0),
    ("sleep=1500", "sleep", 1.5),
    ("sleep=5000", "sleep", 5.0),
    ("then=404", "then", 404),
    ("phrase=Hello%20There", "phrase", "Hello There"),
    ("phrase=", "phrase", ""),
    ("location=/200", "location", "/200"),
    ("location=/status/404%3Fx%3D1", "location", "/status/404?x=1"),
    ("retry_after=120", "retry_after", "120"),
    ("retry-after=120", "retry_after", "120"),
    ("retry_after=Sun,%2006%20Nov%201994%2008:49:37%20GMT", "retry_after", "Sun, 06 Nov 1994 08:49:37 GMT"),
    ("temporary=1", "temporary", True),
    ("temporary=no", "temporary", False),
    ("temporary", "temporary", True),
    ("seed=42", "seed", 42),
    ("lang=zh-CN", "lang", "zh-CN"),
    ("unknown=ignored&_=123", "sleep", 0.0),
]


@pytest.mark.parametrize("query,name,value", VALID_PARAMS)
def test_valid_params(query: str, name: str, value: object) -> None:
    assert getattr(_params(query), name) == value


def test_faults() -> None:
    assert _params("fault=drop").fault.kind is FaultKind.DROP
    dribble = _params("fault=dribble").fault
    assert dribble.kind is FaultKind.DRIBBLE and dribble.duration == 1.0
    assert _params("fault=stall").fault.duration == 5.0  # the cap
    assert _params("fault=STALL:250").fault.duration == 0.25


INVALID_PARAMS = [
    ("sleep=abc", "sleep: 'abc' is not a whole number of milliseconds"),
    ("sleep=-1", "sleep: '-1'"),
    ("sleep=1.5", "sleep: '1.5'"),
    ("sleep=1e3", "sleep: '1e3'"),
    ("sleep=", "sleep: ''"),
    ("sleep=5001", "5001 ms is over the server's limit of 5000 ms (--max-sleep)"),
    ("sleep=9999999999999", "sleep"),
    ("sleep=1&sleep=2", "sleep is given more than once"),
    ("then=99", "then: '99' is not a final status code"),
    ("then=102", "then: '102'"),
    ("then=600", "then: '600'"),
    ("then=abc", "then: 'abc'"),
    ("phrase=a%0d%0aSet-Cookie:%20x=1", "phrase"),
    ("phrase=%00", "phrase"),
    ("phrase=%C3%A9t%C3%A9", "visible ASCII"),
    ("phrase=" + "x" * 129, "longer than 128"),
    ("location=//evil.example", "not a path on this server"),
    ("location=http://evil.example/", "not a path on this server"),
    ("location=/%5Cevil.example", "not a path on this server"),
    ("location=evil", "not a path on this server"),
    ("location=/a%20b", "not a path on this server"),
    ("location=/a%0d%0aX:%20y", "not a path on this server"),
    ("retry_after=soon", "retry_after: 'soon'"),
    ("retry_after=-5", "retry_after: '-5'"),
    ("retry_after=Sunday,%2006-Nov-94%2008:49:37%20GMT", "retry_after"),
    ("temporary=maybe", "temporary: 'maybe'"),
    ("fault=explode", "fault: 'explode' is not a fault"),
    ("fault=stall:6000", "--max-sleep"),
    ("fault=dribble:x", "fault: 'x'"),
    ("seed=abc", "seed: 'abc'"),
    ("&".join(f"p{i}=1" for i in range(65)) + "&sleep=1", "too many query parameters"),
]


@pytest.mark.parametrize("query,words", INVALID_PARAMS)
def test_invalid_params_name_what_is_wrong(query: str, words: str) -> None:
    with pytest.raises(RequestError) as caught:
        _params(query)
    assert words in caught.value.detail
    assert "\n" not in caught.value.detail and "\r" not in caught.value.detail


def test_header_forms_and_the_query_wins() -> None:
    assert _params(headers=(("x-statuskit-sleep", "200"),)).sleep == 0.2
    assert _params(headers=(("x-httpstatus-sleep", "300"),)).sleep == 0.3
    assert _params("sleep=100", headers=(("x-statuskit-sleep", "200"),)).sleep == 0.1
    assert _params(headers=(("x-statuskit-fault", "drop"),)).fault.kind is FaultKind.DROP
    with pytest.raises(RequestError, match="sleep"):
        _params(headers=(("x-statuskit-sleep", "soon"),))


@given(st.text(alphabet="ab=&+%2Fé ;", max_size=30))
def test_query_pairs_split_as_parse_qsl_does(query: str) -> None:
    # The quick split of the usual query must not change what a parameter means.
    assert query_pairs(query) == parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)


def test_too_many_query_pairs_are_refused_as_before() -> None:
    for query in ("a&" * (MAX_QUERY_FIELDS - 1) + "a", "a%20&" * (MAX_QUERY_FIELDS - 1) + "a"):
        assert len(query_pairs(query)) == MAX_QUERY_FIELDS
    for query in ("&" * MAX_QUERY_FIELDS, "%20&" * MAX_QUERY_FIELDS):
        with pytest.raises(RequestError, match="too many query parameters"):
            query_pairs(query)


def _parameters_or_error(query: str) -> object:
    try:
        return query_parameters(query)
    except RequestError as exc:
        return exc.detail


_PIECE = st.sampled_from(["n=1", "n=2", "seed=3", "seed=4", "lang=zh-CN", "retry-after=5", "retry_after=5", "sleepy=1"])


@given(st.lists(_PIECE | st.text(alphabet="aen=+%2&", max_size=6), max_size=6), st.lists(_PIECE, max_size=4))
def test_the_parameters_are_a_function_of_the_parameter_pieces(pieces: list[str], noise: list[str]) -> None:
    # The memo by inputs keys the URL API by these pieces: equal pieces must mean equal parameters (or errors).
    query = "&".join(pieces)
    other = "&".join([*pieces, *(piece for piece in noise if piece.startswith("n="))])
    assert parameter_pieces(query) == parameter_pieces(other)
    assert _parameters_or_error(query) == _parameters_or_error(other)
    assert parameter_pieces("n=1&" + query) == parameter_pieces(query)
    kept = parameter_pieces(query)
    if kept is not None:
        # The pieces alone give the same answer as the whole query.
        assert _parameters_or_error("&".join(kept)) == _parameters_or_error(query)


def test_parameter_pieces_leave_cache_busters_out() -> None:
    assert parameter_pieces("n=7") == ()
    assert parameter_pieces("retry_after=5&n=7") == ("retry_after=5",)
    assert parameter_pieces("a%20b=1&n=7") == ("a%20b=1",)
    assert parameter_pieces("&" * MAX_QUERY_FIELDS) is None
