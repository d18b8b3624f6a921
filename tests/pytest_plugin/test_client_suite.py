"""A client library's test suite as a user writes it: httpx, requests and aiohttp, over HTTP and HTTPS.

The suite runs in a strict project (warnings are errors, markers are strict)
through the entry point; every test runs once against `statuskit_server` and
once against `statuskit_server_tls`.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

pytest_plugins = ["pytester"]

CONFTEST = """
import pytest

@pytest.fixture(params=["statuskit_server", "statuskit_server_tls"], ids=["http", "https"])
def server(request):
    return request.getfixturevalue(request.param)

@pytest.fixture
def trust(server, statuskit_ssl_context, statuskit_ca_bundle):
    \"\"\"What each client needs to trust the server: nothing for HTTP, the session CA for HTTPS.\"\"\"
    https = server.scheme == "https"
    return {
        "httpx": statuskit_ssl_context if https else True,
        "requests": statuskit_ca_bundle if https else True,
        "aiohttp": statuskit_ssl_context if https else None,
    }
"""

HTTPX = """
import httpx
import pytest

def test_status_codes_and_their_fields(server, trust):
    with httpx.Client(base_url=server.url, verify=trust["httpx"], timeout=10) as client:
        assert client.get("/200").status_code == 200
        unavailable = client.get("/503?retry_after=7")
        assert unavailable.status_code == 503 and unavailable.headers["Retry-After"] == "7"
        assert client.get("/407").headers["Proxy-Authenticate"].startswith("Basic ")
        assert client.get("/405").headers["Allow"] == "OPTIONS, POST"
        assert client.get("/204").content == b""
        assert client.head("/404").status_code == 404
        assert client.get("/416").headers["Content-Range"] == "bytes */1024"
        assert client.get("/418", headers={"Accept": "application/json"}).json()["code"] == 418

def test_interim_responses_are_set_aside(server, trust):
    with httpx.Client(base_url=server.url, verify=trust["httpx"], timeout=10) as client:
        assert client.get("/103?then=201").status_code == 201
        assert client.get("/100").status_code == 200

def test_redirects_followed(server, trust):
    with httpx.Client(base_url=server.url, verify=trust["httpx"], follow_redirects=True, timeout=10) as client:
        response = client.get("/308")
        assert response.status_code == 200 and [r.status_code for r in response.history] == [308]

def test_one_connection_for_many_requests(server, trust):
    with httpx.Client(base_url=server.url, verify=trust["httpx"], timeout=10) as client:
        streams = {id(client.get(f"/{code}").extensions["network_stream"]) for code in (200, 404, 500, 201)}
        assert len(streams) == 1

def test_a_dropped_connection_is_an_error(server, trust):
    with httpx.Client(base_url=server.url, verify=trust["httpx"], timeout=10) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/444")
        assert client.get("/200").status_code == 200
"""

REQUESTS = """
import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

# verify= on each request: a Session's own `verify` loses to $REQUESTS_CA_BUNDLE (psf/requests#3829).

def test_status_codes_and_their_fields(server, trust):
    options = {"verify": trust["requests"], "timeout": 10}
    with requests.Session() as session:
        assert session.get(server.url_for("/200"), **options).status_code == 200
        assert session.get(server.url_for("/429"), **options).headers["Retry-After"] == "1"
        assert session.get(server.url_for("/401"), **options).headers["WWW-Authenticate"].startswith("Basic ")
        assert session.post(server.url_for("/201"), data=b"x" * 100, **options).headers["Location"] == "/200"
        assert session.get(server.url_for("/206"), headers={"Range": "bytes=0-9"}, **options).content == b"abcdefghij"

def test_retry_honours_retry_after(server, trust):
    retry = Retry(total=1, status_forcelist=[503], raise_on_status=False)
    with requests.Session() as session:
        session.mount(server.url, HTTPAdapter(max_retries=retry))
        response = session.get(server.url_for("/503?retry_after=0"), verify=trust["requests"], timeout=10)
        assert response.status_code == 503
        assert [entry.status for entry in response.raw.retries.history] == [503]

def test_one_connection_for_many_requests(server, trust):
    with requests.Session() as session:
        for code in (200, 404, 500, 201):
            assert session.get(server.url_for(f"/{code}"), verify=trust["requests"], timeout=10).status_code == code
        pools = session.get_adapter(server.url).poolmanager.pools
        assert sum(pools[key].num_connections for key in pools.keys()) == 1
