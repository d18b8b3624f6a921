"""The linter's values: what goes in (an exchange) and what comes out (findings).

Everything here is immutable and checked when it is made, as h11's events are:
a `Finding` is data that can be compared, sorted, hashed and turned into JSON,
never an exception. Inputs are normalised once (field names and values to
`str`, the status to `int`) so that rules never have to guess what they hold.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Union

from statuskit.registry import Spec, resolve_language
from statuskit.registry.catalogue import text


class Severity(enum.StrEnum):
    """How bad a finding is: error for a MUST, warning for a SHOULD, info otherwise."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """3 for error, 2 for warning, 1 for info: larger is worse."""
        return _RANK[self]

    def at_least(self, threshold: Severity | str) -> bool:
        return self.rank >= Severity(threshold).rank


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1}


def section_url(section: str) -> str:
    """`RFC 9110 §15.5.2` -> its rfc-editor.org link ("" for anything else)."""
    document, sep, number = section.partition(" §")
    if not document.startswith("RFC "):
        return ""
    return Spec(document, number if sep else "").url


def reading_language(lang: str) -> str:
    """The language a reader who asked for `lang` gets: any `zh` tag Simplified Chinese, a tag with no words English."""
    return resolve_language(lang, None) or ("zh-CN" if lang.lower().startswith("zh") else "en")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing wrong (or worth knowing) about how a response uses its status code.

    `rule` is a stable id (`required-field-missing`, or `httplint:<NOTE>` for
    a note of httplint's); `section` cites the RFC section it follows and
    `url` links to it. `status` is the code of the response the finding is
    about, which matters when interim responses were checked too.

    A finding holds no sentence: `values` fill the text `text` (the rule id
    unless a rule has several texts) of the `lint` catalogue, in the reader's
    language, when `message(lang)` is asked for (`statuskit.registry.catalogue`).
    """

    rule: str
    severity: Severity
    section: str
    url: str
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)
    status: int = 0
    text: str = ""

    def __post_init__(self) -> None:
        if not isinstance(self.rule, str) or not self.rule:
            raise TypeError(f"Finding.rule must be a non-empty str, not {self.rule!r}")
        object.__setattr__(self, "severity", Severity(self.severity))
        object.__setattr__(self, "values", dict(self.values))
        if not self.text:
            object.__setattr__(self, "text", self.rule)

    def message(self, lang: str = "en") -> str:
        """The message in `lang`: any `zh` tag reads Simplified Chinese, a tag statuskit has no words for English."""
        return text("lint", self.text, reading_language(lang), **self.values)

    @property
    def message_en(self) -> str:
        return self.message("en")

    @property
    def message_zh(self) -> str:
        return self.message("zh-CN")

    def as_dict(self, lang: str = "en") -> dict[str, Any]:
        """The JSON shape of a finding (see docs/lint.md, "JSON output")."""
        english, chinese = self.message("en"), self.message("zh-CN")
        chosen = reading_language(lang)
        return {
            "rule": self.rule,
            "severity": str(self.severity),
            "status": self.status,
            "section": self.section,
            "url": self.url,
            "message": english if chosen == "en" else chinese if chosen == "zh-CN" else self.message(chosen),
            "message_en": english,
            "message_zh": chinese,
        }


FieldsInput = Union["Fields", Mapping[Any, Any], Iterable[Any], None]


def _text(value: Any, what: str) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        # Field values are octets; latin-1 keeps every one of them (RFC 9110 §5.5).
        return bytes(value).decode("latin-1")
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


class Fields:
    """An ordered, case-insensitive, read-only list of header fields.

    Repeated field lines are kept in order; `get` joins them with ", " as a
    recipient may (RFC 9110 §5.3), `get_all` keeps them apart, and `tokens`
    splits a list-based field into lower-cased members.
    """

    __slots__ = ("_pairs",)
    _pairs: tuple[tuple[str, str], ...]

    def __init__(self, fields: FieldsInput = None) -> None:
        pairs: tuple[tuple[str, str], ...]
        if fields is None:
            pairs = ()
        elif isinstance(fields, Fields):
            pairs = fields._pairs
        else:
            source: Iterable[Any]
            multi = getattr(fields, "multi_items", None)  # httpx.Headers, starlette
            if callable(multi):
                source = multi()
            elif isinstance(fields, Mapping):
                source = fields.items()
            else:
                source = fields
            out = []
            for item in source:
                try:
                    name, value = item
                except (TypeError, ValueError):
                    raise TypeError(f"a header field must be a (name, value) pair, not {item!r}") from None
                out.append((_text(name, "field name").strip(), _text(value, "field value").strip()))
            pairs = tuple(out)
        object.__setattr__(self, "_pairs", pairs)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Fields are read-only")

    def __iter__(self) -> Iterator[tuple[str, str]]:
        return iter(self._pairs)

    def __len__(self) -> int:
        return len(self._pairs)

    def __bool__(self) -> bool:
        return bool(self._pairs)

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        lower = name.lower()
        return any(n.lower() == lower for n, _ in self._pairs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Fields) and self._pairs == other._pairs

    def __hash__(self) -> int:
        return hash(self._pairs)

    def __repr__(self) -> str:
        return f"Fields({list(self._pairs)!r})"

    @property
    def pairs(self) -> tuple[tuple[str, str], ...]:
        return self._pairs

    def names(self) -> list[str]:
        return [n for n, _ in self._pairs]

    def get_all(self, name: str) -> list[str]:
        lower = name.lower()
        return [v for n, v in self._pairs if n.lower() == lower]

    def get(self, name: str, default: str | None = None) -> str | None:
        values = self.get_all(name)
        return ", ".join(values) if values else default

    def tokens(self, name: str) -> list[str]:
        """Members of a comma-separated list field, lower-cased, empty ones dropped (RFC 9110 §5.6.1)."""
        return [t.strip().lower() for v in self.get_all(name) for t in v.split(",") if t.strip()]

    def media_type(self) -> str:
        """The Content-Type's type/subtype, lower-cased ("" when absent)."""
        value = self.get("Content-Type") or ""
        return value.split(";", 1)[0].strip().lower()

    def content_length(self) -> int | None:
        """The Content-Length as a number, or None when absent or not one number."""
        values = {v.strip() for v in self.get_all("Content-Length")}
        if len(values) != 1:
            return None
        value = values.pop()
        return int(value) if value.isascii() and value.isdigit() else None


