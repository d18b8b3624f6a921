"""Every limit and timeout of the server, with its default and the precedent it follows.

`ServerConfig` holds the engine's own fields and, in `responder`, the
`ResponderConfig` of the URL API and the resources. Each field that is an
option documents itself in its metadata (`option(...)`): `options()` lists
them, and `statuskit serve`, the pytest plugin and SECURITY.md's limits table
(`limits_table()`) are made from that list, so they cannot drift.
"""

from __future__ import annotations

import dataclasses
import functools
import ssl
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from statuskit.responder import ResponderConfig
from statuskit.responder.config import _positive, option
from statuskit.server.store import check_url


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerConfig:
    host: str = field(
        default="127.0.0.1",
        metadata=option(
            "address to listen on (default {default})",
            bounds="the address listened on: loopback only unless you say otherwise",
        ),
    )
    port: int = field(default=8080, metadata=option("port; 0 picks a free one (default {default})"))
    workers: int = field(
        default=1,
        metadata=option(
            "processes sharing the port (default {default})",
            bounds="processes sharing the port; every limit below is per worker",
        ),
    )
    access_log: bool = field(default=True, metadata=option("no access log", flag="--quiet"))

    # Request line target, in bytes: Apache's LimitRequestLine is 8190.
    max_target: int = field(
        default=8190,
        metadata=option(
            "longest request target, else 414 (default {default})",
            metavar="BYTES",
            group="limits",
            bounds="request target, bytes",
            exceeded="414, close",
        ),
    )
    # Header section, in bytes: h11's DEFAULT_MAX_INCOMPLETE_EVENT_SIZE is 16 KiB.
    max_header_bytes: int = field(
        default=16 * 1024,
        metadata=option(
            "largest header section, else 431 (default {default})",
            metavar="BYTES",
            group="limits",
            bounds="header section, and header plus trailer sections, bytes",
            exceeded="431, close",
        ),
    )
    # Header field lines: Apache's LimitRequestFields is 100.
    max_headers: int = field(
        default=100,
        metadata=option(
            "most header fields, else 431 (default {default})",
            metavar="N",
            group="limits",
            bounds="header field lines",
            exceeded="431, close",
        ),
    )
    # Open connections per worker; one more gets 503 with Retry-After.
    max_connections: int = field(
        default=1024,
        metadata=option(
            "open connections per worker, else 503 (default {default})",
            metavar="N",
            group="limits",
            bounds="open connections per worker",
            exceeded="503 with `Retry-After: 1`, close",
        ),
    )
    # Requests read ahead of their answer on one connection (pipelining), before reading
    # pauses; their bytes are bounded too, by max(max_body, 64 KiB).
    max_pipeline: int = field(
        default=64,
        metadata=option(
            "requests read ahead of their answer per connection (default {default})",
            metavar="N",
            group="limits",
            bounds="requests read ahead of their answer on one connection; their bytes are bounded by "
            "max(`--max-body`, 64 KiB)",
            exceeded="reading pauses",
        ),
    )
    # Memory for remembered responses (the repeated-request fast path), per worker;
    # 0 turns remembering off. Emptied when full.
    max_cache_bytes: int = field(
        default=32 * 1024 * 1024,
        metadata=option(
            "memory for remembered responses per worker, 0: none (default {default})",
            metavar="BYTES",
            group="limits",
            bounds="memory for remembered answers per worker (0: none)",
            exceeded="the store is emptied",
        ),
    )
    # listen() backlog: uvicorn's default is 2048.
    backlog: int = field(
        default=2048,
        metadata=option(
            "listen backlog (default {default})",
            metavar="N",
            group="limits",
            bounds="connections waiting to be accepted (the kernel may cap it: `net.core.somaxconn`)",
            exceeded="refused by the kernel",
        ),
    )
    # Seconds to receive a whole request once it has started (head and content): then 408.
    # nginx's client_header_timeout is 60 s; a test server can be stricter.
    request_timeout: float = field(
        default=10.0,
        metadata=option(
            "to receive a whole request, else 408 (default {default})",
            metavar="S",
            group="timeouts (seconds)",
            bounds="seconds to receive a whole request once it has started (head and content)",
            exceeded="408, close",
        ),
    )
    # Seconds an idle keep-alive connection stays open: uvicorn's timeout_keep_alive is 5 s.
    keepalive_timeout: float = field(
        default=5.0,
        metadata=option(
            "idle keep-alive connection (default {default})",
            metavar="S",
            group="timeouts (seconds)",
            bounds="seconds an idle connection stays open (also one over `--max-connections` that sends nothing)",
            exceeded="close",
        ),
    )
    # Seconds a response may wait for a client that does not read: nginx's send_timeout is 60 s.
    send_timeout: float = field(
        default=30.0,
        metadata=option(
            "client not reading a response (default {default})",
            metavar="S",
            group="timeouts (seconds)",
            bounds="seconds a response may wait for a client that does not read",
            exceeded="the connection is dropped",
        ),
    )
    # Seconds a WebSocket echo connection may stay silent.
    websocket_timeout: float = field(
        default=60.0,
        metadata=option(
            "silent WebSocket (default {default})",
            metavar="S",
            group="timeouts (seconds)",
            bounds="seconds a WebSocket echo may stay silent",
            exceeded="close frame 1001",
        ),
    )
    # Seconds in-flight responses get to finish after SIGTERM/SIGINT.
    shutdown_grace: float = field(
        default=5.0,
        metadata=option(
            "for in-flight responses on SIGTERM (default {default})",
            metavar="S",
            group="timeouts (seconds)",
            bounds="seconds in-flight responses get after SIGTERM/SIGINT",
            exceeded="connections are dropped, exit 0",
        ),
    )
    # TLS (statuskit serve --tls builds one; None serves plain HTTP).
    ssl: ssl.SSLContext | None = None
    # Seconds a closing TLS connection waits for the client's close_notify before its
    # socket is closed anyway; asyncio's default is 30. Clients that are not reading
    # (most, between requests) never answer, and the wait would hold every stop and
    # every keep-alive close; responses are framed by Content-Length, so a cut one shows.
    tls_close_timeout: float = field(
        default=2.0,
        metadata=option(
            "wait for the client's close_notify (default {default})",
            metavar="S",
            group="TLS",
            bounds="seconds a closing TLS connection waits for the client's `close_notify`",
            exceeded="the socket is closed anyway",
        ),
    )
    # HTTP/2 (h2c with prior knowledge on a plain port, h2 by ALPN with TLS); False: HTTP/1.x only.
    http2: bool = field(
        default=True,
        metadata=option("HTTP/1.x only: no h2c on a plain port, no h2 by ALPN with TLS", flag="--no-http2"),
    )
    # Streams one HTTP/2 connection may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS);
    # nginx's http2_max_concurrent_streams is 128, RFC 9113 §6.5.2 suggests at least 100.
    max_streams: int = field(
        default=100,
        metadata=option(
            "concurrent streams per HTTP/2 connection (default {default})",
            metavar="N",
            group="limits",
            bounds="concurrent streams per HTTP/2 connection (`SETTINGS_MAX_CONCURRENT_STREAMS`)",
            exceeded="the extra stream is refused with RST_STREAM (REFUSED_STREAM); the open ones finish",
        ),
    )
    # The state of the stateful resources (docs/store.md): memory:, sqlite:PATH,
    # redis://HOST:PORT/DB or rediss://...; auto is memory: with one worker and a
    # SQLite file in a private temporary directory with more.
    store: str = field(
        default="auto",
        metadata=option(
            "where /ratelimit, /items, /jobs, /conditional-put and Digest nonce counts keep state: memory:, "
            "sqlite:PATH, redis://HOST:PORT/DB, rediss://...; auto: memory: with one worker, a SQLite file in a "
            "private temporary directory with more (default {default})",
            metavar="URL",
            group="state store (docs/store.md)",
            bounds="where the stateful resources keep state: `memory:`, `sqlite:PATH`, `redis://`/`rediss://` "
            "(auto: memory with one worker, a SQLite file in a private temporary directory with more)",
        ),
    )
    # Keys in a shared store start with this: instances with the same prefix share their state.
    store_prefix: str = field(
        default="statuskit",
        metadata=option(
            "key prefix in a shared store: instances with the same one share state (default {default})",
            metavar="TEXT",
            group="state store (docs/store.md)",
            bounds="the prefix of every key in a shared store",
        ),
    )
    # Seconds a store operation may take before the stateful resource answers 503
    # (connecting to Redis included). A local Redis answers in well under a millisecond.
    store_timeout: float = field(
        default=1.0,
        metadata=option(
            "longest store operation, else 503 with Retry-After (default {default})",
            metavar="S",
            group="state store (docs/store.md)",
            bounds="seconds a store operation may take (connecting to Redis included)",
            exceeded="503 with `Retry-After` and the reason, from the stateful resources only",
        ),
    )
    # The URL API's and the resources' limits (responder/config.py gives each default its precedent).
    responder: ResponderConfig = field(default_factory=ResponderConfig)

    def __post_init__(self) -> None:
        _positive(self, ("max_target", "max_header_bytes", "max_headers", "max_connections", "max_pipeline"), 1)
        _positive(self, ("max_streams",), 1)
        _positive(self, ("backlog", "workers"), 1)
        _positive(self, ("max_cache_bytes",), 0)
        for name in (
            "request_timeout",
            "keepalive_timeout",
            "send_timeout",
            "websocket_timeout",
            "tls_close_timeout",
            "store_timeout",
        ):
            if not getattr(self, name) > 0:
                raise ValueError(f"--{name.replace('_', '-')} must be more than 0 seconds, not {getattr(self, name)}")
        if self.shutdown_grace < 0:
            raise ValueError(f"--shutdown-grace must be 0 or more seconds, not {self.shutdown_grace}")
        if not 0 <= self.port <= 65535:
            raise ValueError(f"--port must be 0-65535, not {self.port}")
        check_url(self.store)
        if not self.store_prefix or any(ch.isspace() for ch in self.store_prefix) or len(self.store_prefix) > 100:
            raise ValueError(f"--store-prefix must be 1-100 characters without spaces, not {self.store_prefix[:100]!r}")

    def __getattr__(self, name: str) -> Any:
        # Only for names a ServerConfig lacks: the responder's options read as
        # the server's (`statuskit_server.config.max_sleep_ms`), as they did when
        # ServerConfig kept copies of them.
        if name in _RESPONDER_FIELDS:
            return getattr(self.responder, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @classmethod
    def from_options(cls, **options: Any) -> ServerConfig:
        """A config from options by field name, the engine's and the responder's alike.

        The CLI and the pytest plugin give options this way.
        """
        mine = {name: options.pop(name) for name in list(options) if name in _SERVER_FIELDS}
        if "responder" in mine and options:
            raise ValueError(f"give responder options inside `responder` or by name, not both: {', '.join(options)}")
        if "responder" not in mine:
            mine["responder"] = ResponderConfig(**options)
        return cls(**mine)

    @classmethod
    def option_names(cls) -> tuple[str, ...]:
        return tuple(spec.name for spec in options())


_SERVER_FIELDS = frozenset(f.name for f in dataclasses.fields(ServerConfig))
_RESPONDER_FIELDS = frozenset(f.name for f in dataclasses.fields(ResponderConfig))


@dataclass(frozen=True, slots=True)
class Option:
    """One server option, from the field it sets: the CLI flag, the plugin's name, the documentation."""

    name: str  # the field, of ServerConfig or of ResponderConfig
    flag: str  # --max-sleep
    kind: type
    optional: bool  # None is a value (seed)
    default: Any
    help: str  # --help's line, its default filled in
    metavar: str
    group: str
    bounds: str  # SECURITY.md's row ("" for none)
    exceeded: str


def shown(value: object) -> str:
    """A default as --help and SECURITY.md show it."""
    if value == ():
        return "none"  # an empty list
    return f"{value:g}" if isinstance(value, float) else str(value)


@functools.cache
def options() -> tuple[Option, ...]:
    """Every option (a field with `option(...)` metadata), the engine's first, in field order."""
    found = []
    for owner, defaults in ((ServerConfig, ServerConfig()), (ResponderConfig, ResponderConfig())):
        for spec in dataclasses.fields(owner):
            if not spec.metadata:
                continue
            kind, optional = _kinds()[spec.name]
            default = getattr(defaults, spec.name)
            found.append(
                Option(
                    name=spec.name,
                    flag=spec.metadata["flag"] or "--" + spec.name.replace("_", "-"),
                    kind=kind,
                    optional=optional,
                    default=default,
                    help=spec.metadata["help"].format(default=shown(default)),
                    metavar=spec.metadata["metavar"],
                    group=spec.metadata["group"],
                    bounds=spec.metadata["bounds"],
                    exceeded=spec.metadata["exceeded"],
                )
            )
    return tuple(found)


def limits_table() -> str:
    """SECURITY.md's limits table, as it must read."""
    rows = ["| option | default | bounds | when exceeded |", "| --- | --- | --- | --- |"]
    rows += [
        f"| `{spec.flag}` | {shown(spec.default)} | {spec.bounds} | {spec.exceeded} |".replace("|  |", "| |")
        for spec in options()
        if spec.bounds
    ]
    return "\n".join(rows)


# -- options by name (the pytest plugin's --statuskit-option NAME=VALUE and markers) ----------

# The command line's spelling, where it differs from the field's name.
# (`allow_redirect_host` is how the flag and the plugin spelled the field before it was one.)
OPTION_ALIASES = {"max_sleep": "max_sleep_ms", "allow_redirect_host": "allow_redirect_hosts"}

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
    # allow_redirect_hosts=a.test,b.test:8080 (the command line repeats the option instead)
    return tuple(part.strip() for part in text.split(",") if part.strip())


_PARSERS: dict[type, Callable[[str], object]] = {
    int: int,
    float: float,
    bool: _parse_bool,
    str: str,
    tuple: _parse_list,
}


@functools.cache
def _kinds() -> dict[str, tuple[type, bool]]:
    """Field name -> (type, whether None is allowed), for every field of both configs settable from text.

    Scalars (int, float, bool, str, each optionally None) and tuple[str, ...].
    """
    kinds: dict[str, tuple[type, bool]] = {}
    for owner in (ServerConfig, ResponderConfig):
        for name, hint in typing.get_type_hints(owner).items():
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
    return tuple(sorted(spec.name for spec in options()))


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
    reserved = reserved or {}
    if key in reserved:
        raise ValueError(f"{key} is not a server option here: {reserved[key]}")
    known = coercible_options()
    if key not in known:
        listed = ", ".join(option for option in known if option not in reserved)
        raise ValueError(f"unknown server option {name!r} (known: {listed})")
    kind, optional = _kinds()[key]
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
