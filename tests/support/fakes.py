"""A transport that records what the engine writes, for unit tests of the protocol object.

The engine is driven without sockets (as uvicorn tests its protocols): the
test feeds bytes to `data_received` and reads what came back here. A write
after close fails the test, because the engine must never do it.
"""

from __future__ import annotations


class FakeTransport:
    def __init__(self) -> None:
        self.written: list[bytes] = []
        self.closing = False
        self.reading = True

    def write(self, data: bytes) -> None:
        assert not self.closing, "the engine wrote after closing the connection"
        self.written.append(data)

    def get_extra_info(self, name: str, default: object = None) -> object:
        return ("127.0.0.1", 40000) if name == "peername" else default

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        pass

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def abort(self) -> None:
        self.closing = True

    def pause_reading(self) -> None:
        self.reading = False

    def resume_reading(self) -> None:
        self.reading = True

    @property
    def data(self) -> bytes:
        return b"".join(self.written)
