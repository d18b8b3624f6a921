"""pytest-httpbin's fixtures from `-p statuskit.httpbin`: its names and behaviour, opt-in, no clash with it."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

# A suite written for pytest-httpbin, unchanged but for the switch.
SUITE = """
import os
import socket
import ssl
import unittest

import httpx
import pytest
import requests

import statuskit.httpbin as pytest_httpbin


def test_the_server_object(httpbin):
    assert httpbin.url == f"http://{httpbin.host}:{httpbin.port}" and httpbin.protocol == "http"
    assert httpbin + "/get" == httpbin.url + "/get"
    assert httpbin.join("get?a=1") == httpbin.url + "/get?a=1"


def test_echo_in_httpbin_shapes(httpbin):
    response = requests.post(httpbin + "/post?x=1&x=2", data={"a": "1"}, files={"f": ("f.txt", b"hi")})
    document = response.json()
    assert document["args"] == {"x": ["1", "2"]} and document["form"] == {"a": "1"} and document["files"] == {"f": "hi"}
    assert document["url"] == httpbin + "/post?x=1&x=2" and document["origin"] == "127.0.0.1"
    assert document["headers"]["User-Agent"].startswith("python-requests/")


def test_keep_alive_and_concurrent(httpbin):
    with requests.Session() as session:
        answers = [session.get(httpbin + "/get") for _ in range(3)]
    assert all(a.status_code == 200 and "close" not in a.headers.get("Connection", "") for a in answers)
    # A connection holding half a request does not hold up others (pytest-httpbin serves one at a time).
    with socket.create_connection((httpbin.host, httpbin.port)) as held:
        held.sendall(b"GET /get HTTP/1.1\\r\\nHost: x\\r\\n")
        assert requests.get(httpbin + "/uuid", timeout=10).status_code == 200


def test_secure_with_the_ca_bundle(httpbin_secure, httpbin_ca_bundle):
    assert httpbin_secure.url.startswith("https://") and httpbin_secure.protocol == "https"
    assert os.environ["REQUESTS_CA_BUNDLE"] == httpbin_ca_bundle
    assert requests.get(httpbin_secure + "/get").json()["url"] == httpbin_secure + "/get"
    trusted = ssl.create_default_context(cafile=httpbin_ca_bundle)
    assert httpx.get(httpbin_secure + "/get", verify=trusted).status_code == 200


def test_secure_is_refused_without_it(httpbin_secure):
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(httpbin_secure + "/get")


def test_both(httpbin_both):
    assert requests.get(httpbin_both + "/status/418", verify=httpbin_both.ca_bundle).status_code == 418


@pytest_httpbin.use_class_based_httpbin
@pytest_httpbin.use_class_based_httpbin_secure
class TestClassBased(unittest.TestCase):
    def test_both_servers(self):
        assert requests.get(self.httpbin.url + "/get").status_code == 200
        assert requests.get(self.httpbin_secure.url + "/get", verify=self.httpbin_secure.ca_bundle).status_code == 200
"""

# A stand-in for pytest-httpbin as pip installs it: a package with a pytest11 entry point named "httpbin".
FAKE_PLUGIN = """
import pytest

@pytest.fixture(scope="session")
def httpbin():
    return "pytest-httpbin's own"
"""


def test_opt_in_the_suite_passes_with_the_switch(suite: pytest.Pytester, run: Callable[..., pytest.RunResult]) -> None:
    suite.makepyfile(test_suite=SUITE)
    result = run("-p", "statuskit.httpbin", "-v")
    result.assert_outcomes(passed=8)
    without = run()
    assert "fixture 'httpbin' not found" in without.stdout.str()  # installing statuskit alone changes nothing


def test_ports_from_pytest_httpbins_variables(
    suite: pytest.Pytester,
    run: Callable[..., pytest.RunResult],
    free_port: Callable[[], int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    port = free_port()
    monkeypatch.setenv("HTTPBIN_HTTP_PORT", str(port))
    suite.makepyfile(test_port=f"def test_port(httpbin):\n    assert httpbin.port == {port}\n")
    run("-p", "statuskit.httpbin").assert_outcomes(passed=1)
    monkeypatch.setenv("HTTPBIN_HTTP_PORT", "eighty")
    refused = run("-p", "statuskit.httpbin")
    assert "HTTPBIN_HTTP_PORT='eighty' is not a port number" in refused.stderr.str() + refused.stdout.str()


@pytest.fixture
def fake_pytest_httpbin(suite: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """pytest-httpbin "installed": its plugin module, its certs (from a CA made here) and its entry point."""
    import trustme

    site = tmp_path / "site"
    package = site / "pytest_httpbin"
    (package / "certs").mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "plugin.py").write_text(textwrap.dedent(FAKE_PLUGIN), encoding="utf-8")
    (package / "certs.py").write_text(
        "import os\n\ndef where():\n    return os.path.join(os.path.dirname(__file__), 'certs', 'client.pem')\n",
        encoding="utf-8",
    )
    ca = trustme.CA()
    ca.cert_pem.write_to_path(str(package / "certs" / "client.pem"))
    leaf = ca.issue_cert("localhost", "127.0.0.1")
    leaf.cert_chain_pems[0].write_to_path(str(package / "certs" / "server.pem"))
    leaf.private_key_pem.write_to_path(str(package / "certs" / "server.key"))
    dist = site / "pytest_httpbin-2.1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: pytest-httpbin\nVersion: 2.1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[pytest11]\nhttpbin = pytest_httpbin.plugin\n", encoding="utf-8")
    import os

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([os.environ["PYTHONPATH"], str(site)]))
    return package


def test_no_clash_with_pytest_httpbin_installed(
    suite: pytest.Pytester, run: Callable[..., pytest.RunResult], fake_pytest_httpbin: Path
) -> None:
    suite.makepyfile(
        test_which="""
        import requests
        import pytest_httpbin.certs

        def test_origin(request):
            server = request.getfixturevalue("httpbin")
            print("GOT", type(server).__name__)

        def test_its_ca_bundle_verifies_the_secure_server(httpbin_secure):
            assert requests.get(httpbin_secure + "/get", verify=pytest_httpbin.certs.where()).status_code == 200
        """
    )
    theirs = run("-s", "-k", "origin")
    theirs.assert_outcomes(passed=1)
    assert "GOT str" in theirs.stdout.str()  # pytest-httpbin's fixture, untouched
    ours = run("-s", "-p", "statuskit.httpbin")
    ours.assert_outcomes(passed=2)
    assert "GOT HttpbinServer" in ours.stdout.str()
    # From the root conftest, after the entry points are loaded: pytest-httpbin's plugin is taken out again.
    suite.makeconftest('pytest_plugins = ["statuskit.httpbin"]')
    from_conftest = run("-s", "-k", "origin")
    from_conftest.assert_outcomes(passed=1)
    assert "GOT HttpbinServer" in from_conftest.stdout.str()
