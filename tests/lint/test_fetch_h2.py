"""`fetch_h2` against a tiny HTTP/2 server written with h2: how a GOAWAY is read.

A GOAWAY without an error that names our stream only announces a close (RFC 9113
§6.8): the answer still counts. One with an error, or naming no stream, ends the
exchange with a message.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import h2.config
import h2.connection
import h2.events
import pytest

from statuskit.lint.fetch import FetchError, fetch_h2


def _serve(listener: socket.socket, answer: bool, error_code: int, last_stream: int) -> None:
    conn, _ = listener.accept()
    with conn:
        server = h2.connection.H2Connection(h2.config.H2Configuration(client_side=False))
        server.initiate_connection()
        conn.sendall(server.data_to_send())
        while True:
            data = conn.recv(65536)
            if not data:
                return
            events = server.receive_data(data)
            if any(isinstance(event, h2.events.RequestReceived) for event in events):
                break
            conn.sendall(server.data_to_send())
        if answer:
            server.send_headers(1, [(":status", "408"), ("content-length", "2")])
            server.send_data(1, b"no", end_stream=True)
        server.close_connection(error_code=error_code, last_stream_id=last_stream)
        conn.sendall(server.data_to_send())
        conn.recv(65536)  # until the client closes


@pytest.fixture
def h2_server(request: pytest.FixtureRequest) -> Iterator[str]:
    answer, error_code, last_stream = request.param
    listener = socket.create_server(("127.0.0.1", 0))
    thread = threading.Thread(target=_serve, args=(listener, answer, error_code, last_stream), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/408"
    listener.close()
    thread.join(5)


@pytest.mark.parametrize("h2_server", [(True, 0, 1)], indirect=True)
def test_goaway_after_the_answer_keeps_it(h2_server: str) -> None:
    exchange = fetch_h2(h2_server, timeout=5)
    assert exchange.response.status == 408
    assert exchange.response.body == b"no"


@pytest.mark.parametrize("h2_server", [(False, 0, 0), (False, 1, 1)], indirect=True)
def test_goaway_before_an_answer_is_an_error(h2_server: str) -> None:
    with pytest.raises(FetchError, match=r"ended the HTTP/2 connection \(GOAWAY, error code [01]\)"):
        fetch_h2(h2_server, timeout=5)
