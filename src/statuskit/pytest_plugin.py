"""pytest plugin: a live statuskit server for client test suites, over HTTP and HTTPS.

Installing statuskit registers it (the `pytest11` entry point), so a test only names a fixture:

    def test_retry_after(statuskit_server):
        response = httpx.get(statuskit_server.url_for("/503"))
        assert response.headers["Retry-After"] == "1"

Fixtures (session-scoped: one server per session, started when first asked for):

    statuskit_server        plain HTTP  (.url, .host, .port, .url_for(path), .config)
    statuskit_server_tls    HTTPS, certificate from a CA made for the session (.ca_bundle too)
    statuskit_ca_bundle     path of that CA's certificate (PEM): requests' verify=, curl --cacert
    statuskit_ssl_context   an ssl.SSLContext trusting that CA only: httpx's verify=, aiohttp's ssl=

Each server is the real engine on its own event loop in a background thread,
on a free loopback port: concurrent (a `?sleep=` in one thread holds up no
other request) and keep-alive, HTTP/1.1 and HTTP/2 (h2c with prior knowledge,
h2 by ALPN over TLS; the option `http2=false` turns HTTP/2 off). Options: `--statuskit-port` / `STATUSKIT_PORT`,
`--statuskit-tls-port` / `STATUSKIT_TLS_PORT`, `--statuskit-option NAME=VALUE`
and the `statuskit_options` ini lines (names of `ServerConfig` fields), and
`@pytest.mark.statuskit(fresh=True, **options)` for a server of one test's own.

pytest loads this module in every project that installs statuskit, so it
imports nothing of the server until a fixture is used (or options are given).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import ssl

    from statuskit.server.config import ServerConfig
    from statuskit.server.tls import LocalAuthority

__all__ = ["LiveServer"]

MARKER = "statuskit"
PORT_ENV = "STATUSKIT_PORT"
TLS_PORT_ENV = "STATUSKIT_TLS_PORT"

# Options the plugin decides itself, with where to set them instead.
_NOT_OPTIONS = {
    "port": "use --statuskit-port (or --statuskit-tls-port)",
    "workers": "the plugin runs one server in a thread",
}

# Defaults of the plugin's servers that differ from `statuskit serve`: no access log
# (it would land in whichever test's captured output is current).
_PLUGIN_DEFAULTS: dict[str, object] = {"access_log": False}


@dataclass(frozen=True, slots=True, kw_only=True)
class LiveServer:
    """A running statuskit server: where it listens, and how to reach it."""

    url: str
    host: str
    port: int
    config: ServerConfig = field(repr=False)
    ca_bundle: str | None = None  # HTTPS: the CA certificate (PEM) that verifies the server

    @property
    def http2(self) -> bool:
        """Whether it speaks HTTP/2 too: h2c with prior knowledge, h2 by ALPN.

        It does by default; `http2=false` turns it off.
        """
        return self.config.http2

    @property
    def scheme(self) -> str:
        return self.url.split("://", 1)[0]

    def url_for(self, path: str) -> str:
        """The absolute URL of `path` on this server: `url_for("/503?retry_after=2")`."""
        return self.url + (path if path.startswith("/") else "/" + path)


@dataclass(frozen=True)
class _Settings:
    port: int
    tls_port: int
    options: Mapping[str, object]  # ServerConfig fields from the command line and the ini file


_SETTINGS = pytest.StashKey[_Settings]()


# -- options ----------------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("statuskit", "statuskit test server")
    group.addoption(
        "--statuskit-port",
        type=int,
        default=None,
        metavar="PORT",
        help=f"port of the statuskit_server fixture (default: ${PORT_ENV}, else a free one)",
    )
    group.addoption(
        "--statuskit-tls-port",
        type=int,
        default=None,
        metavar="PORT",
        help=f"port of the statuskit_server_tls fixture (default: ${TLS_PORT_ENV}, else a free one)",
    )
    group.addoption(
        "--statuskit-option",
        action="append",
        default=[],
        dest="statuskit_options",
        metavar="NAME=VALUE",
        help="a server option, a ServerConfig field: max_sleep_ms=5000, max_body=65536 (repeatable)",
    )
    parser.addini(
        "statuskit_options",
        type="linelist",
        default=[],
        help="server options of the statuskit fixtures, one NAME=VALUE a line (the command line wins)",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{MARKER}(fresh=True, **options): run this test against its own statuskit server, "
        "with these ServerConfig options on top of the session's (max_sleep_ms=..., max_body=...)",
    )
    config.stash[_SETTINGS] = _settings(config)


def _port(value: int | None, env: str, flag: str) -> int:
    if value is None:
        text = os.environ.get(env, "").strip()
        if not text:
            return 0
        try:
            value = int(text)
        except ValueError:
            raise pytest.UsageError(f"{env}={text!r} is not a port number") from None
        flag = env
    if not 0 <= value <= 65535:
        raise pytest.UsageError(f"{flag} must be 0-65535, not {value}")
    return value


def _settings(config: pytest.Config) -> _Settings:
    port = _port(config.getoption("statuskit_port"), PORT_ENV, "--statuskit-port")
    tls_port = _port(config.getoption("statuskit_tls_port"), TLS_PORT_ENV, "--statuskit-tls-port")
    given = [("statuskit_options (ini)", line) for line in config.getini("statuskit_options")]
    given += [("--statuskit-option", item) for item in config.getoption("statuskit_options")]
    options: dict[str, object] = {}
    for source, item in given:
        name, equals, value = str(item).partition("=")
        if not equals:
            raise pytest.UsageError(f"{source} {item!r}: expected NAME=VALUE, such as max_sleep_ms=5000")
        try:
            key, typed = _option(name, value.strip())
        except ValueError as exc:
            raise pytest.UsageError(f"{source} {item!r}: {exc}") from None
        options[key] = typed
    if options:
        try:
            _config(options, port=0)  # the ranges, checked now rather than in the first test
        except ValueError as exc:
            raise pytest.UsageError(f"statuskit options: {exc}") from None
    return _Settings(port, tls_port, options)


def _option(name: str, value: object) -> tuple[str, object]:
    """(field, value) of one server option; ValueError if it is unknown, ill-typed or the plugin's own."""
    from statuskit.server.config import coerce_option

    return coerce_option(name, value, reserved=_NOT_OPTIONS)


