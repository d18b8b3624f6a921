"""Every registered code on HTTP/2, checked as tests/server/test_every_code.py checks it on HTTP/1.1.

One h2c connection carries the requests (streams one after another; a new
connection after 408, whose plan closes the connection: GOAWAY on HTTP/2), with
the expectations from `statuskit.semantics`; what differs on HTTP/2 is said
where it is checked: no reason phrase (RFC 9113 §8.3.2), no connection-specific
fields, and content that ends with the stream rather than by Content-Length.
"""

from __future__ import annotations

from collections.abc import Iterator

import h2.events
import pytest

from statuskit import Status, semantics
from statuskit.responder.codes import HELD_CONDITIONS
from tests.server.test_every_code import FINAL, INTERIM, _check_content_rules
from tests.support.h2client import H2Client, H2Response


class Connection:
    """The current h2c connection to the shared server; a new one once the server has sent GOAWAY."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.client = H2Client(port)

    def request(self, target: str, method: str = "GET") -> H2Response:
        response = self.client.request(target, method)
        if response.status == 408:
            # Its plan closes the connection: GOAWAY (NO_ERROR) follows the response.
            self.client.events(until=lambda event: isinstance(event, h2.events.ConnectionTerminated))
            assert self.client.goaway is not None and self.client.goaway.error_code == 0
            self.client.close()
            self.client = H2Client(self.port)
        return response


@pytest.fixture(scope="module")
def h2(_shared_server) -> Iterator[Connection]:
    connection = Connection(_shared_server.port)
    yield connection
    connection.client.close()


def _get(connection: Connection, target: str, method: str = "GET") -> H2Response:
    response = connection.request(target, method)
    assert response.ended and response.reset is None, response
    assert response.goaway is None or response.status == 408, response  # 408's GOAWAY: Connection.request
    return response


@pytest.mark.parametrize("status", FINAL, ids=str)
def test_final_code(h2: Connection, status: Status) -> None:
    response = _get(h2, f"/{status.code}")
    assert response.status == status.code
    assert response.interims == []
    ok = _get(h2, "/200")
    for rule in semantics.required_fields(status, HELD_CONDITIONS):
        if rule.condition == "200-would":
            if (status.code, rule.field) == (304, "ETag"):
                assert response.header("etag") == '"statuskit"'
            else:
                assert response.has(rule.field) == ok.has(rule.field), f"{status}: {rule.field} unlike a 200"
        elif rule.field.lower() in ("connection", "upgrade"):
            assert not response.has(rule.field)  # connection-specific: never on HTTP/2 (RFC 9113 §8.2.2)
        else:
            assert response.has(rule.field), f"{status} lacks {rule.field} ({rule.section})"
    _check_content_rules(response, status, "GET")
    assert response.has("date")
    assert response.header("server", "").startswith("statuskit/")
    if not semantics.allows_content(status, "GET"):
        assert response.data_frames == 0, f"{status}: DATA frames where no content belongs"


@pytest.mark.parametrize("status", FINAL, ids=str)
def test_head_has_the_get_length_and_no_data(h2: Connection, status: Status) -> None:
    get = _get(h2, f"/{status.code}")
    head = _get(h2, f"/{status.code}", "HEAD")
    assert head.status == status.code
    assert head.body == b"" and head.data_frames == 0
    assert head.header("content-length") == get.header("content-length")
    assert head.header("content-type") == get.header("content-type")
    _check_content_rules(head, status, "HEAD")


@pytest.mark.parametrize("status", INTERIM, ids=str)
def test_interim_code_then_final(h2: Connection, status: Status) -> None:
    response = _get(h2, f"/{status.code}")
    assert [r.status for r in response.interims] == [status.code]
    interim = response.interims[0]
    assert not interim.has("content-length")
    for rule in semantics.field_rules(status):
        assert interim.has(rule.field), f"{status} interim lacks {rule.field}"
    assert response.status == 200 and response.body


def test_444_resets_the_stream_without_headers(h2: Connection) -> None:
    response = h2.request("/444")
    assert response.status == 0 and response.reset is not None
    assert _get(h2, "/200").status == 200  # the connection goes on
