"""Proactive negotiation: media type and language, from tables."""

from __future__ import annotations

import pytest

from statuskit.responder.errors import RequestError
from statuskit.responder.negotiate import choose_language, choose_media_type, explicit_language

MEDIA = [
    (None, "text/plain"),
    ("", "text/plain"),
    ("*/*", "text/plain"),
    ("text/plain", "text/plain"),
    ("application/json", "application/json"),
    ("text/html", "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),  # browsers
    ("application/json, text/plain, */*", "application/json"),  # axios
    ("text/plain;q=0.5, application/json", "application/json"),
    ("application/json;q=0, */*", "text/plain"),
    ("text/*", "text/plain"),
    ("text/*;q=0.3, text/html;q=0.7", "text/html"),
    ("image/png", "text/plain"),  # nothing fits: disregard Accept (RFC 9110 §12.5.1)
    ("application/json;q=bogus, text/html", "text/html"),
    ("application/json;q=2", "text/plain"),
    (";;;,,,/", "text/plain"),
    ("APPLICATION/JSON", "application/json"),
]


@pytest.mark.parametrize("accept,expected", MEDIA)
def test_media_type(accept: str | None, expected: str) -> None:
    assert choose_media_type(accept) == expected


LANGUAGES = [
    (None, "en"),
    ("en-US,en;q=0.9", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"),
    ("zh", "zh-CN"),
    ("zh-Hans-CN", "zh-CN"),
    ("zh-TW", "en"),  # Traditional Chinese is not what we have
    ("fr, de;q=0.5", "en"),
    ("fr, zh;q=0.5", "zh-CN"),
    ("en;q=0.1, zh;q=0.9", "zh-CN"),
    ("zh;q=0, en", "en"),
    ("*", "en"),
    ("garbage;;;", "en"),
]


@pytest.mark.parametrize("header,expected", LANGUAGES)
def test_language(header: str | None, expected: str) -> None:
    assert choose_language(header) == expected


def test_explicit_language() -> None:
    assert explicit_language("zh-CN") == "zh-CN"
    assert explicit_language("en") == "en"
    with pytest.raises(RequestError, match="lang: 'fr' is not available"):
        explicit_language("fr")
