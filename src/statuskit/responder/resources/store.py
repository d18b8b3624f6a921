"""A bounded, insertion-ordered map: the memory of /items and /jobs.

Each resource keeps at most `limit` entries and forgets the oldest first,
so no sequence of requests can make the server grow without bound.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Generic, TypeVar

V = TypeVar("V")


class Bounded(Generic[V]):
    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError(f"a store holds at least 1 entry, not {limit}")
        self.limit = limit
        self._entries: OrderedDict[str, V] = OrderedDict()

    def get(self, key: str) -> V | None:
        return self._entries.get(key)

    def put(self, key: str, value: V) -> None:
        """Store (a replaced key keeps its age), evicting the oldest entries beyond the limit."""
        self._entries[key] = value
        while len(self._entries) > self.limit:
            self._entries.popitem(last=False)

    def pop(self, key: str) -> V | None:
        return self._entries.pop(key, None)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def __len__(self) -> int:
        return len(self._entries)

    def items(self) -> Iterator[tuple[str, V]]:
        return iter(list(self._entries.items()))
