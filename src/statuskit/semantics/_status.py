"""The conversions every rule starts with: whatever names a code, as a registry `Status` or a number."""

from __future__ import annotations

from collections import namedtuple

from statuskit.registry import Status, lookup

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the blocks under it

if TYPE_CHECKING:
    from typing import Any


class _NamedTupleMeta(type):
    """Builds `class X(NamedTuple): field: type = default` with collections.namedtuple.

    The value types of semantics are NamedTuples: immutable, hashable, and the
    cheapest to build (a frozen dataclass costs ten times more per class, and
    `dataclasses` pulls `inspect` in). `typing.NamedTuple` would do this, but
    importing `typing` costs `statuskit 404` more than the whole registry
    (tests/test_exports.py), so type checkers see typing's and the
    interpreter this: the same class syntax, annotations naming the fields.
    """

    def __new__(mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> Any:
        if not bases:
            return super().__new__(mcs, name, bases, namespace)
        fields = list(namespace.get("__annotations__", {}))
        defaults = [namespace[field] for field in fields if field in namespace]
        made = namedtuple(name, fields, defaults=defaults, module=namespace["__module__"])  # type: ignore[misc]
        for key, value in namespace.items():
            if key not in fields and key not in ("__annotations__", "__module__", "__qualname__"):
                setattr(made, key, value)
        made.__qualname__ = namespace["__qualname__"]
        return made


class NamedTuple(metaclass=_NamedTupleMeta):
    """The base of semantics' value types at run time (see _NamedTupleMeta)."""


def as_status(code: Any) -> Status:
    # The type check first: rules are asked about `Status` objects far more
    # often than about numbers, and `lookup` would only hand the same one back.
    return code if type(code) is Status else lookup(code)


def as_code(code: Any) -> int:
    """The number of a code; any int stands for itself (the linter meets 0-999 on the wire)."""
    if isinstance(code, int) and not isinstance(code, bool):
        return int(code)
    return as_status(code).code
