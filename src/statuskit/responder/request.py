"""The request as the responder sees it: a value, built by the engine, never by the network.

Everything the responder may base its answer on is in here, including the
wall-clock time (`now`): the responder reads no clock, socket or global state
of its own, so the same `Request` always gets the same `Plan` (randomness aside,
which comes from the responder's seeded generator or from `?seed=`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from statuskit import semantics

Fields = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """One parsed HTTP/1.x request.

    `headers` keeps the order received, with lower-case names and latin-1
    decoded values (RFC 9110 §5.5: field values are octets; decoding as
    latin-1 keeps every octet). `target` is the request target exactly as
    sent; `path` and `query` are split from it but not percent-decoded, so
    that `/a%2Fb` and `/a/b` stay different.
    """

    method: str
    target: str
    path: str
    query: str = ""
    http_version: str = "1.1"
    headers: Fields = ()
    body: bytes = b""
    client: tuple[str, int] | None = None
    scheme: str = "http"
    now: float = 0.0
    protocol: str = ""  # HTTP/2 extended CONNECT's :protocol (RFC 8441 §4), such as "websocket"
    _index: dict[str, str] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = self._index
        index.update(self.headers)
        if len(index) == len(self.headers):
            return
        # RFC 9110 §5.3: repeated list fields combine with ", ".
        index.clear()
        for name, value in self.headers:
            if name in index:
                index[name] = f"{index[name]}, {value}"
            else:
                index[name] = value

    @classmethod
    def build(
        cls,
        method: str,
        target: str,
        *,
        http_version: str = "1.1",
        headers: Fields | list[tuple[str, str]] = (),
        body: bytes = b"",
        client: tuple[str, int] | None = None,
        scheme: str = "http",
        now: float = 0.0,
        protocol: str = "",
    ) -> Request:
        """A request from its request line: splits the target into path and query.

        Absolute-form targets (`http://host/200`, sent to proxies) keep only
        their path, as an origin server does with them.
        """
        path, _, query = target.partition("?")
        if not path.startswith("/") and "://" in path:
            rest = path.split("://", 1)[1]
            slash = rest.find("/")
            path = rest[slash:] if slash >= 0 else "/"
        return cls(
            method=method,
            target=target,
            path=path,
            query=query,
            http_version=http_version,
            headers=tuple([(name.lower(), value) for name, value in headers]),
            body=body,
            client=client,
            scheme=scheme,
            now=now,
            protocol=protocol,
        )

    def header(self, name: str, default: str | None = None) -> str | None:
        """The value of field `name` (lower-case), repeated lines combined; `default` if absent."""
        return self._index.get(name, default)

    def has_header(self, name: str) -> bool:
        return name in self._index

    def headers_with_prefix(self, prefix: str) -> Fields:
        """Every field whose lower-case name starts with `prefix`, in order."""
        return tuple((name, value) for name, value in self.headers if name.startswith(prefix))

    def headers_with_prefixes(self, prefixes: tuple[str, ...]) -> Fields:
        """Every field whose lower-case name starts with one of `prefixes`, in order."""
        return tuple([field for field in self.headers if field[0].startswith(prefixes)])

    def values(self, names: tuple[str, ...]) -> tuple[str | None, ...]:
        """The values of the fields `names` (lower-case), as `header` gives each."""
        return tuple(map(self._index.get, names))

    @property
    def has_content(self) -> bool:
        """Does the head announce content? (Content-Length above 0, or any Transfer-Encoding.)"""
        if "transfer-encoding" in self._index:
            return True
        length = self._index.get("content-length", "0").strip()
        return length.isdigit() and int(length) > 0

    @property
    def expects_continue(self) -> bool:
        """An HTTP/1.1 request waiting for 100 (Continue); ignored for HTTP/1.0 (RFC 9110 §10.1.1)."""
        expect = self._index.get("expect")
        return (
            expect is not None
            and semantics.interims_allowed(self.http_version)
            and expect.strip().lower() == semantics.CONTINUE
        )

    @property
    def line(self) -> str:
        """The request line, as logged and shown on pages."""
        return f"{self.method} {self.target} HTTP/{self.http_version}"
