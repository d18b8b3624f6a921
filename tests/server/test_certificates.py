"""The certificates of `statuskit.server.tls`: names, validity, trust, ALPN, and loading your own."""

from __future__ import annotations

import datetime
import socket
import ssl
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from statuskit.server import ServerConfig, ServerError, ServerThread
from statuskit.server.tls import (
    CLOCK_SKEW,
    LEAF_LIFETIME,
    LocalAuthority,
    new_server_context,
    server_context_from_files,
)


@pytest.fixture(scope="module")
def authority() -> LocalAuthority:
    return LocalAuthority()


@pytest.fixture(scope="module")
def server(authority: LocalAuthority) -> Iterator[ServerThread]:
    with ServerThread(ServerConfig.from_options(port=0, access_log=False, ssl=authority.server_context())) as thread:
        yield thread


def handshake(
    port: int, context: ssl.SSLContext, name: str = "127.0.0.1", host: str = "127.0.0.1"
) -> dict[str, object]:
    """A real TLS handshake; what the client saw."""
    with (
        socket.create_connection((host, port), timeout=10) as raw,
        context.wrap_socket(raw, server_hostname=name) as tls,
    ):
        return {"cert": tls.getpeercert(), "version": tls.version(), "alpn": tls.selected_alpn_protocol()}


def test_names_are_localhost_127_0_0_1_and_ipv6_loopback(server: ServerThread, authority: LocalAuthority) -> None:
    names = handshake(server.port, authority.client_context())["cert"]["subjectAltName"]  # type: ignore[index]
    assert set(names) == {("DNS", "localhost"), ("IP Address", "127.0.0.1"), ("IP Address", "0:0:0:0:0:0:0:1")}


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
def test_it_verifies_by_address_and_by_name(server: ServerThread, authority: LocalAuthority, name: str) -> None:
    assert handshake(server.port, authority.client_context(), name)["version"] == "TLSv1.3"


def test_it_verifies_over_ipv6(authority: LocalAuthority) -> None:
    with ServerThread(
        ServerConfig.from_options(host="::1", port=0, access_log=False, ssl=authority.server_context())
    ) as server:
        assert server.url == f"https://[::1]:{server.port}"
        assert handshake(server.port, authority.client_context(), "::1", host="::1")["version"] == "TLSv1.3"


def test_another_name_is_refused(server: ServerThread, authority: LocalAuthority) -> None:
    with pytest.raises(ssl.SSLCertVerificationError, match="Hostname mismatch"):
        handshake(server.port, authority.client_context(), "example.com")


def test_issued_at_start_up_so_it_cannot_have_expired(server: ServerThread, authority: LocalAuthority) -> None:
    cert = handshake(server.port, authority.client_context())["cert"]
    not_before = ssl.cert_time_to_seconds(cert["notBefore"])  # type: ignore[index]
    not_after = ssl.cert_time_to_seconds(cert["notAfter"])  # type: ignore[index]
    now = time.time()
    # Made within the last ten minutes (when this module's server started), back-dated by the clock skew.
    assert now - CLOCK_SKEW.total_seconds() - 600 < not_before < now - CLOCK_SKEW.total_seconds() + 60
    assert not_after - not_before == (CLOCK_SKEW + LEAF_LIFETIME).total_seconds()
    assert datetime.timedelta(days=825) >= LEAF_LIFETIME  # Apple platforms refuse longer-lived server certificates


def test_without_the_ca_the_certificate_fails(server: ServerThread) -> None:
    with pytest.raises(ssl.SSLCertVerificationError, match="unable to get local issuer certificate"):
        handshake(server.port, ssl.create_default_context())


def test_each_authority_is_new(server: ServerThread) -> None:
    # A second run's CA does not verify this run's server: nothing is shared or stored between runs.
    other = LocalAuthority()
    with pytest.raises(ssl.SSLCertVerificationError):
        handshake(server.port, other.client_context())


def test_the_client_context_trusts_only_its_ca(authority: LocalAuthority) -> None:
    context = authority.client_context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert len(context.get_ca_certs()) == 1


