"""What a probe is, what it sends and what it reports.

A probe is one question put to a server: a request derived from the answer
to a plain GET (the baseline), the codes RFC 9110 allows in answer, and the
findings when the answer is something else. The codes come from
`statuskit.semantics` where it states them; a probe that needs a fact it does
not state yet keeps it beside the probe with a TODO naming it.

Findings reuse the linter's `Finding`, so the CLI, the JSON and the JUnit
output treat both alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from statuskit.lint.model import Fields, Finding, Response, Severity, reading_language, section_url
from statuskit.registry import get
from statuskit.registry.catalogue import Text, text


def reason(code: int) -> str:
    """`304 Not Modified`, for messages (the bare number for a code nothing is registered to)."""
    status = get(code) if 100 <= code <= 599 else None
    return f"{code} {status.reason}" if status is not None else str(code)


class Skip(Exception):
    """The probe does not apply to this URL (no ETag to revalidate, not a redirect, no --unsafe ...).

    `why` is the id `skip.<why>` of the `lint` catalogue, worded in the reader's language.
    """

    def __init__(self, why: str, **values: Any) -> None:
        self.reason = Text("lint", f"skip.{why}", values)
        super().__init__(self.reason.render())


@dataclass(frozen=True, slots=True)
class Check:
    """One kind of finding a probe can make; its message is the text `rule` of the `lint` catalogue.

    The message is filled with the values the probe passes, and with `status`
    (the code received and its phrase, or "no answer").
    """

    rule: str
    severity: Severity
    section: str

    def finding(self, code: int = 0, *, section: str = "", **values: Any) -> Finding:
        """The finding about an answer with status `code` (0: none came); `{status}` defaults to "404 Not Found"."""
        cited = section or self.section
        values.setdefault("status", reason(code) if code else "no answer")
        return Finding(self.rule, self.severity, cited, section_url(cited), values, code)


@dataclass(frozen=True, slots=True)
class Sent:
    """A request a probe sent and what came back.

    `fields` are the header fields the probe chose (the ones that matter to
    the question), not the Host, User-Agent and the like every request
    carries; `note` describes a raw request too large or too broken to show.
    `response` is None when nothing came back; `error` then says why.
    """

    method: str
    target: str
    fields: Fields
    response: Response | None
    error: str = ""
    note: str = ""

    @property
    def status(self) -> int:
        return self.response.status if self.response is not None else 0


@dataclass
class Baseline:
    """The URL's answer to a plain GET, and what the probes learned on the way (an Allow field ...)."""

    response: Response
    allow: list[str] | None = None  # the methods an Allow field named, once one was seen

    @property
    def status(self) -> int:
        return self.response.status

    @property
    def fields(self) -> Fields:
        return self.response.fields

    @property
    def ok(self) -> bool:
        return 200 <= self.response.status < 300

    def length(self) -> int | None:
        """The baseline content's length: its Content-Length, else the octets received."""
        declared = self.fields.content_length()
        if declared is not None:
            return declared
        return self.response.content_length


@dataclass
class Result:
    """One probe's outcome for one URL."""

    probe: Probe
    sent: list[Sent] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    skipped: Text | None = None  # why the probe did not apply (None when it ran)

    def skip_reason(self, lang: str = "en") -> str:
        return self.skipped.render(reading_language(lang)) if self.skipped is not None else ""

    @property
    def outcome(self) -> str:
        """ "skip", "fail" (some finding) or "pass"."""
        if self.skipped is not None:
            return "skip"
        return "fail" if self.findings else "pass"


@dataclass(frozen=True, slots=True)
class Probe:
    """A probe as `--probe --list` shows it and as the runner calls it.

    Its words are the `lint` catalogue's `<id>.title` and `<id>.expect` (the
    codes a right answer has, for people: the checks compute them), filled with
    `values`; `unsafe` probes send a method that is not safe (RFC 9110 §9.2.1)
    and run only with --unsafe. `run(session, baseline)` sends its requests
    through the session and returns its findings, or raises Skip.
    """

    id: str
    group: str
    section: str
    run: Callable[[Any, Baseline], Iterable[Finding]]
    unsafe: bool = False
    values: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def title(self, lang: str = "en") -> str:
        return text("lint", f"{self.id}.title", reading_language(lang), **self.values)

    def expected(self, lang: str = "en") -> str:
        return text("lint", f"{self.id}.expect", reading_language(lang), **self.values)


# Rules about caching an error or about the code's standing (obsolete, unofficial ...), not about
# the question a probe asks.
NOT_ASKED = (
    "cacheable-error-without-freshness",
    "obsolete-code",
    "provisional-code",
    "unofficial-code",
    "unassigned-code",
)


def lint_answer(sent: Sent, earlier_ok: Fields | None = None) -> list[Finding]:
    """statuskit's rules on an answer (httplint left out: the probe asks about status codes, not style).

    Run on answers whose status was one the probe expects, to check their
    form: a 304 repeating the 200's ETag, a 405 with Allow, no content after
    a 304 or a HEAD. A wrong status is the probe's own finding, said once.
    """
    from statuskit.lint._engine import lint_exchange
    from statuskit.lint.model import Exchange, Request

    if sent.response is None:
        return []
    request = Request(method=sent.method, target=sent.target, fields=sent.fields)
    exchange = Exchange(request=request, response=sent.response, earlier_ok=earlier_ok)
    return lint_exchange(exchange, httplint=False, ignore=NOT_ASKED)


NO_ANSWER = Check("probe-no-answer", Severity.WARNING, "RFC 9110 §15")


def judge(
    sent: Sent, allowed: Iterable[int], wrong: Check, earlier_ok: Fields | None = None, **values: Any
) -> list[Finding]:
    """The findings for one answer: none-came, a status outside `allowed` (`wrong`), or its form."""
    if sent.response is None:
        return [NO_ANSWER.finding(method=sent.method, target=sent.target, error=sent.error)]
    if sent.status not in set(allowed):
        return [wrong.finding(sent.status, method=sent.method, target=sent.target, **values)]
    return lint_answer(sent, earlier_ok)
