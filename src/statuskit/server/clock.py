"""The engine's sense of time: the Date field, rebuilt when the second changes, and a coarse loop time.

Refreshed by the server's tick (a few times a second), so that no request
reads a clock or formats a date: RFC 9110 §6.6.1 asks for the Date of the
origination second, and one formatting per second serves every response in it.
"""

from __future__ import annotations

from statuskit.responder.wire import date_line


class Clock:
    __slots__ = ("date_line", "second", "now")

    def __init__(self) -> None:
        self.date_line = b""
        self.second = -1
        self.now = 0.0

    def refresh(self, wall: float, monotonic: float) -> None:
        self.now = monotonic
        second = int(wall)
        if second != self.second:
            self.second = second
            self.date_line = date_line(second)
