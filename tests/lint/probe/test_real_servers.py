"""Servers people deploy, probed on loopback: nginx serving static files, and a Starlette app under uvicorn.

The findings each one gets are pinned here and explained in docs/lint.md ("What real servers get"), each
checked by hand against its RFC section. A new release that changes them fails this test: then the docs
and the sets below change together.

nginx comes from the system (Debian's nginx-light), found by the suite's rule for external tools
(`tool("nginx")`, tests/conftest.py): without it the nginx tests skip locally and fail in CI.
"""

from __future__ import annotations

import pathlib
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from statuskit.lint.probe import probe_url

START_TIMEOUT = 10.0
CONTENT = b"hello from a real server\n" * 20

NGINX_CONF = """\
worker_processes 1;
daemon off;
master_process off;
pid {root}/nginx.pid;
error_log {root}/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp-body;
    proxy_temp_path {root}/tmp-proxy;
    fastcgi_temp_path {root}/tmp-fastcgi;
    uwsgi_temp_path {root}/tmp-uwsgi;
    scgi_temp_path {root}/tmp-scgi;
    types {{ text/plain txt; }}
    gzip on;
    gzip_types text/plain;
    gzip_min_length 1;
    gzip_vary on;
    server {{
        listen 127.0.0.1:{port};
        root {root}/www;
        location = /old {{ return 301 /file.txt; }}
        location /private/ {{ auth_basic "probe"; auth_basic_user_file {root}/htpasswd; }}
    }}
}}
"""

# What nginx 1.22 (Debian 12) gets, per URL; docs/lint.md explains each.
NGINX: dict[str, set[tuple[str, str]]] = {
    "/file.txt": {
        # The 304 leaves out the Vary: Accept-Encoding its 200 carries (RFC 9110 §15.4.5, MUST).
        ("validators.if-none-match", "required-field-missing"),
        ("validators.if-modified-since", "required-field-missing"),
        # OPTIONS gets 405 without Allow (§15.5.6, MUST).
        ("methods.options", "required-field-missing"),
        # An unknown method gets 405, not 501 (§9.1, SHOULD).
        ("methods.unknown", "probe-unknown-method-wrong-code"),
        # A 32 KiB header field gets 400, not 431 (RFC 6585 §5; info).
        ("limits.large-header", "probe-vaguer-code"),
    },
    "/old": {
        ("methods.unknown", "probe-unknown-method-wrong-code"),  # 301 for any method
        ("limits.large-header", "probe-vaguer-code"),
    },
    "/private/a.txt": {
        ("methods.unknown", "probe-unknown-method-wrong-code"),  # 401 before the method is looked at
        ("limits.large-header", "probe-vaguer-code"),
    },
}

# What Starlette 1.x under uvicorn (httptools) gets; docs/lint.md explains each.
STARLETTE: dict[str, set[tuple[str, str]]] = {
    "/file": {
        # FileResponse sends ETag and Last-Modified but answers 200 to both (§13.1.2 MUST, §13.1.3 SHOULD).
        ("validators.if-none-match", "probe-not-modified-missing"),
        ("validators.if-modified-since", "probe-not-modified-by-date-missing"),
        # uvicorn's parser refuses a method it does not know with 400, before the app (§9.1, SHOULD 501).
        ("methods.unknown", "probe-unknown-method-wrong-code"),
    },
    "/items": {("methods.unknown", "probe-unknown-method-wrong-code")},
    "/old": {("methods.unknown", "probe-unknown-method-wrong-code")},
    "/private": {("methods.unknown", "probe-unknown-method-wrong-code")},
}


def found(url: str) -> set[tuple[str, str]]:
    report = probe_url(url, unsafe=True, delay=0, timeout=10)
    assert report.error == "", report.error
    return {(result.probe.id, finding.rule) for result in report.results for finding in result.findings}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for(port: int, alive: object) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if callable(alive) and not alive():
            pytest.fail("the server exited before it listened")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"nothing listened on 127.0.0.1:{port} within {START_TIMEOUT:g} s")


@pytest.fixture(scope="module")
def nginx(tool: Callable[[str], str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = tool("nginx")
    root = tmp_path_factory.mktemp("nginx")
    (root / "www" / "private").mkdir(parents=True)
    (root / "www" / "file.txt").write_bytes(CONTENT)
    (root / "www" / "private" / "a.txt").write_bytes(CONTENT)
    (root / "htpasswd").write_text("")
    port = free_port()
    conf = root / "nginx.conf"
    conf.write_text(NGINX_CONF.format(root=root, port=port))
    process = subprocess.Popen(
        [binary, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, lambda: process.poll() is None)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(10)


@pytest.mark.parametrize("path", sorted(NGINX))
def test_nginx(nginx: str, path: str) -> None:
    assert found(nginx + path) == NGINX[path]


def starlette_app(directory: pathlib.Path) -> object:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import (
        FileResponse,
        JSONResponse,
        PlainTextResponse,
        RedirectResponse,
        Response,
    )
    from starlette.routing import Route

    (directory / "file.txt").write_bytes(CONTENT)

    async def file(request: Request) -> Response:
        return FileResponse(directory / "file.txt")

    async def items(request: Request) -> Response:
        return JSONResponse({"items": []})

    async def old(request: Request) -> Response:
        return RedirectResponse("/file", status_code=301)

    async def private(request: Request) -> Response:
        return PlainTextResponse("who?", status_code=401, headers={"WWW-Authenticate": 'Basic realm="app"'})

    routes = [
        Route("/file", file),
        Route("/items", items, methods=["GET", "POST"]),
        Route("/old", old),
        Route("/private", private),
    ]
    return Starlette(routes=routes)


@pytest.fixture(scope="module")
def starlette(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    pytest.importorskip("starlette", reason="starlette is in the test extra: pip install -e '.[test]'")
    import uvicorn

    port = free_port()
    app = starlette_app(tmp_path_factory.mktemp("starlette"))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))  # type: ignore[arg-type]
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        wait_for(port, thread.is_alive)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


@pytest.mark.parametrize("path", sorted(STARLETTE))
def test_starlette_under_uvicorn(starlette: str, path: str) -> None:
    assert found(starlette + path) == STARLETTE[path]
