"""A real redis-server for the store tests: on a free loopback port, in a temporary directory, nothing saved.

Started and stopped by the test (`stop` and `start` again to see statuskit
reconnect), asked with redis-py's synchronous client. `DEBUG SLEEP` makes it
slow: redis 7 allows the command only when started with
`--enable-debug-command`, which is given here for loopback clients alone.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from pathlib import Path

import redis

START_TIMEOUT = 10.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RedisServer:
    def __init__(self, executable: str, folder: Path) -> None:
        self.executable = executable
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def client(self) -> redis.Redis:
        return redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=5)

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                self.executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.folder),
                "--save",
                "",
                "--appendonly",
                "no",
                "--enable-debug-command",
                "local",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if self.client().ping():
                    return self
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None

    def sleep(self, seconds: float) -> threading.Thread:
        """`DEBUG SLEEP seconds` on a thread of its own: Redis answers nobody meanwhile."""
        started = threading.Event()

        def block() -> None:
            client = redis.Redis(host="127.0.0.1", port=self.port, socket_timeout=seconds + 10)
            client.ping()
            started.set()
            client.execute_command("DEBUG", "SLEEP", seconds)

        thread = threading.Thread(target=block, daemon=True)
        thread.start()
        started.wait(5)
        time.sleep(0.1)  # the command is on its way
        return thread
