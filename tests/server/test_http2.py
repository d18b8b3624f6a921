"""HTTP/2 on the test server: h2c with prior knowledge and h2 over TLS, as real clients and raw frames see it.

Frame-level checks use `tests.support.h2client` (the h2 library as a client);
curl and httpx check what users' clients see.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
import time

import hpack
import httpx
import pytest
from h2.errors import ErrorCodes
from h2.events import (
    InformationalResponseReceived,
    StreamReset,
)
from hyperframe.frame import GoAwayFrame, HeadersFrame

from statuskit.server import ServerConfig, ServerProcess, ServerThread
from statuskit.server.tls import LocalAuthority
from tests.server.conftest import LIMITS
from tests.support.h2client import H2Client


def _h2(live, **kwargs) -> H2Client:
    client = H2Client(live.port, **kwargs)
    return client


def test_prior_knowledge_gets_http2(live) -> None:
    with _h2(live) as client:
        response = client.request("/200")
    assert response.status == 200 and response.ended and response.reset is None
    assert response.body.startswith(b"200 OK")
    assert response.header("content-length") == str(len(response.body))
    assert response.header("server", "").startswith("statuskit/") and response.has("date")


def test_http1_still_served_on_the_same_port(live) -> None:
    assert live.request("/200").status == 200


def test_many_streams_on_one_connection(live) -> None:
    with _h2(live) as client:
        ids = [client.start(f"/{code}") for code in (200, 201, 404, 418, 503)]
        statuses = [client.response(stream_id).status for stream_id in ids]
    assert statuses == [200, 201, 404, 418, 503]


def test_interim_responses_are_headers_before_the_final_ones(live) -> None:
    with _h2(live) as client:
        response = client.request("/103")
    assert [r.status for r in response.interims] == [103]
    assert "rel=preload" in (response.interims[0].header("link") or "")
    assert response.status == 200


def test_102_repeats_while_waiting(live) -> None:
    with _h2(live) as client:
        response = client.request("/102?sleep=2300")
    assert [r.status for r in response.interims] == [102, 102, 102]
    assert response.status == 200


def test_expect_100_continue(live) -> None:
    with _h2(live) as client:
        stream_id = client.start("/200", "POST", [("expect", "100-continue"), ("content-length", "5")], end=False)
        events = client.events(until=lambda e: isinstance(e, InformationalResponseReceived))
        assert any(isinstance(e, InformationalResponseReceived) and dict(e.headers)[":status"] == "100" for e in events)
        client.conn.send_data(stream_id, b"hello", end_stream=True)
        client.flush()
        response = client.response(stream_id)
    assert response.status == 200


def test_unknown_expectation_is_417(live) -> None:
    with _h2(live) as client:
        assert client.request("/200", headers=[("expect", "teapot")]).status == 417


@pytest.mark.parametrize(("target", "method"), [("/204", "GET"), ("/304", "GET"), ("/200", "HEAD")])
def test_no_data_frames_where_no_content_belongs(live, target: str, method: str) -> None:
    with _h2(live) as client:
        response = client.request(target, method)
    assert response.ended and response.body == b"" and response.data_frames == 0


def test_no_connection_specific_fields_are_sent(live) -> None:
    # /101 asks for Upgrade and Connection on HTTP/1.1; neither may appear on HTTP/2 (RFC 9113 §8.2.2).
    with _h2(live) as client:
        response = client.request("/101")
    assert response.status == 426
    names = {name for name, _ in response.headers}
    assert not names & {"connection", "upgrade", "keep-alive", "transfer-encoding", "proxy-connection"}


@pytest.mark.parametrize(
    "fields",
    [[("connection", "keep-alive")], [("transfer-encoding", "chunked")], [("te", "gzip")], [("X-Upper", "case")]],
    ids=["connection", "transfer-encoding", "te-not-trailers", "upper-case-name"],
)
def test_a_malformed_request_is_a_stream_error(live, fields: list[tuple[str, str]]) -> None:
    # RFC 9113 §8.1.1 and §8.2: RST_STREAM (PROTOCOL_ERROR); the connection and its other streams go on.
    with _h2(live, validate=False) as client:
        response = client.request("/200", headers=fields)
        assert response.status == 0 and response.reset == ErrorCodes.PROTOCOL_ERROR and response.goaway is None
        assert client.request("/200").status == 200


@pytest.mark.parametrize(
    ("declared", "sent"), [("10", b"short"), ("2", b"too long"), ("ten", b"0123456789"), ("", b"")]
)
def test_content_that_does_not_match_content_length_is_a_stream_error(live, declared: str, sent: bytes) -> None:
    # RFC 9113 §8.1.1: malformed, so RST_STREAM (PROTOCOL_ERROR) on that stream only.
    with _h2(live, validate=False) as client:
        waiting = client.start("/200?sleep=300")
        if declared:
            broken = client.start("/200", "POST", [("content-length", declared)], sent)
        else:  # two different values
            broken = client.start("/200", "POST", [("content-length", "1"), ("content-length", "2")], b"x")
        response = client.response(broken)
        assert response.status == 0 and response.reset == ErrorCodes.PROTOCOL_ERROR and response.goaway is None
        assert client.response(waiting).status == 200
        assert client.request("/200", "POST", [("content-length", "4")], b"good").status == 200


def test_unknown_method_is_501(live) -> None:
    with _h2(live) as client:
        assert client.request("/200", "BREW").status == 501


def test_header_list_over_the_limit_is_431_and_advertised(live) -> None:
    with _h2(live) as client:
        client.events(0.3)
        assert client.remote_settings.get(0x6) == LIMITS["max_header_bytes"]  # SETTINGS_MAX_HEADER_LIST_SIZE
        response = client.request("/200", headers=[("x-big", "a" * (LIMITS["max_header_bytes"] + 10))])
    assert response.status == 431


def test_content_over_max_body_is_413_then_reset(live) -> None:
    with _h2(live) as client:
        too_much = LIMITS["max_body"] + 1
        declared = client.start("/200", "POST", [("content-length", str(too_much))], end=False)
        assert client.response(declared).status == 413
        stream_id = client.start("/200", "POST", end=False)
        sent = 0
        while sent <= too_much and not client.closed:
            window = min(client.conn.local_flow_control_window(stream_id), 16384)
            if window <= 0:
                client.events(0.2)
                continue
            client.conn.send_data(stream_id, b"x" * window)
            client.flush()
            sent += window
        response = client.response(stream_id)
        assert response.status == 413
        # the client is told to stop sending the rest (RFC 9113 §8.1)
        if response.reset is None:
            resets = client.events(1, until=lambda e: isinstance(e, StreamReset))
            assert any(isinstance(e, StreamReset) and e.stream_id == stream_id and e.error_code == 0 for e in resets)
        else:
            assert response.reset == ErrorCodes.NO_ERROR


def test_incomplete_request_is_408(make_live) -> None:
    live = make_live(request_timeout=0.5)
    with _h2(live) as client:
        stream_id = client.start("/200", "POST", end=False)
        response = client.response(stream_id, timeout=5)
    assert response.status == 408


FAULTS = [
    ("drop", False, 0),
    ("drop-after-headers", True, 0),
    ("drop-mid-body", True, None),
]


@pytest.mark.parametrize(("fault", "headers_sent", "content"), FAULTS)
def test_faults_reset_the_stream(live, fault: str, headers_sent: bool, content: int | None) -> None:
    with _h2(live) as client:
        response = client.request(f"/200?fault={fault}")
        assert response.reset == ErrorCodes.INTERNAL_ERROR and not response.ended
        assert (response.status != 0) == headers_sent
        if content == 0:
            assert response.body == b""
        else:
            assert 0 < len(response.body) < int(response.header("content-length") or 0)
        # the connection and its other streams go on
        assert client.request("/200").status == 200


def test_dribble_arrives_whole_in_small_frames(live) -> None:
    with _h2(live) as client:
        response = client.request("/200?fault=dribble&sleep=300")
    assert response.ended and len(response.body) == int(response.header("content-length") or 0)
    assert response.data_frames > 1


def test_garbage_breaks_the_connection(live) -> None:
    with _h2(live) as client:
        response = client.request("/200?fault=garbage")
    assert response.status == 0 and client.closed
    live.assert_serving()


def test_the_access_log_shows_http2() -> None:
    with ServerProcess(["--port", "0"]) as server:
        with H2Client(server.port) as client:
            assert client.request("/200?log=h2").status == 200
        deadline = time.monotonic() + 5
        while not any('"GET /200?log=h2 HTTP/2" 200' in line for line in server.lines) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert any('"GET /200?log=h2 HTTP/2" 200' in line for line in server.lines), list(server.lines)


def test_max_connections_holds_on_http2(make_live) -> None:
    live = make_live(max_connections=1)
    with _h2(live) as first:
        assert first.request("/200").status == 200
        with _h2(live) as second:
            assert second.request("/200").status == 503


def test_goaway_on_shutdown_lets_streams_in_flight_finish() -> None:
    # h2 as a client stops at GOAWAY, so the frames after it are read raw.
    thread = ServerThread(ServerConfig.from_options(port=0, **LIMITS)).start()  # type: ignore[arg-type]
    try:
        with H2Client(thread.port) as client:
            client.events(0.2)
            stream_id = client.start("/200?sleep=800")
            stopper = threading.Thread(target=thread.stop)
            stopper.start()
            frames = client.raw_frames(5)
            stopper.join(10)
    finally:
        thread.stop()
    kinds = [(type(frame).__name__, frame.stream_id) for frame in frames]
    goaway = next(i for i, frame in enumerate(frames) if isinstance(frame, GoAwayFrame))
    assert frames[goaway].error_code == 0 and frames[goaway].last_stream_id == stream_id
    after = [frame for frame in frames[goaway + 1 :] if frame.stream_id == stream_id]
    assert after and isinstance(after[0], HeadersFrame), kinds
    assert "END_STREAM" in after[-1].flags, kinds


def test_a_plan_that_closes_sends_goaway_and_lets_open_streams_finish(live) -> None:
    # /408 closes the connection on HTTP/1.1 (RFC 9110 §15.5.9); on HTTP/2 that is GOAWAY after its response.
    with H2Client(live.port) as client:
        waiting = client.start("/200?sleep=500")
        closing = client.start("/408")
        frames = client.raw_frames(5)
        assert client.sock.recv(1) == b""  # closed by the server
    decoder = hpack.Decoder()
    statuses = {
        frame.stream_id: dict(decoder.decode(frame.data))[":status"]
        for frame in frames
        if isinstance(frame, HeadersFrame)
    }
    assert statuses == {closing: "408", waiting: "200"}
    order = [(type(frame).__name__, frame.stream_id) for frame in frames]
    goaway = next(i for i, frame in enumerate(frames) if isinstance(frame, GoAwayFrame))
    assert frames[goaway].error_code == 0 and frames[goaway].last_stream_id == closing
    assert order.index(("HeadersFrame", closing)) < goaway < order.index(("HeadersFrame", waiting)), order
    assert "END_STREAM" in [frame for frame in frames if frame.stream_id == waiting][-1].flags


# -- TLS: h2 by ALPN ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_server():
    authority = LocalAuthority()
    config = ServerConfig.from_options(port=0, ssl=authority.server_context(), **LIMITS)  # type: ignore[arg-type]
    with ServerThread(config) as thread:
        yield thread, authority


def test_alpn_chooses_h2_over_tls(tls_server) -> None:
    thread, authority = tls_server
    with H2Client(thread.port, tls=authority.client_context()) as client:
        response = client.request("/103")
    assert [r.status for r in response.interims] == [103] and response.status == 200


def test_alpn_still_offers_http1(tls_server) -> None:
    thread, authority = tls_server
    context = authority.client_context()
    with (
        socket.create_connection(("127.0.0.1", thread.port)) as raw,
        context.wrap_socket(raw, server_hostname="localhost") as sock,
    ):
        assert sock.selected_alpn_protocol() == "http/1.1"
        sock.sendall(b"GET /200 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        assert sock.recv(100).startswith(b"HTTP/1.1 200 OK")


def test_httpx_http2_over_tls(tls_server, tmp_path) -> None:
    thread, authority = tls_server
    ca = authority.write_pem(tmp_path / "ca.pem")
    with httpx.Client(http2=True, verify=ssl.create_default_context(cafile=str(ca))) as client:
        response = client.get(f"https://localhost:{thread.port}/418")
    assert response.http_version == "HTTP/2"
    assert response.status_code == 418


def test_httpx_http2_prior_knowledge(live) -> None:
    with httpx.Client(http1=False, http2=True) as client:
        response = client.post(f"http://127.0.0.1:{live.port}/201", content=b"made")
    assert response.http_version == "HTTP/2" and response.status_code == 201


def test_curl_prior_knowledge(live, tool) -> None:
    result = subprocess.run(
        [
            tool("curl"),
            "-s",
            "--http2-prior-knowledge",
            "-o",
            "/dev/null",
            "-w",
            "%{http_version} %{http_code}",
            f"http://127.0.0.1:{live.port}/404",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.stdout == "2 404"


def test_curl_http2_over_tls_trusting_the_ca(tls_server, tmp_path, tool) -> None:
    thread, authority = tls_server
    ca = authority.write_pem(tmp_path / "ca.pem")
    result = subprocess.run(
        [
            tool("curl"),
            "-s",
            "--http2",
            "--cacert",
            str(ca),
            "-D",
            "-",
            "-o",
            "/dev/null",
            f"https://localhost:{thread.port}/103",
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    heads = [line for line in result.stdout.splitlines() if line.startswith("HTTP/")]
    assert heads == ["HTTP/2 103 ", "HTTP/2 200 "]


# -- nghttp (nghttp2-client): frame by frame, as another implementation sees them --------------


def _nghttp(tool, url: str, *args: str) -> str:
    nghttp = tool("nghttp")
    result = subprocess.run([nghttp, "-nv", *args, url], capture_output=True, text=True, timeout=30, check=False)
    return result.stdout


def test_nghttp_sees_the_103_headers_frame_before_the_final_one(live, tool) -> None:
    out = _nghttp(tool, f"http://127.0.0.1:{live.port}/103")
    statuses = [line.split(":status:")[1].strip() for line in out.splitlines() if ":status:" in line]
    assert statuses == ["103", "200"], out
    assert "recv DATA frame" in out and "END_STREAM" in out


def test_nghttp_sees_no_data_frame_on_204(live, tool) -> None:
    out = _nghttp(tool, f"http://127.0.0.1:{live.port}/204")
    assert ":status: 204" in out
    assert "recv DATA frame" not in out
    lines = out.splitlines()
    last = max(index for index, line in enumerate(lines) if "recv HEADERS frame" in line)
    assert "END_STREAM" in lines[last + 1], out  # nghttp names the flags on the line after the frame


def test_nghttp_sees_rst_stream_for_a_drop(live, tool) -> None:
    out = _nghttp(tool, f"http://127.0.0.1:{live.port}/200?fault=drop")
    assert "recv RST_STREAM frame" in out and "INTERNAL_ERROR" in out
    assert "recv HEADERS frame" not in out


def test_the_pages_try_it_endpoint_over_http2(live) -> None:
    # The reference page's "Try it" fetches /_statuskit/exchange/{path}; over h2 it answers as over HTTP/1.1.
    with _h2(live) as client:
        response = client.request("/_statuskit/exchange/103")
    assert response.status == 200
    assert response.body.startswith(b"HTTP/1.1 103 Early Hints\r\n")


def test_upgrade_h2c_is_declined_and_answered_over_http1(live) -> None:
    # RFC 9113 §3.1 deprecates the h2c upgrade; the request is answered over HTTP/1.1, the field ignored.
    response = live.request(
        "/200",
        headers="Connection: Upgrade, HTTP2-Settings\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAoAAAAAIAAAAA\r\n",
    )
    assert response.status == 200
    live.assert_serving()
