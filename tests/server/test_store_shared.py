"""One truth across workers and instances: real `statuskit serve` processes sharing SQLite or a real Redis.

Each request goes on a new connection, so the kernel (SO_REUSEPORT) spreads
them over the workers, and the tests spread them over the instances in
turn. Faults are real: Redis stopped, restarted and put to sleep (`DEBUG
SLEEP`), the SQLite file locked by another process, workers killed with
SIGKILL while a request waits on the store.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from statuskit.server import ServerProcess
from tests.support.redisserver import RedisServer

TIMEOUT = 10.0


@pytest.fixture
def redis_server(tool: Any, tmp_path: Path) -> Iterator[RedisServer]:
    server = RedisServer(tool("redis-server"), tmp_path).start()
    try:
        yield server
    finally:
        server.stop()


def get(url: str, method: str = "GET", **kwargs: Any) -> httpx.Response:
    """One request on a new connection."""
    return httpx.request(method, url, timeout=TIMEOUT, **kwargs)


def serve(*args: str) -> ServerProcess:
    """`statuskit serve --quiet ARGS`, not started yet (`with` starts it)."""
    return ServerProcess(["--quiet", *args])


def limited(servers: list[ServerProcess], count: int = 100) -> Counter[int]:
    """`count` requests to /ratelimit/10/60, each on a new connection, to the servers in turn."""
    return Counter(get(servers[n % len(servers)].url_for("/ratelimit/10/60")).status_code for n in range(count))


def _children(pid: int) -> list[int]:
    return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


# -- workers on SQLite --------------------------------------------------------------


def test_four_workers_share_one_sqlite_store() -> None:
    with serve("--workers", "4") as server:
        assert "store sqlite:" in server.first_line  # auto: a file in a private temporary directory
        folder = Path(server.first_line.split("store sqlite:", 1)[1].split(")")[0].split(";")[0]).parent
        assert folder.stat().st_mode & 0o077 == 0
        assert limited([server]) == {200: 10, 429: 90}
        # Written by one worker, seen by whichever answers next.
        made = get(server.url_for("/items"), "POST", json={"n": 1})
        for _ in range(8):
            assert get(server.url_for(made.headers["Location"])).headers["ETag"] == made.headers["ETag"]
        job = get(server.url_for("/jobs?seconds=60"), "POST").headers["Content-Location"]
        assert all(get(server.url_for(job)).json()["status"] == "running" for _ in range(8))
    assert not folder.exists()  # removed at exit


# -- instances on Redis ----------------------------------------------------------------


@pytest.mark.parametrize("instances", [2, 3])
def test_instances_share_one_redis(redis_server: RedisServer, instances: int) -> None:
    servers = [serve("--store", redis_server.url).start() for _ in range(instances)]
    try:
        assert limited(servers) == {200: 10, 429: 90}
        first, *others = servers
        # An ETag written by one instance is the one the next sees, and guards its writes.
        created = get(first.url_for("/conditional-put/doc"), "PUT", headers={"If-Match": "*"}, content=b"v1")
        assert created.status_code == 204
        tag = created.headers["ETag"]
        for other in others:
            assert get(other.url_for("/conditional-put/doc")).headers["ETag"] == tag
        stale = get(others[-1].url_for("/conditional-put/doc"), "PUT", headers={"If-Match": '"not-it"'}, content=b"x")
        assert stale.status_code == 412
        updated = get(others[0].url_for("/conditional-put/doc"), "PUT", headers={"If-Match": tag}, content=b"v2")
        assert updated.status_code == 204
        assert (
            get(first.url_for("/conditional-put/doc"), "PUT", headers={"If-Match": tag}, content=b"v3").status_code
            == 412
        )
        # A job started on one is found on another; an item deleted on one is gone on all.
        job = get(others[-1].url_for("/jobs?seconds=60"), "POST").headers["Content-Location"]
        assert get(first.url_for(job)).json()["status"] == "running"
        item = get(first.url_for("/items"), "POST", json={"n": 1}).headers["Location"]
        assert get(others[0].url_for(item), "DELETE").status_code == 204
        assert get(servers[-1].url_for(item)).status_code == 410
    finally:
        for server in servers:
            server.stop()


def _digest(url: str, path: str, nonce: str, nc: str) -> str:
    def h(text: str) -> str:
        return hashlib.md5(text.encode()).hexdigest()

    realm, cnonce = "statuskit", "abc"
    response = h(f"{h(f'user:{realm}:pass')}:{nonce}:{nc}:{cnonce}:auth:{h(f'GET:{path}')}")
    opaque = _challenge(url)[1]
    return (
        f'Digest username="user", realm="{realm}", nonce="{nonce}", uri="{path}", qop=auth, nc={nc}, '
        f'cnonce="{cnonce}", response="{response}", opaque="{opaque}"'
    )


def _challenge(url: str) -> tuple[str, str]:
    header = get(url).headers["WWW-Authenticate"]
    params = dict(part.strip().split("=", 1) for part in header.removeprefix("Digest ").split(","))
    return params["nonce"].strip('"'), params["opaque"].strip('"')


def test_a_digest_request_replayed_to_another_instance_is_refused(redis_server: RedisServer) -> None:
    one, two = serve("--store", redis_server.url).start(), serve("--store", redis_server.url).start()
    try:
        path = "/digest-auth/auth/user/pass"
        nonce, _ = _challenge(one.url_for(path))
        answer = _digest(one.url_for(path), path, nonce, "00000001")
        assert get(one.url_for(path), headers={"Authorization": answer}).status_code == 200
        replayed = get(two.url_for(path), headers={"Authorization": answer})
        assert replayed.status_code == 401 and "replayed" in replayed.text
        following = _digest(two.url_for(path), path, nonce, "00000002")
        assert get(two.url_for(path), headers={"Authorization": following}).status_code == 200
    finally:
        one.stop()
        two.stop()


def test_prefixes_keep_instance_groups_apart(redis_server: RedisServer) -> None:
    blue = serve("--store", redis_server.url, "--store-prefix", "blue").start()
    green = serve("--store", redis_server.url, "--store-prefix", "green").start()
    try:
        assert limited([blue], 12) == {200: 10, 429: 2}
        assert limited([green], 12) == {200: 10, 429: 2}
    finally:
        blue.stop()
        green.stop()


# -- faults ---------------------------------------------------------------------------


def test_redis_stopped_restarted_and_slow(redis_server: RedisServer) -> None:
    with serve("--store", redis_server.url, "--store-timeout", "0.5") as server:
        made = get(server.url_for("/items"), "POST", json={"n": 1})
        assert made.status_code == 201
        redis_server.stop()
        down = get(server.url_for("/ratelimit/10/60"))
        assert down.status_code == 503 and down.headers["Retry-After"] == "1"
        assert "the state store is unavailable" in down.text and "127.0.0.1" in down.text
        assert get(server.url_for("/items"), "POST", json={"n": 2}).status_code == 503
        assert get(server.url_for("/200")).status_code == 200  # stateless resources keep serving
        assert get(server.url_for("/etag/abc")).status_code == 200
        redis_server.start()  # empty again: nothing was saved
        assert get(server.url_for("/ratelimit/10/60")).status_code == 200  # reconnected by itself
        item = get(server.url_for("/items"), "POST", json={"n": 3})
        assert item.status_code == 201
        sleeper = redis_server.sleep(3)
        slow = get(server.url_for(item.headers["Location"]))
        assert slow.status_code == 503 and "did not answer within 0.5 s (--store-timeout)" in slow.text
        assert get(server.url_for("/200")).status_code == 200
        sleeper.join(10)
        assert get(server.url_for(item.headers["Location"])).status_code == 200


def test_a_locked_sqlite_file_answers_503_and_leaves_the_state(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with serve("--workers", "2", "--store", f"sqlite:{path}", "--store-timeout", "0.5") as server:
        made = get(server.url_for("/conditional-put/doc"), "PUT", headers={"If-Match": "*"}, content=b"before")
        tag = made.headers["ETag"]
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            locked = get(server.url_for("/conditional-put/doc"), "PUT", headers={"If-Match": tag}, content=b"after")
            assert locked.status_code == 503 and "locked by another process" in locked.text
            assert get(server.url_for("/200")).status_code == 200
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        now = get(server.url_for("/conditional-put/doc"))
        assert now.content == b"before" and now.headers["ETag"] == tag


def test_workers_killed_while_a_write_waits_on_the_store_leave_it_intact(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    with serve("--workers", "2", "--store", f"sqlite:{path}", "--store-timeout", "8") as server:
        made = get(server.url_for("/conditional-put/doc"), "PUT", headers={"If-Match": "*"}, content=b"before")
        tag = made.headers["ETag"]
        workers = _children(server.pid)
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        try:
            with httpx.Client(timeout=TIMEOUT) as client:
                # The PUT reaches a worker, which waits for the lock inside its transaction...
                pending = client.build_request(
                    "PUT", server.url_for("/conditional-put/doc"), headers={"If-Match": tag}, content=b"after"
                )
                outcome: list[object] = []
                thread = threading.Thread(target=lambda: outcome.append(_send(client, pending)), daemon=True)
                thread.start()
                time.sleep(1.0)
                # ... when every worker is killed.
                for pid in workers:
                    os.kill(pid, signal.SIGKILL)
                thread.join(TIMEOUT)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        assert outcome and isinstance(outcome[0], httpx.TransportError)  # the client saw the connection end
        after = _once_listening(server.url_for("/conditional-put/doc"))  # the supervisor starts new workers
        assert after.content == b"before" and after.headers["ETag"] == tag
        with sqlite3.connect(path) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert (
            get(server.url_for("/conditional-put/doc"), "PUT", headers={"If-Match": tag}, content=b"new").status_code
            == 204
        )


def _once_listening(url: str) -> httpx.Response:
    """GET `url` as soon as a worker listens again (connections are refused until then)."""
    deadline = time.monotonic() + TIMEOUT
    while True:
        try:
            return get(url)
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _send(client: httpx.Client, request: httpx.Request) -> object:
    try:
        return client.send(request)
    except httpx.TransportError as exc:
        return exc


def test_streams_of_one_http2_connection_ask_the_store_in_turn(redis_server: RedisServer) -> None:
    # h2c with prior knowledge: each stream's store step runs on its own task, the connection keeps going.
    with serve("--store", redis_server.url) as server, httpx.Client(http1=False, http2=True, timeout=TIMEOUT) as client:
        answers = [client.get(server.url_for("/ratelimit/3/60")) for _ in range(4)]
        assert [a.http_version for a in answers] == ["HTTP/2"] * 4
        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert client.get(server.url_for("/200")).status_code == 200


# -- Redis over TLS, Redis with a password ------------------------------------------------


def test_instances_share_one_redis_over_tls(tool: Any, tmp_path: Path) -> None:
    secure = RedisServer(tool("redis-server"), tmp_path, tls=True).start()
    try:
        assert secure.url.startswith("rediss://127.0.0.1:") and "?ssl_ca_certs=" in secure.url
        servers = [serve("--store", secure.url).start() for _ in range(2)]
        try:
            assert limited(servers) == {200: 10, 429: 90}
            item = get(servers[0].url_for("/items"), "POST", json={"n": 1}).headers["Location"]
            assert get(servers[1].url_for(item)).status_code == 200
        finally:
            for server in servers:
                server.stop()
        assert secure.client().dbsize() > 0  # the state went to this Redis, over TLS
        # Without the CA the server's certificate is not trusted: 503 saying so, and /200 still serves.
        untrusting = f"rediss://127.0.0.1:{secure.port}/0"
        with serve("--store", untrusting, "--store-timeout", "2") as server:
            refused = get(server.url_for("/ratelimit/10/60"))
            assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"  # the timeout, rounded up
            assert "certificate verify failed" in refused.text, refused.text
            assert get(server.url_for("/200")).status_code == 200
    finally:
        secure.stop()


def _reason(response: httpx.Response) -> str:
    """The lines of a 503 that name the store's failure."""
    return "\n".join(line for line in response.text.splitlines() if "127.0.0.1" in line)


