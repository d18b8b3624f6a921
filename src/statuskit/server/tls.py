"""TLS for the test server: a certificate made at start-up by a local CA, or the caller's own.

    authority = LocalAuthority()                 # a new CA, in memory only (trustme)
    context = authority.server_context()         # a leaf for localhost, 127.0.0.1 and ::1
    authority.write_pem(path)                    # the CA certificate, for curl --cacert
    client = authority.client_context()          # trusts that CA and nothing else

    context = server_context_from_files(cert, key)   # statuskit serve --cert/--key

No certificate is ever committed or reused: each start makes a new CA and a
leaf valid from shortly before start-up, so a test suite can never meet an
expired certificate (pytest-httpbin shipped one). A context made here
advertises http/1.1 by ALPN; `Server.start` offers h2 first as well unless
HTTP/2 is off (--no-http2), so a client offering only h2 then gets no
protocol selected rather than a wrong one.
"""

from __future__ import annotations

import datetime
import ssl
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from statuskit.server.errors import ServerError

# The names a loopback server is reached by; each becomes a subjectAltName
# (DNS for names, IP Address for addresses), which is all modern clients check.
LOCAL_NAMES: tuple[str, ...] = ("localhost", "127.0.0.1", "::1")

ALPN_PROTOCOLS: tuple[str, ...] = ("http/1.1",)

# The leaf is valid from an hour before start-up (a client's clock may lag)
# for 825 days: Apple platforms refuse TLS server certificates valid longer,
# and mkcert issues for about as long.
CLOCK_SKEW = datetime.timedelta(hours=1)
LEAF_LIFETIME = datetime.timedelta(days=825)


def _harden(context: ssl.SSLContext) -> ssl.SSLContext:
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.set_alpn_protocols(list(ALPN_PROTOCOLS))
    return context


def new_server_context() -> ssl.SSLContext:
    """A server-side context with no certificate yet: TLS 1.2 or later, ALPN http/1.1."""
    # PROTOCOL_TLS_SERVER rather than create_default_context(CLIENT_AUTH):
    # the server does not verify clients, so loading the system's CAs would be wasted.
    return _harden(ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER))


def server_context_from_files(certfile: str, keyfile: str | None = None) -> ssl.SSLContext:
    """A server context from a PEM certificate (chain) and key; ServerError with one line if they do not load."""
    context = new_server_context()
    try:
        context.load_cert_chain(certfile, keyfile)
    except FileNotFoundError as exc:
        raise ServerError(f"cannot load the TLS certificate: no such file: {exc.filename or certfile}") from None
    except ssl.SSLError as exc:
        files = certfile if keyfile is None else f"{certfile} and {keyfile}"
        # OpenSSL says "PEM lib" for a file that is not PEM or lacks the key.
        reason = "the key does not match the certificate" if exc.reason == "KEY_VALUES_MISMATCH" else None
        reason = reason or "expected a PEM certificate and its private key (--key FILE if it is apart)"
        raise ServerError(f"cannot load the TLS certificate from {files}: {reason}") from None
    except OSError as exc:
        raise ServerError(f"cannot load the TLS certificate from {certfile}: {exc.strerror or exc}") from None
    return context


def _names(extra: Iterable[str]) -> list[str]:
    names = list(LOCAL_NAMES)
    for name in extra:
        if name and name not in names and name not in ("0.0.0.0", "::"):
            names.append(name)
    return names


class LocalAuthority:
    """A certificate authority made now, held in memory, that issues the server's certificate."""

    def __init__(self) -> None:
        try:
            import trustme
        except ImportError:  # pragma: no cover - trustme is a dependency of statuskit
            raise ServerError("--tls needs the trustme package (pip install trustme)") from None
        self._ca: Any = trustme.CA(organization_name="statuskit", organization_unit_name="statuskit test server CA")
        self.pem: bytes = self._ca.cert_pem.bytes()

    def issue(self, names: Sequence[str] = (), *, now: datetime.datetime | None = None) -> Any:
        """A trustme LeafCert for LOCAL_NAMES and `names`, valid from just before `now`."""
        start = now if now is not None else datetime.datetime.now(datetime.UTC)
        return self._ca.issue_cert(
            *_names(names),
            organization_name="statuskit",
            organization_unit_name="statuskit test server",
            not_before=start - CLOCK_SKEW,
            not_after=start + LEAF_LIFETIME,
        )

    def server_context(self, names: Sequence[str] = ()) -> ssl.SSLContext:
        """A server context with a new leaf for LOCAL_NAMES and `names` (e.g. a host name a container is reached by)."""
        context = new_server_context()
        self.issue(names).configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this CA and nothing else, checking host names; ALPN http/1.1."""
        context = ssl.create_default_context(cadata=self.pem.decode("ascii"))
        context.set_alpn_protocols(list(ALPN_PROTOCOLS))
        return context

    def write_pem(self, path: str | Path) -> Path:
        """Write the CA certificate (PEM) to `path`, for `curl --cacert`, `requests(verify=)` and friends."""
        target = Path(path)
        target.write_bytes(self.pem)
        return target
