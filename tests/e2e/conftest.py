"""Chromium trusting a local certificate by its key, for the end-to-end tests over HTTPS and h2.

`--ignore-certificate-errors-spki-list` makes the certificate trusted rather
than its errors ignored: Chromium keeps some features (early hints) off on
connections whose certificate errors are merely ignored.
"""

from __future__ import annotations

import base64
import hashlib
import ssl
from collections.abc import Iterator
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization

from statuskit.server.tls import LocalAuthority
from tests.conftest import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def certificate() -> tuple[ssl.SSLContext, str]:
    leaf = LocalAuthority().issue()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    leaf.configure_cert(context)
    key = x509.load_pem_x509_certificate(leaf.cert_chain_pems[0].bytes()).public_key()
    spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return context, base64.b64encode(hashlib.sha256(spki).digest()).decode("ascii")


@pytest.fixture(scope="module")
def chromium(tool, certificate) -> Iterator[Any]:
    path = tool("chromium")
    from playwright.sync_api import sync_playwright

    _, spki = certificate
    driver = sync_playwright().start()
    browser = driver.chromium.launch(
        executable_path=path, args=[*CHROMIUM_ARGS, f"--ignore-certificate-errors-spki-list={spki}"]
    )
    yield browser
    browser.close()
    driver.stop()
