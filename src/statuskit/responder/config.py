"""The responder's limits and sources of randomness, each field documented once.

A field's metadata (`option(...)`) is all that `statuskit serve --help`, the
pytest plugin's options and SECURITY.md's limits table say about it; the
engine's own limits are documented the same way in `server/config.py`.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass, field
from typing import Any

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

# Windows the memory and SQLite stores keep (rate limits, /unstable sequences,
# Digest nonce counts) and /conditional-put documents in any store; the oldest go first. The engine's response
# memo holds 4096 entries for the same reason: bounded, and ample for tests.
DEFAULT_MAX_STATE_ENTRIES = 4096

# The largest document /conditional-put stores. With the entry count above
# it bounds that store to 64 MiB at worst; a document under test is small.
DEFAULT_MAX_DOCUMENT_BYTES = 16 * 1024

# What the gateway of /gateway/{code} reads of an upstream response before
# calling it invalid (502). The upstream is this server answering /{code}.
DEFAULT_MAX_UPSTREAM_BYTES = 1024 * 1024


def option(
    help: str,
    *,
    metavar: str = "",
    group: str = "",
    flag: str = "",
    bounds: str = "",
    exceeded: str = "",
) -> dict[str, Any]:
    """The metadata of a field that is a server option.

    `help` is the line of `statuskit serve --help` ("{default}" is filled in);
    `flag` the command line's spelling when it is not `--field-name`; `bounds`
    and `exceeded` SECURITY.md's limits row (no row without `bounds`).
    """
    return {"help": help, "metavar": metavar, "group": group, "flag": flag, "bounds": bounds, "exceeded": exceeded}


def _positive(config: object, names: tuple[str, ...], least: int) -> None:
    for name in names:
        if getattr(config, name) < least:
            words = "at least 1" if least else "0 or more"
            raise ValueError(f"--{name.replace('_', '-')} must be {words}, not {getattr(config, name)}")


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponderConfig:
    """Limits of the URL API and the resources. `rng` picks among several codes; `seed` makes it reproducible."""

    max_sleep_ms: int = field(
        default=DEFAULT_MAX_SLEEP_MS,
        metadata=option(
            "longest ?sleep=, fault, /delay and /drip, ms (default {default})",
            metavar="MS",
            group="limits",
            flag="--max-sleep",
            bounds="`?sleep=`, `X-Statuskit-Sleep` and fault durations, `/delay/{n}`, `/drip`'s `duration` plus "
            "`delay`, ms",
            exceeded="400",
        ),
    )
    heartbeat_ms: int = DEFAULT_HEARTBEAT_MS
    max_caller_fields: int = field(
        default=DEFAULT_MAX_CALLER_FIELDS,
        metadata=option(
            "X-Statuskit-Response-* fields per request, else 400 (default {default})",
            metavar="N",
            group="limits",
            bounds="`X-Statuskit-Response-*` fields per request; also the fields of `/response-headers` and the "
            "cookies of `/cookies/set` and `/cookies/delete`",
            exceeded="400",
        ),
    )
    seed: int | None = field(default=None, metadata=option("seed for the random picks of /200,503"))
    rng: random.Random | None = None
    max_body: int = field(
        default=DEFAULT_MAX_BODY,
        metadata=option(
            "largest request content, else 413 (default {default})",
            metavar="BYTES",
            group="limits",
            bounds="request content, bytes (by `Content-Length` before reading, or as chunks arrive); "
            "also the WebSocket message size",
            exceeded="413, close",
        ),
    )
    # Resources (docs/resources-a.md).
    allow_redirect_hosts: tuple[str, ...] = field(
        default=(),
        metadata=option(
            "another host /redirect-to may send clients to (repeatable; default none: this server's host only)",
            metavar="HOST[:PORT]",
            group="resources",
            flag="--allow-redirect-host",
            bounds="other hosts `/redirect-to` (and `Location` in `/response-headers`) may send a client to (none: "
            "this server's host only)",
            exceeded="400",
        ),
    )
    max_redirects: int = field(
        default=DEFAULT_MAX_REDIRECTS,
        metadata=option(
            "most hops of /redirect/{{n}} (default {default})",
            metavar="N",
            group="resources",
            bounds="hops of `/redirect/{n}`",
            exceeded="400",
        ),
    )
    max_items: int = field(
        default=DEFAULT_MAX_ITEMS,
        metadata=option(
            "items kept by /items, oldest evicted (default {default})",
            metavar="N",
            group="resources",
            bounds="items kept by `/items`",
            exceeded="the oldest is evicted",
        ),
    )
    max_jobs: int = field(
        default=DEFAULT_MAX_JOBS,
        metadata=option(
            "jobs kept by /jobs, oldest evicted (default {default})",
            metavar="N",
            group="resources",
            bounds="jobs kept by `/jobs`",
            exceeded="the oldest is evicted",
        ),
    )
    max_job_seconds: int = field(
        default=DEFAULT_MAX_JOB_SECONDS,
        metadata=option(
            "longest /jobs?seconds= (default {default})",
            metavar="S",
            group="resources",
            bounds="the longest `/jobs?seconds=`",
            exceeded="400",
        ),
    )
    nonce_lifetime: int = field(
        default=DEFAULT_NONCE_LIFETIME,
        metadata=option("seconds a Digest nonce is fresh (default {default})", metavar="S", group="resources"),
    )
    # Signs Digest nonces; made once per server so that every worker knows the others' nonces.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False, compare=False)
    # Resources (docs/resources-b.md).
    max_range_bytes: int = field(
        default=DEFAULT_MAX_RANGE_BYTES,
        metadata=option(
            "largest content the server generates (/range/{{n}}, /bytes/{{n}}, /stream..., /drip, /links), else 400 "
            "(default {default})",
            metavar="BYTES",
            group="resources",
            bounds="the largest content the server generates: `/range/{n}`, `/bytes/{n}`, `/stream-bytes/{n}`, all "
            "the lines of `/stream/{n}`, `/drip`'s `numbytes`, a `/links/{n}` page",
            exceeded="400",
        ),
    )
    max_ranges: int = field(
        default=DEFAULT_MAX_RANGES,
        metadata=option(
            "ranges in one Range field, else 416 (default {default})",
            metavar="N",
            group="resources",
            bounds="range-specs in one `Range` field (Apache's `MaxRanges`)",
            exceeded="416",
        ),
    )
    max_state_entries: int = field(
        default=DEFAULT_MAX_STATE_ENTRIES,
        metadata=option(
            "windows and nonce counts kept in memory or SQLite, /conditional-put documents (default {default})",
            metavar="N",
            group="resources",
            bounds="rate-limit and `/unstable` windows and Digest nonce counts in the memory and SQLite stores "
            "(Redis ends them by TTL); `/conditional-put` documents in every store",
            exceeded="ended windows go first, then the oldest",
        ),
    )
    max_document_bytes: int = field(
        default=DEFAULT_MAX_DOCUMENT_BYTES,
        metadata=option(
            "largest /conditional-put document, else 413 (default {default})",
            metavar="BYTES",
            group="resources",
            bounds="the largest `/conditional-put` document",
            exceeded="413",
        ),
    )
    max_upstream_bytes: int = field(
        default=DEFAULT_MAX_UPSTREAM_BYTES,
        metadata=option(
            "what /gateway reads of an upstream response, else 502 (default {default})",
            metavar="BYTES",
            group="resources",
            bounds="what `/gateway` reads of its upstream response",
            exceeded="502",
        ),
    )

    def __post_init__(self) -> None:
        _positive(self, ("max_sleep_ms", "max_caller_fields", "max_body", "max_range_bytes"), 0)
        _positive(
            self, ("heartbeat_ms", "max_redirects", "max_items", "max_jobs", "max_job_seconds", "nonce_lifetime"), 1
        )
        _positive(self, ("max_ranges", "max_state_entries", "max_document_bytes", "max_upstream_bytes"), 1)
        hosts = tuple(host.strip().lower() for host in self.allow_redirect_hosts)
        for host in hosts:
            if not host or any(c in host for c in "/\\@?# \t"):
                raise ValueError(f"--allow-redirect-host: {host!r} is not a host name (give host or host:port)")
        object.__setattr__(self, "allow_redirect_hosts", hosts)

    def make_rng(self) -> random.Random:
        return self.rng if self.rng is not None else random.Random(self.seed)
