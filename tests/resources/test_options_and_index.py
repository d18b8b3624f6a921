"""The index lists every resource; the resource options of `statuskit serve` are checked and take effect."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import httpx
import pytest

from statuskit.responder.resources.digest import parse_auth_params
from statuskit.server import ServerProcess, ServerThread

from .conftest import raw_request

RESOURCE_PATHS = (
    "/anything[/...]",
    "/get",
    "/post",
    "/put",
    "/patch",
    "/delete",
    "/redirect/{n}",
    "/relative-redirect/{n}",
    "/absolute-redirect/{n}",
    "/redirect-to",
    "/basic-auth/{user}/{pass}",
    "/hidden-basic-auth/{user}/{pass}",
    "/forbidden-auth/{user}/{pass}",
    "/proxy-auth/{user}/{pass}",
    "/bearer",
    "/bearer/{token}",
    "/digest-auth/{qop}/{user}/{pass}[/{algorithm}[/{stale_after}]]",
    "/methods",
    "/negotiate",
    "/negotiate/{lang}.{ext}",
    "/items",
    "/items/{id}",
    "/jobs",
    "/jobs/{id}",
    "/jobs/{id}/result",
    # httpbin's other endpoints (docs/httpbin.md)
    "/headers",
    "/ip",
    "/user-agent",
    "/uuid",
    "/cookies",
    "/cookies/set?name=value",
    "/cookies/set/{name}/{value}",
    "/cookies/delete?name",
    "/gzip",
    "/deflate",
    "/brotli",
    "/html",
    "/json",
    "/xml",
    "/robots.txt",
    "/deny",
    "/encoding/utf8",
    "/forms/post",
    "/image",
    "/image/{format}",
    "/base64/{value}",
    "/links/{n}/{offset}",
    "/bytes/{n}",
    "/stream-bytes/{n}",
    "/stream/{n}",
    "/drip",
    "/delay/{n}",
    "/response-headers",
)


def test_the_index_lists_every_resource_with_a_description(server: ServerThread) -> None:
    index = httpx.get(server.url_for("/"), headers={"Accept": "application/json"}, timeout=5).json()
    endpoints = index["endpoints"]
    for path in RESOURCE_PATHS:
        assert path in endpoints, path
        assert endpoints[path].strip()
    # The codes' own endpoints are still there.
    assert "/{code}" in endpoints


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statuskit", "serve", *args], capture_output=True, text=True, timeout=15
    )


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["--allow-redirect-host", "evil.example/path"],
            "--allow-redirect-host: 'evil.example/path' is not a host name",
        ),
        (["--allow-redirect-host", ""], "--allow-redirect-host: '' is not a host name"),
        (["--max-items", "0"], "--max-items must be at least 1"),
        (["--max-jobs", "-3"], "--max-jobs must be at least 1"),
        (["--max-redirects", "0"], "--max-redirects must be at least 1"),
        (["--nonce-lifetime", "0"], "--nonce-lifetime must be at least 1"),
        (["--max-job-seconds", "x"], "invalid int value"),
    ],
)
def test_bad_resource_options_are_one_line_and_exit_2(args: list[str], words: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and words in result.stderr


def test_help_lists_the_resource_options() -> None:
    result = run("--help")
    for option in (
        "--allow-redirect-host",
        "--max-redirects",
        "--max-items",
        "--max-jobs",
        "--max-job-seconds",
        "--nonce-lifetime",
    ):
        assert option in result.stdout


def test_options_take_effect_in_a_real_process() -> None:
    args = ["--quiet", "--allow-redirect-host", "Good.Example", "--max-redirects", "3", "--max-items", "1"]
    with ServerProcess(args) as server:
        allowed = httpx.get(server.url_for("/redirect-to?url=https://good.example/x"), timeout=5)
        assert allowed.status_code == 302 and allowed.headers["location"] == "https://good.example/x"
        assert httpx.get(server.url_for("/redirect-to?url=https://bad.example/"), timeout=5).status_code == 400
        assert httpx.get(server.url_for("/redirect/4"), timeout=5).status_code == 400
        assert httpx.get(server.url_for("/redirect/3"), timeout=5).status_code == 302
        first = httpx.post(server.url_for("/items"), json={}, timeout=5).headers["location"]
        httpx.post(server.url_for("/items"), json={}, timeout=5)
        assert httpx.get(server.url_for(first), timeout=5).status_code == 404


def test_a_nonce_from_one_worker_is_good_at_another() -> None:
    # Each answer goes on a new connection, which the kernel may hand to either worker.
    with ServerProcess(["--quiet", "--workers", "2"]) as server:
        target = "/digest-auth/auth/w/pw"
        for attempt in range(12):
            challenge = raw_request(server.port, target)
            params = parse_auth_params((challenge.header("WWW-Authenticate") or "").partition(" ")[2])

            def h(text: str) -> str:
                return hashlib.md5(text.encode()).hexdigest()

            cnonce = f"c{attempt}"
            response = h(f"{h('w:statuskit:pw')}:{params['nonce']}:00000001:{cnonce}:auth:{h('GET:' + target)}")
            authorization = (
                f'Digest username="w", realm="statuskit", nonce="{params["nonce"]}", uri="{target}", qop=auth, '
                f'nc=00000001, cnonce="{cnonce}", response="{response}", opaque="{params["opaque"]}"'
            )
            assert raw_request(server.port, target, headers={"Authorization": authorization}).status == 200
