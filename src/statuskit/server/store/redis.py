"""The store on a Redis server, shared by statuskit instances on several machines (redis-py's asyncio client).

Every operation that reads and writes is one Lua script, which Redis runs
atomically: a rate-limit hit is INCR and, for the first hit of a window,
PEXPIRE (the window ends by Redis's own TTL, on every instance at once); a
compare-and-set reads, compares and writes in one step. A space is a hash
of its keys and a sorted set of their ages, so the oldest go first beyond
the space's limit, as in the other stores. Keys start with --store-prefix:
instances with the same prefix share their state, others do not see it.

The client reconnects by itself: a command on a connection Redis closed
fails, the connection is dropped, and the next command opens a new one.
Each call is bounded by --store-timeout (connecting included).
"""

from __future__ import annotations

import asyncio
from typing import Any

from redis import exceptions
from redis.asyncio import BlockingConnectionPool, Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from statuskit.responder.state import ANY, Hit, MemoryStore, Next, Op, Read, Scan, Swap, Swapped, Window
from statuskit.server.store import StoreError

# Connections to Redis per worker: requests beyond them wait for one. Redis's own
# limit (maxclients) is 10000.
MAX_CONNECTIONS = 32

# KEYS[1] the window; ARGV[1] its length in ms. Returns {count, ms left}.
HIT = """
local count = redis.call('INCR', KEYS[1])
local left = redis.call('PTTL', KEYS[1])
if count == 1 or left < 0 then
    redis.call('PEXPIRE', KEYS[1], ARGV[1])
    left = tonumber(ARGV[1])
end
return {count, left}
"""

# KEYS: the space's hash, its ages (sorted set), its age counter. ARGV: key, value,
# mode (any, absent, equal), expected value, limit. Returns {1 if written, current value}.
SWAP = """
local current = redis.call('HGET', KEYS[1], ARGV[1])
if ARGV[3] == 'absent' and current then return {0, current} end
if ARGV[3] == 'equal' and current ~= ARGV[4] then return {0, current} end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
if not current then
    redis.call('ZADD', KEYS[2], redis.call('INCR', KEYS[3]), ARGV[1])
    local over = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
    if over > 0 then
        local oldest = redis.call('ZPOPMIN', KEYS[2], over)
        for i = 1, #oldest, 2 do redis.call('HDEL', KEYS[1], oldest[i]) end
    end
end
return {1, ARGV[2]}
"""

# KEYS: the space's hash and ages. Returns key, value, key, value ... oldest first.
SCAN = """
local out = {}
for _, key in ipairs(redis.call('ZRANGE', KEYS[2], 0, -1)) do
    local value = redis.call('HGET', KEYS[1], key)
    if value then
        out[#out + 1] = key
        out[#out + 1] = value
    end
end
return out
"""


class RedisStore:
    memory: MemoryStore | None = None

    def __init__(self, url: str, *, prefix: str, timeout: float) -> None:
        self.url = url
        # Never a password: not the one before the host, nor one in the query (redis-py reads ?password= too).
        self.name = "Redis at " + url.split("?")[0].split("@")[-1].split("://")[-1]
        self.prefix = prefix
        self.timeout = timeout
        # At most MAX_CONNECTIONS per worker; a request beyond them waits for one (within the timeout).
        pool = BlockingConnectionPool.from_url(
            url,
            max_connections=MAX_CONNECTIONS,
            timeout=timeout,
            socket_timeout=timeout,
            socket_connect_timeout=timeout,
        )
        # One quick retry on a dropped connection (Redis restarted); the timeout bounds it.
        self.client = Redis(
            connection_pool=pool, retry=Retry(NoBackoff(), 1), retry_on_error=[exceptions.ConnectionError]
        )
        self._hit = self.client.register_script(HIT)
        self._swap = self.client.register_script(SWAP)
        self._scan = self.client.register_script(SCAN)

    async def run(self, ops: tuple[Op, ...]) -> tuple[Any, ...]:
        try:
            return await asyncio.wait_for(self._perform_all(ops), self.timeout)
        except TimeoutError:
            raise StoreError(f"{self.name} did not answer within {self.timeout:g} s (--store-timeout)") from None
        except exceptions.RedisError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if reason.startswith("No connection available"):
                # redis-py's words when every pooled connection stayed busy past the timeout.
                reason = f"all {MAX_CONNECTIONS} connections stayed busy for {self.timeout:g} s (--store-timeout)"
            raise StoreError(f"{self.name}: {reason[:200]}") from None
        except OSError as exc:
            raise StoreError(f"{self.name}: {exc.strerror or exc}") from None

    async def close(self) -> None:
        await self.client.aclose(close_connection_pool=True)

    async def _perform_all(self, ops: tuple[Op, ...]) -> tuple[Any, ...]:
        return tuple([await self._perform(op) for op in ops])

    def _keys(self, space: str) -> list[str]:
        base = f"{self.prefix}:space:{space}"
        return [base, f"{base}:ages", f"{base}:age"]

    async def _perform(self, op: Op) -> Any:
        if isinstance(op, Hit):
            count, left = await self._hit(
                keys=[f"{self.prefix}:window:{op.key}"], args=[max(1, round(op.window * 1000))]
            )
            return Window(int(count), op.now + int(left) / 1000)
        if isinstance(op, Read):
            value = await self.client.hget(self._keys(op.space)[0], op.key)
            return None if value is None else value if isinstance(value, bytes) else value.encode()
        if isinstance(op, Swap):
            mode = "any" if op.expect is ANY else "absent" if op.expect is None else "equal"
            expected = op.expect if isinstance(op.expect, bytes) else b""
            ok, current = await self._swap(keys=self._keys(op.space), args=[op.key, op.value, mode, expected, op.limit])
            return Swapped(bool(ok), None if current is None else bytes(current))
        if isinstance(op, Next):
            return int(await self.client.incr(f"{self.prefix}:ids:{op.space}"))
        assert isinstance(op, Scan)
        flat = await self._scan(keys=self._keys(op.space)[:2])
        return tuple((bytes(flat[i]).decode(), bytes(flat[i + 1])) for i in range(0, len(flat), 2))
