"""Attacks that broke real HTTP/2 servers, as raw frames: each meets a bound, and other connections keep being served.

The frames are written with the h2 library as a client (or by hand with
hyperframe and hpack where h2 itself would refuse to send them).
"""

from __future__ import annotations

import h2.events
import pytest
from h2.errors import ErrorCodes
from h2.settings import SettingCodes
from hyperframe.frame import (
    DataFrame,
    PingFrame,
    SettingsFrame,
)

from statuskit.server.h2conn import MAX_JUNK
from tests.support.h2attacks import REQUEST, continuation_flood, goaway, hpack_bomb, rapid_reset
from tests.support.h2client import H2Client


def _still_serving(live) -> None:
    live.assert_serving()
    with H2Client(live.port) as other:
        assert other.request("/200").status == 200


def test_rapid_reset_is_cut_off(live) -> None:
    with H2Client(live.port) as client:
        assert rapid_reset(client) == ErrorCodes.ENHANCE_YOUR_CALM
    _still_serving(live)


def test_continuation_flood_is_cut_off(live) -> None:
    with H2Client(live.port) as client:
        assert continuation_flood(client) is not None
    _still_serving(live)


def test_hpack_bomb_is_cut_off(live) -> None:
    with H2Client(live.port) as client:
        assert hpack_bomb(client) is not None
    _still_serving(live)


@pytest.mark.parametrize("kind", ["settings", "ping", "empty-data"])
def test_floods_of_frames_asking_for_nothing_are_cut_off(live, kind: str) -> None:
    with H2Client(live.port) as client:
        if kind == "empty-data":
            client.conn.send_headers(1, [*REQUEST[:3], (":path", "/200")], end_stream=False)
            client.flush()
        for index in range(MAX_JUNK + 50):
            if kind == "settings":
                frame = SettingsFrame(0, settings={SettingCodes.ENABLE_PUSH: 0})
            elif kind == "ping":
                frame = PingFrame(0, opaque_data=index.to_bytes(8, "big"))
            else:
                frame = DataFrame(1, data=b"")
            client.send_raw(frame.serialize())
            if client.closed:
                break
        assert goaway(client) == ErrorCodes.ENHANCE_YOUR_CALM
    _still_serving(live)


def test_a_peer_that_never_opens_its_window_is_given_up(make_live) -> None:
    live = make_live(send_timeout=0.5)
    with H2Client(live.port, settings={SettingCodes.INITIAL_WINDOW_SIZE: 0}) as client:
        client.events(0.3)
        response = client.response(client.start("/200"), timeout=10)
    assert response.status == 200 and response.body == b""
    assert response.reset == ErrorCodes.CANCEL
    _still_serving(live)


def test_a_window_opened_by_settings_lets_the_waiting_content_out(live) -> None:
    # RFC 9113 §6.9.2, h2spec http2/6.9.2/1: SETTINGS_INITIAL_WINDOW_SIZE raised from 0 to 1 once the answer
    # waits (its HEADERS are out), in a read of its own: one byte of DATA goes out at once.
    with H2Client(live.port, settings={SettingCodes.INITIAL_WINDOW_SIZE: 0}) as client:
        client.events(0.3)
        stream_id = client.start("/200")
        client.events(until=lambda event: isinstance(event, h2.events.ResponseReceived))
        client.conn.update_settings({SettingCodes.INITIAL_WINDOW_SIZE: 1})
        client.flush()
        events = client.events(until=lambda event: isinstance(event, (h2.events.DataReceived, h2.events.StreamReset)))
        first = next(event for event in events if isinstance(event, (h2.events.DataReceived, h2.events.StreamReset)))
        assert isinstance(first, h2.events.DataReceived) and first.stream_id == stream_id
        assert len(first.data) == 1


def test_a_goaway_with_a_window_update_in_one_read_ends_cleanly(live, caplog) -> None:
    # The WINDOW_UPDATE wakes a waiting answer after h2 has taken the GOAWAY: nothing may be sent, nothing raised.
    with H2Client(live.port, settings={SettingCodes.INITIAL_WINDOW_SIZE: 0}) as client:
        client.events(0.3)
        stream_id = client.start("/200")
        client.events(until=lambda event: isinstance(event, h2.events.ResponseReceived))
        client.conn.increment_flow_control_window(100, stream_id)
        client.conn.close_connection()
        client.flush()
        client.raw_frames(2)
    _still_serving(live)
    assert not [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")], caplog.text


def test_too_many_concurrent_streams_refuses_only_the_extra_one(make_live) -> None:
    live = make_live(max_streams=4)
    with H2Client(live.port) as client:
        # Sent before the server's SETTINGS are read: h2 as a client would otherwise hold the fifth back itself.
        streams = [client.start("/200?sleep=300") for _ in range(5)]
        responses = [client.response(stream_id) for stream_id in streams]
        assert client.remote_settings.get(SettingCodes.MAX_CONCURRENT_STREAMS) == 4
        # RFC 9113 §5.1.2: the stream over the limit is refused; the four open ones finish, the connection goes on.
        assert [response.status for response in responses[:4]] == [200] * 4
        assert responses[4].status == 0 and responses[4].reset == ErrorCodes.REFUSED_STREAM
        assert all(response.goaway is None for response in responses)
        assert client.request("/200").status == 200
    _still_serving(live)


def test_header_list_between_the_limit_and_hpacks_bound_is_431(live) -> None:
    with H2Client(live.port) as client:
        response = client.request("/200", headers=[(f"x-{index}", "v" * 400) for index in range(12)])
    assert response.status == 431
    assert not any(isinstance(event, h2.events.ConnectionTerminated) for event in client.pending)
