"""Entity tags: their syntax, the two comparisons, and the lists If-Match and If-None-Match carry.

RFC 9110 §8.8.3 (entity-tag), §8.8.3.2 (strong and weak comparison),
§5.6.1 (lists), §13.1.1 and §13.1.2 ("*" alone or a list of tags).
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing stays out of `statuskit 404` (see _status.NamedTuple)
if TYPE_CHECKING:
    from typing import NamedTuple
else:
    from statuskit.semantics._status import NamedTuple

_ETAGC = "\x21\x23-\x7e\x80-\xff"
_ENTITY_TAG = re.compile(f'(W/)?"([{_ETAGC}]*)"')
_ENTITY_TAG_LIST_ITEM = re.compile(f'[ \t]*(W/)?"([{_ETAGC}]*)"[ \t]*')


class _Tag(NamedTuple):
    opaque: str
    weak: bool = False


class EntityTag(_Tag):
    """An entity-tag (RFC 9110 §8.8.3): an opaque quoted string, maybe marked weak (`W/`).

    A NamedTuple (immutable, hashable, cheap to build: the conditional
    resources make one per request), subclassed to check the opaque-tag.
    """

    __slots__ = ()

    def __new__(cls, opaque: str, weak: bool = False) -> EntityTag:
        if _ENTITY_TAG.fullmatch(f'"{opaque}"') is None:
            raise ValueError(
                f"{opaque!r} is not an opaque-tag: DQUOTE and control characters are not allowed (RFC 9110 §8.8.3)"
            )
        return super().__new__(cls, opaque, weak)

    def strong_match(self, other: EntityTag) -> bool:
        """§8.8.3.2: strong comparison - neither is weak and the opaque-tags are identical."""
        return not self.weak and not other.weak and self.opaque == other.opaque

    def weak_match(self, other: EntityTag) -> bool:
        """§8.8.3.2: weak comparison - the opaque-tags are identical, weak or not."""
        return self.opaque == other.opaque

    def __str__(self) -> str:
        return f'{"W/" if self.weak else ""}"{self.opaque}"'

    def __repr__(self) -> str:
        return f"<EntityTag {self}>"


def parse_entity_tag(text: str | None) -> EntityTag | None:
    """One entity-tag, the whole of `text` (an ETag or If-Range value); None if it is not one."""
    if text is None:
        return None
    found = _ENTITY_TAG.fullmatch(text.strip(" \t"))
    if found is None:
        return None
    return EntityTag(found.group(2), weak=found.group(1) is not None)


def parse_entity_tags(value: str) -> list[EntityTag] | str | None:
    """An If-Match or If-None-Match value: "*", a list of entity-tags, or None when it is neither.

    `#entity-tag` (§5.6.1): members separated by commas, empty members ignored.
    A value that mixes "*" with tags is "syntactically invalid" (§13.1.1, §13.1.2).
    """
    stripped = value.strip(" \t")
    if stripped == "*":
        return "*"
    tags: list[EntityTag] = []
    position = 0
    length = len(stripped)
    while position < length:
        if stripped[position] in ", \t":
            position += 1
            continue
        found = _ENTITY_TAG_LIST_ITEM.match(stripped, position)
        if found is None:
            return None
        tags.append(EntityTag(found.group(2), weak=found.group(1) is not None))
        position = found.end()
        if position < length and stripped[position] != ",":
            return None
    return tags or None
