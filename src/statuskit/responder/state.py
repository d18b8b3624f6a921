"""The state of the stateful resources: the operations they ask a store for, and the in-memory store.

A resource never holds state of its own and never calls a store. It answers
with a plan that carries a `StoreStep`: operations for the engine to perform
and what to do with their results (`then`, which gives the next plan, maybe
another step). So the responder stays sans-IO whichever store the engine has:
this process's memory, a SQLite file shared by the workers, or a Redis
server shared by several instances (statuskit.server.store).

Each operation is atomic on its own; the operations of one step are not
atomic together, and none needs to be: every write that depends on what was
read is a compare-and-set (`Swap`), so a write that lost a race is answered
from the state that won, and a failed write leaves the previous state.

    Hit(key, now, window)       count one hit in the key's fixed window: Window(count, ends)
    Read(space, key)            the value (bytes) or None
    Swap(space, key, value, expect, limit)  write if the current value is `expect`
                                (ANY: whatever it is; None: absent): Swapped(ok, current)
    Next(space)                 the next number of a sequence (1, 2, ...), for ids
    Scan(space)                 every (key, value) of the space, oldest write first

A space keeps at most `limit` keys (the oldest written go first, a rewrite
keeps its age) and a window ends by itself: no request can make a store grow
without bound.
"""

from __future__ import annotations

import enum
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from statuskit.responder.plan import Plan


class Anything(enum.Enum):
    """`Swap.expect` for an unconditional write."""

    ANY = "any"


ANY = Anything.ANY


@dataclass(frozen=True, slots=True)
class Hit:
    key: str
    now: float
    window: float


@dataclass(frozen=True, slots=True)
class Read:
    space: str
    key: str


@dataclass(frozen=True, slots=True)
class Swap:
    space: str
    key: str
    value: bytes
    expect: bytes | None | Anything
    limit: int


@dataclass(frozen=True, slots=True)
class Next:
    space: str


@dataclass(frozen=True, slots=True)
class Scan:
    space: str


Op = Hit | Read | Swap | Next | Scan


@dataclass(frozen=True, slots=True)
class Window:
    """A `Hit`'s answer: hits in the current window (this one included) and when the window ends."""

    count: int
    ends: float


@dataclass(frozen=True, slots=True)
class Swapped:
    """A `Swap`'s answer: whether it wrote, and the value the key holds now."""

    ok: bool
    current: bytes | None


@dataclass(frozen=True, slots=True)
class StoreStep:
    """Operations for the engine to perform in order, then `then(results)`: the plan to play next."""

    ops: tuple[Op, ...]
    then: Callable[[tuple[Any, ...]], Plan]


# Steps one response may take (a compare-and-set that keeps losing races
# retries, each time with the state that won). Then the answer is 503.
MAX_STEPS = 8


class MemoryStore:
    """Every operation in this process's memory: the store of one worker, and the reference for the others.

    Windows are bounded by `max_keys` (ended windows go first, then the
    oldest: the bound on memory wins over a client's count when more than
    `max_keys` clients are counted at once); each space by its `limit`.
    """

    def __init__(self, max_keys: int) -> None:
        if max_keys < 1:
            raise ValueError(f"max_keys must be at least 1, not {max_keys}")
        self.max_keys = max_keys
        self.windows: OrderedDict[str, Window] = OrderedDict()
        self.spaces: dict[str, OrderedDict[str, bytes]] = {}
        self.sequences: dict[str, int] = {}

    def perform(self, op: Op) -> Any:
        if isinstance(op, Hit):
            return self.hit(op.key, op.now, op.window)
        if isinstance(op, Read):
            space = self.spaces.get(op.space)
            return None if space is None else space.get(op.key)
        if isinstance(op, Swap):
            return self.swap(op)
        if isinstance(op, Next):
            number = self.sequences.get(op.space, 0) + 1
            self.sequences[op.space] = number
            return number
        return tuple(self.spaces.get(op.space, OrderedDict()).items())

    def hit(self, key: str, now: float, window: float) -> Window:
        current = self.windows.get(key)
        if current is None or now >= current.ends:
            if current is not None:
                del self.windows[key]
            current = Window(0, now + window)
            if len(self.windows) >= self.max_keys:
                self._evict(now)
        current = Window(current.count + 1, current.ends)
        self.windows[key] = current
        return current

    def _evict(self, now: float) -> None:
        for key in [k for k, w in self.windows.items() if w.ends <= now]:
            del self.windows[key]
        # Amortized: make room for an eighth more before sweeping again.
        target = self.max_keys - 1 - self.max_keys // 8
        while len(self.windows) > max(0, target):
            self.windows.popitem(last=False)

    def swap(self, op: Swap) -> Swapped:
        space = self.spaces.setdefault(op.space, OrderedDict())
        current = space.get(op.key)
        if op.expect is not ANY and current != op.expect:
            return Swapped(False, current)
        space[op.key] = op.value
        while len(space) > op.limit:
            space.popitem(last=False)
        return Swapped(True, op.value)

    def __len__(self) -> int:
        return len(self.windows)