def _version(value: Any) -> str:
    text = _text(value, "version").strip() if value is not None else ""
    if not text:
        return "1.1"
    upper = text.upper()
    if upper.startswith("HTTP/"):
        text = text[5:]
    if upper in ("H2", "HTTP/2.0"):
        return "2"
    if upper in ("H3", "HTTP/3.0"):
        return "3"
    return text


@dataclass(frozen=True, slots=True, kw_only=True)
class Request:
    """The request a response answers, as far as it is known.

    `target` is the URL or request-target; `body` the content as sent, when
    known, and `body_length` its size when only the size is known.
    """

    method: str = "GET"
    target: str = "/"
    fields: Fields = field(default_factory=Fields)
    body: bytes | None = None
    body_length: int | None = None
    version: str = "1.1"

    def __post_init__(self) -> None:
        method = _text(self.method, "method").strip().upper()
        if not method:
            raise ValueError("Request.method must not be empty")
        object.__setattr__(self, "method", method)
        object.__setattr__(self, "target", _text(self.target, "target"))
        object.__setattr__(self, "fields", Fields(self.fields))
        object.__setattr__(self, "version", _version(self.version))
        _set_octets(self, "Request", "body", "body_length")


def _set_octets(message: Any, kind: str, body: str, length: str) -> None:
    """Normalise a message's content to bytes and its length to their number (or a checked int)."""
    value = getattr(message, body)
    if value is not None:
        if isinstance(value, str):
            value = value.encode("utf-8")
        elif not isinstance(value, (bytes, bytearray)):
            raise TypeError(f"{kind}.{body} must be bytes or str, not {type(value).__name__}")
        object.__setattr__(message, body, bytes(value))
        object.__setattr__(message, length, len(value))
        return
    size = getattr(message, length)
    if size is not None and (isinstance(size, bool) or not isinstance(size, int) or size < 0):
        raise ValueError(f"{kind}.{length} must be a non-negative int, not {size!r}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Response:
    """One response as received: final, or interim (1xx).

    `body` holds the content octets as they arrived (still content-coded),
    when known; `content_length` is their number, and may be known without
    the octets (a HAR file records sizes). `status` may be any integer, so
    that a code outside 100-599 can be reported rather than refused.
    """

    status: int
    reason: str = ""
    fields: Fields = field(default_factory=Fields)
    body: bytes | None = None
    content_length: int | None = None
    version: str = "1.1"

    def __post_init__(self) -> None:
        status = self.status
        if isinstance(status, bool) or not isinstance(status, int):
            try:
                status = int(_text(status, "status").strip())
            except (TypeError, ValueError):
                raise ValueError(f"Response.status must be a number, not {self.status!r}") from None
        if not 0 <= status <= 999:
            raise ValueError(f"Response.status must be 0-999 (three digits on the wire), not {status}")
        object.__setattr__(self, "status", int(status))
        object.__setattr__(self, "reason", _text(self.reason or "", "reason"))
        object.__setattr__(self, "fields", Fields(self.fields))
        object.__setattr__(self, "version", _version(self.version))
        _set_octets(self, "Response", "body", "content_length")


@dataclass(frozen=True, slots=True, kw_only=True)
class Exchange:
    """A request, the interim responses seen before the final one, and the final response.

    `request` is None when nothing is known about it (a response read from
    standard input); rules that need it then stay silent. `earlier_ok` holds
    the header fields of a 200 to the same request when one is known (a HAR
    file often has one), which tells what a 304 or 206 must repeat
    (RFC 9110 §15.4.5, §15.3.7). `source` names where the exchange came from.
    """

    request: Request | None
    response: Response
    interim: tuple[Response, ...] = ()
    earlier_ok: Fields | None = None
    source: str = ""

    def __post_init__(self) -> None:
        if self.request is not None and not isinstance(self.request, Request):
            raise TypeError(f"Exchange.request must be a Request or None, not {type(self.request).__name__}")
        if not isinstance(self.response, Response):
            raise TypeError(f"Exchange.response must be a Response, not {type(self.response).__name__}")
        interim = tuple(self.interim)
        for item in interim:
            if not isinstance(item, Response):
                raise TypeError(f"Exchange.interim must hold Responses, not {type(item).__name__}")
        object.__setattr__(self, "interim", interim)
        if self.earlier_ok is not None:
            object.__setattr__(self, "earlier_ok", Fields(self.earlier_ok))

    @property
    def responses(self) -> tuple[Response, ...]:
        """Every response in the order it arrived: interim ones, then the final one."""
        return (*self.interim, self.response)
