"""The responder's limits and sources of randomness."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field

# httpbin caps /delay at 10 s and httpstat.us ?sleep at 5 min; 30 s covers the
# usual client read timeouts (requests has none, httpx 5 s, aiohttp 5 min).
DEFAULT_MAX_SLEEP_MS = 30_000

# WebDAV servers send 102 every so often while they work; a second makes
# the repetition visible in a test without waiting long.
DEFAULT_HEARTBEAT_MS = 1_000

# Caller-chosen response fields per request: enough for any test, small
# enough that one request cannot make a huge response head.
DEFAULT_MAX_CALLER_FIELDS = 32

# Hops of /redirect/{n}: above every client's own limit (requests 30, curl 50,
# httpx 20), so that a test can find where its client gives up.
DEFAULT_MAX_REDIRECTS = 100

# Items of /items and jobs of /jobs kept in memory; the oldest go first.
DEFAULT_MAX_ITEMS = 1000
DEFAULT_MAX_JOBS = 100
# The longest /jobs?seconds= (an hour).
DEFAULT_MAX_JOB_SECONDS = 3600

# Seconds a Digest nonce is fresh: then a correct answer to it gets 401 with
# stale=true (RFC 7616 §3.3). Five minutes, as Apache's AuthDigestNonceLifetime.
DEFAULT_NONCE_LIFETIME = 300

# Largest request content once decoded (gzip, deflate): nginx's client_max_body_size, as the engine's --max-body.
DEFAULT_MAX_BODY = 1024 * 1024

# /range/{n}: the largest n. nginx's client_max_body_size (1 MiB) is the
# precedent --max-body already follows; the body is built per request.
DEFAULT_MAX_RANGE_BYTES = 1024 * 1024

# Range-specs in one Range field before the answer is 416: Apache's MaxRanges
# default is 200 (RFC 9110 §15.5.17 allows refusing "an excessive number").
DEFAULT_MAX_RANGES = 200

# Keys each in-memory store keeps (rate-limit counters, /unstable sequences,
# /conditional-put documents); the oldest goes first. The engine's response
# memo holds 4096 entries for the same reason: bounded, and ample for tests.
DEFAULT_MAX_STATE_ENTRIES = 4096

# The largest document /conditional-put stores. With the entry count above
# it bounds that store to 64 MiB at worst; a document under test is small.
DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024

# What the gateway of /gateway/{code} reads of an upstream response before
# calling it invalid (502). The upstream is this server answering /{code}.
DEFAULT_MAX_UPSTREAM_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponderConfig:
    """Limits of the URL API. `rng` picks among several codes; `seed` makes it reproducible."""

    max_sleep_ms: int = DEFAULT_MAX_SLEEP_MS
    heartbeat_ms: int = DEFAULT_HEARTBEAT_MS
    max_caller_fields: int = DEFAULT_MAX_CALLER_FIELDS
    seed: int | None = None
    rng: random.Random | None = None
    # Resources (docs/resources-a.md).
    allow_redirect_hosts: tuple[str, ...] = ()
    max_redirects: int = DEFAULT_MAX_REDIRECTS
    max_items: int = DEFAULT_MAX_ITEMS
    max_jobs: int = DEFAULT_MAX_JOBS
    max_job_seconds: int = DEFAULT_MAX_JOB_SECONDS
    nonce_lifetime: int = DEFAULT_NONCE_LIFETIME
    max_body: int = DEFAULT_MAX_BODY
    # Signs Digest nonces; made once per server so that every worker knows the others' nonces.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False, compare=False)
    # Resources (docs/resources-b.md).
    max_range_bytes: int = DEFAULT_MAX_RANGE_BYTES
    max_ranges: int = DEFAULT_MAX_RANGES
    max_state_entries: int = DEFAULT_MAX_STATE_ENTRIES
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    max_upstream_bytes: int = DEFAULT_MAX_UPSTREAM_BYTES

    def __post_init__(self) -> None:
        if self.max_sleep_ms < 0:
            raise ValueError(f"max_sleep_ms must be 0 or more, not {self.max_sleep_ms}")
        if self.heartbeat_ms <= 0:
            raise ValueError(f"heartbeat_ms must be more than 0, not {self.heartbeat_ms}")
        if self.max_caller_fields < 0:
            raise ValueError(f"max_caller_fields must be 0 or more, not {self.max_caller_fields}")
        for name in ("max_redirects", "max_items", "max_jobs", "max_job_seconds", "nonce_lifetime"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if self.max_body < 0:
            raise ValueError(f"max_body must be 0 or more, not {self.max_body}")
        hosts = tuple(host.strip().lower() for host in self.allow_redirect_hosts)
        for host in hosts:
            if not host or any(c in host for c in "/\\@?# \t"):
                raise ValueError(f"--allow-redirect-host: {host!r} is not a host name (give host or host:port)")
        object.__setattr__(self, "allow_redirect_hosts", hosts)
        if self.max_range_bytes < 0:
            raise ValueError(f"max_range_bytes must be 0 or more, not {self.max_range_bytes}")
        for name in ("max_ranges", "max_state_entries", "max_document_bytes", "max_upstream_bytes"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")

    def make_rng(self) -> random.Random:
        return self.rng if self.rng is not None else random.Random(self.seed)
