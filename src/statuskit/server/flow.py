"""Write flow control: stop producing when the client stops reading.

asyncio calls `pause_writing` when the transport's buffer passes its high-water
mark. Then the connection stops reading requests (a pipelining client that
never reads would otherwise make the server queue responses without end) and
async writers wait in `drain`. Shaped like uvicorn's `flow_control.py`.
"""

from __future__ import annotations

import asyncio

# Bytes buffered per connection before writing pauses (uvicorn's HIGH_WATER_LIMIT).
HIGH_WATER = 64 * 1024


class FlowControl:
    __slots__ = ("_transport", "read_paused", "write_paused", "paused_since", "_drained")

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self.read_paused = False
        self.write_paused = False
        self.paused_since = 0.0
        self._drained: asyncio.Future[None] | None = None

    def pause_reading(self) -> None:
        if not self.read_paused:
            self.read_paused = True
            self._transport.pause_reading()

    def resume_reading(self) -> None:
        if self.read_paused:
            self.read_paused = False
            self._transport.resume_reading()

    def pause_writing(self, now: float) -> None:
        self.write_paused = True
        self.paused_since = now

    def resume_writing(self) -> None:
        self.write_paused = False
        drained, self._drained = self._drained, None
        if drained is not None and not drained.done():
            drained.set_result(None)

    async def drain(self) -> None:
        if self.write_paused:
            if self._drained is None:
                self._drained = asyncio.get_running_loop().create_future()
            await self._drained
