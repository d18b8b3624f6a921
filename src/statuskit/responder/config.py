"""The responder's limits and sources of randomness."""

from __future__ import annotations

import random
from dataclasses import dataclass

# httpbin caps /delay at 10 s and httpstat.us ?sleep at 5 min; 30 s covers the
# usual client read timeouts (requests has none, httpx 5 s, aiohttp 5 min).
DEFAULT_MAX_SLEEP_MS = 30_000

# WebDAV servers send 102 every so often while they work; a second makes
# the repetition visible in a test without waiting long.
DEFAULT_HEARTBEAT_MS = 1_000

# Caller-chosen response fields per request: enough for any test, small
# enough that one request cannot make a huge response head.
DEFAULT_MAX_CALLER_FIELDS = 32


@dataclass(frozen=True, slots=True, kw_only=True)
class ResponderConfig:
    """Limits of the URL API. `rng` picks among several codes; `seed` makes it reproducible."""

    max_sleep_ms: int = DEFAULT_MAX_SLEEP_MS
    heartbeat_ms: int = DEFAULT_HEARTBEAT_MS
    max_caller_fields: int = DEFAULT_MAX_CALLER_FIELDS
    seed: int | None = None
    rng: random.Random | None = None

    def __post_init__(self) -> None:
        if self.max_sleep_ms < 0:
            raise ValueError(f"max_sleep_ms must be 0 or more, not {self.max_sleep_ms}")
        if self.heartbeat_ms <= 0:
            raise ValueError(f"heartbeat_ms must be more than 0, not {self.heartbeat_ms}")
        if self.max_caller_fields < 0:
            raise ValueError(f"max_caller_fields must be 0 or more, not {self.max_caller_fields}")

    def make_rng(self) -> random.Random:
        return self.rng if self.rng is not None else random.Random(self.seed)
