"""Running httplint over an exchange and turning its notes into findings.

httplint (the engine behind REDbot) makes the general message checks: field
syntax, Content-Length against the content, caching, many status-code
checks. statuskit feeds it every response of an exchange, with the request
when it is known, and maps each note to a `Finding`:

    rule      "httplint:" + the note's class name (httplint:LOCATION_BAD_URI)
    severity  BAD -> error, WARN -> warning, INFO -> info; GOOD notes are dropped,
              and the notes that only describe a code (DESCRIPTIVE) count as info
    section   the RFC section the note links to, when it links to one
    messages  the note's summary in English and in httplint's Chinese catalog

On 1xx responses only the notes about the status and the fields are kept:
httplint's caching analysis (httplint.cache) is about responses a cache stores.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from statuskit import semantics
from statuskit.lint.model import Exchange, Finding, Request, Response, Severity, section_url
from statuskit.registry.catalogue import ByLanguage

_LEVELS = {"bad": Severity.ERROR, "warning": Severity.WARNING, "info": Severity.INFO}
_SECTION_LINK = re.compile(r"https://www\.rfc-editor\.org/rfc/rfc(\d+)\.html#section-([0-9.]*[0-9])")
_ANY_LINK = re.compile(r"https://www\.rfc-editor\.org/rfc/rfc\d+\.html#[\w.-]+")
_HTTPWG_LINK = re.compile(r"https?://httpwg\.org/specs/rfc(\d+)(?:\.html)?#([\w.-]+)")


# Notes httplint's status checker adds to every response of a code to say what
# the code means ("The server won't accept a URI this long", at level BAD). They
# judge the request, or the resource, not whether the response uses its code
# correctly, so statuskit treats them as descriptions: shown with the
# informational notes only. Every other note of httplint.status finds a misuse
# and is kept; a test makes sure each note of httplint.status is one or the other.
DESCRIPTIVE = frozenset(
    {
        "STATUS_EARLY_HINTS",
        "STATUS_UPLOAD_RESUMPTION_SUPPORTED",
        "STATUS_ALREADY_REPORTED",
        "STATUS_BAD_REQUEST",
        "STATUS_FORBIDDEN",
        "STATUS_NOT_FOUND",
        "STATUS_METHOD_NOT_ALLOWED",
        "STATUS_NOT_ACCEPTABLE",
        "STATUS_CONFLICT",
        "STATUS_GONE",
        "STATUS_REQUEST_ENTITY_TOO_LARGE",
        "STATUS_URI_TOO_LONG",
        "STATUS_UNSUPPORTED_MEDIA_TYPE",
        "STATUS_PRECONDITION_FAILED",
        "STATUS_EXPECTATION_FAILED",
        "STATUS_417_WITH_100_CONTINUE",
        "STATUS_MISDIRECTED_REQUEST",
        "STATUS_TOO_EARLY",
        "STATUS_PRECONDITION_REQUIRED",
        "STATUS_TOO_MANY_REQUESTS",
        "STATUS_REQUEST_HEADER_FIELDS_TOO_LARGE",
        "STATUS_UNAVAILABLE_FOR_LEGAL_REASONS",
        "STATUS_INTERNAL_SERVICE_ERROR",
        "STATUS_NOT_IMPLEMENTED",
        "STATUS_BAD_GATEWAY",
        "STATUS_SERVICE_UNAVAILABLE",
        "STATUS_GATEWAY_TIMEOUT",
        "STATUS_VERSION_NOT_SUPPORTED",
        "STATUS_LOOP_DETECTED",
        "STATUS_NETWORK_AUTHENTICATION_REQUIRED",
    }
)


# Pairs of httplint notes that say the same thing: the first is dropped when the
# second, more specific one is there (a 304 without Date gets both).
REDUNDANT = {"DATE_CLOCKLESS": "NO_DATE_304"}


@dataclass(frozen=True, slots=True)
class Note:
    """One httplint note, already mapped; `name` is its class name, `level` httplint's level."""

    name: str
    level: str
    finding: Finding


def _encode(text: str) -> bytes:
    return text.encode("latin-1", "replace")


def _where(note: object, text: str) -> tuple[str, str]:
    """The section and link a note points to, found in its text or its reference variable."""
    vars_ = getattr(note, "vars", {}) or {}
    for candidate in (text, str(vars_.get("ref_uri", ""))):
        m = _SECTION_LINK.search(candidate)
        if m:
            section = f"RFC {m[1]} §{m[2]}"
            return section, section_url(section)
    for candidate in (str(vars_.get("ref_uri", "")), text):
        m = _ANY_LINK.search(candidate)
        if m:
            return "", m[0]
        m = _HTTPWG_LINK.search(candidate)
        if m:  # the same anchors live on rfc-editor.org
            return "", f"https://www.rfc-editor.org/rfc/rfc{m[1]}.html#{m[2]}"
    return "", ""