@pytest.mark.parametrize(
    ("offered", "selected"),
    [(["h2", "http/1.1"], "h2"), (["http/1.1", "h2"], "h2"), (["http/1.1"], "http/1.1"), (["h2"], "h2"), (None, None)],
)
def test_alpn_offers_h2_then_http_1_1(
    server: ServerThread, authority: LocalAuthority, offered: list[str] | None, selected: str | None
) -> None:
    context = ssl.create_default_context(cadata=authority.pem.decode())
    if offered is not None:
        context.set_alpn_protocols(offered)
    assert handshake(server.port, context)["alpn"] == selected


@pytest.mark.parametrize(("offered", "selected"), [(["h2", "http/1.1"], "http/1.1"), (["h2"], None)])
def test_alpn_is_http_1_1_only_without_http2(
    authority: LocalAuthority, offered: list[str], selected: str | None
) -> None:
    config = ServerConfig.from_options(port=0, access_log=False, http2=False, ssl=authority.server_context())
    with ServerThread(config) as thread:
        context = ssl.create_default_context(cadata=authority.pem.decode())
        context.set_alpn_protocols(offered)
        assert handshake(thread.port, context)["alpn"] == selected


def test_tls_1_2_at_least() -> None:
    assert new_server_context().minimum_version == ssl.TLSVersion.TLSv1_2


def test_tls_1_2_clients_are_served(server: ServerThread, authority: LocalAuthority) -> None:
    context = authority.client_context()
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    assert handshake(server.port, context)["version"] == "TLSv1.2"


def test_the_pem_written_is_the_ca(authority: LocalAuthority, tmp_path: Path) -> None:
    path = authority.write_pem(tmp_path / "ca.pem")
    assert path.read_bytes() == authority.pem
    context = ssl.create_default_context(cafile=str(path))
    assert context.get_ca_certs()[0]["subject"] == (
        (("organizationName", "statuskit"),),
        (("organizationalUnitName", "statuskit test server CA"),),
    )


# -- your own certificate (statuskit serve --cert/--key) ---------------------------------------


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    ca = trustme.CA()
    leaf = ca.issue_cert("own.test")
    folder = tmp_path_factory.mktemp("own")
    files = {
        "ca": folder / "ca.pem",
        "cert": folder / "cert.pem",
        "key": folder / "key.pem",
        "both": folder / "both.pem",
    }
    ca.cert_pem.write_to_path(str(files["ca"]))
    leaf.cert_chain_pems[0].write_to_path(str(files["cert"]))
    leaf.private_key_pem.write_to_path(str(files["key"]))
    leaf.private_key_and_cert_chain_pem.write_to_path(str(files["both"]))
    return files


@pytest.mark.parametrize("split", [True, False], ids=["cert-and-key", "one-file"])
def test_own_certificate_is_served(own: dict[str, Path], split: bool) -> None:
    if split:
        context = server_context_from_files(str(own["cert"]), str(own["key"]))
    else:
        context = server_context_from_files(str(own["both"]))
    with ServerThread(ServerConfig.from_options(port=0, access_log=False, ssl=context)) as server:
        client = ssl.create_default_context(cafile=str(own["ca"]))
        seen = handshake(server.port, client, "own.test")
        assert ("DNS", "own.test") in seen["cert"]["subjectAltName"]  # type: ignore[index]
        assert seen["alpn"] is None  # offered nothing
        client.set_alpn_protocols(["http/1.1"])
        assert handshake(server.port, client, "own.test")["alpn"] == "http/1.1"


def test_own_certificate_errors_are_one_line(own: dict[str, Path], tmp_path: Path) -> None:
    other = trustme.CA().issue_cert("x.test")
    wrong_key = tmp_path / "wrong.pem"
    other.private_key_pem.write_to_path(str(wrong_key))
    cases = [
        ((str(tmp_path / "missing.pem"), None), "no such file"),
        ((str(own["cert"]), None), "expected a PEM certificate and its private key"),
        ((str(own["ca"]), str(tmp_path / "nokey.pem")), "no such file"),
        ((str(own["cert"]), str(wrong_key)), "the key does not match the certificate"),
    ]
    for args, message in cases:
        with pytest.raises(ServerError, match=message) as caught:
            server_context_from_files(*args)
        assert "\n" not in str(caught.value)
