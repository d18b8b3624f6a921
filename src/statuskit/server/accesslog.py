"""One line per request, written in batches.

Lines collect during one turn of the event loop and go out in one write (at
most PIPE_BUF bytes per write, so the lines of several workers sharing one
pipe never interleave mid-line). Formatting is done only when the log is on, and
the time stamp once a second.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import TextIO

# POSIX guarantees atomic pipe writes up to PIPE_BUF (at least 512; 4096 on Linux).
_ATOMIC = 4096


class AccessLog:
    def __init__(self, loop: asyncio.AbstractEventLoop, stream: TextIO | None = None) -> None:
        self._loop = loop
        self._stream = stream if stream is not None else sys.stdout
        self._lines: list[str] = []
        self._scheduled = False
        # The time stamp of the current second, formatted once for all its lines.
        self._second = -1
        self._stamp = ""

    def log(self, client: str, method: str, target: str, version: str, status: int | str, size: int | str) -> None:
        second = int(time.time())
        if second != self._second:
            self._second = second
            self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        stamp = self._stamp
        target = target.replace('"', "%22")
        self._lines.append(f'{stamp}Z {client} "{method} {target} HTTP/{version}" {status} {size}\n')
        if not self._scheduled:
            self._scheduled = True
            self._loop.call_soon(self.flush)

    def flush(self) -> None:
        self._scheduled = False
        lines, self._lines = self._lines, []
        if not lines:
            return
        try:
            fileno = self._stream.fileno()
        except (AttributeError, OSError, ValueError):
            fileno = -1
        try:
            if fileno < 0:
                self._stream.write("".join(lines))
                self._stream.flush()
                return
            self._stream.flush()
            chunk: list[bytes] = []
            size = 0
            for line in lines:
                data = line.encode("utf-8", "replace")
                if size + len(data) > _ATOMIC and chunk:
                    os.write(fileno, b"".join(chunk))
                    chunk, size = [], 0
                chunk.append(data)
                size += len(data)
            if chunk:
                os.write(fileno, b"".join(chunk))
        except (BrokenPipeError, OSError, ValueError):
            # The reader of the log went away; serving matters more than logging.
            pass
