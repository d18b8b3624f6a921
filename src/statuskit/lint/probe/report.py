"""The probe reports as data: the JSON shape of `check --probe --json` and JUnit XML for CI.

JUnit: one <testsuite> per URL and one <testcase> per probe (classname the
group, name the probe id); a probe with findings at or above `fail_on` is a
<failure>, one below it passes with the findings in <system-out>, a probe
that did not apply is <skipped>. The request that revealed each finding is
in the text of the failure, so a CI page shows it without the log.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from xml.etree import ElementTree

from statuskit.lint.model import Response
from statuskit.lint.probe import UrlReport
from statuskit.lint.probe._base import Result, Sent

# The answer's fields that the probes judge, shown beside its status line.
SHOWN_FIELDS = (
    "Allow",
    "Content-Encoding",
    "Content-Length",
    "Content-Range",
    "ETag",
    "Location",
    "Vary",
    "WWW-Authenticate",
)


def response_line(response: Response | None, error: str = "", *, fields: bool = False) -> str:
    """`304 Not Modified`, with `fields` the judged ones after it (`[ETag: "x"; Vary: Accept]`)."""
    if response is None:
        return f"(no answer: {error})"
    line = f"{response.status} {response.reason}".strip()
    shown = [f"{name}: {response.fields.get(name)}" for name in SHOWN_FIELDS if fields and name in response.fields]
    return f"{line}  [{'; '.join(shown)}]" if shown else line


def request_line(sent: Sent) -> str:
    shown = "; ".join(f"{n}: {v}" for n, v in sent.fields)
    line = f"{sent.method} {sent.target}"
    if shown:
        line += f"  [{shown}]"
    if sent.note:
        line += f"  ({sent.note})"
    return line


def _sent(sent: Sent) -> dict[str, Any]:
    response = sent.response
    return {
        "request": {
            "method": sent.method,
            "target": sent.target,
            "fields": [list(p) for p in sent.fields],
            "note": sent.note or None,
        },
        "response": None
        if response is None
        else {"status": response.status, "reason": response.reason, "fields": [list(p) for p in response.fields]},
        "error": sent.error or None,
    }


def _result(result: Result, lang: str) -> dict[str, Any]:
    probe = result.probe
    return {
        "probe": probe.id,
        "group": probe.group,
        "title": probe.title(lang),
        "section": probe.section,
        "expect": probe.expected(lang),
        "unsafe": probe.unsafe,
        "outcome": result.outcome,
        "skipped": result.skip_reason(lang) or None,
        "exchanges": [_sent(s) for s in result.sent],
        "findings": [f.as_dict(lang) for f in result.findings],
    }


def as_json(reports: Sequence[UrlReport], lang: str) -> list[dict[str, Any]]:
    """The `urls` list of the JSON output (docs/lint.md, "Probing a server")."""
    return [
        {
            "url": r.url,
            "error": r.error or None,
            "baseline": None if r.baseline is None or r.baseline.response is None else _sent(r.baseline)["response"],
            "requests": r.requests,
            "probes": [_result(result, lang) for result in r.results],
        }
        for r in reports
    ]


def junit(reports: Sequence[UrlReport], lang: str, fail_on: str) -> bytes:
    """JUnit XML for the reports: a failure is a probe with a finding at or above `fail_on`."""
    suites = ElementTree.Element("testsuites", name="statuskit check --probe")
    for report in reports:
        suite = ElementTree.SubElement(suites, "testsuite", name=report.url)
        counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        if report.error:
            counts["tests"] = counts["errors"] = 1
            case = ElementTree.SubElement(suite, "testcase", classname="baseline", name="GET")
            ElementTree.SubElement(case, "error", message=_printable(report.error))
        for result in report.results:
            counts["tests"] += 1
            case = ElementTree.SubElement(suite, "testcase", classname=result.probe.group, name=result.probe.id)
            if result.skipped:
                counts["skipped"] += 1
                ElementTree.SubElement(case, "skipped", message=_printable(result.skip_reason(lang)))
                continue
            text = _text(result, lang)
            failing = [f for f in result.findings if f.severity.at_least(fail_on)]
            if failing:
                counts["failures"] += 1
                worst = failing[0]
                failure = ElementTree.SubElement(
                    case,
                    "failure",
                    message=_printable(f"{worst.rule}: {worst.message(lang)}"),
                    type=str(worst.severity),
                )
                failure.text = text
            else:
                ElementTree.SubElement(case, "system-out").text = text
        for key, value in counts.items():
            suite.set(key, str(value))
    ElementTree.indent(suites)
    body: bytes = ElementTree.tostring(suites, encoding="utf-8", xml_declaration=True)
    return body + b"\n"


def _text(result: Result, lang: str) -> str:
    lines = []
    for sent in result.sent:
        lines.append(f"> {request_line(sent)}")
        lines.append(f"< {response_line(sent.response, sent.error, fields=True)}")
    for finding in result.findings:
        lines.append(f"{finding.severity} {finding.rule}: {finding.message(lang)} ({finding.section})")
    return "\n".join(_printable(line) for line in lines)


def _printable(text: str) -> str:
    """XML 1.0 has no place for most control characters; show them escaped."""
    return "".join(ch if ch in "\t\n" or (ch.isprintable() and ch != "\x7f") else f"\\x{ord(ch):02x}" for ch in text)
