"""The strict negotiation of the resources (negotiate.parse_accept and friends), from RFC 9110's own examples."""

from __future__ import annotations

import pytest

from statuskit.responder import RequestError
from statuskit.responder.negotiate import (
    Variant,
    language_quality,
    media_quality,
    parse_accept,
    parse_accept_language,
    parse_codings,
    parse_qvalue,
    select_variant,
    split_list,
)

# RFC 9110 §12.5.1, Table 5: the quality each media type gets from one Accept value.
TABLE_5_ACCEPT = "text/*;q=0.3, text/plain;q=0.7, text/plain;format=flowed, text/plain;format=fixed;q=0.4, */*;q=0.5"


@pytest.mark.parametrize(
    ("media", "params", "quality"),
    [
        ("text/plain", (("format", "flowed"),), 1.0),
        ("text/plain", (), 0.7),
        ("text/html", (), 0.3),
        ("image/jpeg", (), 0.5),
        ("text/plain", (("format", "fixed"),), 0.4),
        ("text/html", (("level", "3"),), 0.3),
    ],
)
def test_table_5_of_rfc_9110(media: str, params: tuple[tuple[str, str], ...], quality: float) -> None:
    # The RFC's table lists text/html;level=3 at 0.7, left over from RFC 7231's
    # example, whose field had text/html;q=0.7. In RFC 9110's field the most
    # specific range that matches it is text/* (0.3), by the RFC's own rule.
    assert media_quality(parse_accept(TABLE_5_ACCEPT), media, params) == quality


@pytest.mark.parametrize(
    ("text", "value"),
    [("0", 0.0), ("0.", 0.0), ("0.5", 0.5), ("0.123", 0.123), ("1", 1.0), ("1.000", 1.0), (" 1.0 ", 1.0)],
)
def test_qvalues(text: str, value: float) -> None:
    assert parse_qvalue(text, "Accept") == value


@pytest.mark.parametrize("text", ["1.001", "0.1234", "2", "-0", ".5", "abc", "", "1e0", "0,5"])
def test_bad_qvalues_are_named(text: str) -> None:
    with pytest.raises(RequestError, match=r"Accept: q=.* is not a weight from 0 to 1"):
        parse_qvalue(text, "Accept")


@pytest.mark.parametrize("accept", ["text", "text/", "*/html", "text/html;q", "text/html; q=2", "te xt/html"])
def test_bad_media_ranges_are_named(accept: str) -> None:
    with pytest.raises(RequestError, match="Accept: "):
        parse_accept(accept)


def test_q_is_weight_wherever_it_stands_and_quoted_commas_do_not_split() -> None:
    (only,) = parse_accept('text/plain;q=0.5;format="a,b"')
    assert only.q == 0.5 and only.params == (("format", "a,b"),)
    assert split_list('a, "b,c", , d') == ["a", '"b,c"', "d"]


@pytest.mark.parametrize(
    ("accept_language", "tag", "quality"),
    [
        ("zh", "zh-CN", 1.0),  # RFC 4647 §3.3.1: a prefix matches at a "-"
        ("zh-CN", "zh-CN", 1.0),
        ("zh-TW", "zh-CN", 0.0),
        ("z", "zh-CN", 0.0),
        ("*;q=0.1, en", "zh-CN", 0.1),
        ("zh;q=0.8, zh-CN;q=0", "zh-CN", 0.0),  # the longest range decides
        ("EN-us, en;q=0.5", "en", 0.5),
        ("da, en-gb;q=0.8, en;q=0.7", "en", 0.7),  # §12.5.4's example
    ],
)
def test_language_basic_filtering(accept_language: str, tag: str, quality: float) -> None:
    assert language_quality(parse_accept_language(accept_language), tag) == quality


def test_bad_language_ranges_and_codings() -> None:
    with pytest.raises(RequestError, match="Accept-Language"):
        parse_accept_language("en_US")
    with pytest.raises(RequestError, match="Accept-Language"):
        parse_accept_language("en;level=1")
    assert parse_codings("gzip;q=1.0, identity; q=0.5, *;q=0") == (("gzip", 1.0), ("identity", 0.5), ("*", 0.0))


VARIANTS = (
    Variant("text/plain", "en", "/t.en"),
    Variant("text/plain", "zh-CN", "/t.zh"),
    Variant("application/json", "en", "/j.en"),
    Variant("application/json", "zh-CN", "/j.zh"),
)


@pytest.mark.parametrize(
    ("accept", "accept_language", "url"),
    [
        (None, None, "/t.en"),
        ("", "", "/t.en"),
        ("application/json", None, "/j.en"),
        ("application/json;q=0.9, text/plain;q=0.8", "zh", "/j.zh"),
        ("*/*;q=0.1, application/json", "en;q=0.2, zh-CN", "/j.zh"),
        ("text/*", "zh-CN;q=0.5, en;q=0.6", "/t.en"),
        ("image/png", None, None),
        ("*/*;q=0", None, None),  # §12.4.3: how a client asks for 406
        ("application/json", "fr", None),
        ("text/plain;q=0, */*", None, "/j.en"),
    ],
)
def test_select_variant(accept: str | None, accept_language: str | None, url: str | None) -> None:
    chosen = select_variant(VARIANTS, accept, accept_language)
    assert (chosen.url if chosen is not None else None) == url
