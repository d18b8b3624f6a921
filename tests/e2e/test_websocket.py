"""/101: a real WebSocket echo, with the `websockets` client."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from statuskit.server import ServerConfig, ServerThread


@pytest.fixture(scope="module")
def ws_url() -> Iterator[str]:
    with ServerThread(ServerConfig.from_options(port=0, access_log=False, websocket_timeout=2.0)) as thread:
        yield thread.url.replace("http://", "ws://")


def run(coroutine) -> object:  # type: ignore[no-untyped-def]
    return asyncio.run(asyncio.wait_for(coroutine, 10))


def test_echo_text_binary_and_fragments(ws_url: str) -> None:
    async def go() -> None:
        async with websockets.connect(f"{ws_url}/101") as ws:
            assert ws.response.status_code == 101
            assert ws.response.headers["Server"].startswith("statuskit/")
            await ws.send("hello")
            assert await ws.recv() == "hello"
            await ws.send(b"\x00\xff")
            assert await ws.recv() == b"\x00\xff"
            await ws.send(["frag", "mented"])  # a fragmented message
            assert await ws.recv() == "fragmented"
            pong = await ws.ping()
            await asyncio.wait_for(pong, 5)
            big = "x" * 100_000
            await ws.send(big)
            assert await ws.recv() == big
        assert ws.close_code == 1000  # the closing handshake completed

    run(go())


def test_other_codes_refuse_the_upgrade(ws_url: str) -> None:
    async def go() -> None:
        for target, status in (("/200", 200), ("/404", 404), ("/503", 503)):
            with pytest.raises(InvalidStatus) as caught:
                async with websockets.connect(f"{ws_url}{target}"):
                    pass
            assert caught.value.response.status_code == status

    run(go())


def test_idle_websocket_is_closed(ws_url: str) -> None:
    async def go() -> None:
        async with websockets.connect(f"{ws_url}/101", ping_interval=None) as ws:
            with pytest.raises(websockets.ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 6)
            assert ws.close_code == 1001  # going away, after --websocket-timeout

    run(go())
