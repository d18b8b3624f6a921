"""Every limit and timeout of the server, with its default and the precedent it follows.

The same names are the options of `statuskit serve` (`max_body` is
`--max-body`), so the README's table, the CLI and this class cannot drift.
"""

from __future__ import annotations

import secrets
import ssl
from dataclasses import dataclass, field, fields

from statuskit.responder import ResponderConfig
from statuskit.responder.config import (
    DEFAULT_MAX_DOCUMENT_BYTES,
    DEFAULT_MAX_ITEMS,
    DEFAULT_MAX_JOBS,
    DEFAULT_MAX_JOB_SECONDS,
    DEFAULT_MAX_RANGES,
    DEFAULT_MAX_RANGE_BYTES,
    DEFAULT_MAX_REDIRECTS,
    DEFAULT_MAX_SLEEP_MS,
    DEFAULT_MAX_STATE_ENTRIES,
    DEFAULT_MAX_UPSTREAM_BYTES,
    DEFAULT_NONCE_LIFETIME,
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    access_log: bool = True

    # URL API: the longest ?sleep=, fault or X-Statuskit-Sleep, in milliseconds.
    max_sleep_ms: int = DEFAULT_MAX_SLEEP_MS
    # Request line target, in bytes: Apache's LimitRequestLine is 8190.
    max_target: int = 8190
    # Header section, in bytes: h11's DEFAULT_MAX_INCOMPLETE_EVENT_SIZE is 16 KiB.
    max_header_bytes: int = 16 * 1024
    # Header field lines: Apache's LimitRequestFields is 100.
    max_headers: int = 100
    # Request content, in bytes: nginx's client_max_body_size is 1 MiB.
    max_body: int = 1024 * 1024
    # Open connections per worker; one more gets 503 with Retry-After.
    max_connections: int = 1024
    # Seconds to receive a whole request once it has started (head and content): then 408.
    # nginx's client_header_timeout is 60 s; a test server can be stricter.
    request_timeout: float = 10.0
    # Seconds an idle keep-alive connection stays open: uvicorn's timeout_keep_alive is 5 s.
    keepalive_timeout: float = 5.0
    # Seconds a response may wait for a client that does not read: nginx's send_timeout is 60 s.
    send_timeout: float = 30.0
    # Seconds a WebSocket echo connection may stay silent.
    websocket_timeout: float = 60.0
    # Seconds in-flight responses get to finish after SIGTERM/SIGINT.
    shutdown_grace: float = 5.0
    # listen() backlog: uvicorn's default is 2048.
    backlog: int = 2048
    # Seed for the random picks of /200,503 (None: different every run).
    seed: int | None = None
    # TLS (statuskit serve --tls builds one; None serves plain HTTP).
    ssl: ssl.SSLContext | None = None

    # Resources (docs/resources-a.md): hosts /redirect-to may send a client to
    # (host, or host:port), besides paths on this server.
    allow_redirect_host: tuple[str, ...] = ()
    # Most hops of /redirect/{n}.
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    # Items of /items and jobs of /jobs kept in memory (oldest evicted), longest /jobs?seconds=.
    max_items: int = DEFAULT_MAX_ITEMS
    max_jobs: int = DEFAULT_MAX_JOBS
    max_job_seconds: int = DEFAULT_MAX_JOB_SECONDS
    # Seconds a Digest nonce stays fresh (then stale=true).
    nonce_lifetime: int = DEFAULT_NONCE_LIFETIME
    # Signs Digest nonces: made once here, so forked workers share it.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False, compare=False)
    # Resources (docs/resources-b.md; responder/config.py gives each default its precedent):
    # the largest /range/{n}, in bytes;
    max_range_bytes: int = DEFAULT_MAX_RANGE_BYTES
    # range-specs in one Range field before 416 (Apache's MaxRanges is 200);
    max_ranges: int = DEFAULT_MAX_RANGES
    # keys per in-memory store (rate-limit counters, /unstable sequences, /conditional-put documents);
    max_state_entries: int = DEFAULT_MAX_STATE_ENTRIES
    # the largest document /conditional-put keeps, in bytes;
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    # what the gateway of /gateway/{code} reads of an upstream response, in bytes.
    max_upstream_bytes: int = DEFAULT_MAX_UPSTREAM_BYTES

    def __post_init__(self) -> None:
        positive = (
            "max_target",
            "max_header_bytes",
            "max_headers",
            "max_connections",
            "backlog",
            "workers",
            "max_ranges",
            "max_state_entries",
            "max_document_bytes",
            "max_upstream_bytes",
        )
        for name in positive:
            if getattr(self, name) < 1:
                raise ValueError(f"--{name.replace('_', '-')} must be at least 1, not {getattr(self, name)}")
        for name in ("max_sleep_ms", "max_body", "max_range_bytes"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name.replace('_', '-')} must be 0 or more, not {getattr(self, name)}")
        for name in ("request_timeout", "keepalive_timeout", "send_timeout", "websocket_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"--{name.replace('_', '-')} must be more than 0 seconds, not {getattr(self, name)}")
        if self.shutdown_grace < 0:
            raise ValueError(f"--shutdown-grace must be 0 or more seconds, not {self.shutdown_grace}")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"--port must be 0-65535, not {self.port}")
        for name in ("max_redirects", "max_items", "max_jobs", "max_job_seconds", "nonce_lifetime"):
            if getattr(self, name) < 1:
                raise ValueError(f"--{name.replace('_', '-')} must be at least 1, not {getattr(self, name)}")
        self.responder_config()  # checks --allow-redirect-host

    def responder_config(self) -> ResponderConfig:
        return ResponderConfig(
            max_sleep_ms=self.max_sleep_ms,
            seed=self.seed,
            allow_redirect_hosts=self.allow_redirect_host,
            max_redirects=self.max_redirects,
            max_items=self.max_items,
            max_jobs=self.max_jobs,
            max_job_seconds=self.max_job_seconds,
            nonce_lifetime=self.nonce_lifetime,
            max_body=self.max_body,
            secret=self.secret,
            max_range_bytes=self.max_range_bytes,
            max_ranges=self.max_ranges,
            max_state_entries=self.max_state_entries,
            max_document_bytes=self.max_document_bytes,
            max_upstream_bytes=self.max_upstream_bytes,
        )

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))
