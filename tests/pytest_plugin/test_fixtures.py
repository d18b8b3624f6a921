"""The fixtures as a user's suite sees them: found through the entry point, session-scoped, concurrent, keep-alive."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable

import pytest

from tests.pytest_plugin.conftest import pytest11_table

pytest_plugins = ["pytester"]

FIXTURES = ("statuskit_server", "statuskit_server_tls", "statuskit_ca_bundle", "statuskit_ssl_context")


def test_pyproject_registers_the_plugin_module() -> None:
    table = pytest11_table()
    assert table == {"statuskit": "statuskit.pytest_plugin"}
    module = importlib.import_module(table["statuskit"])
    for hook in ("pytest_addoption", "pytest_configure", "pytest_generate_tests"):
        assert callable(getattr(module, hook))
    for name in FIXTURES:
        assert hasattr(module, name)


def test_installing_is_enough_fixtures_options_and_marker_are_there(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    fixtures = run("--fixtures")
    assert fixtures.ret == 0
    listed = fixtures.stdout.str()
    for name in FIXTURES:
        assert re.search(rf"^{name} \[session scope\]", listed, re.M), name
    helps = run("--help").stdout.str()
    for option in ("--statuskit-port", "--statuskit-tls-port", "--statuskit-option"):
        assert option in helps
    assert "statuskit_options" in helps  # the ini line
    markers = run("--markers").stdout.str()
    assert "@pytest.mark.statuskit(fresh=True, **options)" in markers


def test_attributes_and_real_responses(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(
        test_attributes="""
        import pathlib
        import ssl
        import httpx

        def test_plain(statuskit_server):
            server = statuskit_server
            assert server.host == "127.0.0.1" and server.port > 0 and server.scheme == "http"
            assert server.url == f"http://127.0.0.1:{server.port}"
            assert server.url_for("/404") == server.url_for("404") == server.url + "/404"
            assert server.ca_bundle is None
            assert server.config.port == 0  # a free port was asked for
            # pytest-httpbin answers /status/407 with a 500
            response = httpx.get(server.url_for("/status/407"))
            assert response.status_code == 407 and response.headers["Proxy-Authenticate"].startswith("Basic")

        def test_tls(statuskit_server_tls, statuskit_ca_bundle, statuskit_ssl_context):
            server = statuskit_server_tls
            assert server.scheme == "https" and server.url == f"https://127.0.0.1:{server.port}"
            assert server.ca_bundle == statuskit_ca_bundle
            assert pathlib.Path(statuskit_ca_bundle).read_text().startswith("-----BEGIN CERTIFICATE-----")
            assert isinstance(statuskit_ssl_context, ssl.SSLContext)
            assert httpx.get(server.url_for("/418"), verify=statuskit_ssl_context).status_code == 418

        def test_two_servers(statuskit_server, statuskit_server_tls):
            assert statuskit_server.port != statuskit_server_tls.port
        """
    )
    result = run("-v")
    result.assert_outcomes(passed=3)


def test_both_servers_speak_http2_unless_turned_off(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    suite.makepyfile(
        test_h2="""
        import httpx
        import pytest

        def test_prior_knowledge(statuskit_server):
            assert statuskit_server.http2
            with httpx.Client(http1=False, http2=True) as client:
                response = client.get(statuskit_server.url_for("/418"))
            assert (response.http_version, response.status_code) == ("HTTP/2", 418)

        def test_alpn(statuskit_server_tls, statuskit_ssl_context):
            with httpx.Client(http2=True, verify=statuskit_ssl_context) as client:
                assert client.get(statuskit_server_tls.url_for("/200")).http_version == "HTTP/2"

        @pytest.mark.statuskit(fresh=True, http2=False)
        def test_turned_off(statuskit_server_tls, statuskit_ssl_context):
            assert not statuskit_server_tls.http2
            with httpx.Client(http2=True, verify=statuskit_ssl_context) as client:
                assert client.get(statuskit_server_tls.url_for("/200")).http_version == "HTTP/1.1"
        """
    )
    result = run("-v")
    result.assert_outcomes(passed=3)


def test_one_server_for_the_whole_session(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    # Three modules and a class print the address they were given; there must be one of each.
    body = """
    def test_{name}(statuskit_server, statuskit_server_tls):
        print("PLAIN", statuskit_server.url, "TLS", statuskit_server_tls.url)
    """
    suite.makepyfile(**{f"test_{name}": body.format(name=name) for name in ("a", "b", "c")})
    suite.makepyfile(
        test_d="""
        class TestInAClass:
            def test_d(self, statuskit_server, statuskit_server_tls):
                print("PLAIN", statuskit_server.url, "TLS", statuskit_server_tls.url)
        """
    )
    result = run("-s")
    result.assert_outcomes(passed=4)
    seen = set(re.findall(r"PLAIN (\S+) TLS (\S+)", result.stdout.str()))
    assert len(seen) == 1, seen


def test_keep_alive_and_concurrency(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(
        test_engine="""
        import http.client
        import socket
        import threading

        import httpx

        def test_connections_are_kept_alive(statuskit_server):
            connection = http.client.HTTPConnection(statuskit_server.host, statuskit_server.port, timeout=5)
            statuses = []
            for path in ("/200", "/404", "/503", "/201"):
                connection.request("GET", path)
                if path == "/200":
                    first = connection.sock
                response = connection.getresponse()
                response.read()
                assert response.getheader("Connection") is None  # pytest-httpbin: "close" on every response
                statuses.append(response.status)
            assert statuses == [200, 404, 503, 201]
            assert connection.sock is first  # one connection carried all four
            connection.close()

        def test_a_slow_request_does_not_hold_up_another(statuskit_server):
            finished = []
            slow_is_being_served = threading.Event()

            def slow():
                # /102 answers "102 Processing" at once, then the final response after the sleep:
                # the 102 proves the server has the request in hand.
                with socket.create_connection((statuskit_server.host, statuskit_server.port), timeout=10) as sock:
                    sock.sendall(b"GET /102?sleep=2000 HTTP/1.1\\r\\nHost: test\\r\\n\\r\\n")
                    data = b""
                    while b"102 Processing" not in data:
                        data += sock.recv(4096)
                    slow_is_being_served.set()
                    while b"HTTP/1.1 200 OK" not in data:
                        chunk = sock.recv(4096)
                        assert chunk, "the connection closed before the final response"
                        data += chunk
                finished.append("slow")

            def fast():
                assert httpx.get(statuskit_server.url_for("/204"), timeout=10).status_code == 204
                finished.append("fast")

            slow_thread = threading.Thread(target=slow)
            slow_thread.start()
            assert slow_is_being_served.wait(10)
            fast_thread = threading.Thread(target=fast)
            fast_thread.start()
            fast_thread.join(10)
            assert finished == ["fast"]  # done while the slow one is still being served
            assert slow_thread.is_alive()
            slow_thread.join(10)
            assert finished == ["fast", "slow"]

        def test_many_clients_at_once(statuskit_server):
            results = []

            def fetch(code):
                results.append(httpx.get(statuskit_server.url_for(f"/{code}?sleep=300"), timeout=10).status_code)

            threads = [threading.Thread(target=fetch, args=(code,)) for code in range(200, 208)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(10)
            assert sorted(results) == list(range(200, 208))
        """
    )
    result = run("-v")
    result.assert_outcomes(passed=3)
