"""On HTTP/2 too, an answer given from the memo by inputs is the one the whole responder gives.

Server `seen` first gets each request with one request id and query, then
again with another: the second comes from the memo by inputs. Server `new`
remembers nothing (--max-cache-bytes 0) and answers the second from scratch. Both must agree
(fields but Date, and content), and differ where the declared inputs do.
"""

from __future__ import annotations

import httpx
import pytest

from statuskit.server import ServerConfig, ServerThread
from tests.server.test_inputs_memo import FIELDS as DOCUMENT_FIELDS, TARGETS as DOCUMENT_TARGETS, _busted
from tests.support.h2client import H2Client, H2Response

TARGETS = ("/404", "/200", "/503?retry_after=5", "/301", "/304", "/206", "/405", "/nothing/here", "/429?lang=zh-CN")
FIELDS: tuple[tuple[tuple[str, str], ...], ...] = (
    (),
    (("accept", "application/json"),),
    (("accept", "text/html"), ("accept-language", "zh-CN")),
    (("x-statuskit-response-x-trace", "t"),),
    (("if-none-match", '"abc"'),),
    (("range", "bytes=0-3"),),
)


def _seen(response: H2Response) -> tuple[int, list[tuple[str, str]], bytes]:
    assert response.ended and response.reset is None, response
    return response.status, [(n, v) for n, v in response.headers if n != "date"], response.body


def _with(target: str, n: int) -> str:
    return f"{target}{'&' if '?' in target else '?'}n={n}"


@pytest.mark.parametrize("target", TARGETS)
def test_the_memo_by_inputs_answers_as_the_responder_does_on_http2(target: str) -> None:
    remembering = ServerConfig(port=0, access_log=False)
    forgetting = ServerConfig(port=0, access_log=False, max_cache_bytes=0)
    answers = []
    with (
        ServerThread(remembering) as seen,
        ServerThread(forgetting) as new,
        H2Client(seen.port) as first,
        H2Client(new.port) as second,
    ):
        for index, fields in enumerate(FIELDS):
            for method in ("GET", "HEAD"):
                ask = [*fields, ("x-request-id", f"{index}-1")]
                first.request(_with(target, 2 * index), method, ask)
                again = [*fields, ("x-request-id", f"{index}-2")]
                remembered = _seen(first.request(_with(target, 2 * index + 1), method, again))
                computed = _seen(second.request(_with(target, 2 * index + 1), method, again))
                assert remembered == computed, (method, target, fields)
                answers.append(remembered)
    # The declared inputs matter: JSON, HTML and plain text (or another ETag for 304) are not one answer.
    assert len({(tuple(fields), body) for _, fields, body in answers}) > 1


@pytest.mark.parametrize("target", DOCUMENT_TARGETS)
def test_the_documents_from_the_memo_by_inputs_over_httpx(target: str) -> None:
    # The routes of tests/server/test_inputs_memo.py (page, docs, static files, documents) through httpx over h2c;
    # the key is made from the fields as received, :authority standing for Host.
    remembering = ServerConfig(port=0, access_log=False)
    forgetting = ServerConfig(port=0, access_log=False, max_cache_bytes=0)
    with ServerThread(remembering) as seen, ServerThread(forgetting) as new:
        with (
            httpx.Client(base_url=f"http://127.0.0.1:{seen.port}", http1=False, http2=True) as to_seen,
            httpx.Client(base_url=f"http://127.0.0.1:{new.port}", http1=False, http2=True) as to_new,
        ):
            for index, fields in enumerate(DOCUMENT_FIELDS):
                for method in ("GET", "HEAD"):
                    to_seen.request(method, _busted(target, 2 * index), headers=[*fields, ("X-Request-Id", "a")])
                    again = [*fields, ("X-Request-Id", f"{index}-2"), ("User-Agent", "another")]
                    answers = [
                        client.request(method, _busted(target, 2 * index + 1), headers=again)
                        for client in (to_seen, to_new)
                    ]
                    remembered, computed = (
                        (
                            r.http_version,
                            r.status_code,
                            [(n, v) for n, v in r.headers.multi_items() if n != "date"],
                            r.content,
                        )
                        for r in answers
                    )
                    assert remembered[0] == "HTTP/2"
                    assert remembered == computed, (method, target, fields)
        assert seen.server is not None and seen.server.state is not None
        assert seen.server.state.memos.by_inputs, "nothing was kept by its inputs: the test compared nothing"
