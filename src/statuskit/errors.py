"""The exceptions statuskit raises, in one tree (each defined where it is raised).

    StatuskitError
    ├── InvalidStatusCode (also ValueError)      not a three-digit code in 100-599
    ├── UnknownStatusName (also LookupError)     a name that no code is known by
    ├── UnsupportedLanguage (also ValueError)    texts asked for in another language
    ├── Refusal                                  a request answered with an error status instead
    │   ├── responder.errors.RequestError (also ValueError)   the URL API or a header asks for the impossible
    │   ├── responder.resources.base.Refused                   a resource turns the request down
    │   ├── server.errors.ProtocolError                        the engine cannot read or frame the request
    │   └── server.websocket.Rejected                          an invalid WebSocket opening handshake
    ├── server.errors.ServerError                the server cannot start
    ├── lint.wire.WireError (also ValueError)    bytes that are no HTTP response
    ├── lint.har.HarError (also ValueError)      a file that is no HAR log
    ├── lint.fetch.FetchError (also OSError)     a URL that could not be fetched
    ├── lint.probe.ProbeError (also ValueError)  a probe selection that names no probe
    └── cli.UsageError                           a command line that makes no sense

Outside the tree, on purpose: `lint.pytest.StatusFindings` is an
AssertionError, so that pytest reports it as a failed test; `lint.probe._base.Skip`
and the engine's `_Stop` are control flow that never leaves their module.

Each carries the offending input or the status to answer with, so front
ends phrase one-line messages without parsing the text.
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


class Refusal(StatuskitError):
    """A request that gets an error status instead of its normal answer.

    The status travels with the error, as with h11's `error_status_hint`, so
    whoever turns it into a response never guesses; `detail` is the one line
    that explains it to the client. Keyword arguments only: status and detail
    once came in both orders.
    """

    def __init__(self, *, status: int, detail: str) -> None:
        self.status = status
        self.detail = detail
        super().__init__(detail)
