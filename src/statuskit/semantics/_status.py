"""The conversions every rule starts with: whatever names a code, as a registry `Status` or a number."""

from __future__ import annotations

from typing import Any

from statuskit.registry import Status, lookup


def as_status(code: Any) -> Status:
    # The type check first: rules are asked about `Status` objects far more
    # often than about numbers, and `lookup` would only hand the same one back.
    return code if type(code) is Status else lookup(code)


def as_code(code: Any) -> int:
    """The number of a code; any int stands for itself (the linter meets 0-999 on the wire)."""
    if isinstance(code, int) and not isinstance(code, bool):
        return int(code)
    return as_status(code).code
