"""`statuskit serve`: the test server's command line, a thin front end over `statuskit.server`.

Every option is a field of `ServerConfig` (same name, same default), so the
limits are documented once. Errors are one line on stderr and exit status 2:
a bad option, a port in use, an address that cannot be bound.
"""

from __future__ import annotations

import argparse
import shutil
import ssl
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from statuskit.cli import EXIT_USAGE, UsageError, fail

DESCRIPTION = """\
Run the statuskit test server: every status code at /{code}, produced on the
wire as RFC 9110 describes it. The first line printed is
'statuskit listening on URL'; then one access-log line per request.

With --tls it serves HTTPS with a certificate made at start-up by a new local
CA, for localhost, 127.0.0.1 and ::1; the first line ends with the file that
holds the CA certificate (curl --cacert FILE).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"serve: {message}")


def _parser() -> argparse.ArgumentParser:
    from statuskit.server.config import ServerConfig

    d = ServerConfig()
    p = _Parser(prog="statuskit serve", description=DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default=d.host, help=f"address to listen on (default {d.host})")
    p.add_argument("--port", type=int, default=d.port, help=f"port; 0 picks a free one (default {d.port})")
    p.add_argument("--workers", type=int, default=d.workers, help="processes sharing the port (default 1)")
    p.add_argument("--quiet", action="store_true", help="no access log")
    p.add_argument("--no-http2", action="store_true", help="HTTP/1.x only: no h2c on a plain port, no h2 by ALPN with TLS")
    p.add_argument("--seed", type=int, default=None, help="seed for the random picks of /200,503")
    limits = p.add_argument_group("limits")
    limits.add_argument("--max-sleep", type=int, default=d.max_sleep_ms, metavar="MS", help=f"longest ?sleep=, fault, /delay and /drip, ms (default {d.max_sleep_ms})")
    limits.add_argument("--max-target", type=int, default=d.max_target, metavar="BYTES", help=f"longest request target, else 414 (default {d.max_target})")
    limits.add_argument("--max-header-bytes", type=int, default=d.max_header_bytes, metavar="BYTES", help=f"largest header section, else 431 (default {d.max_header_bytes})")
    limits.add_argument("--max-headers", type=int, default=d.max_headers, metavar="N", help=f"most header fields, else 431 (default {d.max_headers})")
    limits.add_argument("--max-body", type=int, default=d.max_body, metavar="BYTES", help=f"largest request content, else 413 (default {d.max_body})")
    limits.add_argument("--max-connections", type=int, default=d.max_connections, metavar="N", help=f"open connections per worker, else 503 (default {d.max_connections})")
    limits.add_argument("--max-pipeline", type=int, default=d.max_pipeline, metavar="N", help=f"requests read ahead of their answer per connection (default {d.max_pipeline})")
    limits.add_argument("--max-streams", type=int, default=d.max_streams, metavar="N", help=f"concurrent streams per HTTP/2 connection (default {d.max_streams})")
    limits.add_argument("--max-caller-fields", type=int, default=d.max_caller_fields, metavar="N", help=f"X-Statuskit-Response-* fields per request, else 400 (default {d.max_caller_fields})")
    limits.add_argument("--max-cache-bytes", type=int, default=d.max_cache_bytes, metavar="BYTES", help=f"memory for remembered responses per worker, 0: none (default {d.max_cache_bytes})")
    limits.add_argument("--backlog", type=int, default=d.backlog, metavar="N", help=f"listen backlog (default {d.backlog})")
    timeouts = p.add_argument_group("timeouts (seconds)")
    timeouts.add_argument("--request-timeout", type=float, default=d.request_timeout, metavar="S", help=f"to receive a whole request, else 408 (default {d.request_timeout:g})")
    timeouts.add_argument("--keepalive-timeout", type=float, default=d.keepalive_timeout, metavar="S", help=f"idle keep-alive connection (default {d.keepalive_timeout:g})")
    timeouts.add_argument("--send-timeout", type=float, default=d.send_timeout, metavar="S", help=f"client not reading a response (default {d.send_timeout:g})")
    timeouts.add_argument("--websocket-timeout", type=float, default=d.websocket_timeout, metavar="S", help=f"silent WebSocket (default {d.websocket_timeout:g})")
    timeouts.add_argument("--shutdown-grace", type=float, default=d.shutdown_grace, metavar="S", help=f"for in-flight responses on SIGTERM (default {d.shutdown_grace:g})")
    resources = p.add_argument_group("resources")
    resources.add_argument("--allow-redirect-host", action="append", default=[], metavar="HOST[:PORT]", help="a host /redirect-to may send clients to (repeatable; default none: paths on this server only)")
    resources.add_argument("--max-redirects", type=int, default=d.max_redirects, metavar="N", help=f"most hops of /redirect/{{n}} (default {d.max_redirects})")
    resources.add_argument("--max-items", type=int, default=d.max_items, metavar="N", help=f"items kept by /items, oldest evicted (default {d.max_items})")
    resources.add_argument("--max-jobs", type=int, default=d.max_jobs, metavar="N", help=f"jobs kept by /jobs, oldest evicted (default {d.max_jobs})")
    resources.add_argument("--max-job-seconds", type=int, default=d.max_job_seconds, metavar="S", help=f"longest /jobs?seconds= (default {d.max_job_seconds})")
    resources.add_argument("--nonce-lifetime", type=int, default=d.nonce_lifetime, metavar="S", help=f"seconds a Digest nonce is fresh (default {d.nonce_lifetime})")
    resources.add_argument("--max-range-bytes", type=int, default=d.max_range_bytes, metavar="BYTES", help=f"largest content the server generates (/range/{{n}}, /bytes/{{n}}, /stream..., /drip, /links), else 400 (default {d.max_range_bytes})")
    resources.add_argument("--max-ranges", type=int, default=d.max_ranges, metavar="N", help=f"ranges in one Range field, else 416 (default {d.max_ranges})")
    resources.add_argument("--max-state-entries", type=int, default=d.max_state_entries, metavar="N", help=f"keys per in-memory store: rate limits, /unstable, /conditional-put (default {d.max_state_entries})")
    resources.add_argument("--max-document-bytes", type=int, default=d.max_document_bytes, metavar="BYTES", help=f"largest /conditional-put document, else 413 (default {d.max_document_bytes})")
    resources.add_argument("--max-upstream-bytes", type=int, default=d.max_upstream_bytes, metavar="BYTES", help=f"what /gateway reads of an upstream response, else 502 (default {d.max_upstream_bytes})")
    tls = p.add_argument_group("TLS")
    tls.add_argument("--tls", action="store_true", help="serve HTTPS with a certificate made now by a new local CA")
    tls.add_argument("--cert", metavar="FILE", help="serve HTTPS with this PEM certificate (chain) instead")
    tls.add_argument("--key", metavar="FILE", help="the private key of --cert (PEM), unless --cert holds it")
    tls.add_argument("--ca-out", metavar="FILE", help="with --tls: write the CA certificate here (default: a temporary file, removed at exit)")
    tls.add_argument("--tls-name", action="append", default=[], metavar="NAME", help="with --tls: one more host name or address for the certificate (repeatable)")
    tls.add_argument("--tls-close-timeout", type=float, default=d.tls_close_timeout, metavar="S", help=f"wait for the client's close_notify (default {d.tls_close_timeout:g})")
    return p


def _tls(args: argparse.Namespace) -> tuple[ssl.SSLContext | None, str, Callable[[], None]]:
    """The server's TLS context, what the first line adds, and what to clean up at exit.

    Raises UsageError or ServerError (one line each).
    """
    from statuskit.server.tls import LocalAuthority, server_context_from_files

    if args.key and not args.cert:
        raise UsageError("serve: --key needs --cert")
    if args.cert:
        for option in ("ca_out", "tls_name"):
            if getattr(args, option):
                flag = "--" + option.replace("_", "-")
                raise UsageError(f"serve: {flag} is for the certificate --tls makes, not for --cert")
        return server_context_from_files(args.cert, args.key), "", lambda: None
    if not args.tls:
        if args.ca_out or args.tls_name:
            raise UsageError("serve: --ca-out and --tls-name need --tls")
        return None, "", lambda: None
    authority = LocalAuthority()
    context = authority.server_context([args.host, *args.tls_name])
    cleanup: Callable[[], None] = lambda: None
    if args.ca_out:
        path = Path(args.ca_out)
    else:
        folder = tempfile.mkdtemp(prefix="statuskit-ca-")
        path = Path(folder) / "ca.pem"
        cleanup = lambda: shutil.rmtree(folder, ignore_errors=True)
    try:
        authority.write_pem(path)
    except OSError as exc:
        cleanup()
        raise UsageError(f"serve: cannot write the CA certificate to {path}: {exc.strerror or exc}") from None
    return context, f"CA certificate: {path.resolve()}", cleanup


def _raise_open_files(wanted: int) -> None:
    # Each connection is a file descriptor; lift the soft limit toward the hard one.
    try:
        import resource
    except ImportError:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def run_serve(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from statuskit.server.config import ServerConfig
    from statuskit.server.errors import ServerError
    from statuskit.server.workers import run

    try:
        context, note, cleanup = _tls(args)
    except (UsageError, ServerError) as exc:
        return fail(str(exc), EXIT_USAGE)
    try:
        config = ServerConfig(
            ssl=context,
            host=args.host,
            port=args.port,
            workers=args.workers,
            access_log=not args.quiet,
            seed=args.seed,
            max_sleep_ms=args.max_sleep,
            max_target=args.max_target,
            max_header_bytes=args.max_header_bytes,
            max_headers=args.max_headers,
            max_body=args.max_body,
            max_connections=args.max_connections,
            max_pipeline=args.max_pipeline,
            max_streams=args.max_streams,
            http2=not args.no_http2,
            max_caller_fields=args.max_caller_fields,
            max_cache_bytes=args.max_cache_bytes,
            backlog=args.backlog,
            max_range_bytes=args.max_range_bytes,
            max_ranges=args.max_ranges,
            max_state_entries=args.max_state_entries,
            max_document_bytes=args.max_document_bytes,
            max_upstream_bytes=args.max_upstream_bytes,
            request_timeout=args.request_timeout,
            keepalive_timeout=args.keepalive_timeout,
            send_timeout=args.send_timeout,
            websocket_timeout=args.websocket_timeout,
            shutdown_grace=args.shutdown_grace,
            tls_close_timeout=args.tls_close_timeout,
            allow_redirect_host=tuple(args.allow_redirect_host),
            max_redirects=args.max_redirects,
            max_items=args.max_items,
            max_jobs=args.max_jobs,
            max_job_seconds=args.max_job_seconds,
            nonce_lifetime=args.nonce_lifetime,
        )
    except ValueError as exc:
        cleanup()
        return fail(f"serve: {exc}", EXIT_USAGE)
    # A descriptor per connection, and as many again over --max-connections, so that a
    # flood past the limit is told 503 rather than closed unanswered by the accept
    # loop (which is what uvloop and asyncio do when accept() fails with EMFILE).
    _raise_open_files(2 * config.max_connections + 64)
    try:
        return run(config, note)
    except ServerError as exc:
        return fail(str(exc), EXIT_USAGE)
    finally:
        cleanup()
