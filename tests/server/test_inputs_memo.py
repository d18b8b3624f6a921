"""On HTTP/1.1, an answer from the memo by inputs is what the whole responder gives, for the routes declaring them.

Server `seen` gets each request twice with other request ids (and another
`n` where the route does not read the whole query): the second comes from
the memo by inputs. Server `new` remembers nothing (--max-cache-bytes 0).
Both must agree on everything but Date.
"""

from __future__ import annotations

import pytest

from statuskit.server import ServerConfig, ServerThread
from tests.support.rawhttp import Response, request

TARGETS = (
    "/",
    "/?lang=zh-CN",
    "/docs/404",
    "/static/app.css?v=1",
    "/static/app.js",
    "/static/nothing",
    "/html",
    "/image",
    "/base64/c3RhdHVza2l0",
    "/links/3/1",
    "/404",
    "/nothing/here",
)
FIELDS: tuple[tuple[tuple[str, str], ...], ...] = (
    (),
    (("Accept", "application/json"),),
    (("Accept", "image/png, text/html"), ("Accept-Language", "zh-CN")),
    (("Accept-Encoding", "gzip"),),
    (("If-None-Match", '"nothing"'), ("Accept-Encoding", "gzip")),
    (("If-Match", '"nothing"'),),
)


def _seen(response: Response) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status, [(n, v) for n, v in response.headers if n.lower() != "date"], response.body


def _busted(target: str, n: int) -> str:
    return target if target.startswith("/static/") else f"{target}{'&' if '?' in target else '?'}n={n}"


@pytest.mark.parametrize("target", TARGETS)
def test_the_memo_by_inputs_answers_as_the_responder_does(target: str) -> None:
    remembering = ServerConfig(port=0, access_log=False)
    forgetting = ServerConfig(port=0, access_log=False, max_cache_bytes=0)
    bodies = set()
    with ServerThread(remembering) as seen, ServerThread(forgetting) as new:
        for index, fields in enumerate(FIELDS):
            for method in ("GET", "HEAD"):
                request(seen.port, _busted(target, 2 * index), method, [*fields, ("X-Request-Id", f"{index}-1")])
                again = [*fields, ("X-Request-Id", f"{index}-2"), ("User-Agent", "another")]
                remembered = _seen(request(seen.port, _busted(target, 2 * index + 1), method, again))
                computed = _seen(request(new.port, _busted(target, 2 * index + 1), method, again))
                assert remembered == computed, (method, target, fields)
                bodies.add(remembered[2])
        assert seen.server is not None and seen.server.state is not None
        assert seen.server.state.memos.by_inputs, "nothing was kept by its inputs: the test compared nothing"
    # The declared inputs matter: the fields above do not all get one answer.
    assert len(bodies) > 1 or target.startswith("/static/nothing")
