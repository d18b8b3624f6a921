"""pytest-httpbin's fixtures, served by statuskit: switch a suite with `-p statuskit.httpbin`.

    pytest -p statuskit.httpbin                    # or addopts = -p statuskit.httpbin in the ini file

gives the fixtures of pytest-httpbin under its names, with its behaviour:

    httpbin                      session   the server over HTTP: .url, .host, .port, .protocol, + "/path", .join("path")
    httpbin_secure               session   the same over HTTPS
    httpbin_both                 session   httpbin, then httpbin_secure (parametrized)
    httpbin_ca_bundle            function  sets $REQUESTS_CA_BUNDLE to the CA that verifies httpbin_secure; its path
    class_based_httpbin          class     sets cls.httpbin
    class_based_httpbin_secure   class     sets cls.httpbin_secure

`use_class_based_httpbin` and `use_class_based_httpbin_secure` are the
marks of the same names. The module is not an entry point: installing
statuskit changes nothing for a suite that keeps pytest-httpbin. Loaded
with `-p`, it unregisters pytest-httpbin's plugin if that is installed too,
so each name has one fixture. If pytest-httpbin is installed, the HTTPS
server presents pytest-httpbin's own certificate, so a suite that trusts
`pytest_httpbin.certs.where()` keeps working; otherwise it presents one from
the CA statuskit makes for the session (`statuskit_ca_bundle`).

Unlike pytest-httpbin's single-threaded server, which closes every
connection, these are the statuskit engine: concurrent and keep-alive.
The ports are free ones unless $HTTPBIN_HTTP_PORT or $HTTPBIN_HTTPS_PORT
name them (pytest-httpbin's variables); the server options of the
statuskit plugin (`--statuskit-option`, the `statuskit_options` ini lines)
apply to these servers too.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin

import pytest

from statuskit.pytest_plugin import LiveServer

if TYPE_CHECKING:
    import ssl

__all__ = ["HttpbinServer", "use_class_based_httpbin", "use_class_based_httpbin_secure"]

HTTP_PORT_ENV = "HTTPBIN_HTTP_PORT"
HTTPS_PORT_ENV = "HTTPBIN_HTTPS_PORT"

# The name pytest-httpbin's entry point registers its plugin under.
PYTEST_HTTPBIN = "httpbin"

use_class_based_httpbin = pytest.mark.usefixtures("class_based_httpbin")
use_class_based_httpbin_secure = pytest.mark.usefixtures("class_based_httpbin_secure")


@dataclass(frozen=True, slots=True, kw_only=True)
class HttpbinServer(LiveServer):
    """A statuskit server with the interface of pytest-httpbin's `Server`."""

    @property
    def protocol(self) -> str:
        return self.scheme

    def __add__(self, other: str) -> str:
        return self.url + other

    def join(self, url: str, allow_fragments: bool = True) -> str:
        return urljoin(self.url, url, allow_fragments=allow_fragments)


def pytest_addoption(parser: pytest.Parser, pluginmanager: pytest.PytestPluginManager) -> None:
    """Keep pytest-httpbin's plugin out: both define `httpbin`, and which one a test got would depend on load order.

    This hook runs as soon as this module is registered: with `-p`, that is
    before the entry points are loaded, so blocking the name keeps
    pytest-httpbin from loading at all; from a conftest's `pytest_plugins`,
    it is loaded already, and is unregistered before any fixture is collected.
    """
    theirs = pluginmanager.get_plugin(PYTEST_HTTPBIN)
    if theirs is not None and getattr(theirs, "__name__", "").startswith("pytest_httpbin"):
        pluginmanager.unregister(theirs, PYTEST_HTTPBIN)
    pluginmanager.set_blocked(PYTEST_HTTPBIN)


def _port(env: str) -> int:
    text = os.environ.get(env, "").strip()
    if not text:
        return 0
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise pytest.UsageError(f"{env}={text!r} is not a port number")
    return int(text)


def _options(config: pytest.Config) -> dict[str, object]:
    from statuskit.pytest_plugin import _SETTINGS

    settings = config.stash.get(_SETTINGS, None)
    return dict(settings.options) if settings is not None else {}


def _serve(
    config: pytest.Config, port: int, what: str, context: ssl.SSLContext | None = None, ca: str | None = None
) -> Iterator[HttpbinServer]:
    from statuskit.pytest_plugin import _config
    from statuskit.server import ServerError, ServerThread

    server_config = _config(_options(config), port=port, context=context)
    try:
        thread = ServerThread(server_config).start()
    except ServerError as exc:
        pytest.fail(f"statuskit: {what} did not start: {exc}", pytrace=False)
    try:
        yield HttpbinServer(url=thread.url, host=thread.host, port=thread.port, config=server_config, ca_bundle=ca)
    finally:
        thread.stop()


def _pytest_httpbin_certificate() -> tuple[str, str, str] | None:
    """(certificate, key, CA bundle) shipped with pytest-httpbin, when it is installed."""
    try:
        from pytest_httpbin import certs  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        return None
    bundle = Path(certs.where())
    cert, key = bundle.with_name("server.pem"), bundle.with_name("server.key")
    if not (bundle.is_file() and cert.is_file() and key.is_file()):
        return None
    return str(cert), str(key), str(bundle)


@pytest.fixture(scope="session")
def _httpbin_tls(request: pytest.FixtureRequest) -> tuple[ssl.SSLContext, str]:
    """The HTTPS server's context and the CA bundle (PEM path) that verifies it."""
    from statuskit.server.tls import server_context_from_files

    theirs = _pytest_httpbin_certificate()
    if theirs is not None:
        cert, key, bundle = theirs
        return server_context_from_files(cert, key), bundle
    context: ssl.SSLContext = request.getfixturevalue("_statuskit_tls_context")
    return context, str(request.getfixturevalue("statuskit_ca_bundle"))


@pytest.fixture(scope="session")
def httpbin(request: pytest.FixtureRequest) -> Iterator[HttpbinServer]:
    """statuskit over HTTP, as pytest-httpbin's `httpbin`."""
    yield from _serve(request.config, _port(HTTP_PORT_ENV), "httpbin")


@pytest.fixture(scope="session")
def httpbin_secure(request: pytest.FixtureRequest, _httpbin_tls: tuple[ssl.SSLContext, str]) -> Iterator[HttpbinServer]:
    """statuskit over HTTPS, as pytest-httpbin's `httpbin_secure`."""
    context, bundle = _httpbin_tls
    yield from _serve(request.config, _port(HTTPS_PORT_ENV), "httpbin_secure", context, bundle)


@pytest.fixture(scope="session", params=["http", "https"])
def httpbin_both(
    request: pytest.FixtureRequest, httpbin: HttpbinServer, httpbin_secure: HttpbinServer
) -> HttpbinServer:
    return httpbin if request.param == "http" else httpbin_secure


@pytest.fixture(scope="class")
def class_based_httpbin(request: pytest.FixtureRequest, httpbin: HttpbinServer) -> None:
    request.cls.httpbin = httpbin


@pytest.fixture(scope="class")
def class_based_httpbin_secure(request: pytest.FixtureRequest, httpbin_secure: HttpbinServer) -> None:
    request.cls.httpbin_secure = httpbin_secure


@pytest.fixture
def httpbin_ca_bundle(monkeypatch: pytest.MonkeyPatch, _httpbin_tls: tuple[Any, str]) -> str:
    """$REQUESTS_CA_BUNDLE names the CA of httpbin_secure for this test (requests reads it); the path, for verify=."""
    bundle = _httpbin_tls[1]
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", bundle)
    return bundle
