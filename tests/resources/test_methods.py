"""Methods: /methods allows GET and PUT only; the echo endpoints take the methods their names say.

RFC 9110 §15.5.6: a 405 MUST carry Allow listing the resource's methods.
HEAD is implied by GET (§9.3.2) and OPTIONS is answered, so both are listed.
httpbin answers the wrong method on /get with 405 but without Allow; here
every 405 has it.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Callable

import httpx
import pytest
import requests

from statuskit.server import ServerThread

from .conftest import CurlResult, Raw

ALLOW = "GET, HEAD, PUT, OPTIONS"


@pytest.mark.parametrize("method", ["POST", "DELETE", "PATCH", "TRACE", "PROPFIND"])
def test_methods_refuses_others_with_405_and_allow(raw: Callable[..., Raw], method: str) -> None:
    response = raw("/methods", method=method)
    assert response.status == 405
    assert response.header("Allow") == ALLOW
    assert method.encode() in response.body


def test_methods_options_lists_allow_with_204(raw: Callable[..., Raw]) -> None:
    response = raw("/methods", method="OPTIONS")
    assert response.status == 204
    assert response.header("Allow") == ALLOW
    assert response.header("Content-Length") is None and response.body == b""


def test_methods_get_head_put(server: ServerThread, raw: Callable[..., Raw]) -> None:
    url = server.url_for("/methods")
    assert httpx.put(url, json={"v": 1}, timeout=5).status_code == 204
    get = raw("/methods")
    assert get.status == 200 and json.loads(get.body) == {"v": 1}
    head = raw("/methods", method="HEAD")
    assert head.status == 200 and head.body == b""
    assert head.header("Content-Length") == get.header("Content-Length")
    assert head.header("Content-Type") == get.header("Content-Type") == "application/json"
    assert requests.put(url, data="plain words", headers={"Content-Type": "text/plain"}, timeout=5).status_code == 204
    assert requests.get(url, timeout=5).text == "plain words"
    bad = requests.put(url, data=b"<x/>", headers={"Content-Type": "application/xml"}, timeout=5)
    assert bad.status_code == 415 and bad.headers["Accept"] == "application/json, text/plain"
    assert "Accept-Encoding" not in bad.headers and "Accept-Post" not in bad.headers
    assert requests.put(url, data=b"{", headers={"Content-Type": "application/json"}, timeout=5).status_code == 400


def test_methods_with_curl(server: ServerThread, curl: Callable[..., CurlResult]) -> None:
    assert curl("-X", "DELETE", server.url_for("/methods")).status == 405
    assert (
        curl("-X", "PUT", "-H", "Content-Type: application/json", "-d", '{"c": 1}', server.url_for("/methods")).status
        == 204
    )


ECHO_METHODS = {"get": "GET", "post": "POST", "put": "PUT", "patch": "PATCH", "delete": "DELETE"}


@pytest.mark.parametrize("name", list(ECHO_METHODS))
def test_echo_endpoints_take_their_method_and_refuse_the_others(raw: Callable[..., Raw], name: str) -> None:
    method = ECHO_METHODS[name]
    good = raw(f"/{name}?a=1&a=2&b=", method=method, body=b"" if method in ("GET", "DELETE") else b"x")
    assert good.status == 200
    echo = json.loads(good.body)
    assert echo["method"] == method and echo["args"] == {"a": ["1", "2"], "b": ""}
    other = "POST" if method == "GET" else "GET"
    refused = raw(f"/{name}", method=other)
    expected = f"{method}, HEAD, OPTIONS" if method == "GET" else f"{method}, OPTIONS"
    assert (refused.status, refused.header("Allow")) == (405, expected)
    options = raw(f"/{name}", method="OPTIONS")
    assert (options.status, options.header("Allow")) == (204, expected)
    assert raw(f"/{name}/below").status == 404


def test_anything_echoes_every_method_path_header_and_content(server: ServerThread) -> None:
    for method in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "PROPFIND"):
        response = httpx.request(
            method, server.url_for("/anything/deep/path?q=1"), headers={"X-Test": "yes"}, content=b"abc", timeout=5
        )
        echo = response.json()
        assert (echo["method"], echo["path"], echo["headers"]["X-Test"], echo["data"]) == (
            method,
            "/anything/deep/path",
            "yes",
            "abc",
        )
        assert echo["url"] == server.url_for("/anything/deep/path?q=1")
        assert echo["origin"] == "127.0.0.1"


def test_echo_parses_json_forms_and_files(server: ServerThread) -> None:
    url = server.url_for("/post")
    assert requests.post(url, json={"k": [1, 2]}, timeout=5).json()["json"] == {"k": [1, 2]}
    assert requests.post(url, data={"a": "1", "b": "两"}, timeout=5).json()["form"] == {"a": "1", "b": "两"}
    multipart = requests.post(url, data={"field": "v"}, files={"up": ("f.txt", b"file body")}, timeout=5).json()
    assert multipart["form"] == {"field": "v"} and multipart["files"] == {"up": "file body"}
    binary = requests.post(url, data=b"\xff\x00", timeout=5).json()
    assert binary["data"] == "data:application/octet-stream;base64,/wA="


@pytest.mark.parametrize(
    ("coding", "encode"),
    [
        ("gzip", gzip.compress),
        ("x-gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("deflate", lambda data: zlib.compress(data)[2:-4]),  # a bare deflate stream, as some clients send
    ],
)
def test_echo_decodes_coded_request_content(
    server: ServerThread, coding: str, encode: Callable[[bytes], bytes]
) -> None:
    body = json.dumps({"coded": coding}).encode()
    response = requests.post(
        server.url_for("/anything"),
        data=encode(body),
        headers={"Content-Encoding": coding, "Content-Type": "application/json"},
        timeout=5,
    )
    echo = response.json()
    assert echo["json"] == {"coded": coding} and echo["decoded"] == [coding]


def test_echo_refuses_unknown_coding_and_bad_gzip(raw: Callable[..., Raw]) -> None:
    brotli = raw("/anything", method="POST", headers={"Content-Encoding": "br"}, body=b"\x0b\x02\x80")
    assert brotli.status == 415 and brotli.header("Accept-Encoding") == "gzip, deflate"
    assert brotli.header("Accept") is None
    broken = raw("/anything", method="POST", headers={"Content-Encoding": "gzip"}, body=b"not gzip at all")
    assert broken.status == 400 and b"not valid gzip" in broken.body
    truncated = raw(
        "/anything", method="POST", headers={"Content-Encoding": "gzip"}, body=gzip.compress(b"x" * 100)[:-6]
    )
    assert truncated.status == 400


def test_gzip_bomb_is_413_not_memory(raw: Callable[..., Raw]) -> None:
    # 64 KiB is the test server's --max-body; 10 MiB of zeros compress to about 10 KiB.
    bomb = gzip.compress(b"\0" * (10 * 1024 * 1024))
    assert len(bomb) < 64 * 1024
    response = raw("/anything", method="POST", headers={"Content-Encoding": "gzip"}, body=bomb)
    assert response.status == 413 and b"once decoded" in response.body


def test_trace_on_anything_reflects_the_request_without_credentials(raw: Callable[..., Raw]) -> None:
    response = raw(
        "/anything/t", method="TRACE", headers={"X-Probe": "1", "Authorization": "Basic c2VjcmV0", "Cookie": "a=b"}
    )
    assert response.status == 200 and response.header("Content-Type") == "message/http"
    assert response.body.startswith(b"TRACE /anything/t HTTP/1.1\r\n")
    assert b"X-Probe: 1" in response.body
    assert b"c2VjcmV0" not in response.body and b"a=b" not in response.body
