"""Real HTTP clients against the real server: httpx, requests, urllib3, aiohttp and curl, for every code."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import Iterator

import aiohttp
import httpx
import pytest
import requests
import urllib3

from statuskit import Status, semantics, statuses
from statuskit.responder.codes import HELD_CONDITIONS
from statuskit.server import ServerConfig, ServerThread

ALL = list(statuses())
FINAL = [s for s in ALL if not semantics.is_interim(s) and s.code != 444]
INTERIM = [s for s in ALL if semantics.is_interim(s) and s.code != 101]


@pytest.fixture(scope="module")
def server() -> Iterator[ServerThread]:
    with ServerThread(ServerConfig.from_options(port=0, access_log=False, max_sleep_ms=3000)) as thread:
        yield thread


@pytest.fixture(scope="module")
def client(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=5) as client:
        yield client


def _required(status: Status) -> list[str]:
    return [r.field for r in semantics.required_fields(status, HELD_CONDITIONS) if r.condition != "200-would"]


@pytest.mark.parametrize("status", FINAL, ids=str)
def test_httpx_every_final_code(client: httpx.Client, status: Status) -> None:
    response = client.get(f"/{status.code}")
    assert response.status_code == status.code
    assert response.reason_phrase == status.reason
    for field in _required(status):
        assert field in response.headers, f"{status} lacks {field}"
    if semantics.allows_content(status):
        assert response.content and response.headers["content-length"] == str(len(response.content))
    else:
        assert response.content == b""


@pytest.mark.parametrize("status", INTERIM, ids=str)
def test_httpx_sees_the_final_response_after_an_interim_one(client: httpx.Client, status: Status) -> None:
    # h11 reads and skips the 1xx, as RFC 9110 §15.2 asks of every client.
    response = client.get(f"/{status.code}?then=202")
    assert response.status_code == 202
    assert client.get("/204").status_code == 204  # the connection is still in step


def test_httpx_444_is_a_dropped_connection(client: httpx.Client) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        client.get("/444")
    assert client.get("/200").status_code == 200


def test_httpx_negotiation_and_caller_fields(client: httpx.Client) -> None:
    document = client.get("/429", headers={"Accept": "application/json", "Accept-Language": "zh-CN"}).json()
    assert document["code"] == 429 and document["lang"] == "zh-CN"
    response = client.get("/200", headers={"X-Statuskit-Response-Cache-Control": "max-age=60"})
    assert response.headers["cache-control"] == "max-age=60"
    bad = client.get("/200", headers={"X-Statuskit-Response-Content-Length": "1"})
    assert bad.status_code == 400 and "Content-Length" in bad.text


def test_httpx_follows_redirects_to_200(client: httpx.Client) -> None:
    for code in (301, 302, 303, 307, 308):
        response = client.get(f"/{code}", follow_redirects=True)
        assert response.status_code == 200 and response.history[0].status_code == code
    assert client.post("/307", content=b"abc", follow_redirects=True).request.method == "POST"
    assert client.post("/303", content=b"abc", follow_redirects=True).request.method == "GET"


def test_httpx_async_requests_do_not_wait_for_each_other(server: ServerThread) -> None:
    async def go() -> list[int]:
        async with httpx.AsyncClient(base_url=server.url, timeout=5) as client:
            started = time.monotonic()
            responses = await asyncio.gather(*(client.get(f"/20{i % 8}?sleep=500") for i in range(20)))
            assert time.monotonic() - started < 2.5
            return [r.status_code for r in responses]

    assert asyncio.run(go()) == [200 + i % 8 for i in range(20)]


@pytest.mark.parametrize("status", [*FINAL, next(s for s in INTERIM if s.code == 100)], ids=str)
def test_requests_every_code(server: ServerThread, status: Status) -> None:
    # http.client (under requests and urllib3) skips 100 only; another 1xx it
    # takes for the final response, a known limit of the client, not tested here.
    response = requests.get(f"{server.url}/{status.code}", timeout=5, allow_redirects=False)
    expected = 200 if status.code == 100 else status.code
    assert response.status_code == expected
    for field in _required(status) if status.code != 100 else []:
        assert field in response.headers


def test_requests_head_and_session_keep_alive(server: ServerThread) -> None:
    with requests.Session() as session:
        get = session.get(f"{server.url}/418")
        head = session.head(f"{server.url}/418")
        assert head.status_code == 418 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        assert session.get(f"{server.url}/200").status_code == 200


def test_urllib3_honours_retry_after(server: ServerThread) -> None:
    retry = urllib3.Retry(total=1, status_forcelist=[503], respect_retry_after_header=True, raise_on_status=False)
    with urllib3.PoolManager(retries=retry) as pool:
        started = time.monotonic()
        response = pool.request("GET", f"{server.url}/503?retry_after=1")
        assert response.status == 503
        assert time.monotonic() - started >= 0.9  # it waited the Retry-After second before retrying


def test_aiohttp_interim_and_final(server: ServerThread) -> None:
    async def go() -> None:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{server.url}/103") as response:
                assert response.status == 200
            async with session.get(f"{server.url}/451", headers={"Accept": "application/json"}) as response:
                assert response.status == 451 and 'rel="blocked-by"' in response.headers["Link"]
                assert (await response.json())["code"] == 451
            with pytest.raises(aiohttp.ServerDisconnectedError):
                async with session.get(f"{server.url}/444"):
                    pass

    asyncio.run(go())


CURL = "curl"


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([CURL, "-s", "--max-time", "10", *args], capture_output=True, text=True, timeout=20)


def _status_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.startswith("HTTP/")]


@pytest.mark.tools("curl")
def test_curl_every_code(server: ServerThread) -> None:
    # One curl run for every code: -D - prints every response head, interim ones included.
    codes = [s for s in ALL if s.code != 444]
    args: list[str] = []
    for status in codes:
        args += ["-D", "-", "-o", "/dev/null", f"{server.url}/{status.code}", "--next"]
    result = curl(*args[:-1])
    lines = _status_lines(result.stdout)
    expected: list[str] = []
    for status in codes:
        if status.code == 101:
            expected.append("HTTP/1.1 426 Upgrade Required")
        elif semantics.is_interim(status):
            expected += [f"HTTP/1.1 {status.code} {status.reason}", "HTTP/1.1 200 OK"]
        else:
            expected.append(f"HTTP/1.1 {status.code} {status.reason}")
    assert lines == expected


@pytest.mark.tools("curl")
def test_curl_head_http10_and_444(server: ServerThread) -> None:
    head = curl("-I", f"{server.url}/404")
    length = len(curl(f"{server.url}/404").stdout.encode())
    assert _status_lines(head.stdout) == ["HTTP/1.1 404 Not Found"] and f"Content-Length: {length}" in head.stdout
    old = curl("-i", "--http1.0", f"{server.url}/103")
    assert _status_lines(old.stdout) == ["HTTP/1.1 200 OK"]  # no 1xx to HTTP/1.0
    dropped = curl(f"{server.url}/444")
    assert dropped.returncode == 52  # "Empty reply from server"


@pytest.mark.tools("curl")
def test_curl_100_continue(server: ServerThread, tmp_path) -> None:
    payload = tmp_path / "payload"
    payload.write_bytes(b"x" * 2000)
    accepted = curl("-i", "-H", "Expect: 100-continue", "--data-binary", f"@{payload}", f"{server.url}/201")
    assert _status_lines(accepted.stdout) == ["HTTP/1.1 100 Continue", "HTTP/1.1 201 Created"]
    refused = curl("-i", "-H", "Expect: 100-continue", "--data-binary", f"@{payload}", f"{server.url}/403")
    assert _status_lines(refused.stdout) == ["HTTP/1.1 403 Forbidden"]


@pytest.mark.tools("curl")
def test_curl_json_and_range(server: ServerThread) -> None:
    document = json.loads(curl("-H", "Accept: application/json", f"{server.url}/status/418").stdout)
    assert document["code"] == 418
    ranged = curl("-r", "0-9", f"{server.url}/206")
    assert ranged.stdout == "abcdefghij"


@pytest.mark.tools("curl")
def test_the_page_arrives_gzipped_and_decodes(server: ServerThread) -> None:
    # curl --compressed and httpx both ask for gzip and decode it; the text is the page.
    from statuskit import web

    server_url = server.url
    head = subprocess.run(
        [
            "curl",
            "-s",
            "-D",
            "-",
            "-o",
            "/dev/null",
            "--compressed",
            "-H",
            "Accept: text/html",
            f"{server_url}/?lang=zh-CN",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout.lower()
    assert "content-encoding: gzip" in head and "vary: accept, accept-encoding" in head
    response = httpx.get(f"{server_url}/?lang=zh-CN", headers={"Accept": "text/html"}, timeout=30)
    assert response.headers["content-encoding"] == "gzip"
    assert response.text == web.index_page("zh-CN")
