"""No linter error in any answer of /etag, /cache, /conditional-put, /range, /ratelimit, /unstable and /gateway.

Each exchange goes through the real server with httpx and into
`statuskit.lint.check(request, response)` (statuskit's rules and httplint's
notes merged), with the request that makes the answer meaningful.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import httpx
import pytest

from statuskit.lint import Severity, check
from statuskit.server import ServerConfig, ServerThread

NAME = f"/conditional-put/lint-{random.randrange(10**9)}"

# (method, path, request fields, body, expected status)
EXCHANGES: list[tuple[str, str, dict[str, str], bytes, int]] = [
    ("GET", "/etag/abc", {}, b"", 200),
    ("HEAD", "/etag/abc", {}, b"", 200),
    ("GET", "/etag/abc", {"If-None-Match": '"abc"'}, b"", 304),
    ("GET", "/etag/abc?weak=1", {"If-None-Match": '"abc"'}, b"", 304),
    ("GET", "/etag/abc", {"If-Match": '"xyz"'}, b"", 412),
    ("GET", "/etag/abc", {"If-Match": '"xyz"', "If-None-Match": '"abc"'}, b"", 412),
    ("PUT", "/etag/abc", {}, b"x", 405),
    ("OPTIONS", "/etag/abc", {}, b"", 204),
    ("GET", "/cache", {}, b"", 200),
    ("GET", "/cache/60", {}, b"", 200),
    ("GET", "/cache?etag=weak", {}, b"", 200),
    ("GET", "/cache", {"If-Modified-Since": "Sat, 01 Jan 2022 00:00:00 GMT"}, b"", 304),
    ("GET", "/cache?etag=none", {"If-Modified-Since": "Sat, 01 Jan 2022 00:00:00 GMT"}, b"", 304),
    ("GET", "/cache", {"If-Unmodified-Since": "Fri, 31 Dec 2021 00:00:00 GMT"}, b"", 412),
    ("GET", "/cache/abc", {}, b"", 400),
    ("GET", "/range/1000", {}, b"", 200),
    ("HEAD", "/range/1000", {"Range": "bytes=0-9"}, b"", 200),
    ("GET", "/range/1000", {"Range": "bytes=0-9"}, b"", 206),
    ("GET", "/range/1000", {"Range": "bytes=-100"}, b"", 206),
    ("GET", "/range/1000", {"Range": "bytes=0-9,100-109"}, b"", 206),
    ("GET", "/range/1000", {"Range": "bytes=0-9", "If-Range": '"range-1000"'}, b"", 206),
    ("GET", "/range/1000", {"Range": "bytes=0-9", "If-Range": '"old"'}, b"", 200),
    ("GET", "/range/1000", {"Range": "bytes=2000-"}, b"", 416),
    ("GET", "/range/1000", {"Range": "bytes=" + ",".join(f"{i}-{i}" for i in range(0, 500, 2))}, b"", 416),
    ("GET", "/range/1000", {"Range": "bytes=0-9", "If-None-Match": '"range-1000"'}, b"", 304),
    ("GET", "/range/0", {}, b"", 200),
    ("GET", "/range/99999999", {}, b"", 400),
    ("POST", "/range/10", {}, b"x", 405),
    ("GET", NAME, {}, b"", 200),
    ("PUT", NAME, {}, b"new", 428),
    ("PUT", NAME, {"If-Match": '"stale"'}, b"new", 412),
    ("PUT", NAME, {"If-Match": "*", "Content-Type": "text/plain"}, b"new", 204),
    ("PUT", NAME, {"If-None-Match": "*"}, b"new", 412),
    ("DELETE", NAME, {"If-Match": "*"}, b"", 204),
    ("GET", NAME, {}, b"", 404),
    ("PUT", NAME, {"If-None-Match": "*", "Content-Type": "text/plain"}, b"back", 201),
    ("GET", "/ratelimit/2/60", {}, b"", 200),
    ("GET", "/ratelimit/2/60", {}, b"", 200),
    ("GET", "/ratelimit/2/60", {}, b"", 429),
    ("GET", "/ratelimit/0/60", {}, b"", 400),
    ("GET", "/unstable?failure_rate=0", {}, b"", 200),
    ("GET", "/unstable?failure_rate=1", {}, b"", 503),
    ("GET", "/unstable?failure_rate=7", {}, b"", 400),
    ("GET", "/gateway/200", {}, b"", 200),
    ("GET", "/gateway/404", {}, b"", 404),
    ("GET", "/gateway/304", {"If-None-Match": '"statuskit"'}, b"", 304),
    ("GET", "/gateway/502", {}, b"", 502),
    ("GET", "/gateway/502?upstream=drop-mid-body", {}, b"", 502),
    ("GET", "/gateway/504?timeout=200", {}, b"", 504),
    ("HEAD", "/gateway/200", {}, b"", 200),
    ("GET", "/gateway/200", {"Via": "1.1 statuskit"}, b"", 508),
    ("GET", "/200?fault=garbage", {}, b"", 0),  # no response to lint: the client fails
]


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    config = ServerConfig.from_options(port=0, access_log=False, max_sleep_ms=2000, max_range_bytes=100_000)
    with ServerThread(config) as server, httpx.Client(base_url=server.url, timeout=10) as client:
        yield client


def test_every_answer_is_clean(client: httpx.Client) -> None:
    # In order: the conditional-put and rate-limit rows build on the ones before them.
    problems = []
    for method, path, fields, body, status in EXCHANGES:
        if status == 0:
            with pytest.raises(httpx.RemoteProtocolError):
                client.request(method, path, headers=fields, content=body or None)
            continue
        response = client.request(method, path, headers=fields, content=body or None)
        assert response.status_code == status, (method, path, fields, response.text)
        errors = [f for f in check(response.request, response) if f.severity is Severity.ERROR]
        problems.extend(f"{method} {path} {fields}: {f.rule} {f.message_en}" for f in errors)
    assert problems == []