def _config(options: Mapping[str, object], *, port: int, context: ssl.SSLContext | None = None) -> ServerConfig:
    from statuskit.server.config import ServerConfig

    values: dict[str, Any] = {**_PLUGIN_DEFAULTS, **options}
    return ServerConfig.from_options(port=port, ssl=context, **values)


# -- the marker: a fresh server for one test ------------------------------------------------


def _marker_options(mark: pytest.Mark) -> dict[str, object] | None:
    """The options of a fresh server the marker asks for; None when it asks for the shared one."""
    if mark.args:
        raise ValueError(f"takes keyword arguments only (fresh=True, max_sleep_ms=...), not {mark.args!r}")
    kwargs = dict(mark.kwargs)
    fresh = kwargs.pop("fresh", True)
    if not isinstance(fresh, bool):
        raise ValueError(f"fresh must be True or False, not {fresh!r}")
    options = dict(_option(name, value) for name, value in kwargs.items())
    if not fresh:
        if options:
            raise ValueError("server options need a fresh server: drop fresh=False")
        return None
    return options


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    mark = metafunc.definition.get_closest_marker(MARKER)
    if mark is None:
        return
    names = [name for name in ("statuskit_server", "statuskit_server_tls") if name in metafunc.fixturenames]
    if not names:
        return
    problem = ""
    try:
        options = _marker_options(mark)
        if options is not None:
            _config({**metafunc.config.stash[_SETTINGS].options, **options}, port=0)
    except ValueError as exc:
        problem = str(exc)
    if problem:
        pytest.fail(f"{metafunc.definition.nodeid}: @pytest.mark.{MARKER}: {problem}", pytrace=False)
    if options is None:
        return
    # Parametrizing the session fixture with a function scope gives this test
    # its own instance (pytest's documented way to set a scope per test); the
    # shared server lives in another fixture, so it is not torn down for it.
    metafunc.parametrize(names, [tuple(options for _ in names)], indirect=True, scope="function", ids=[MARKER])


