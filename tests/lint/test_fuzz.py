"""Whatever arrives, the parser says "not HTTP" or parses it, and the linter reports findings: never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from statuskit.lint import Exchange, Request, Response, lint_exchange
from statuskit.lint.wire import WireError, parse_responses

FIELD_NAMES = st.sampled_from(
    ["Content-Length", "Content-Range", "Content-Type", "Location", "Retry-After", "WWW-Authenticate", "Allow",
     "Upgrade", "Connection", "ETag", "Cache-Control", "Transfer-Encoding", "Range", "If-None-Match", "X-Any"]
)  # fmt: skip
VALUES = st.one_of(
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
    st.sampled_from(
        [
            "bytes 0-9/100",
            "bytes */5",
            "bytes=0-9",
            "bytes=-5,10-",
            "0",
            "chunked",
            '"v1"',
            "multipart/byteranges; boundary=x",
        ]
    ),
)
FIELDS = st.lists(st.tuples(FIELD_NAMES, VALUES), max_size=6)
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(st.binary(max_size=300), st.booleans(), st.sampled_from(["GET", "HEAD"]))
def test_parser_never_crashes(data: bytes, curl: bool, method: str) -> None:
    try:
        parse_responses(data, method=method, curl=curl)
    except WireError:
        pass


@SETTINGS
@given(st.integers(100, 599), FIELDS, st.one_of(st.none(), st.binary(max_size=40)))
def test_parser_reads_what_it_is_given(status: int, fields: list[tuple[str, str]], body: bytes | None) -> None:
    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{n}: {v}\r\n" for n, v in fields) + "\r\n"
    try:
        parsed = parse_responses(head.encode() + (body or b""))
    except WireError:
        return
    assert parsed.exchanges


@SETTINGS
@given(
    st.integers(0, 999),
    FIELDS,
    st.one_of(st.none(), st.binary(max_size=40)),
    st.sampled_from(["GET", "HEAD", "POST", "PUT", "CONNECT", "OPTIONS"]),
    FIELDS,
    st.lists(st.integers(100, 199), max_size=2),
)
def test_linter_never_crashes(
    status: int,
    fields: list[tuple[str, str]],
    body: bytes | None,
    method: str,
    request_fields: list[tuple[str, str]],
    interim: list[int],
) -> None:
    exchange = Exchange(
        request=Request(method=method, target="http://example.test/", fields=request_fields),
        response=Response(status=status, fields=fields, body=body),
        interim=tuple(Response(status=code) for code in interim),
    )
    for finding in lint_exchange(exchange, httplint_info=True):
        assert finding.message_en and finding.message_zh
