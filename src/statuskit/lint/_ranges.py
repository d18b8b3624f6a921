"""Reading Range and Content-Range values (RFC 9110 §14.1, §14.2, §14.4).

Only what the range rules need: the byte ranges a request asked for and the
range a response says it encloses. A value that does not parse gives None;
reporting bad syntax is httplint's job (its Content-Range parser), not ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# §14.1.1: range-unit is a token, compared case-insensitively; §14.1.2 defines "bytes".
_INT = r"[0-9]{1,20}"  # 20 digits, as httplint bounds them; more would be an attack, not a range
_SPEC = re.compile(rf"\s*(?:(?P<first>{_INT})-(?P<last>{_INT})?|-(?P<suffix>{_INT}))\s*")
_CONTENT_RANGE = re.compile(
    rf"(?P<unit>[A-Za-z0-9!#$%&'*+.^_`|~-]+) (?:(?P<first>{_INT})-(?P<last>{_INT})|\*)/(?P<complete>{_INT}|\*)"
)


@dataclass(frozen=True, slots=True)
class RangeSpec:
    """One bytes range-spec: an int-range (`first`, maybe `last`) or a suffix-range (`suffix`)."""

    first: int | None
    last: int | None
    suffix: int | None

    def resolve(self, length: int) -> tuple[int, int] | None:
        """The inclusive octet positions this spec selects from `length` octets, or None if unsatisfiable.

        §14.1.2: a last-pos past the end means "to the end"; a suffix longer
        than the representation means all of it.
        """
        if self.first is None:
            if not self.suffix or length == 0:
                return None
            return max(0, length - self.suffix), length - 1
        if self.first >= length:
            return None
        last = length - 1 if self.last is None else min(self.last, length - 1)
        return self.first, last

    def __str__(self) -> str:
        if self.first is None:
            return f"-{self.suffix}"
        return f"{self.first}-{'' if self.last is None else self.last}"


def parse_range(value: str | None) -> list[RangeSpec] | None:
    """The byte ranges of a Range field value, or None if it is absent, not bytes, or invalid."""
    if not value:
        return None
    unit, sep, rest = value.strip().partition("=")
    if not sep or unit.strip().lower() != "bytes":
        return None
    specs = []
    for part in rest.split(","):
        if not part.strip():
            continue  # §5.6.1: empty list elements are ignored
        m = _SPEC.fullmatch(part)
        if m is None:
            return None
        if m["suffix"] is not None:
            specs.append(RangeSpec(None, None, int(m["suffix"])))
        else:
            first = int(m["first"])
            last = int(m["last"]) if m["last"] is not None else None
            if last is not None and last < first:
                return None  # §14.1.1: such a range-spec is invalid
            specs.append(RangeSpec(first, last, None))
    return specs or None


@dataclass(frozen=True, slots=True)
class ContentRange:
    """A parsed Content-Range: a satisfied range (`first`-`last`) or `*`, over `complete` octets (None for `*`)."""

    unit: str
    first: int | None
    last: int | None
    complete: int | None

    @property
    def unsatisfied(self) -> bool:
        return self.first is None

    @property
    def span(self) -> int:
        """How many octets a satisfied range encloses (§14.4: positions are inclusive)."""
        if self.first is None or self.last is None:
            return 0
        return self.last - self.first + 1


def parse_content_range(value: str | None) -> ContentRange | None:
    """A Content-Range value per §14.4, or None when absent or not well-formed."""
    if not value:
        return None
    m = _CONTENT_RANGE.fullmatch(value.strip())
    if m is None:
        return None
    complete = None if m["complete"] == "*" else int(m["complete"])
    if m["first"] is None:
        if complete is None:
            return None  # "*/*" is not a value (§14.4 unsatisfied-range needs a length)
        return ContentRange(m["unit"].lower(), None, None, complete)
    first, last = int(m["first"]), int(m["last"])
    if last < first or (complete is not None and complete <= last):
        return None  # §14.4: invalid; httplint reports it
    return ContentRange(m["unit"].lower(), first, last, complete)
