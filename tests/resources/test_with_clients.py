"""Validators, ranges, rate limits and the gateway with real clients against the real server (docs/resources-b.md).

A caching client (hishel over httpx, requests-cache over requests) really
revalidates and gets a 304; a download stopped half-way really resumes with
Range and If-Range (httpx, and curl -C -); a client that honours Retry-After
really gets through a rate limit and an unstable endpoint; the gateway
really produces 502 and 504 from an upstream that misbehaves. Raw sockets
check the exact fields where a client library would hide them.
"""

from __future__ import annotations

import asyncio
import email
import random
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import aiohttp
import hishel
import hishel.httpx
import httpx
import pytest
import requests
import requests_cache
import urllib3

from statuskit import semantics
from statuskit.responder.ranges import deterministic_bytes
from statuskit.server import ServerConfig, ServerProcess, ServerThread

MAX_RANGE = 300_000
CURL = "curl"


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    config = ServerConfig.from_options(
        port=0, access_log=False, max_sleep_ms=3000, max_range_bytes=MAX_RANGE, max_ranges=10
    )
    with ServerThread(config) as thread:
        yield thread


def wire(server: ServerThread, request: str) -> tuple[str, dict[str, str], bytes]:
    """One request on its own connection (closed by the request); status line, fields, content."""
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(request.replace("\n", "\r\n").encode("latin-1"))
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    fields: dict[str, str] = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        assert name.lower() not in fields, f"{name} repeated"
        fields[name.lower()] = value.strip()
    return lines[0], fields, body


# -- caching clients -----------------------------------------------------------------------