def _summary_zh(note: Any) -> str:
    """The note's summary in Chinese, its variables translated too.

    httplint translates words it puts into variables ("This message") when the
    note is made, in the locale of that moment; redo them in the active one.
    """
    from httplint.i18n import translate

    values = {k: translate(v) if type(v) is str else v for k, v in note.vars.items()}
    try:
        return str(type(note)(note.subject, **values).summary)
    except Exception:  # noqa: BLE001 - a note that cannot be remade keeps its own summary
        return str(note.summary)


def _request_linter(request: Request) -> object:
    from httplint import HttpRequestLinter

    linter = HttpRequestLinter()
    version = request.version if "." in request.version else f"{request.version}.0"
    linter.process_request_topline(_encode(request.method), request.target.encode("utf-8"), _encode(f"HTTP/{version}"))
    linter.process_headers([(_encode(n), _encode(v)) for n, v in request.fields])
    if request.body:
        linter.feed_content(request.body)
    linter.finish_content(True)
    return linter


def _notes_for(response: Response, request_linter: object | None, request: Request | None) -> list[Note]:
    from httplint import HttpResponseLinter
    from httplint.i18n import set_locale

    # Without the octets, httplint must not compare Content-Length with an empty body.
    linter = HttpResponseLinter(_related=request_linter, no_content=response.body is None)  # type: ignore[arg-type]
    linter.is_head_response = request is not None and request.method == "HEAD"
    if request is not None and "://" in request.target:
        linter.base_uri = request.target
    version = response.version if "." in response.version else f"{response.version}.0"
    linter.process_response_topline(
        _encode(f"HTTP/{version}"), b"%03d" % response.status, _encode(response.reason) or None
    )
    linter.process_headers([(_encode(n), _encode(v)) for n, v in response.fields])
    if response.body:
        linter.feed_content(response.body)
    linter.finish_content(True)

    interim = 100 <= response.status < 200
    notes: list[Note] = []
    seen: set[tuple[str, str, Any]] = set()
    asked = {rule.field.lower() for rule in semantics.field_rules(response.status)}
    for note in linter.notes:
        if interim and type(note).__module__ == "httplint.cache":  # a 1xx is never stored
            continue
        name = type(note).__name__
        if name == "REQUEST_HDR_IN_RESPONSE" and str(note.vars.get("field_name", "")).lower() in asked:
            # httplint holds Accept and Accept-Encoding to be request fields, but
            # RFC 9110 §15.5.16 has a 415 carry them ("the Accept-Encoding response
            # header field ... ought to be used", "the Accept response header
            # field ... can be used"): a field semantics asks of the status is valid.
            continue
        level = "info" if name in DESCRIPTIVE else note.level.value
        english = str(note.summary)
        with set_locale("zh"):
            chinese = _summary_zh(note)
        # httplint words its notes in its own languages; statuskit's catalogue only frames them.
        values: dict[str, Any] = {"note": ByLanguage({"en": english, "zh-CN": chinese})}
        problem = note.vars.get("problem")
        if isinstance(problem, str) and problem.strip():
            # Where httplint pinpoints a syntax error, say where.
            values["problem"] = problem.strip()
        if (name, english, values.get("problem")) in seen:
            continue
        seen.add((name, english, values.get("problem")))
        section, url = _where(note, getattr(note, "_text", ""))
        severity = _LEVELS.get(level)
        finding = Finding(
            f"httplint:{name}",
            severity or Severity.INFO,
            section,
            url,
            values,
            response.status,
            "httplint.problem" if "problem" in values else "httplint",
        )
        notes.append(Note(name, level, finding))
    names = {note.name for note in notes}
    return [note for note in notes if REDUNDANT.get(note.name) not in names]


def httplint_notes(exchange: Exchange) -> list[list[Note]]:
    """httplint's notes for each response of the exchange, in `exchange.responses` order.

    Never raises because of what it was given: if httplint itself fails on a
    response, that response gets one info finding saying so.
    """
    out: list[list[Note]] = []
    request = exchange.request
    try:
        request_linter = _request_linter(request) if request is not None else None
    except Exception:  # noqa: BLE001 - httplint's failure must not end the check
        request_linter = None
    for response in exchange.responses:
        try:
            out.append(_notes_for(response, request_linter, request))
        except Exception as exc:  # noqa: BLE001
            error = f"{type(exc).__name__}: {exc}"
            finding = Finding(
                "httplint:FAILED", Severity.INFO, "", "", {"error": error}, response.status, "httplint.failed"
            )
            out.append([Note("FAILED", "info", finding)])
    return out
