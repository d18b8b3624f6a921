"""A real redis-server for the store tests: on a free loopback port, in a temporary directory, nothing saved.

Started and stopped by the test (`stop` and `start` again to see statuskit
reconnect), asked with redis-py's synchronous client. `DEBUG SLEEP` makes it
slow: redis 7 allows the command only when started with
`--enable-debug-command`, which is given here for loopback clients alone.

`tls=True` serves only TLS (`--port 0 --tls-port PORT`) with a certificate
for 127.0.0.1 from a trustme CA written to `ca_file`, clients not asked for
certificates; `password` starts it with `--requirepass`.
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
    def __init__(self, executable: str, folder: Path, *, tls: bool = False, password: str | None = None) -> None:
        self.executable = executable
        self.folder = folder
        self.port = free_port()
        self.tls = tls
        self.password = password
        self.process: subprocess.Popen[bytes] | None = None
        self.ca_file = folder / "redis-ca.pem"
        if tls:
            import trustme

            authority = trustme.CA()
            authority.cert_pem.write_to_path(str(self.ca_file))
            issued = authority.issue_cert("127.0.0.1")
            issued.cert_chain_pems[0].write_to_path(str(folder / "redis-cert.pem"))
            issued.private_key_pem.write_to_path(str(folder / "redis-key.pem"))

    @property
    def url(self) -> str:
        """The URL statuskit is given: with the password, and for TLS with the CA to trust."""
        scheme = "rediss" if self.tls else "redis"
        auth = f":{self.password}@" if self.password else ""
        query = f"?ssl_ca_certs={self.ca_file}" if self.tls else ""
        return f"{scheme}://{auth}127.0.0.1:{self.port}/0{query}"

    def client(self, socket_timeout: float = 5) -> redis.Redis:
        return redis.Redis(
            host="127.0.0.1",
            port=self.port,
            password=self.password,
            socket_timeout=socket_timeout,
            ssl=self.tls,
            ssl_ca_certs=str(self.ca_file) if self.tls else None,
        )

    def _listen(self) -> list[str]:
        if not self.tls:
            return ["--port", str(self.port)]
        return [
            "--port",
            "0",
            "--tls-port",
            str(self.port),
            "--tls-cert-file",
            str(self.folder / "redis-cert.pem"),
            "--tls-key-file",
            str(self.folder / "redis-key.pem"),
            "--tls-ca-cert-file",
            str(self.ca_file),
            "--tls-auth-clients",
            "no",
        ]

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(
            [
                self.executable,
                *self._listen(),
                *(["--requirepass", self.password] if self.password else []),
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
            client = self.client(socket_timeout=seconds + 10)
            client.ping()
            started.set()
            client.execute_command("DEBUG", "SLEEP", seconds)

        thread = threading.Thread(target=block, daemon=True)
        thread.start()
        started.wait(5)
        time.sleep(0.1)  # the command is on its way
        return thread
