"""The one conversion every rule starts with: whatever names a code, as a registry `Status`."""

from __future__ import annotations

from typing import Any

from statuskit.registry import Status, lookup


def as_status(code: Any) -> Status:
    # The type check first: rules are asked about `Status` objects far more
    # often than about numbers, and `lookup` would only hand the same one back.
    return code if type(code) is Status else lookup(code)