class Recording(httpx.HTTPTransport):
    """What went over the network: (If-None-Match sent, status received) per request."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[tuple[str | None, int]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        self.seen.append((request.headers.get("if-none-match"), response.status_code))
        return response


def hishel_client(server: ServerThread) -> tuple[httpx.Client, Recording]:
    network = Recording()
    storage = hishel.SqliteStorage(connection=sqlite3.connect(":memory:", check_same_thread=False))
    transport = hishel.httpx.CacheTransport(
        next_transport=network, storage=storage, rfc=hishel.CacheOptions(shared=False)
    )
    return httpx.Client(transport=transport, base_url=server.url, timeout=5), network


def test_hishel_revalidates_and_gets_a_real_304(server: ServerThread) -> None:
    client, network = hishel_client(server)
    with client:
        first = client.get("/cache")
        first.read()
        second = client.get("/cache")
        second.read()
    assert first.extensions["caching"]["stored"]
    # Cache-Control: no-cache: the stored copy is revalidated, the server says 304, the copy is served.
    assert second.extensions["caching"]["from_cache"] and second.extensions["caching"]["revalidated"]
    assert second.status_code == 200 and second.content == first.content
    etag = first.headers["etag"]
    assert network.seen == [(None, 200), (etag, 304)]


def test_hishel_serves_a_fresh_copy_without_asking(server: ServerThread) -> None:
    client, network = hishel_client(server)
    with client:
        client.get("/cache/300").read()
        again = client.get("/cache/300")
        again.read()
    assert again.extensions["caching"]["from_cache"] and not again.extensions["caching"]["revalidated"]
    assert len(network.seen) == 1


def test_hishel_never_stores_429_or_the_counted_200(server: ServerThread) -> None:
    client, network = hishel_client(server)
    with client:
        responses = [client.get("/ratelimit/1/60") for _ in range(3)]
        for response in responses:
            response.read()
    assert [r.status_code for r in responses] == [200, 429, 429]
    # RFC 6585 §4: "MUST NOT be stored by a cache"; the 200 says no-store.
    assert semantics.cacheability(429).storable is False
    assert not any(r.extensions["caching"]["stored"] or r.extensions["caching"]["from_cache"] for r in responses)
    assert len(network.seen) == 3


def test_requests_cache_revalidates_with_a_real_304(server: ServerThread) -> None:
    # cache_control=True: follow Cache-Control (no-cache: revalidate every time), as RFC 9111 says.
    with requests_cache.CachedSession(backend="memory", cache_control=True) as session:
        first = session.get(server.url_for("/cache"), timeout=5)
        second = session.get(server.url_for("/cache"), timeout=5)
    assert not first.from_cache
    assert second.from_cache and second.revalidated  # type: ignore[attr-defined]
    assert second.status_code == 200 and second.content == first.content


def test_a_304_repeats_the_200s_fields_on_the_wire(server: ServerThread) -> None:
    status, ok, _ = wire(server, "GET /cache/60 HTTP/1.1\nHost: t\nConnection: close\n\n")
    assert status == "HTTP/1.1 200 OK"
    status, fields, body = wire(
        server, f"GET /cache/60 HTTP/1.1\nHost: t\nIf-None-Match: {ok['etag']}\nConnection: close\n\n"
    )
    assert status == "HTTP/1.1 304 Not Modified"
    assert body == b""
    for name in ("etag", "cache-control", "date"):
        assert name in fields, name
    assert fields["etag"] == ok["etag"] and fields["cache-control"] == ok["cache-control"]
    assert "content-length" not in fields and "content-type" not in fields and "last-modified" not in fields
    # The order of §13.2.2 on the wire: a false If-Match wins over a false If-None-Match.
    status, _, _ = wire(
        server,
        'GET /etag/x HTTP/1.1\nHost: t\nIf-Match: "y"\nIf-None-Match: "x"\nConnection: close\n\n',
    )
    assert status == "HTTP/1.1 412 Precondition Failed"
    status, fields, _ = wire(
        server, 'PUT /etag/x HTTP/1.1\nHost: t\nContent-Length: 0\nIf-None-Match: "x"\nConnection: close\n\n'
    )
    assert status == "HTTP/1.1 405 Method Not Allowed" and fields["allow"] == "GET, HEAD, OPTIONS"


# -- conditional writes ----------------------------------------------------------------------


def test_conditional_put_with_httpx(server: ServerThread) -> None:
    name = f"/conditional-put/httpx-{random.randrange(10**9)}"
    with httpx.Client(base_url=server.url, timeout=5) as client:
        tag = client.get(name).headers["etag"]
        assert client.put(name, content=b"v2").status_code == 428
        assert client.put(name, content=b"v2", headers={"If-Match": '"nope"'}).status_code == 412
        written = client.put(name, content=b"v2", headers={"If-Match": tag, "Content-Type": "text/plain"})
        assert written.status_code == 204 and written.headers["etag"] != tag
        # Someone else's stale copy: 412 (the lost update is caught).
        assert client.put(name, content=b"v3", headers={"If-Match": tag}).status_code == 412
        got = client.get(name)
        assert got.content == b"v2" and got.headers["content-type"] == "text/plain"
        assert client.get(name, headers={"If-None-Match": got.headers["etag"]}).status_code == 304
        assert client.delete(name, headers={"If-Match": got.headers["etag"]}).status_code == 204
        assert client.get(name).status_code == 404
        created = client.put(name, content=b"again", headers={"If-None-Match": "*"})
        assert created.status_code == 201 and created.headers["location"] == name


def test_conditional_put_refuses_at_once_without_reading_the_body(server: ServerThread) -> None:
    # Expect: 100-continue and no precondition: 428 instead of 100 (RFC 9110 §10.1.1).
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(b"PUT /conditional-put/x HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        data = sock.recv(65536)
    assert data.startswith(b"HTTP/1.1 428 Precondition Required\r\n")


# -- ranges ------------------------------------------------------------------------------------


def test_resumable_download_with_httpx(server: ServerThread) -> None:
    size = 250_000
    url = server.url_for(f"/range/{size}")
    got = b""
    with httpx.Client(timeout=5) as client:
        with client.stream("GET", url) as response:
            assert response.status_code == 200 and response.headers["accept-ranges"] == "bytes"
            etag = response.headers["etag"]
            for chunk in response.iter_raw():
                got += chunk
                if len(got) >= 40_000:
                    break  # the download stops half-way
        resumed = client.get(url, headers={"Range": f"bytes={len(got)}-", "If-Range": etag})
    assert resumed.status_code == 206
    assert resumed.headers["content-range"] == f"bytes {len(got)}-{size - 1}/{size}"
    assert resumed.headers["etag"] == etag
    assert got + resumed.content == deterministic_bytes(size)


def test_a_changed_validator_restarts_the_download(server: ServerThread) -> None:
    response = httpx.get(server.url_for("/range/1000"), headers={"Range": "bytes=500-", "If-Range": '"an-old-tag"'})
    assert response.status_code == 200 and response.content == deterministic_bytes(1000)
    dated = httpx.get(
        server.url_for("/range/1000"), headers={"Range": "bytes=500-", "If-Range": "Sat, 01 Jan 2022 00:00:00 GMT"}
    )
    assert dated.status_code == 206 and len(dated.content) == 500


@pytest.mark.tools("curl")
def test_curl_resumes_a_download(server: ServerThread, tmp_path: Path) -> None:
    size = 100_000
    url = server.url_for(f"/range/{size}")
    target = tmp_path / "download.bin"
    # A first transfer that got 12345 bytes, then a resume from where the file ends.
    subprocess.run([CURL, "-s", "-r", "0-12344", "-o", str(target), url], check=True, timeout=10)
    assert target.stat().st_size == 12345
    out = subprocess.run(
        [CURL, "-s", "-C", "-", "-o", str(target), "-w", "%{http_code} %{size_download}", url],
        check=True,
        timeout=10,
        capture_output=True,
        text=True,
    )
    assert out.stdout == f"206 {size - 12345}"
    assert target.read_bytes() == deterministic_bytes(size)


def test_multipart_byteranges_with_requests(server: ServerThread) -> None:
    response = requests.get(server.url_for("/range/1000"), headers={"Range": "bytes=0-9, 500-509, -5"}, timeout=5)
    assert response.status_code == 206
    assert "content-range" not in response.headers  # RFC 9110 §15.3.7.2
    content_type = response.headers["content-type"]
    assert content_type.startswith("multipart/byteranges; boundary=")
    message = email.message_from_bytes(b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + response.content)
    parts = message.get_payload()
    assert isinstance(parts, list)
    assert [p["Content-Range"] for p in parts] == ["bytes 0-9/1000", "bytes 500-509/1000", "bytes 995-999/1000"]
    assert [p.get_payload(decode=True) for p in parts] == [
        deterministic_bytes(10),
        deterministic_bytes(10, 500),
        deterministic_bytes(5, 995),
    ]


def test_range_answers_on_the_wire(server: ServerThread) -> None:
    status, fields, body = wire(server, "GET /range/100 HTTP/1.1\nHost: t\nRange: bytes=100-\nConnection: close\n\n")
    assert status == "HTTP/1.1 416 Range Not Satisfiable" and fields["content-range"] == "bytes */100"
    many = ",".join(f"{i * 3}-{i * 3}" for i in range(11))
    status, fields, _ = wire(server, f"GET /range/100 HTTP/1.1\nHost: t\nRange: bytes={many}\nConnection: close\n\n")
    assert status == "HTTP/1.1 416 Range Not Satisfiable" and fields["content-range"] == "bytes */100"
    status, fields, body = wire(server, "GET /range/100 HTTP/1.1\nHost: t\nRange: bytes=9-1\nConnection: close\n\n")
    assert status == "HTTP/1.1 200 OK" and body == deterministic_bytes(100)
    status, fields, body = wire(server, "HEAD /range/100 HTTP/1.1\nHost: t\nRange: bytes=0-9\nConnection: close\n\n")
    assert status == "HTTP/1.1 200 OK" and fields["content-length"] == "100" and body == b""
    status, fields, body = wire(server, "GET /range/100 HTTP/1.1\nHost: t\nRange: bytes=-10\nConnection: close\n\n")
    assert status == "HTTP/1.1 206 Partial Content"
    assert fields["content-range"] == "bytes 90-99/100" and fields["content-length"] == "10"
    assert fields["accept-ranges"] == "bytes" and fields["etag"] == '"range-100"'
    status, _, body = wire(server, f"GET /range/{MAX_RANGE + 1} HTTP/1.1\nHost: t\nConnection: close\n\n")
    assert status == "HTTP/1.1 400 Bad Request"
    assert f"limit of {MAX_RANGE} bytes (--max-range-bytes)".encode() in body


def test_max_range_bytes_is_a_serve_option() -> None:
    with ServerProcess(["--max-range-bytes", "100", "--quiet"]) as process:
        assert httpx.get(process.url_for("/range/100"), timeout=5).status_code == 200
        refused = httpx.get(process.url_for("/range/101"), timeout=5)
    assert refused.status_code == 400 and "limit of 100 bytes (--max-range-bytes)" in refused.text


# -- rate limits and overload ------------------------------------------------------------------


def test_waiting_retry_after_gets_through_the_rate_limit(server: ServerThread) -> None:
    with httpx.Client(base_url=server.url, timeout=5) as client:
        # A path of its own: a policy of 2 per 2 s for this client only.
        answers = [client.get("/ratelimit/2/2") for _ in range(3)]
        assert [a.status_code for a in answers] == [200, 200, 429]
        assert answers[0].headers["ratelimit-policy"] == '"statuskit";q=2;w=2'
        assert answers[1].headers["ratelimit"].startswith('"statuskit";r=0;t=')
        wait = int(answers[2].headers["retry-after"])
        assert 1 <= wait <= 2
        time.sleep(wait)  # honest: waiting that long succeeds
        assert client.get("/ratelimit/2/2").status_code == 200


def test_urllib3_retries_through_429_with_retry_after(server: ServerThread) -> None:
    retry = urllib3.Retry(total=5, status_forcelist=[429], respect_retry_after_header=True, backoff_factor=0)
    with urllib3.PoolManager(retries=retry, timeout=5) as pool:
        first = pool.request("GET", server.url_for("/ratelimit/1/1"))
        second = pool.request("GET", server.url_for("/ratelimit/1/1"))  # 429, waits Retry-After, then 200
    assert first.status == 200 and second.status == 200


def test_unstable_is_reproducible_with_requests(server: ServerThread) -> None:
    seed = random.randrange(10**9)  # a sequence nobody has started on this server
    expected = [503 if random.Random(f"{seed}:{k}").random() < 0.4 else 200 for k in range(1, 31)]
    with requests.Session() as session:
        seen = []
        for _ in range(30):
            response = session.get(server.url_for(f"/unstable?failure_rate=0.4&seed={seed}"), timeout=5)
            seen.append(response.status_code)
            if response.status_code == 503:
                assert response.headers["retry-after"] == "1"
    assert seen == expected


def test_a_retrying_client_gets_through_unstable(server: ServerThread) -> None:
    retry = urllib3.Retry(total=50, status_forcelist=[503], respect_retry_after_header=True, backoff_factor=0)
    with urllib3.PoolManager(retries=retry, timeout=5) as pool:
        response = pool.request(
            "GET", server.url_for(f"/unstable?failure_rate=0.5&retry_after=0&seed={random.randrange(10**9)}")
        )
    assert response.status == 200
    assert response.retries is not None


def test_bad_failure_rate_is_400(server: ServerThread) -> None:
    response = httpx.get(server.url_for("/unstable?failure_rate=2"), timeout=5)
    assert response.status_code == 400 and "failure_rate: '2' is not a number from 0 to 1" in response.text


# -- the gateway -----------------------------------------------------------------------------------


def test_gateway_with_httpx(server: ServerThread) -> None:
    with httpx.Client(base_url=server.url, timeout=10) as client:
        fine = client.get("/gateway/200")
        assert fine.status_code == 200 and fine.headers["via"] == "1.1 statuskit"
        assert client.get("/gateway/418").status_code == 418
        passed = client.get("/gateway/304", headers={"If-None-Match": '"statuskit"'})
        assert passed.status_code == 304 and passed.headers["etag"] == '"statuskit"'
        bad = client.get("/gateway/502")
        assert bad.status_code == 502 and "invalid response" in bad.text
        for fault in ("drop", "drop-after-headers", "drop-mid-body"):
            assert client.get(f"/gateway/502?upstream={fault}").status_code == 502
        slow = client.get("/gateway/504?timeout=300")
        assert slow.status_code == 504 and "within 300 ms" in slow.text
        unaffected = client.get("/gateway/201?sleep=50&timeout=2000")
        assert unaffected.status_code == 201


def test_gateway_with_aiohttp(server: ServerThread) -> None:
    async def main() -> list[int]:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as session:
            statuses = []
            for path in ("/gateway/200", "/gateway/502", "/gateway/504?timeout=200", "/gateway/404"):
                async with session.get(server.url_for(path)) as response:
                    await response.read()
                    statuses.append(response.status)
            return statuses

    assert asyncio.run(main()) == [200, 502, 504, 404]


@pytest.mark.tools("curl")
def test_gateway_with_curl_and_the_garbage_it_relays(server: ServerThread) -> None:
    code = subprocess.run(
        [CURL, "-s", "-o", "/dev/null", "-w", "%{http_code}", server.url_for("/gateway/502")],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert code.stdout == "502"
    # The upstream's garbage itself, as curl sees it: not HTTP at all.
    direct = subprocess.run([CURL, "-s", server.url_for("/200?fault=garbage")], capture_output=True, timeout=10)
    assert direct.returncode != 0


def test_gateway_fetches_only_itself(server: ServerThread) -> None:
    response = httpx.get(server.url_for("/gateway/200?upstream=http://example.com/"), timeout=5)
    assert response.status_code == 400
    looped = httpx.get(server.url_for("/gateway/200"), headers={"Via": "1.1 statuskit"}, timeout=5)
    assert looped.status_code == 508


# -- the index --------------------------------------------------------------------------------------


def test_the_index_lists_the_resources(server: ServerThread) -> None:
    index = httpx.get(server.url_for("/"), headers={"Accept": "application/json"}, timeout=5).json()
    for path in (
        "/etag/{etag}",
        "/cache",
        "/cache/{seconds}",
        "/conditional-put/{name}",
        "/range/{n}",
        "/ratelimit/{limit}/{window}",
        "/unstable",
        "/gateway/{code}",
    ):
        assert path in index["endpoints"], path
        assert index["endpoints"][path]


def test_cli_options_reach_the_config() -> None:
    assert {"max_range_bytes", "max_ranges", "max_state_entries", "max_document_bytes", "max_upstream_bytes"} <= set(
        ServerConfig.option_names()
    )
    config = ServerConfig.from_options(
        max_range_bytes=5, max_ranges=6, max_state_entries=7, max_document_bytes=8, max_upstream_bytes=9
    )
    responder = config.responder
    assert (responder.max_range_bytes, responder.max_ranges, responder.max_state_entries) == (5, 6, 7)
    assert (responder.max_document_bytes, responder.max_upstream_bytes) == (8, 9)


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--max-range-bytes", "-1"], "--max-range-bytes must be 0 or more"),
        (["--max-ranges", "0"], "--max-ranges must be at least 1"),
        (["--max-state-entries", "0"], "--max-state-entries must be at least 1"),
        (["--max-document-bytes", "0"], "--max-document-bytes must be at least 1"),
        (["--max-upstream-bytes", "x"], "invalid int value"),
    ],
)
def test_bad_options_are_one_line_and_exit_2(args: list[str], words: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "statuskit", "serve", *args], capture_output=True, text=True, timeout=15
    )
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr
