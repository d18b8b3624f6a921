"""/negotiate end to end: variants by Accept and Accept-Language; 406; 415 with Accept, Accept-Post, Accept-Encoding."""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable

import httpx
import pytest
import requests

from statuskit.server import ServerThread

from .conftest import CurlResult, Raw


@pytest.mark.parametrize(
    ("accept", "language", "content_type", "content_language", "location"),
    [
        (None, None, "text/plain; charset=utf-8", "en", "/negotiate/en.txt"),
        ("application/json", None, "application/json", "en", "/negotiate/en.json"),
        (
            "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8",
            "zh-CN,zh;q=0.9,en;q=0.8",
            "text/html; charset=utf-8",
            "zh-CN",
            "/negotiate/zh-CN.html",
        ),
        (
            "application/json;q=0.5, text/plain;q=0.4",
            "en;q=0.1, zh",
            "application/json",
            "zh-CN",
            "/negotiate/zh-CN.json",
        ),
        ("*/*", "zh-Hans-CN, en;q=0.5", "text/plain; charset=utf-8", "en", "/negotiate/en.txt"),
    ],
)
def test_the_preferred_variant_with_vary(
    raw: Callable[..., Raw],
    accept: str | None,
    language: str | None,
    content_type: str,
    content_language: str,
    location: str,
) -> None:
    headers = {k: v for k, v in (("Accept", accept), ("Accept-Language", language)) if v is not None}
    response = raw("/negotiate", headers=headers)
    assert response.status == 200
    assert response.header("Content-Type") == content_type
    assert response.header("Content-Language") == content_language
    assert response.header("Content-Location") == location
    assert response.header("Vary") == "Accept, Accept-Language"
    # The variant at its own URL is the same representation, not negotiated.
    variant = raw(location)
    assert variant.body == response.body and variant.header("Vary") is None


def test_chinese_text_is_chinese(server: ServerThread) -> None:
    response = httpx.get(server.url_for("/negotiate"), headers={"Accept-Language": "zh"}, timeout=5)
    assert "你好" in response.text and response.headers["content-language"] == "zh-CN"
    assert httpx.get(server.url_for("/negotiate/zh-CN.json"), timeout=5).json()["language"] == "zh-CN"


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"Accept": "image/png"}, "Accept: image/png matches none of"),
        ({"Accept": "*/*;q=0"}, "matches none of"),
        ({"Accept-Language": "fr, de;q=0.5"}, "Accept-Language: fr, de;q=0.5 matches none of en, zh-CN"),
        ({"Accept": "image/*", "Accept-Language": "fr"}, "neither"),
        ({"Accept": "application/json", "Accept-Language": "en;q=0, zh-CN;q=0"}, "Accept-Language"),
    ],
)
def test_406_lists_the_alternates(raw: Callable[..., Raw], headers: dict[str, str], words: str) -> None:
    response = raw("/negotiate", headers=headers)
    assert response.status == 406
    document = json.loads(response.body)
    assert words in document["detail"]
    assert {a["url"] for a in document["alternates"]} == {
        f"/negotiate/{lang}.{ext}" for lang in ("en", "zh-CN") for ext in ("txt", "json", "html")
    }
    assert response.header("Vary") == "Accept, Accept-Language"
    link = response.header("Link") or ""
    assert '</negotiate/zh-CN.html>; rel="alternate"; type="text/html"; hreflang="zh-CN"' in link


def test_406_with_requests_and_curl(server: ServerThread, curl: Callable[..., CurlResult]) -> None:
    response = requests.get(server.url_for("/negotiate"), headers={"Accept": "application/xml"}, timeout=5)
    assert response.status_code == 406 and len(response.json()["alternates"]) == 6
    assert curl("-H", "Accept: audio/*", server.url_for("/negotiate")).status == 406
    assert curl("-H", "Accept: application/json", server.url_for("/negotiate")).status == 200


@pytest.mark.parametrize(
    ("name", "value"),
    [("Accept", "text/html;q=1.5"), ("Accept", "html"), ("Accept-Language", "en_GB"), ("Accept-Language", "en;q=.5")],
)
def test_malformed_negotiation_fields_are_400_naming_them(raw: Callable[..., Raw], name: str, value: str) -> None:
    response = raw("/negotiate", headers={name: value})
    assert response.status == 400 and f"{name}: ".encode() in response.body


def test_post_json_text_and_gzip(server: ServerThread) -> None:
    url = server.url_for("/negotiate")
    assert requests.post(url, json={"a": 1}, timeout=5).json()["received"]["json"] == {"a": 1}
    text = requests.post(url, data="行", headers={"Content-Type": "text/plain; charset=utf-8"}, timeout=5).json()
    assert text["received"]["text"] == "行"
    coded = httpx.post(
        url,
        content=gzip.compress(b'{"zipped": true}'),
        headers={"Content-Type": "application/json", "Content-Encoding": "gzip"},
        timeout=5,
    ).json()["received"]
    assert coded == {"media_type": "application/json", "length": 16, "decoded": ["gzip"], "json": {"zipped": True}}


@pytest.mark.parametrize(
    "content_type", ["application/xml", "text/csv", None, "text/plain; charset=latin-1", "nonsense"]
)
def test_415_for_a_media_type_carries_accept_and_accept_post_not_accept_encoding(
    raw: Callable[..., Raw], content_type: str | None
) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = raw("/negotiate", method="POST", headers=headers, body=b"x")
    assert response.status == 415
    assert response.header("Accept") == "application/json, text/plain"
    assert response.header("Accept-Post") == "application/json, text/plain"
    # RFC 9110 §12.5.3: a 415 unrelated to content codings MUST NOT carry Accept-Encoding.
    assert response.header("Accept-Encoding") is None


def test_415_for_a_coding_carries_accept_encoding(server: ServerThread, curl: Callable[..., CurlResult]) -> None:
    response = httpx.post(
        server.url_for("/negotiate"),
        content=b"x",
        headers={"Content-Type": "text/plain", "Content-Encoding": "zstd"},
        timeout=5,
    )
    assert response.status_code == 415 and response.headers["accept-encoding"] == "gzip, deflate"
    assert "zstd" in response.text
    assert (
        curl(
            "-H",
            "Content-Encoding: compress",
            "-H",
            "Content-Type: text/plain",
            "-d",
            "x",
            server.url_for("/negotiate"),
        ).status
        == 415
    )


def test_options_and_other_methods(raw: Callable[..., Raw]) -> None:
    options = raw("/negotiate", method="OPTIONS")
    assert options.status == 204
    assert options.header("Allow") == "GET, HEAD, POST, OPTIONS"
    assert options.header("Accept-Post") == "application/json, text/plain"
    assert raw("/negotiate", method="PUT").header("Allow") == "GET, HEAD, POST, OPTIONS"
    assert raw("/negotiate/en.json", method="POST").status == 405
    assert raw("/negotiate/fr.json").status == 404
