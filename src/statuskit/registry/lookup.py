"""The registry's indexes and every way to find a code.

The table rows become `Status` values once, at import; look-ups are then a
dict access on the fast path (`lookup(404)`), and everything unusual (names,
strings, unassigned codes, bad input) goes through `_lookup_slow`.
"""

from __future__ import annotations

from collections.abc import Iterator

from statuskit.errors import InvalidStatusCode, UnknownStatusName
from statuskit.registry._table import ROWS
from statuskit.registry.status import Spec, Standing, Status, StatusClass, constant_name, normalize_name

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any

MIN_CODE = 100
MAX_CODE = 599


def _build() -> tuple[dict[int, Status], dict[str, tuple[Status, ...]]]:
    by_code: dict[int, Status] = {}
    names: dict[str, list[Status]] = {}
    for code, phrase, standing, (document, section, url), flags, aliases, reason, owner in ROWS:
        status = Status._make(
            code,
            phrase,
            Standing(standing),
            Spec(document, section, url),
            frozenset(flags),
            aliases,
            reason,
            owner,
        )
        by_code[code] = status
        for name in (status.reason, phrase, *aliases):
            bucket = names.setdefault(normalize_name(name), [])
            if status not in bucket:
                bucket.append(status)
    return by_code, {key: tuple(found) for key, found in names.items()}


_BY_CODE, _BY_NAME = _build()
_UNASSIGNED: dict[int, Status] = {}
Status._known = _BY_CODE


def _attach_constants() -> None:
    # Status.NOT_FOUND and friends: every unambiguous name becomes a constant,
    # and each code's own `constant` is its first unambiguous name.
    for status in _BY_CODE.values():
        first = ""
        for name in (status.reason, status.phrase, *status.aliases):
            if len(_BY_NAME[normalize_name(name)]) == 1:
                const = constant_name(name)
                setattr(Status, const, status)
                first = first or const
        object.__setattr__(status, "_constant", first)


_attach_constants()

# Names as people usually type them ("Not Found", "not found", "NOT_FOUND")
# resolve without folding; anything else goes through normalize_name.
_EXACT: dict[str, Status] = {}
for _status in _BY_CODE.values():
    for _name in (_status.reason, _status.phrase, *_status.aliases):
        if len(_BY_NAME[normalize_name(_name)]) == 1:
            for _spelling in (_name, _name.lower(), constant_name(_name)):
                _EXACT[_spelling] = _status
del _status, _name, _spelling


def lookup(value: Any) -> Status:
    """Find the `Status` for an int, an `http.HTTPStatus`, a numeric string,
    a phrase, a former name or a constant name (case and punctuation aside).

    A valid code that nothing is assigned to (say 471) still gives a `Status`,
    with standing `unassigned` and `understood_as` its class's x00 code.
    Raises `InvalidStatusCode` for anything that is not a code in 100-599 and
    `UnknownStatusName` for a name that matches no code or several.
    """
    try:
        return _BY_CODE[value]
    except (KeyError, TypeError):
        return _lookup_slow(value)


def get(value: Any, default: Any = None) -> Any:
    """Like `lookup`, but returns `default` instead of raising."""
    try:
        return lookup(value)
    except (InvalidStatusCode, UnknownStatusName):
        return default


def _lookup_slow(value: Any) -> Status:
    if isinstance(value, bool):
        raise InvalidStatusCode(value, "a boolean is not a status code")
    if isinstance(value, int):
        return _from_int(int(value), value)
    if isinstance(value, float):
        if value.is_integer():
            return _from_int(int(value), value)
        raise InvalidStatusCode(value, "a status code is a whole number")
    if isinstance(value, bytes):
        try:
            value = value.decode("ascii")
        except UnicodeDecodeError:
            raise InvalidStatusCode(value, "not ASCII") from None
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise InvalidStatusCode(value, "empty")
        if text.isascii() and text.isdigit():
            if len(text) != 3:
                raise InvalidStatusCode(value, "a status code has exactly three digits (100-599)")
            return _from_int(int(text), value)
        if text.lstrip("+-").isdigit():
            raise InvalidStatusCode(value, f"outside {MIN_CODE}-{MAX_CODE}")
        exact = _EXACT.get(text)
        if exact is not None:
            return exact
        found = _BY_NAME.get(normalize_name(text), ())
        if len(found) == 1:
            return found[0]
        raise UnknownStatusName(text, tuple(int(s) for s in found))
    raise InvalidStatusCode(value, f"expected an int, a numeric string or a status name, not {type(value).__name__}")


def _from_int(code: int, original: Any) -> Status:
    if code in _BY_CODE:
        return _BY_CODE[code]
    if not MIN_CODE <= code <= MAX_CODE:
        raise InvalidStatusCode(original, f"outside {MIN_CODE}-{MAX_CODE} (RFC 9110 §15)")
    status = _UNASSIGNED.get(code)
    if status is None:
        status = Status._make(code, "Unassigned", Standing.UNASSIGNED, None)
        object.__setattr__(status, "_constant", "")
        _UNASSIGNED[code] = status
    return status


def statuses(*, include_unofficial: bool = True) -> Iterator[Status]:
    """Every known code in numeric order."""
    for status in _BY_CODE.values():
        if include_unofficial or status.standing is not Standing.UNOFFICIAL:
            yield status


def by_class(which: StatusClass | int | str) -> tuple[Status, ...]:
    """The known codes of one class: `by_class(4)`, `by_class("4xx")`, `by_class(StatusClass.CLIENT_ERROR)`."""
    status_class = parse_class(which)
    return tuple(s for s in _BY_CODE.values() if s.status_class is status_class)


def parse_class(which: StatusClass | int | str) -> StatusClass:
    """Read a class given as 4, "4", "4xx", "4XX" or a `StatusClass`."""
    if isinstance(which, StatusClass):
        return which
    text = str(which).strip().lower()
    if text.endswith("xx"):
        text = text[:-2]
    if text.isdigit() and len(text) == 1 and "1" <= text <= "5":
        return StatusClass(int(text))
    raise InvalidStatusCode(which, "a class is written 1xx to 5xx")
