"""The `Status` value and the small enums that describe it.

`Status` subclasses `int` so that a looked-up code can go anywhere an int or an
`http.HTTPStatus` goes (comparisons, dict keys, `%d`, JSON) without
conversion. Known codes have exactly one instance each, made when the table is
loaded; codes that are valid but unassigned (say 471) get a fresh instance
that says what a client must understand them as (RFC 9110 §15).
"""

from __future__ import annotations

import enum

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any, ClassVar

    from statuskit.registry.texts import Description


class Standing(enum.StrEnum):
    """Where a code stands with the IANA registry and the HTTP specifications."""

    STANDARD = "standard"
    PROVISIONAL = "provisional"  # a temporary IANA registration (draft spec)
    DEPRECATED = "deprecated"
    OBSOLETE = "obsolete"  # its specification was moved to Historic
    UNUSED = "unused"  # registered as "(Unused)": reserved, never to be sent
    UNOFFICIAL = "unofficial"  # not registered, but used by well-known software
    UNASSIGNED = "unassigned"  # valid 100-599 but not assigned to anything


class StatusClass(enum.IntEnum):
    """The five classes of RFC 9110 §15, numbered by their first digit."""

    INFORMATIONAL = 1
    SUCCESSFUL = 2
    REDIRECTION = 3
    CLIENT_ERROR = 4
    SERVER_ERROR = 5

    @property
    def label(self) -> str:
        return f"{self.value}xx"

    @property
    def first(self) -> int:
        return self.value * 100

    @property
    def section(self) -> str:
        """The RFC 9110 section that defines the class."""
        return f"15.{self.value + 1}"


_RFC_EDITOR = "https://www.rfc-editor.org/rfc/{number}.html"


class Spec:
    """Where a code is defined: a document, maybe a section, and a link."""

    __slots__ = ("document", "section", "url")

    def __init__(self, document: str, section: str = "", url: str = "") -> None:
        self.document = document
        self.section = section
        if not url and document.startswith("RFC "):
            url = _RFC_EDITOR.format(number="rfc" + document[4:])
            if section:
                url += f"#section-{section}"
        self.url = url

    @property
    def citation(self) -> str:
        """`RFC 9110 §15.5.5`, the form used in every message statuskit prints."""
        return f"{self.document} §{self.section}" if self.section else self.document

    def __repr__(self) -> str:
        return f"Spec({self.citation!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Spec):
            return NotImplemented
        return (self.document, self.section, self.url) == (other.document, other.section, other.url)

    def __hash__(self) -> int:
        return hash((self.document, self.section, self.url))


class Status(int):
    """An HTTP status code with everything the registry knows about it.

    `Status(404)` returns the registry's instance, so `Status(404) is
    lookup(404)`; it equals and hashes as `404`. Attributes are read-only.
    """

    code: int
    phrase: str
    reason: str
    standing: Standing
    status_class: StatusClass
    spec: Spec | None
    flags: frozenset[str]
    aliases: tuple[str, ...]
    owner: str

    # Filled in by statuskit.registry when the table is loaded; the names of
    # every known code are also set as class attributes (Status.NOT_FOUND).
    _known: ClassVar[dict[int, Status]] = {}

    def __new__(cls, value: Any) -> Status:
        from statuskit.registry.lookup import lookup

        return lookup(value)

    @classmethod
    def _make(
        cls,
        code: int,
        phrase: str,
        standing: Standing,
        spec: Spec | None,
        flags: frozenset[str] = frozenset(),
        aliases: tuple[str, ...] = (),
        reason: str = "",
        owner: str = "",
    ) -> Status:
        self = int.__new__(cls, code)
        self.__dict__.update(
            code=code,
            phrase=phrase,
            reason=reason or phrase,
            standing=standing,
            status_class=StatusClass(code // 100),
            spec=spec,
            flags=flags,
            aliases=aliases,
            owner=owner,
        )
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Status values are read-only (tried to set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Status values are read-only (tried to delete {name!r})")

    def __reduce__(self) -> tuple[Any, tuple[int]]:
        from statuskit.registry.lookup import lookup

        return (lookup, (self.code,))

    def __repr__(self) -> str:
        return f"<Status {self.code} {self.reason}>"

    # str() stays the bare number, as for http.HTTPStatus on 3.11+, so that
    # f-strings and logging format a Status exactly like the int it is.
    __str__ = int.__repr__

    # -- what kind of code this is ------------------------------------------------

    @property
    def is_known(self) -> bool:
        """True for codes in the registry (IANA or well-known unofficial)."""
        return self.standing is not Standing.UNASSIGNED

    @property
    def is_registered(self) -> bool:
        """True for codes in the IANA registry, including "(Unused)" ones."""
        return self.standing not in (Standing.UNOFFICIAL, Standing.UNASSIGNED)

    @property
    def understood_as(self) -> Status:
        """What a client that does not know this code must treat it as.

        RFC 9110 §15: a client must understand the class of any status code
        and treat an unrecognised one as the x00 code of that class. Unofficial
        codes are unrecognised by standard clients, so they too fall back, and
        so do the "(Unused)" ones (306, 418): registered, but with no meaning
        a client could act on.
        """
        if self.is_registered and self.standing is not Standing.UNUSED:
            return self
        return Status._known[self.status_class.first]

    @property
    def is_informational(self) -> bool:
        return self.status_class is StatusClass.INFORMATIONAL

    @property
    def is_success(self) -> bool:
        return self.status_class is StatusClass.SUCCESSFUL

    @property
    def is_redirection(self) -> bool:
        return self.status_class is StatusClass.REDIRECTION

    @property
    def is_client_error(self) -> bool:
        return self.status_class is StatusClass.CLIENT_ERROR

    @property
    def is_server_error(self) -> bool:
        return self.status_class is StatusClass.SERVER_ERROR

    @property
    def is_error(self) -> bool:
        return self.status_class >= StatusClass.CLIENT_ERROR

    @property
    def constant(self) -> str:
        """The name of this code's constant (`Status.NOT_FOUND`), "" if it has none.

        It comes from the first of reason, phrase and aliases that names no
        other code: 306's "(Unused)" is shared with 418, so 306 is SWITCH_PROXY.
        """
        return str(self.__dict__["_constant"])

    def describe(self, lang: str = "en") -> Description:
        """The texts for this code in `lang` ("en" or "zh-CN"; close tags are accepted)."""
        from statuskit.registry.texts import describe

        return describe(self, lang)


def constant_name(phrase: str) -> str:
    """`I'm a teapot` -> `IM_A_TEAPOT`, `Non-Authoritative Information` -> `NON_AUTHORITATIVE_INFORMATION`."""
    return normalize_name(phrase).upper().replace(" ", "_")


def normalize_name(text: str) -> str:
    """Fold a phrase, alias or constant name to the key the look-ups use.

    Case, apostrophes, parentheses, hyphens and underscores do not matter:
    "Request-URI Too Long", "REQUEST_URI_TOO_LONG" and "request uri too long"
    are the same name.
    """
    out = []
    word = False
    for ch in text.replace("'", "").replace("\u2019", "").lower():
        if ch.isalnum():
            out.append(ch)
            word = True
        elif word:
            out.append(" ")
            word = False
    return "".join(out).strip()