# -- fixtures ---------------------------------------------------------------------------------


def _serve(config: ServerConfig, what: str, ca_bundle: str | None = None) -> Iterator[LiveServer]:
    from statuskit.server import ServerError, ServerThread

    try:
        thread = ServerThread(config).start()
    except ServerError as exc:
        pytest.fail(f"statuskit: {what} did not start: {exc}", pytrace=False)
    try:
        yield LiveServer(url=thread.url, host=thread.host, port=thread.port, config=config, ca_bundle=ca_bundle)
    finally:
        thread.stop()


@pytest.fixture(scope="session")
def _statuskit_authority() -> LocalAuthority:
    """A CA made for this session (never a certificate on disk that could expire)."""
    from statuskit.server.tls import LocalAuthority

    return LocalAuthority()


@pytest.fixture(scope="session")
def _statuskit_tls_context(_statuskit_authority: LocalAuthority) -> ssl.SSLContext:
    """The HTTPS servers' context: a leaf for localhost, 127.0.0.1 and ::1, valid from now."""
    return _statuskit_authority.server_context()


@pytest.fixture(scope="session")
def statuskit_ca_bundle(_statuskit_authority: LocalAuthority, tmp_path_factory: pytest.TempPathFactory) -> str:
    """Path of the session CA's certificate (PEM): `requests.get(url, verify=statuskit_ca_bundle)`, `curl --cacert`."""
    return str(_statuskit_authority.write_pem(tmp_path_factory.mktemp("statuskit") / "ca.pem"))


@pytest.fixture(scope="session")
def statuskit_ssl_context(_statuskit_authority: LocalAuthority) -> ssl.SSLContext:
    """A client context that trusts the session CA and nothing else: httpx's `verify=`, aiohttp's `ssl=`.

    Shared by the session: make your own from `statuskit_ca_bundle` to change it.
    """
    return _statuskit_authority.client_context()


@pytest.fixture(scope="session")
def _statuskit_shared(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    settings = request.config.stash[_SETTINGS]
    yield from _serve(_config(settings.options, port=settings.port), "statuskit_server")


@pytest.fixture(scope="session")
def _statuskit_shared_tls(
    request: pytest.FixtureRequest, _statuskit_tls_context: ssl.SSLContext, statuskit_ca_bundle: str
) -> Iterator[LiveServer]:
    settings = request.config.stash[_SETTINGS]
    config = _config(settings.options, port=settings.tls_port, context=_statuskit_tls_context)
    yield from _serve(config, "statuskit_server_tls", statuskit_ca_bundle)


@pytest.fixture(scope="session")
def statuskit_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The statuskit server over plain HTTP: `.url`, `.host`, `.port`, `.url_for(path)`."""
    options: Mapping[str, object] | None = getattr(request, "param", None)
    if options is None:
        yield request.getfixturevalue("_statuskit_shared")
        return
    settings = request.config.stash[_SETTINGS]
    yield from _serve(_config({**settings.options, **options}, port=0), "the fresh statuskit_server")


@pytest.fixture(scope="session")
def statuskit_server_tls(
    request: pytest.FixtureRequest, _statuskit_tls_context: ssl.SSLContext, statuskit_ca_bundle: str
) -> Iterator[LiveServer]:
    """The statuskit server over HTTPS; its certificate verifies with `statuskit_ca_bundle`."""
    options: Mapping[str, object] | None = getattr(request, "param", None)
    if options is None:
        yield request.getfixturevalue("_statuskit_shared_tls")
        return
    settings = request.config.stash[_SETTINGS]
    config = _config({**settings.options, **options}, port=0, context=_statuskit_tls_context)
    yield from _serve(config, "the fresh statuskit_server_tls", statuskit_ca_bundle)
