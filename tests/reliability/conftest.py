"""What the reliability tests share: a strict reader of responses, servers with small limits, fuzz settings.

The reader (`strict`) is stricter than any client: every line ends in CRLF,
the status line and every field line match RFC 9110's grammar exactly, every
final response is framed by one Content-Length (the engine never sends
chunked), interim responses carry no content, and nothing follows a
`Connection: close`. h11 then reads the same bytes as a second opinion.

Fuzz settings: the `statuskit-fuzz` hypothesis profile is derandomized and
keeps no example database, so a CI run always tries the same examples
(reproducible, bounded in time). `STATUSKIT_FUZZ=explore` makes it draw new
random examples on every run, for a longer hunt on a developer machine.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import h11
import pytest
from hypothesis import HealthCheck, settings

from statuskit.server import ServerConfig, ServerThread
from tests.support.rawhttp import converse

# -- hypothesis profiles ---------------------------------------------------------------
#
# Tests use `@settings(settings.get_profile(FUZZ), max_examples=N)`: this
# conftest is imported before the modules beside it, so the profile exists.

_COMMON = {
    "database": None,
    "deadline": None,
    "print_blob": True,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
}
settings.register_profile("statuskit-fuzz-ci", derandomize=True, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("statuskit-fuzz-explore", derandomize=False, **_COMMON)  # type: ignore[arg-type]
FUZZ = "statuskit-fuzz"
settings.register_profile(
    FUZZ,
    settings.get_profile(
        "statuskit-fuzz-explore" if os.environ.get("STATUSKIT_FUZZ") == "explore" else "statuskit-fuzz-ci"
    ),
)


# -- the strict reader ------------------------------------------------------------------

_STATUS_LINE = re.compile(rb"HTTP/1\.1 ([1-5][0-9][0-9]) ([\t\x20-\x7e\x80-\xff]*)")
# RFC 9110 §5.1 field-name = token; §5.5 field-value without leading or trailing whitespace.
_FIELD_LINE = re.compile(
    rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+): ?((?:[\x21-\x7e\x80-\xff](?:[\t\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?)"
)
_DIGITS = re.compile(rb"[0-9]{1,18}")


class Malformed(AssertionError):
    """The bytes are not a well-formed HTTP/1.1 response stream."""


@dataclass
class Response:
    status: int
    reason: bytes
    fields: list[tuple[bytes, bytes]]
    body: bytes = b""
    interims: list[Response] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        wanted = name.lower().encode()
        for key, value in self.fields:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None

    def all(self, name: str) -> list[str]:
        wanted = name.lower().encode()
        return [value.decode("latin-1") for key, value in self.fields if key.lower() == wanted]

    @property
    def closes(self) -> bool:
        connection = self.header("connection") or ""
        return "close" in [token.strip().lower() for token in connection.split(",")]


@dataclass
class Stream:
    """What a connection carried: complete responses, then anything left (a cut response)."""

    responses: list[Response]
    rest: bytes
    switched: bool = False  # a 101 ended the HTTP part

    @property
    def statuses(self) -> list[int]:
        return [response.status for response in self.responses]


def _head(data: bytes, start: int) -> tuple[list[bytes], int] | None:
    end = data.find(b"\r\n\r\n", start)
    if end < 0:
        return None
    lines = data[start:end].split(b"\r\n")
    for line in lines:
        if b"\r" in line or b"\n" in line or b"\x00" in line:
            raise Malformed(f"a bare CR, LF or NUL in the line {line[:80]!r}")
    return lines, end + 4


def _parse_head(lines: list[bytes]) -> Response:
    found = _STATUS_LINE.fullmatch(lines[0])
    if found is None:
        raise Malformed(f"not a status line: {lines[0][:100]!r}")
    fields = []
    for line in lines[1:]:
        match = _FIELD_LINE.fullmatch(line)
        if match is None:
            raise Malformed(f"not a field line: {line[:100]!r}")
        fields.append((match.group(1), match.group(2)))
    return Response(int(found.group(1)), found.group(2), fields)


def strict(data: bytes, first_method: str = "GET", methods: list[str] | None = None) -> Stream:
    """Read a server's output strictly; Malformed says what is wrong.

    `first_method` is the method of the first request (HEAD changes framing);
    later ones are `methods[i]` if given, else GET.
    """
    responses: list[Response] = []
    position = 0
    interims: list[Response] = []
    interim_start = 0
    while position < len(data):
        parsed = _head(data, position)
        if parsed is None:
            return Stream(responses, data[interim_start if interims else position :])
        lines, after = parsed
        response = _parse_head(lines)
        names = [name.lower() for name, _ in response.fields]
        lengths = response.all("content-length")
        chunked = b"transfer-encoding" in names
        if chunked and (response.all("transfer-encoding") != ["chunked"] or lengths):
            # The engine frames with chunked alone, never with Content-Length beside it (RFC 9112 §6.1).
            raise Malformed(f"Transfer-Encoding {response.all('transfer-encoding')} with {len(lengths)} Content-Length")
        if len(lengths) > 1:
            raise Malformed(f"{len(lengths)} Content-Length fields")
        status = response.status
        if 100 <= status < 200 and status != 101:
            # RFC 9110 §15.2: a 1xx ends at its header section.
            if lengths:
                raise Malformed(f"{status} carries Content-Length")
            if not interims:
                interim_start = position
            interims.append(response)
            position = after
            continue
        response.interims, interims = interims, []
        index = len(responses)
        method = first_method if index == 0 else (methods[index] if methods and index < len(methods) else "GET")
        if status == 101:
            responses.append(response)
            return Stream(responses, b"", switched=True)
        if response.header("date") is None or response.header("server") is None:
            raise Malformed(f"{status} has no Date or no Server")
        if status in (204, 304) or (status < 200):
            if lengths and status == 204:
                raise Malformed("204 carries Content-Length (RFC 9110 §8.6)")
            size = 0
        elif chunked:
            decoded = (b"", after) if method == "HEAD" else _chunks(data, after)
            if decoded is None:
                return Stream(responses, data[interim_start if response.interims else position :])
            response.body, position = decoded
            responses.append(response)
            if response.closes and position < len(data):
                raise Malformed(f"{len(data) - position} bytes after a response with Connection: close")
            continue
        elif not lengths:
            raise Malformed(f"{status} has no Content-Length")
        else:
            if not _DIGITS.fullmatch(lengths[0].encode("latin-1")):
                raise Malformed(f"Content-Length {lengths[0]!r}")
            size = 0 if method == "HEAD" else int(lengths[0])
        if after + size > len(data):
            return Stream(responses, data[interim_start if response.interims else position :])
        response.body = data[after : after + size]
        responses.append(response)
        position = after + size
        if response.closes and position < len(data):
            raise Malformed(f"{len(data) - position} bytes after a response with Connection: close")
    if interims:
        # Interim responses and then nothing: the final response was cut off.
        return Stream(responses, data[interim_start:])
    return Stream(responses, b"")


_CHUNK_SIZE = re.compile(rb"[0-9a-f]{1,8}")


def _chunks(data: bytes, start: int) -> tuple[bytes, int] | None:
    """The content of a chunked message body at `start` and where it ends (RFC 9112 §7.1); None if cut off."""
    body = b""
    position = start
    while True:
        end = data.find(b"\r\n", position)
        if end < 0:
            return None
        size_text = data[position:end]
        if not _CHUNK_SIZE.fullmatch(size_text):
            raise Malformed(f"chunk size {size_text[:20]!r}: the engine writes lower-case hex, no extensions")
        size = int(size_text, 16)
        if size == 0:
            if data[end + 2 : end + 4] != b"\r\n":
                return None if len(data) < end + 4 else _trailers()
            return body, end + 4
        if len(data) < end + 2 + size + 2:
            return None
        if data[end + 2 + size : end + 4 + size] != b"\r\n":
            raise Malformed("a chunk's data does not end with CRLF")
        body += data[end + 2 : end + 2 + size]
        position = end + 4 + size


def _trailers() -> tuple[bytes, int]:
    raise Malformed("the engine sends no trailer fields after the last chunk")


def h11_agrees(response_bytes: bytes, method: str = "GET") -> None:
    """h11, as a client that sent `method`, reads these bytes as interim responses and one complete final one."""
    client = h11.Connection(our_role=h11.CLIENT)
    client.send(h11.Request(method=method, target="/", headers=[("Host", "t")]))
    client.send(h11.EndOfMessage())
    client.receive_data(response_bytes)
    ended = False
    while not ended:
        event = client.next_event()
        if event is h11.NEED_DATA:
            client.receive_data(b"")  # the connection closed here
            event = client.next_event()
            if event is h11.NEED_DATA or isinstance(event, h11.ConnectionClosed):
                raise Malformed("h11: the response is incomplete")
        if isinstance(event, h11.EndOfMessage):
            ended = True
        elif isinstance(event, h11.ConnectionClosed):
            raise Malformed("h11: closed before the end of the response")


def serialize(response: Response) -> bytes:
    """The bytes of one parsed response again (interims first), for h11."""
    out = b""
    for part in (*response.interims, response):
        out += b"HTTP/1.1 %d %s\r\n" % (part.status, part.reason)
        out += b"".join(b"%s: %s\r\n" % pair for pair in part.fields) + b"\r\n"
    if response.header("transfer-encoding") is not None:
        return out + (b"%x\r\n%s\r\n" % (len(response.body), response.body) if response.body else b"") + b"0\r\n\r\n"
    return out + response.body


def check_stream(data: bytes, first_method: str = "GET", *, cut_allowed: bool = False) -> Stream:
    """`strict`, then h11 on each response; a cut last response only when `cut_allowed` (a fault was asked for)."""
    stream = strict(data, first_method)
    if stream.rest and not cut_allowed:
        raise Malformed(f"{len(stream.rest)} bytes that are no complete response: {stream.rest[:120]!r}")
    for index, response in enumerate(stream.responses):
        if response.status != 101:
            h11_agrees(serialize(response), first_method if index == 0 else "GET")
    return stream


@pytest.fixture(scope="session")
def wire() -> object:
    """The strict reader, for tests: `wire.check(data)`, `wire.strict(data)`."""

    class Wire:
        check = staticmethod(check_stream)
        strict = staticmethod(strict)
        Malformed = Malformed

    return Wire()


# -- talking to a server ------------------------------------------------------------------


@dataclass
class Target:
    """A running server and the ways the tests talk to it."""

    thread: ServerThread
    errors: list[logging.LogRecord]

    @property
    def host(self) -> str:
        return self.thread.host

    @property
    def port(self) -> int:
        return self.thread.port

    @property
    def config(self) -> ServerConfig:
        return self.thread.config

    def converse(self, data: bytes, **kwargs: object) -> tuple[bytes, bool]:
        return converse(self.host, self.port, data, **kwargs)  # type: ignore[arg-type]

    def assert_serving(self) -> None:
        """A plain request on a new connection still gets its answer."""
        data, _ = converse(self.host, self.port, b"GET /200 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
        stream = check_stream(data)
        assert stream.statuses == [200], data[:200]

    def assert_no_errors(self) -> None:
        """Nothing the engine logged as an error (a callback, the responder or a plan failed)."""
        found, self.errors[:] = list(self.errors), []
        assert not found, [record.getMessage() for record in found]


class _Collect(logging.Handler):
    def __init__(self, sink: list[logging.LogRecord]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.append(record)


# Small limits, so that every one can be reached cheaply, and short waits, so
# that a fuzzed ?sleep= or fault costs at most FUZZ_SLEEP_MS.
FUZZ_SLEEP_MS = 40
FUZZ_LIMITS = {
    "max_target": 2048,
    "max_header_bytes": 4096,
    "max_headers": 30,
    "max_body": 16 * 1024,
    "max_sleep_ms": FUZZ_SLEEP_MS,
    "request_timeout": 1.0,
    "keepalive_timeout": 1.0,
    "send_timeout": 2.0,
    "websocket_timeout": 1.0,
    "shutdown_grace": 1.0,
    "access_log": False,
}


@pytest.fixture(scope="session")
def _logged() -> Iterator[list[logging.LogRecord]]:
    records: list[logging.LogRecord] = []
    handler = _Collect(records)
    logger = logging.getLogger("statuskit.server")
    logger.addHandler(handler)
    yield records
    logger.removeHandler(handler)


@pytest.fixture(scope="session")
def target(_logged: list[logging.LogRecord]) -> Iterator[Target]:
    """One server with FUZZ_LIMITS for the whole session (fuzzers share it: it must survive them all)."""
    with ServerThread(ServerConfig.from_options(port=0, **FUZZ_LIMITS)) as thread:  # type: ignore[arg-type]
        yield Target(thread, _logged)


@pytest.fixture(scope="session")
def quick_target(_logged: list[logging.LogRecord]) -> Iterator[Target]:
    """A server whose request and keep-alive timeouts are 0.1 s, so that a held connection costs little."""
    config = ServerConfig.from_options(port=0, **{**FUZZ_LIMITS, "request_timeout": 0.1, "keepalive_timeout": 0.1})  # type: ignore[arg-type]
    with ServerThread(config) as thread:
        yield Target(thread, _logged)


@pytest.fixture
def make_target(_logged: list[logging.LogRecord]) -> Iterator[object]:
    """A dedicated server: `make_target(request_timeout=0.5)` (FUZZ_LIMITS otherwise)."""
    started: list[ServerThread] = []

    def make(**overrides: object) -> Target:
        thread = ServerThread(ServerConfig.from_options(port=0, **{**FUZZ_LIMITS, **overrides})).start()  # type: ignore[arg-type]
        started.append(thread)
        return Target(thread, _logged)

    yield make
    for thread in started:
        thread.stop()


def rss_mib(pid: int) -> float:
    """Resident memory of a process (Linux /proc), MiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


@pytest.fixture(scope="session")
def rss() -> object:
    if not os.path.exists("/proc/self/status"):
        pytest.skip("needs /proc to read a process's memory")
    return rss_mib
