"""`statuskit serve --tls` and `--cert/--key` as a user runs them: a subprocess, curl and httpx."""

from __future__ import annotations

import re
import ssl
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import trustme

from statuskit.server import ServerProcess

TIMEOUT = 30


@pytest.fixture(autouse=True)
def _curl(tool: Callable[[str], str]) -> None:
    tool("curl")


def curl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["curl", "-sS", "--max-time", "10", *args], capture_output=True, text=True, timeout=TIMEOUT)


def serve(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "statuskit", "serve", *args], capture_output=True, text=True, timeout=TIMEOUT
    )


def test_tls_prints_the_https_url_and_the_ca_file_and_removes_it_at_exit() -> None:
    server = ServerProcess(["--tls"]).start()
    try:
        found = re.fullmatch(
            r"statuskit listening on https://127\.0\.0\.1:(\d+) \(1 worker, \w+; CA certificate: (/\S+/ca\.pem)\)",
            server.first_line,
        )
        assert found, server.first_line
        assert int(found.group(1)) == server.port
        assert server.ca_bundle == found.group(2)
        bundle = Path(server.ca_bundle)
        assert bundle.read_text().startswith("-----BEGIN CERTIFICATE-----")
        # curl: the interim 103, then the final response, verified with --cacert (HTTP/1.1 and h2 by ALPN).
        shown = curl("-i", "--http1.1", "--cacert", str(bundle), server.url_for("/103?then=201"))
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.startswith("HTTP/1.1 103 Early Hints\n")  # (text mode turned CRLF into LF)
        assert "\nHTTP/1.1 201 Created\n" in shown.stdout
        by_name = curl(
            "-o",
            "/dev/null",
            "-w",
            "%{http_code} %{http_version}",
            "--cacert",
            str(bundle),
            f"https://localhost:{server.port}/503",
        )
        assert by_name.stdout == "503 2", by_name.stderr
        # ... and refused without it.
        refused = curl("-o", "/dev/null", server.url_for("/200"))
        assert refused.returncode == 60, refused.stderr  # CURLE_PEER_FAILED_VERIFICATION
        # httpx, with and without the CA.
        with httpx.Client(verify=ssl.create_default_context(cafile=str(bundle))) as client:
            response = client.get(server.url_for("/429"))
            assert response.status_code == 429 and response.headers["Retry-After"] == "1"
            assert response.http_version == "HTTP/1.1"
        with pytest.raises(httpx.ConnectError):
            httpx.get(server.url_for("/200"))
        # Plain HTTP to the HTTPS port.
        plain = curl("-i", f"http://127.0.0.1:{server.port}/200")
        assert plain.stdout.startswith("HTTP/1.1 400 Bad Request\n")
        assert f"use https://127.0.0.1:{server.port}/" in plain.stdout
    finally:
        assert server.stop() == 0
    assert not bundle.exists() and not bundle.parent.exists()
    assert any('"GET /429 HTTP/1.1" 429' in line for line in server.lines)


def test_ca_out_writes_the_ca_where_asked_and_keeps_it(tmp_path: Path) -> None:
    target = tmp_path / "statuskit-ca.pem"
    with ServerProcess(["--tls", "--ca-out", str(target), "--quiet"]) as server:
        assert server.first_line.endswith(f"; CA certificate: {target})")
        assert server.ca_bundle == str(target)
        result = curl("-o", "/dev/null", "-w", "%{http_code}", "--cacert", str(target), server.url_for("/404"))
        assert result.stdout == "404", result.stderr
    assert target.exists()


def test_tls_name_adds_a_name_to_the_certificate(tmp_path: Path) -> None:
    target = tmp_path / "ca.pem"
    with ServerProcess(["--tls", "--tls-name", "statuskit.test", "--ca-out", str(target), "--quiet"]) as server:
        url = f"https://statuskit.test:{server.port}/418"
        resolve = f"statuskit.test:{server.port}:127.0.0.1"
        result = curl("-o", "/dev/null", "-w", "%{http_code}", "--resolve", resolve, "--cacert", str(target), url)
        assert result.stdout == "418", result.stderr
        # A name it was not given fails verification.
        other = curl(
            "-o",
            "/dev/null",
            "--resolve",
            f"other.test:{server.port}:127.0.0.1",
            "--cacert",
            str(target),
            f"https://other.test:{server.port}/418",
        )
        assert other.returncode == 60, other.stderr


def test_own_certificate_and_key(tmp_path: Path) -> None:
    ca = trustme.CA()
    leaf = ca.issue_cert("own.test")
    cert, key, bundle = tmp_path / "cert.pem", tmp_path / "key.pem", tmp_path / "ca.pem"
    leaf.cert_chain_pems[0].write_to_path(str(cert))
    leaf.private_key_pem.write_to_path(str(key))
    ca.cert_pem.write_to_path(str(bundle))
    with ServerProcess(["--cert", str(cert), "--key", str(key), "--quiet"]) as server:
        assert server.first_line.startswith(f"statuskit listening on https://127.0.0.1:{server.port} (1 worker, ")
        assert server.ca_bundle is None
        url = f"https://own.test:{server.port}/201"
        result = curl(
            "-o",
            "/dev/null",
            "-w",
            "%{http_code}",
            "--resolve",
            f"own.test:{server.port}:127.0.0.1",
            "--cacert",
            str(bundle),
            url,
        )
        assert result.stdout == "201", result.stderr


def test_workers_serve_tls_too() -> None:
    with ServerProcess(["--tls", "--workers", "2", "--quiet"]) as server:
        assert server.first_line.startswith(f"statuskit listening on https://127.0.0.1:{server.port} (2 workers, ")
        assert server.ca_bundle is not None
        trust = ssl.create_default_context(cafile=server.ca_bundle)
        for _ in range(6):  # new connections, spread by the kernel over both workers
            assert httpx.get(server.url_for("/200"), verify=trust).status_code == 200


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--key", "key.pem"], "statuskit: serve: --key needs --cert"),
        (["--ca-out", "ca.pem"], "statuskit: serve: --ca-out and --tls-name need --tls"),
        (["--tls-name", "x.test"], "statuskit: serve: --ca-out and --tls-name need --tls"),
        (
            ["--cert", "CERT", "--ca-out", "ca.pem"],
            "statuskit: serve: --ca-out is for the certificate --tls makes, not for --cert",
        ),
        (
            ["--cert", "/nonexistent/cert.pem"],
            "statuskit: cannot load the TLS certificate: no such file: /nonexistent/cert.pem",
        ),
        (
            ["--cert", "CERT"],
            "statuskit: cannot load the TLS certificate from CERT: expected a PEM certificate and its private key "
            "(--key FILE if it is apart)",
        ),
        (
            ["--tls", "--tls-close-timeout", "0"],
            "statuskit: serve: --tls-close-timeout must be more than 0 seconds, not 0.0",
        ),
        (
            ["--tls", "--ca-out", "/nonexistent/dir/ca.pem"],
            "statuskit: serve: cannot write the CA certificate to /nonexistent/dir/ca.pem: No such file or directory",
        ),
    ],
)
def test_tls_usage_errors_are_one_line_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    cert = tmp_path / "cert.pem"
    trustme.CA().issue_cert("x.test").cert_chain_pems[0].write_to_path(str(cert))  # a certificate without its key
    args = [str(cert) if arg == "CERT" else arg for arg in args]
    result = serve("--port", "0", *args)
    assert result.returncode == 2
    assert result.stderr == message.replace("CERT", str(cert)) + "\n"
    assert result.stdout == ""