"""

AIOHTTP = """
import asyncio

import aiohttp

def run(coroutine):
    return asyncio.run(coroutine)

def test_status_codes_and_interim_responses(server, trust):
    async def go():
        async with aiohttp.ClientSession(base_url=server.url) as session:
            async with session.get("/503", ssl=trust["aiohttp"]) as response:
                assert response.status == 503 and response.headers["Retry-After"] == "1"
            async with session.get("/103?then=202", ssl=trust["aiohttp"]) as response:
                assert response.status == 202
            async with session.get("/451", ssl=trust["aiohttp"], headers={"Accept": "application/json"}) as response:
                assert (await response.json())["code"] == 451
    run(go())

def test_one_connection_for_many_requests(server, trust):
    created = []

    async def on_create(session, context, params):
        created.append(params)

    async def go():
        tracing = aiohttp.TraceConfig()
        tracing.on_connection_create_end.append(on_create)
        async with aiohttp.ClientSession(base_url=server.url, trace_configs=[tracing]) as session:
            for code in (200, 404, 500, 201):
                async with session.get(f"/{code}", ssl=trust["aiohttp"]) as response:
                    assert response.status == code
                    await response.read()
    run(go())
    assert len(created) == 1

def test_concurrent_requests_overlap(server, trust):
    finished = []

    async def fetch(session, path):
        async with session.get(path, ssl=trust["aiohttp"]) as response:
            await response.read()
            finished.append(path)

    async def go():
        async with aiohttp.ClientSession(base_url=server.url) as session:
            await asyncio.gather(fetch(session, "/200?sleep=1500"), fetch(session, "/201?sleep=10"))
    run(go())
    assert finished == ["/201?sleep=10", "/200?sleep=1500"]
"""

UNTRUSTED = """
import asyncio
import ssl
import subprocess

import aiohttp
import httpx
import pytest
import requests

def test_httpx_refuses_the_certificate_without_the_ca(statuskit_server_tls):
    with pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"):
        httpx.get(statuskit_server_tls.url_for("/200"))

def test_requests_refuses_the_certificate_without_the_ca(statuskit_server_tls):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(statuskit_server_tls.url_for("/200"), timeout=10)

def test_aiohttp_refuses_the_certificate_without_the_ca(statuskit_server_tls):
    async def go():
        async with aiohttp.ClientSession() as session:
            async with session.get(statuskit_server_tls.url_for("/200")):
                pass
    with pytest.raises(aiohttp.ClientConnectorCertificateError):
        asyncio.run(go())

def test_curl_with_and_without_cacert(statuskit_server_tls, statuskit_ca_bundle):
    url = statuskit_server_tls.url_for("/226")
    ok = subprocess.run(["curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", statuskit_ca_bundle, url],
                        capture_output=True, text=True, timeout=30)
    assert ok.stdout == "226", ok.stderr
    refused = subprocess.run(["curl", "-sS", "-o", "/dev/null", url], capture_output=True, text=True, timeout=30)
    assert refused.returncode == 60  # CURLE_PEER_FAILED_VERIFICATION

def test_plain_http_to_the_https_port_gets_a_400_that_says_so(statuskit_server_tls):
    response = httpx.get(f"http://127.0.0.1:{statuskit_server_tls.port}/200")
    assert response.status_code == 400
    assert f"use https://127.0.0.1:{statuskit_server_tls.port}/" in response.text
"""


@pytest.mark.tools("curl")
def test_a_client_suite_over_http_and_https(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makeconftest(CONFTEST)
    suite.makepyfile(
        test_with_httpx=HTTPX, test_with_requests=REQUESTS, test_with_aiohttp=AIOHTTP, test_untrusted=UNTRUSTED
    )
    result = run("-v")
    # 5 httpx + 3 requests + 3 aiohttp tests, each over HTTP and HTTPS; 5 about trust.
    result.assert_outcomes(passed=(5 + 3 + 3) * 2 + 5)
    result.stdout.fnmatch_lines(["*test_with_aiohttp.py::test_concurrent_requests_overlap[[]https[]] PASSED*"])
