"""The exceptions statuskit raises, in one tree.

    StatuskitError
    ├── InvalidStatusCode (also ValueError)   not a three-digit code in 100-599
    ├── UnknownStatusName (also LookupError)  a name that no code is known by
    └── UnsupportedLanguage (also ValueError) texts asked for in another language

Both carry the offending input so front ends can phrase one-line messages
without parsing the text.
"""

from __future__ import annotations


class StatuskitError(Exception):
    """Base of every error statuskit raises on purpose."""


class InvalidStatusCode(StatuskitError, ValueError):
    """Raised for input that cannot be a status code (RFC 9110 §15: 100-599)."""

    def __init__(self, value: object, reason: str) -> None:
        self.value = value
        self.reason = reason
        super().__init__(f"{value!r} is not a valid HTTP status code: {reason}")


class UnknownStatusName(StatuskitError, LookupError):
    """Raised when a phrase or name matches no code, or matches several."""

    def __init__(self, name: str, candidates: tuple[int, ...] = ()) -> None:
        self.name = name
        self.candidates = candidates
        if candidates:
            listed = ", ".join(str(code) for code in candidates)
            message = f"{name!r} names several status codes ({listed}); use the number"
        else:
            message = f"no status code is known by the name {name!r}"
        super().__init__(message)


class UnsupportedLanguage(StatuskitError, ValueError):
    """Raised when texts are asked for in a language statuskit does not have."""

    def __init__(self, tag: str, supported: tuple[str, ...]) -> None:
        self.tag = tag
        self.supported = supported
        super().__init__(f"language {tag!r} is not available; choose one of: {', '.join(supported)}")
