"""Every limit and timeout of the server, with its default and the precedent it follows.

The same names are the options of `statuskit serve` (`max_body` is
`--max-body`), so the README's table, the CLI and this class cannot drift.
"""

from __future__ import annotations

import functools
import secrets
import ssl
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

from statuskit.responder import ResponderConfig
from statuskit.responder.config import (
    DEFAULT_MAX_CALLER_FIELDS,
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
    # Requests read ahead of their answer on one connection (pipelining), before reading
    # pauses; their bytes are bounded too, by max(max_body, 64 KiB).
    max_pipeline: int = 64
    # X-Statuskit-Response-* fields one request may ask for (URL API).
    max_caller_fields: int = DEFAULT_MAX_CALLER_FIELDS
    # Memory for remembered responses (the repeated-request fast path), per worker;
    # 0 turns remembering off. Emptied when full.
    max_cache_bytes: int = 32 * 1024 * 1024
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
    # Seconds a closing TLS connection waits for the client's close_notify before its
    # socket is closed anyway; asyncio's default is 30. Clients that are not reading
    # (most, between requests) never answer, and the wait would hold every stop and
    # every keep-alive close; responses are framed by Content-Length, so a cut one shows.
    tls_close_timeout: float = 2.0

    # HTTP/2 (h2c with prior knowledge on a plain port, h2 by ALPN with TLS); False: HTTP/1.x only.
    http2: bool = True
    # Streams one HTTP/2 connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS);
    # nginx's http2_max_concurrent_streams is 128, RFC 9113 §6.5.2 suggests at least 100.
    max_streams: int = 100

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
            "max_pipeline",
            "max_streams",
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
        for name in ("max_sleep_ms", "max_body", "max_range_bytes", "max_caller_fields", "max_cache_bytes"):
            if getattr(self, name) < 0:
                raise ValueError(f"--{name.replace('_', '-')} must be 0 or more, not {getattr(self, name)}")
        for name in ("request_timeout", "keepalive_timeout", "send_timeout", "websocket_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"--{name.replace('_', '-')} must be more than 0 seconds, not {getattr(self, name)}")
        if not self.tls_close_timeout > 0:
            raise ValueError(f"--tls-close-timeout must be more than 0 seconds, not {self.tls_close_timeout}")
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
            max_caller_fields=self.max_caller_fields,
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


# -- options by name (the pytest plugin's --statuskit-option NAME=VALUE and markers) ----------

# The command line's spelling, where it differs from the field's name.
OPTION_ALIASES = {"max_sleep": "max_sleep_ms"}

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})
_NOUNS = {int: "a whole number", float: "a number", bool: "true or false", str: "text", tuple: "a list of text"}


def _parse_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ValueError(text)


def _parse_list(text: str) -> tuple[str, ...]:
    # allow_redirect_host=a.test,b.test:8080 (the command line repeats the option instead)
    return tuple(part.strip() for part in text.split(",") if part.strip())


_PARSERS: dict[type, Callable[[str], object]] = {int: int, float: float, bool: _parse_bool, str: str, tuple: _parse_list}


@functools.cache
def _option_kinds() -> dict[str, tuple[type, bool]]:
    """Field name -> (type, whether None is allowed), for every field settable from text.

    Scalars (int, float, bool, str, each optionally None) and tuple[str, ...];
    not `ssl` (a context) nor `secret` (bytes made at start-up).
    """
    kinds: dict[str, tuple[type, bool]] = {}
    for name, hint in typing.get_type_hints(ServerConfig).items():
        if hint == tuple[str, ...]:
            kinds[name] = (tuple, False)
            continue
        members = typing.get_args(hint) if isinstance(hint, types.UnionType) else (hint,)
        optional = type(None) in members
        scalars = [member for member in members if member in _PARSERS]
        if len(scalars) == 1 and len(members) == len(scalars) + optional:
            kinds[name] = (scalars[0], optional)
    return kinds


def coercible_options() -> tuple[str, ...]:
    """The option names `coerce_option` knows, sorted."""
    return tuple(sorted(_option_kinds()))


def coerce_option(name: str, value: object, *, reserved: Mapping[str, str] | None = None) -> tuple[str, object]:
    """(field, typed value) for an option given by name: `("max-sleep", "5000")` -> `("max_sleep_ms", 5000)`.

    `reserved` maps options the caller sets itself to where to set them
    instead: they are refused with that advice and left out of the "known" list.

    A string is parsed by the field's type (booleans: true/false, yes/no, on/off,
    1/0; "none" for a seed; lists comma-separated); any other value must already
    have that type (a list or tuple of strings for a list). ValueError in one
    line naming the option and what is wrong; the ranges are checked when the
    ServerConfig is made.
    """
    key = name.strip().replace("-", "_")
    key = OPTION_ALIASES.get(key, key)
    kinds = _option_kinds()
    reserved = reserved or {}
    if key in reserved:
        raise ValueError(f"{key} is not a server option here: {reserved[key]}")
    if key not in kinds:
        known = ", ".join(option for option in coercible_options() if option not in reserved)
        raise ValueError(f"unknown server option {name!r} (known: {known})")
    kind, optional = kinds[key]
    noun = _NOUNS[kind] + (" or none" if optional else "")
    if isinstance(value, str) and kind is not str:
        text = value.strip()
        if optional and text.lower() in ("", "none"):
            return key, None
        try:
            return key, _PARSERS[kind](text)
        except ValueError:
            raise ValueError(f"server option {key}: {value!r} is not {noun}") from None
    if value is None and optional:
        return key, None
    if kind is tuple and isinstance(value, (list, tuple)) and all(isinstance(item, str) for item in value):
        return key, tuple(value)
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        return key, float(value)
    if kind is not tuple and isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
        return key, value
    raise ValueError(f"server option {key}: {value!r} is not {noun}")
