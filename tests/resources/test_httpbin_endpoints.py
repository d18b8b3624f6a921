"""httpbin's endpoints with real clients: requests, httpx, urllib3, aiohttp, curl and raw sockets.

Each test asserts what a client written against httpbin reads: the JSON
keys, the cookies its jar ends up with, the codings it decodes, the chunks
it streams. Bad parameters are 400 with a reason (test_fuzz.py and the
hypothesis test at the end hold every endpoint to "never 500").
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import socket
import uuid
import zlib
from collections.abc import Callable

import aiohttp
import brotli
import httpx
import pytest
import requests
import urllib3
from hypothesis import HealthCheck, given, settings, strategies as st

from statuskit.responder import Request, Responder, ResponderConfig
from statuskit.server import ServerThread

from .conftest import CurlResult, Raw, raw_request


def test_inspection_endpoints_with_requests(server: ServerThread) -> None:
    headers = {"User-Agent": "probe/1.0", "X-Thing": "a"}
    assert requests.get(server.url_for("/user-agent"), headers=headers, timeout=5).json() == {"user-agent": "probe/1.0"}
    shown = requests.get(server.url_for("/headers"), headers=headers, timeout=5).json()["headers"]
    assert shown["X-Thing"] == "a" and shown["Host"] == f"127.0.0.1:{server.port}"
    assert "Content-Type" not in shown  # nothing the client did not send
    assert requests.get(server.url_for("/ip"), timeout=5).json() == {"origin": "127.0.0.1"}
    first, second = (requests.get(server.url_for("/uuid"), timeout=5).json()["uuid"] for _ in range(2))
    assert first != second and uuid.UUID(first).version == 4


def test_echo_shapes_to_the_key(server: ServerThread) -> None:
    response = requests.post(
        server.url_for("/post?k=1&k=2&one=x"),
        data={"f": ["a", "b"], "g": "c"},
        files={"up": ("u.txt", b"one"), "up2": ("v.bin", b"\xff\x00")},
        timeout=5,
    )
    document = response.json()
    assert {"args", "data", "files", "form", "headers", "json", "origin", "url", "method"} <= set(document)
    assert document["args"] == {"k": ["1", "2"], "one": "x"}
    assert document["form"] == {"f": ["a", "b"], "g": "c"}
    assert document["files"]["up"] == "one" and document["files"]["up2"].startswith(
        "data:application/octet-stream;base64,"
    )
    assert document["json"] is None and document["data"] == ""


def test_cookies_set_follow_and_delete_with_a_requests_session(server: ServerThread) -> None:
    with requests.Session() as session:
        landed = session.get(server.url_for("/cookies/set?flavour=oat&count=2"), timeout=5)
        assert landed.history[0].status_code == 302 and landed.url.endswith("/cookies")
        assert landed.json() == {"cookies": {"flavour": "oat", "count": "2"}}
        assert session.get(server.url_for("/cookies/set/size/big"), timeout=5).json()["cookies"]["size"] == "big"
        gone = session.get(server.url_for("/cookies/delete?flavour&size"), timeout=5)
        assert gone.json() == {"cookies": {"count": "2"}}
        assert dict(session.cookies) == {"count": "2"}


def test_set_cookie_fields_on_the_wire(raw: Callable[..., Raw]) -> None:
    response = raw('/cookies/set?a=1&q="x:y"')
    assert response.status == 302 and response.header("Location") == "/cookies"
    assert response.all("Set-Cookie") == ["a=1; Path=/", 'q="x:y"; Path=/']
    deleted = raw("/cookies/delete?a")
    assert deleted.all("Set-Cookie") == ["a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]
    refused = raw("/cookies/set?a=b%20c")
    assert refused.status == 400 and b"RFC 6265" in refused.body


def test_codings_decoded_by_each_client(server: ServerThread) -> None:
    for path, flag in (("/gzip", "gzipped"), ("/deflate", "deflated"), ("/brotli", "brotli")):
        assert requests.get(server.url_for(path), timeout=5).json()[flag] is True
        assert httpx.get(server.url_for(path), timeout=5).json()[flag] is True
    raw_gzip = urllib3.request("GET", server.url_for("/gzip"), decode_content=False, preload_content=True)
    assert (
        raw_gzip.headers["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(raw_gzip.data))["method"] == "GET"
    )
    raw_deflate = urllib3.request("GET", server.url_for("/deflate"), decode_content=False)
    assert json.loads(zlib.decompress(raw_deflate.data))["deflated"] is True  # the zlib format (RFC 9110 §8.4.1.2)
    raw_br = urllib3.request("GET", server.url_for("/brotli"), decode_content=False)
    assert raw_br.headers["Content-Encoding"] == "br" and json.loads(brotli.decompress(raw_br.data))["brotli"] is True


def test_documents_and_their_media_types(server: ServerThread) -> None:
    expected = {
        "/html": "text/html; charset=utf-8",
        "/json": "application/json",
        "/xml": "application/xml",
        "/robots.txt": "text/plain; charset=utf-8",
        "/deny": "text/plain; charset=utf-8",
        "/encoding/utf8": "text/html; charset=utf-8",
        "/forms/post": "text/html; charset=utf-8",
    }
    with httpx.Client(base_url=server.url, timeout=5) as client:
        for path, media in expected.items():
            response = client.get(path)
            assert response.status_code == 200 and response.headers["Content-Type"] == media, path
        assert "slideshow" in client.get("/json").json()
        assert "Disallow: /deny" in client.get("/robots.txt").text
        assert "中文" in client.get("/encoding/utf8").text
        assert 'action="/post"' in client.get("/forms/post").text
        assert client.get("/encoding/utf16").status_code == 404


@pytest.mark.parametrize(
    ("accept", "media", "magic"),
    [
        ("image/webp", "image/webp", b"RIFF"),
        ("image/svg+xml", "image/svg+xml", b"<?xml"),
        ("image/jpeg", "image/jpeg", b"\xff\xd8\xff"),
        ("image/png", "image/png", b"\x89PNG"),
        ("image/*", "image/png", b"\x89PNG"),
    ],
)
def test_image_by_accept(server: ServerThread, accept: str, media: str, magic: bytes) -> None:
    response = requests.get(server.url_for("/image"), headers={"Accept": accept}, timeout=5)
    assert response.status_code == 200 and response.headers["Content-Type"] == media
    assert response.content.startswith(magic) and response.headers["Vary"] == "Accept"
    name = media.split("/")[1].removesuffix("+xml")
    assert requests.get(server.url_for(f"/image/{name}"), timeout=5).content == response.content


def test_image_406_lists_the_formats(server: ServerThread) -> None:
    response = httpx.get(server.url_for("/image"), headers={"Accept": "text/plain"}, timeout=5)
    assert response.status_code == 406 and "/image/png" in response.json()["alternates"]


def test_base64_bytes_and_links(server: ServerThread, curl: Callable[..., CurlResult]) -> None:
    assert curl(server.url_for("/base64/c3RhdHVza2l0IHdvcmtz")).body == "statuskit works"
    bad = curl(server.url_for("/base64/not*base64"))
    assert bad.status == 400 and "base64" in bad.body
    one = requests.get(server.url_for("/bytes/64?seed=7"), timeout=5).content
    assert len(one) == 64 and one == requests.get(server.url_for("/bytes/64?seed=7"), timeout=5).content
    assert requests.get(server.url_for("/bytes/64"), timeout=5).content != one
    page = requests.get(server.url_for("/links/4"), timeout=5)
    assert page.url.endswith("/links/4/0") and page.text.count("<a href=") == 3


def test_stream_is_chunked_json_lines(server: ServerThread) -> None:
    with requests.get(server.url_for("/stream/5?x=1"), stream=True, timeout=5) as response:
        assert response.headers["Transfer-Encoding"] == "chunked" and "Content-Length" not in response.headers
        lines = [json.loads(line) for line in response.iter_lines()]
    assert [line["id"] for line in lines] == [0, 1, 2, 3, 4]
    assert lines[0]["args"] == {"x": "1"} and lines[0]["url"].endswith("/stream/5?x=1")


def test_stream_bytes_chunks_on_the_wire(server: ServerThread) -> None:
    data = requests.get(server.url_for("/bytes/25?seed=3"), timeout=5).content
    response = raw_request(server.port, "/stream-bytes/25?chunk_size=10&seed=3")
    assert response.header("Transfer-Encoding") == "chunked" and response.header("Content-Length") is None
    assert (
        response.body == b"a\r\n" + data[:10] + b"\r\na\r\n" + data[10:20] + b"\r\n5\r\n" + data[20:] + b"\r\n0\r\n\r\n"
    )
    assert requests.get(server.url_for("/stream-bytes/25?chunk_size=10&seed=3"), timeout=5).content == data


def test_stream_to_http_1_0_has_a_length(server: ServerThread) -> None:
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /stream/2 HTTP/1.0\r\nHost: x\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    assert b"\r\nTransfer-Encoding:" not in head and f"Content-Length: {len(body)}".encode() in head


def test_drip_and_delay(server: ServerThread) -> None:
    async def drip() -> tuple[int, bytes, str]:
        async with (
            aiohttp.ClientSession() as session,
            session.get(server.url_for("/drip?numbytes=20&duration=0.2&code=201")) as response,
        ):
            return response.status, await response.read(), response.headers["Content-Length"]

    assert asyncio.run(drip()) == (201, b"*" * 20, "20")
    delayed = httpx.put(server.url_for("/delay/0.1?z=9"), content=b"hello", timeout=5)
    assert delayed.status_code == 200 and delayed.json()["args"] == {"z": "9"} and delayed.json()["data"] == "hello"
    assert httpx.get(server.url_for("/delay/4"), timeout=5).status_code == 400  # over the session server's --max-sleep


def test_response_headers(server: ServerThread) -> None:
    response = requests.get(server.url_for("/response-headers?X-One=1&X-Many=a&X-Many=b&freeform=x%20y"), timeout=5)
    assert (
        response.headers["X-One"] == "1"
        and response.headers["X-Many"] == "a, b"
        and response.headers["freeform"] == "x y"
    )
    document = response.json()
    assert document["X-Many"] == ["a", "b"] and int(document["Content-Length"]) == len(response.content)
    posted = requests.post(server.url_for("/response-headers?Content-Type=text/plain"), timeout=5)
    assert posted.headers["Content-Type"] == "text/plain"
    refused = requests.get(server.url_for("/response-headers?Transfer-Encoding=chunked"), timeout=5)
    assert refused.status_code == 400 and "Transfer-Encoding" in refused.text


def test_redirect_to_relative_and_own_host(server: ServerThread) -> None:
    followed = requests.get(server.url_for("/redirect-to?url=get"), timeout=5)
    assert followed.status_code == 200 and followed.url == server.url_for("/get")
    other_port = "http://127.0.0.1:1/x"
    answer = requests.get(server.url_for("/redirect-to"), params={"url": other_port}, allow_redirects=False, timeout=5)
    assert answer.status_code == 302 and answer.headers["Location"] == other_port  # the same host, another port
    https = requests.get(
        server.url_for("/redirect-to"), params={"url": "https://127.0.0.1/"}, allow_redirects=False, timeout=5
    )
    assert https.status_code == 302
    refused = requests.get(
        server.url_for("/redirect-to"), params={"url": "http://example.com/"}, allow_redirects=False, timeout=5
    )
    assert refused.status_code == 400 and "not an open redirect" in refused.text


def test_digest_stale_after_and_the_fake_cookie(server: ServerThread) -> None:
    url = server.url_for("/digest-auth/auth/user/pass/SHA-512/2")
    with requests.Session() as session:
        session.auth = requests.auth.HTTPDigestAuth("user", "pass")
        first = session.get(url, timeout=5)
        assert first.status_code == 200 and session.cookies["fake"] == "fake_value"
        assert session.cookies["stale_after"] == "1"
        second = session.get(url, timeout=5)
        assert second.status_code == 200 and session.cookies["stale_after"] == "0"
        # The count is used up: a stale challenge, with the count set again. requests answers it, but
        # with the Cookie field of the request it retries (its prepare_cookies keeps an existing one),
        # so the count is still 0 and the retry is stale too: the same as against httpbin.
        third = session.get(url, timeout=5)
        assert third.status_code == 401 and "stale=true" in third.headers["WWW-Authenticate"]
        assert third.history[0].status_code == 401 and "stale=true" in third.history[0].headers["WWW-Authenticate"]
        assert session.cookies["stale_after"] == "2"
        assert session.get(url, timeout=5).status_code == 200  # the cookie jar holds the new count now
    never = requests.get(
        server.url_for("/digest-auth/auth/u/p/MD5/never"), auth=requests.auth.HTTPDigestAuth("u", "p"), timeout=5
    )
    assert never.status_code == 200 and never.cookies["fake"] == "fake_value"


def test_digest_require_cookie(server: ServerThread, raw: Callable[..., Raw]) -> None:
    url = server.url_for("/digest-auth/auth/u/p?require-cookie=1")
    # requests carries the challenge's cookies over to its answer.
    assert requests.get(url, auth=requests.auth.HTTPDigestAuth("u", "p"), timeout=5).status_code == 200
    target = "/digest-auth/auth/u/p?require-cookie=1"
    credentials = {"Authorization": 'Digest username="u"'}
    assert raw(target, headers=credentials).status == 401  # no Cookie at all: challenged again
    refused = raw(target, headers={**credentials, "Cookie": "other=1"})
    assert refused.status == 403 and refused.header("Set-Cookie") == "fake=fake_value; Path=/"


# -- bad parameters: 400 with a reason, never 500 ----------------------------------------------

RESPONDER = Responder(ResponderConfig(max_sleep_ms=2000, max_range_bytes=4096))
ROUTES = [
    "headers",
    "ip",
    "user-agent",
    "uuid",
    "cookies",
    "cookies/set",
    "cookies/delete",
    "gzip",
    "deflate",
    "brotli",
    "html",
    "json",
    "xml",
    "robots.txt",
    "deny",
    "encoding",
    "forms",
    "image",
    "base64",
    "links",
    "bytes",
    "stream-bytes",
    "stream",
    "drip",
    "delay",
    "response-headers",
    "redirect-to",
    "digest-auth/auth/u/p/MD5",
]
TEXT = st.text(alphabet=st.sampled_from('aZ09-_.~%2F:,;= "\\\x7f\x00é'), max_size=12)
PARAM = st.sampled_from(
    [
        "seed",
        "chunk_size",
        "numbytes",
        "duration",
        "delay",
        "code",
        "url",
        "status_code",
        "require-cookie",
        "Content-Length",
        "X-A",
        "a b",
    ]
)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS"]),
    route=st.sampled_from(ROUTES),
    segments=st.lists(TEXT, max_size=3),
    params=st.lists(st.tuples(PARAM, TEXT), max_size=4),
)
def test_bad_parameters_are_4xx_with_a_reason(
    method: str, route: str, segments: list[str], params: list[tuple[str, str]]
) -> None:
    from urllib.parse import quote

    path = "/" + "/".join([route, *(quote(s, safe="") for s in segments)])
    query = "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in params)
    request = Request.build(
        method, path + (f"?{query}" if query else ""), headers=[("host", "h:1")], client=("127.0.0.1", 9)
    )
    plan = RESPONDER.answer(request)  # the store steps performed (digest-auth asks for its secret)
    assert plan.status < 500, plan.body
    if plan.status == 400 and method != "HEAD":
        assert plan.body.startswith(b"400 Bad Request\n") and len(plan.body.splitlines()[1]) > 10
    for name, value in plan.headers:
        assert "\r" not in value and "\n" not in value, (name, value)


def test_sizes_and_waits_are_bounded_by_the_server_limits() -> None:
    for target in (
        "/bytes/4097",
        "/stream-bytes/4097",
        "/stream/1000",
        "/links/200/0",
        "/drip?numbytes=4097",
        "/drip?duration=3",
        "/delay/2.5",
    ):
        plan = RESPONDER.respond(Request.build("GET", target))
        assert plan.status == 400 and (
            b"--max-range-bytes" in plan.body or b"--max-sleep" in plan.body or b"out of range" in plan.body
        ), target
    assert hashlib.sha256(RESPONDER.respond(Request.build("GET", "/bytes/4096?seed=1")).body).hexdigest()


def test_stream_over_http2_is_data_frames(server: ServerThread) -> None:
    with httpx.Client(http1=False, http2=True, timeout=5) as client:  # h2c with prior knowledge
        response = client.get(server.url_for("/stream/3"))
    assert response.http_version == "HTTP/2" and "transfer-encoding" not in response.headers
    assert [json.loads(line)["id"] for line in response.text.splitlines()] == [0, 1, 2]
    assert response.headers["content-length"] == str(len(response.content))
