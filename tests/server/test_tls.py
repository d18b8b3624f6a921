"""The engine over TLS (the pytest plugin's HTTPS server builds on this): same plans, scheme https."""

from __future__ import annotations

import ssl

import httpx
import pytest

from statuskit.server import ServerConfig, ServerThread

trustme = pytest.importorskip("trustme")


def test_https_serves_interim_and_final_responses(tmp_path) -> None:
    authority = trustme.CA()
    certificate = authority.issue_cert("127.0.0.1", "localhost")
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(server_context)
    bundle = tmp_path / "ca.pem"
    authority.cert_pem.write_to_path(str(bundle))
    with ServerThread(ServerConfig.from_options(port=0, access_log=False, ssl=server_context)) as server:
        assert server.url.startswith("https://127.0.0.1:")
        with httpx.Client(verify=ssl.create_default_context(cafile=str(bundle))) as client:
            assert client.get(server.url_for("/103?then=418")).status_code == 418
            assert client.get(server.url_for("/404")).status_code == 404
        with pytest.raises(httpx.ConnectError):
            httpx.get(server.url_for("/200"))  # not trusted without the CA