def test_redis_with_a_password(tool: Any, tmp_path: Path) -> None:
    secret = "s3cret-pass"
    guarded = RedisServer(tool("redis-server"), tmp_path, password=secret).start()
    try:
        with serve("--store", guarded.url) as server:
            assert limited([server], 12) == {200: 10, 429: 2}
        assert guarded.client().dbsize() > 0  # the state went to this Redis
        port = guarded.port
        for url in (
            f"redis://:wrong-pass@127.0.0.1:{port}/0",
            f"redis://127.0.0.1:{port}/0?password=wrong-pass",  # redis-py reads it from the query too
            f"redis://127.0.0.1:{port}/0",
        ):
            with serve("--store", url, "--store-timeout", "2") as server:
                refused = get(server.url_for("/ratelimit/10/60"))
                assert refused.status_code == 503 and refused.headers["Retry-After"] == "2"  # the timeout, rounded up
                assert "the state store is unavailable" in refused.text
                reason = _reason(refused)
                assert reason.count("\n") == 0 and f"127.0.0.1:{port}/0" in reason, refused.text
                assert "wrong-pass" not in refused.text and secret not in refused.text
                assert get(server.url_for("/items"), "POST", json={"n": 1}).status_code == 503
                assert get(server.url_for("/200")).status_code == 200
            logged = "\n".join([*server.lines, *server.errors])
            assert f"store: Redis at 127.0.0.1:{port}/0: " in logged  # the warning line, as bare as the answer
            assert "wrong-pass" not in logged and secret not in logged
    finally:
        guarded.stop()
