"""What a cache may do with a response of a given status and no explicit freshness.

RFC 9110 §15.1 (heuristically cacheable codes), RFC 7725 §3 (451),
RFC 6585 §3-§6 (428, 429, 431, 511 never stored), RFC 8470 §5.2 (425).
"""

from __future__ import annotations

from statuskit.semantics._status import as_status

TYPE_CHECKING = False  # typing stays out of `statuskit 404` (see _status.NamedTuple)
if TYPE_CHECKING:
    from typing import Any, NamedTuple
else:
    from statuskit.semantics._status import NamedTuple

# RFC 9110 §15.1: heuristically cacheable in RFC 9110 itself; RFC 7725 §3 adds 451.
HEURISTICALLY_CACHEABLE: dict[int, str] = {
    **dict.fromkeys((200, 203, 204, 206, 300, 301, 308, 404, 405, 410, 414, 501), "RFC 9110 §15.1"),
    451: "RFC 7725 §3",
}

# RFC 6585: responses with these codes must not be stored by a cache.
MUST_NOT_STORE: dict[int, str] = {428: "RFC 6585 §3", 429: "RFC 6585 §4", 431: "RFC 6585 §5", 511: "RFC 6585 §6"}

# RFC 8470 §5.2: a 425 is retried automatically, so it is not cacheable by default.
_NOT_BY_DEFAULT: dict[int, str] = {425: "RFC 8470 §5.2"}


class Cacheability(NamedTuple):
    """Heuristic cacheability and storability of one status (a NamedTuple: see semantics.content.NoContent)."""

    heuristic: bool
    storable: bool
    section: str

    def as_dict(self) -> dict[str, Any]:
        return self._asdict()

    def __repr__(self) -> str:
        return f"<Cacheability heuristic={self.heuristic} storable={self.storable} ({self.section})>"


def cacheability(code: Any) -> Cacheability:
    """Heuristic cacheability (RFC 9110 §15.1) and the RFC 6585 never-store rule."""
    number = as_status(code).code
    if number in HEURISTICALLY_CACHEABLE:
        return Cacheability(True, True, HEURISTICALLY_CACHEABLE[number])
    if number in MUST_NOT_STORE:
        return Cacheability(False, False, MUST_NOT_STORE[number])
    if number in _NOT_BY_DEFAULT:
        return Cacheability(False, True, _NOT_BY_DEFAULT[number])
    # Every other code is cacheable only with explicit freshness information.
    return Cacheability(False, True, "RFC 9110 §15.1")
