"""@pytest.mark.statuskit: a fresh server with its own options for one test; the shared one lives on."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

pytest_plugins = ["pytester"]


def _ports(result: pytest.RunResult) -> dict[str, str]:
    """test name -> the port(s) it printed as `PORT name port`."""
    return dict(re.findall(r"PORT (\w+) (\S+)", result.stdout.str()))


def test_a_fresh_server_with_its_own_options(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(
        test_fresh="""
        import httpx
        import pytest

        def test_before(statuskit_server):
            print("PORT before", statuskit_server.port)
            assert httpx.get(statuskit_server.url_for("/200?sleep=300")).status_code == 200

        @pytest.mark.statuskit(max_sleep_ms=100, max_body=8)
        def test_fresh(statuskit_server):
            print("PORT fresh", statuskit_server.port)
            assert statuskit_server.config.max_sleep_ms == 100
            assert httpx.get(statuskit_server.url_for("/200?sleep=300")).status_code == 400
            assert httpx.post(statuskit_server.url_for("/200"), content=b"123456789").status_code == 413

        @pytest.mark.statuskit(fresh=True)
        def test_fresh_with_the_session_options(statuskit_server):
            print("PORT plain", statuskit_server.port)
            assert statuskit_server.config.max_sleep_ms == 30000

        @pytest.mark.statuskit
        def test_bare_marker(statuskit_server):
            print("PORT bare", statuskit_server.port)

        def test_after(statuskit_server):
            print("PORT after", statuskit_server.port)
            assert httpx.get(statuskit_server.url_for("/200?sleep=300")).status_code == 200
        """
    )
    result = run("-s", "-v")
    result.assert_outcomes(passed=5)
    assert "test_fresh.py::test_fresh[statuskit] " in result.stdout.str()  # the id a fresh server adds
    ports = _ports(result)
    assert ports["before"] == ports["after"]  # the shared server was not restarted for the marked tests
    assert len({ports["before"], ports["fresh"], ports["plain"], ports["bare"]}) == 4


def test_a_fresh_https_server_and_both_at_once(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(
        test_fresh_tls="""
        import httpx
        import pytest

        def test_shared(statuskit_server_tls):
            print("PORT shared", statuskit_server_tls.port)

        @pytest.mark.statuskit(max_sleep_ms=50)
        def test_fresh_tls(statuskit_server_tls, statuskit_ssl_context, statuskit_ca_bundle):
            print("PORT fresh", statuskit_server_tls.port)
            assert statuskit_server_tls.ca_bundle == statuskit_ca_bundle  # same CA: the same trust works
            response = httpx.get(statuskit_server_tls.url_for("/200?sleep=100"), verify=statuskit_ssl_context)
            assert response.status_code == 400

        @pytest.mark.statuskit(max_sleep_ms=50)
        def test_both(statuskit_server, statuskit_server_tls, statuskit_ssl_context):
            print("PORT both", statuskit_server.port, statuskit_server_tls.port)
            assert statuskit_server.config.max_sleep_ms == statuskit_server_tls.config.max_sleep_ms == 50

        def test_shared_again(statuskit_server_tls):
            print("PORT again", statuskit_server_tls.port)

        @pytest.mark.statuskit(host="::1")
        def test_ipv6_loopback(statuskit_server_tls, statuskit_ssl_context):
            assert statuskit_server_tls.url == f"https://[::1]:{statuskit_server_tls.port}"
            assert httpx.get(statuskit_server_tls.url_for("/200"), verify=statuskit_ssl_context).status_code == 200
        """
    )
    result = run("-s")
    result.assert_outcomes(passed=5)
    ports = _ports(result)
    assert ports["shared"] == ports["again"] != ports["fresh"]


def test_a_marker_on_a_class_or_module_and_opting_out(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    suite.makepyfile(
        test_scopes="""
        import pytest

        pytestmark = pytest.mark.statuskit(max_sleep_ms=1234)

        def test_module_level(statuskit_server):
            assert statuskit_server.config.max_sleep_ms == 1234
            print("PORT one", statuskit_server.port)

        def test_module_level_again(statuskit_server):
            print("PORT two", statuskit_server.port)

        @pytest.mark.statuskit(fresh=False)
        def test_opts_out(statuskit_server):
            assert statuskit_server.config.max_sleep_ms == 30000
            print("PORT shared", statuskit_server.port)

        @pytest.mark.statuskit(max_sleep_ms=99)
        class TestClass:
            def test_closest_marker_wins(self, statuskit_server):
                assert statuskit_server.config.max_sleep_ms == 99
        """
    )
    result = run("-s")
    result.assert_outcomes(passed=4)
    ports = _ports(result)
    assert len({ports["one"], ports["two"], ports["shared"]}) == 3  # a fresh server for each marked test


def test_a_fresh_server_through_a_function_scoped_fixture(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    suite.makepyfile(
        test_indirect="""
        import httpx
        import pytest

        @pytest.fixture
        def client(statuskit_server):
            with httpx.Client(base_url=statuskit_server.url) as client:
                yield client

        @pytest.mark.statuskit(max_sleep_ms=10)
        def test_through_a_fixture(client):
            assert client.get("/200?sleep=20").status_code == 400
        """
    )
    run().assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("marker", "message"),
    [
        ("statuskit(5000)", "takes keyword arguments only (fresh=True, max_sleep_ms=...), not (5000,)"),
        ("statuskit(fresh='yes')", "fresh must be True or False, not 'yes'"),
        ("statuskit(max_sleep=-1)", "--max-sleep-ms must be 0 or more, not -1"),
        ("statuskit(max_body='big')", "server option max_body: 'big' is not a whole number"),
        ("statuskit(nonsense=1)", "unknown server option 'nonsense' (known: "),
        ("statuskit(fresh=False, max_body=1)", "server options need a fresh server: drop fresh=False"),
        ("statuskit(port=8080)", "port is not a server option here: use --statuskit-port"),
    ],
)
def test_a_bad_marker_is_a_clear_error(
    suite: pytest.Pytester, in_process: list[str], marker: str, message: str
) -> None:
    suite.makepyfile(
        test_bad=f"""
        import pytest

        @pytest.mark.{marker}
        def test_marked(statuskit_server):
            pass

        def test_unmarked():
            pass
        """
    )
    result = suite.runpytest_inprocess(*in_process, "--strict-markers")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error
    result.stdout.fnmatch_lines(
        ["*ERROR collecting test_bad.py*", f"test_bad.py::test_marked: @pytest.mark.statuskit: {message}*"]
    )
    assert "Traceback" not in result.stdout.str()


def test_strict_markers_accept_it_and_a_typo_is_caught(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    # The suite runs with --strict-markers: the plugin's marker is registered, a misspelt one is not.
    suite.makepyfile(
        test_strict="""
        import pytest

        @pytest.mark.statuskit
        def test_registered(statuskit_server):
            pass
        """
    )
    run().assert_outcomes(passed=1)
    suite.makepyfile(
        test_strict="""
        import pytest

        @pytest.mark.statuskitt
        def test_typo(statuskit_server):
            pass
        """
    )
    result = run()
    result.stdout.fnmatch_lines(["*'statuskitt' not found in `markers` configuration option*"])
    assert result.ret != pytest.ExitCode.OK
