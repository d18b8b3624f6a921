"""--statuskit-port, STATUSKIT_PORT, the TLS port, server options from the command line and the ini file."""

from __future__ import annotations

import re
import socket
from collections.abc import Callable

import pytest

pytest_plugins = ["pytester"]

# A suite that prints where its servers are and what limits they have.
REPORT = """
import httpx

def test_report(statuskit_server, statuskit_server_tls, statuskit_ssl_context):
    print("PLAIN-PORT", statuskit_server.port, "TLS-PORT", statuskit_server_tls.port)
    print("MAX-SLEEP", statuskit_server.config.max_sleep_ms, statuskit_server_tls.config.max_sleep_ms)
    print("MAX-BODY", statuskit_server.config.max_body)
    assert httpx.get(statuskit_server.url_for("/200")).status_code == 200
    assert httpx.get(statuskit_server_tls.url_for("/200"), verify=statuskit_ssl_context).status_code == 200
"""


def _value(result: pytest.RunResult, label: str) -> list[str]:
    for line in result.outlines:
        found = re.search(rf"(?:^| ){label} (.*)$", line)
        if found:
            return found.group(1).split()
    raise AssertionError(f"{label} not printed:\n{result.stdout.str()}")


def test_ports_pinned_on_the_command_line(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult], free_port: Callable[[], int]
) -> None:
    plain, tls = free_port(), free_port()
    suite.makepyfile(test_report=REPORT)
    result = run("-s", "--statuskit-port", str(plain), "--statuskit-tls-port", str(tls))
    result.assert_outcomes(passed=1)
    assert _value(result, "PLAIN-PORT") == [str(plain), "TLS-PORT", str(tls)]


def test_ports_pinned_by_the_environment(
    suite: pytest.Pytester,
    run: Callable[..., pytest.RunResult],
    free_port: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    plain, tls, other = free_port(), free_port(), free_port()
    suite.makepyfile(test_report=REPORT)
    monkeypatch.setenv("STATUSKIT_PORT", str(plain))
    monkeypatch.setenv("STATUSKIT_TLS_PORT", str(tls))
    result = run("-s")
    result.assert_outcomes(passed=1)
    assert _value(result, "PLAIN-PORT") == [str(plain), "TLS-PORT", str(tls)]
    # The command line wins over the environment.
    result = run("-s", "--statuskit-port", str(other))
    assert _value(result, "PLAIN-PORT") == [str(other), "TLS-PORT", str(tls)]


def test_a_pinned_port_in_use_fails_the_tests_that_need_it_with_one_line(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    suite.makepyfile(
        test_taken="""
        def test_needs_the_server(statuskit_server):
            pass

        def test_does_not(statuskit_ca_bundle):
            pass
        """
    )
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--statuskit-port", str(port))
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [
            f"*statuskit: statuskit_server did not start: cannot listen on 127.0.0.1:{port}: the address is already "
            f"in use*"
        ]
    )


def test_server_options_from_the_command_line(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(
        test_limits="""
        import httpx

        def test_max_sleep(statuskit_server, statuskit_server_tls, statuskit_ssl_context):
            too_long = httpx.get(statuskit_server.url_for("/200?sleep=300"))
            assert too_long.status_code == 400 and "--max-sleep" in too_long.text
            assert httpx.get(statuskit_server.url_for("/200?sleep=100")).status_code == 200
            # the TLS server has the same options
            tls = httpx.get(statuskit_server_tls.url_for("/200?sleep=300"), verify=statuskit_ssl_context)
            assert tls.status_code == 400

        def test_max_body(statuskit_server):
            assert httpx.post(statuskit_server.url_for("/200"), content=b"x" * 100).status_code == 413
            assert httpx.post(statuskit_server.url_for("/200"), content=b"x" * 10).status_code == 200
        """
    )
    result = run("--statuskit-option", "max_sleep_ms=200", "--statuskit-option", "max-body=64")
    result.assert_outcomes(passed=2)


def test_server_options_from_the_ini_file_and_the_command_line_wins(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult]
) -> None:
    suite.makeini(
        """
        [pytest]
        addopts = --strict-markers -p no:cacheprovider
        filterwarnings = error
        statuskit_options =
            max_sleep = 1500
            max_body=2048
            host = 127.0.0.1
        """
    )
    suite.makepyfile(test_report=REPORT)
    result = run("-s")
    result.assert_outcomes(passed=1)
    assert _value(result, "MAX-SLEEP") == ["1500", "1500"]
    assert _value(result, "MAX-BODY") == ["2048"]
    result = run("-s", "--statuskit-option", "max_sleep_ms=700")
    assert _value(result, "MAX-SLEEP") == ["700", "700"]
    assert _value(result, "MAX-BODY") == ["2048"]


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--statuskit-option", "max_sleep_ms"],
            {},
            "--statuskit-option 'max_sleep_ms': expected NAME=VALUE, such as max_sleep_ms=5000",
        ),
        (
            ["--statuskit-option", "max_slep=1"],
            {},
            "--statuskit-option 'max_slep=1': unknown server option 'max_slep' (known: ",
        ),
        (
            ["--statuskit-option", "max_body=big"],
            {},
            "--statuskit-option 'max_body=big': server option max_body: 'big' is not a whole number",
        ),
        (["--statuskit-option", "max_body=-1"], {}, "statuskit options: --max-body must be 0 or more, not -1"),
        (
            ["--statuskit-option", "port=80"],
            {},
            "--statuskit-option 'port=80': port is not a server option here: use --statuskit-port",
        ),
        (
            ["--statuskit-option", "workers=2"],
            {},
            "--statuskit-option 'workers=2': workers is not a server option here",
        ),
        (["--statuskit-port", "70000"], {}, "--statuskit-port must be 0-65535, not 70000"),
        (["--statuskit-tls-port", "-1"], {}, "--statuskit-tls-port must be 0-65535, not -1"),
        ([], {"STATUSKIT_PORT": "http"}, "STATUSKIT_PORT='http' is not a port number"),
        ([], {"STATUSKIT_TLS_PORT": "-5"}, "STATUSKIT_TLS_PORT must be 0-65535, not -5"),
    ],
)
def test_bad_options_are_usage_errors(
    suite: pytest.Pytester,
    in_process: list[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    env: dict[str, str],
    message: str,
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(pytest.UsageError) as caught:
        suite.parseconfigure(*in_process, *args)
    assert str(caught.value).startswith(message)


def test_a_bad_option_stops_the_run_with_one_line(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(test_nothing="def test_nothing(statuskit_server):\n    pass\n")
    result = run("--statuskit-option", "max_body=big")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert result.stderr.lines[0] == (
        "ERROR: --statuskit-option 'max_body=big': server option max_body: 'big' is not a whole number"
    )
    assert "Traceback" not in result.stderr.str()


def test_the_known_options_named_for_a_typo_are_all_accepted(suite: pytest.Pytester, in_process: list[str]) -> None:
    # The list an unknown option gets must hold only options the plugin takes (not port or workers).
    with pytest.raises(pytest.UsageError) as caught:
        suite.parseconfigure(*in_process, "--statuskit-option", "nonsense=1")
    known = str(caught.value).split("(known: ", 1)[1].rstrip(")").split(", ")
    assert "port" not in known and "workers" not in known and "max_sleep_ms" in known
    from statuskit.server.config import ServerConfig

    for name in known:  # each, at its default value, is taken without a UsageError
        value = getattr(ServerConfig(), name)
        text = ",".join(value) if isinstance(value, tuple) else "none" if value is None else str(value).lower()
        suite.parseconfigure(*in_process, "--statuskit-option", f"{name}={text}")
