"""`statuskit check --probe`: the probes of `statuskit.lint.probe`, for people, for scripts and for CI.

`statuskit.cli.check` parses the options and hands them here; the exit status
follows `check`'s: 0 no finding at or above --fail-on, 1 some, 2 bad usage or
a URL whose baseline GET got no answer.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from statuskit.cli import EXIT_OK, EXIT_USAGE, UsageError, said
from statuskit.cli.check import _COLOUR, _SYMBOL, EXIT_FINDINGS, _plural, _safe
from statuskit.cli.output import Style, terminal_width, use_colour, wrap, write_json
from statuskit.registry.catalogue import labels

if TYPE_CHECKING:
    from statuskit.lint.probe import Probe, UrlReport


def run_probe(args: argparse.Namespace, lang: str) -> int:
    """Probe every URL in `args.targets` (or list the probes); print the report; return the exit status."""
    from statuskit.lint.probe import ProbeError, probe_url, select

    try:
        chosen = select(args.probe)
    except ProbeError as exc:
        raise UsageError(str(exc)) from None
    if args.list:
        return _list(chosen, lang, args.json)
    if not args.targets or args.targets == ["-"] or args.har:
        raise UsageError(said("error.probe_needs_urls"))
    if args.request or args.header or args.data is not None:
        raise UsageError(said("error.probe_request"))
    if args.delay < 0:
        raise UsageError(said("error.delay"))
    if args.timeout <= 0:
        raise UsageError(said("error.timeout"))
    if args.cacert and args.insecure:
        raise UsageError(said("error.cacert_and_insecure"))
    for url in args.targets:
        if not url.lower().startswith(("http://", "https://")):
            raise UsageError(said("error.probe_scheme", url=url))
    from statuskit.lint.fetch import tls_context

    context = tls_context(args.cacert, args.insecure)
    options = {
        "unsafe": args.unsafe,
        "delay": args.delay,
        "timeout": args.timeout,
        "client": args.client,
        "context": context,
    }
    reports = []
    for index, url in enumerate(args.targets):
        if index and args.delay > 0:
            time.sleep(args.delay)  # the pause holds between URLs too: they may share a server
        reports.append(probe_url(url, args.probe, **options))
    for report in reports:
        if report.error:
            sys.stderr.write(f"statuskit: {report.error}\n")
    findings = [f for r in reports for result in r.results for f in result.findings]
    failing = any(f.severity.at_least(args.fail_on) for f in findings if not _ignored(f.rule, args.ignore))
    code = EXIT_USAGE if any(r.error for r in reports) else EXIT_FINDINGS if failing else EXIT_OK
    if args.ignore:
        for report in reports:
            for result in report.results:
                result.findings = [f for f in result.findings if not _ignored(f.rule, args.ignore)]
    counts = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        for result in report.results:
            for finding in result.findings:
                counts[str(finding.severity)] += 1
    if args.junit:
        from statuskit.lint.probe.report import junit

        try:
            with open(args.junit, "wb") as handle:
                handle.write(junit(reports, lang, args.fail_on))
        except OSError as exc:
            raise UsageError(said("error.junit_file", path=args.junit, why=exc.strerror or exc)) from None
    if args.json:
        from statuskit import __version__
        from statuskit.lint.probe.report import as_json

        write_json(
            {
                "statuskit": __version__,
                "lang": lang,
                "fail_on": args.fail_on,
                "urls": as_json(reports, lang),
                "counts": counts,
                "exit": code,
            }
        )
    else:
        _print(reports, lang, args.color, counts)
    return code


def _ignored(rule: str, patterns: Sequence[str]) -> bool:
    return any(fnmatchcase(rule, p) for p in patterns)


def _list(probes: Sequence[Probe], lang: str, as_json: bool) -> int:
    if as_json:
        write_json(
            {
                "probes": [
                    {
                        "probe": p.id,
                        "group": p.group,
                        "title": p.title(lang),
                        "section": p.section,
                        "expect": p.expected(lang),
                        "unsafe": p.unsafe,
                    }
                    for p in probes
                ]
            }
        )
        return EXIT_OK
    out = sys.stdout
    width = max(len(p.id) for p in probes)
    group = ""
    for probe in probes:
        if probe.group != group:
            group = probe.group
            out.write(f"{group}\n")
        flag = f"  ({labels('cli', 'probe', lang)['unsafe']})" if probe.unsafe else ""
        out.write(f"  {probe.id:<{width}}  {probe.title(lang)}{flag}\n")
        out.write(f"  {'':<{width}}  -> {probe.expected(lang)}  [{probe.section}]\n")
    return EXIT_OK


def _print(reports: Sequence[UrlReport], lang: str, colour: str, counts: dict[str, int]) -> None:
    from statuskit.lint.probe.report import request_line, response_line

    out = sys.stdout
    style = Style(use_colour(colour, out))
    width = terminal_width(out)
    said = labels("cli", "probe", lang)
    requests = 0
    for number, report in enumerate(reports):
        requests += report.requests
        if number:
            out.write("\n")
        if report.error:
            out.write(f"{style(_safe(report.url), 'bold')} {style(said['no_answer'], 'red')}: {_safe(report.error)}\n")
            continue
        assert report.baseline is not None
        out.write(
            f"{style(_safe(report.url), 'bold')} -> {_safe(response_line(report.baseline.response))} "
            f"({said['baseline']})\n"
        )
        for result in report.results:
            outcome = result.outcome
            if outcome == "skip":
                out.write(
                    f"  {style('-', 'dim')} {result.probe.id}: {style(said['skip'], 'dim')} "
                    f"({_safe(result.skip_reason(lang))})\n"
                )
                continue
            if outcome == "pass":
                out.write(f"  {style('✓', 'green')} {result.probe.id}: {style(said['pass'], 'green')}\n")
                continue
            worst = min((str(f.severity) for f in result.findings), key=["error", "warning", "info"].index)
            out.write(f"  {style(_SYMBOL[worst], 'bold', _COLOUR[worst])} {style(result.probe.id, 'bold')}\n")
            for sent in result.sent:
                out.write(f"      > {_safe(request_line(sent))}\n")
                out.write(f"      < {_safe(response_line(sent.response, sent.error, fields=True))}\n")
            for finding in result.findings:
                severity = str(finding.severity)
                lines = wrap(f"{finding.rule}: {_safe(finding.message(lang))}", width, indent="        ")
                out.write(f"    {style(_SYMBOL[severity], 'bold', _COLOUR[severity])} {lines[0].lstrip()}\n")
                for line in lines[1:]:
                    out.write(line + "\n")
                cite = " ".join(part for part in (finding.section, style(finding.url, "dim")) if part)
                if cite:
                    out.write(f"        {cite}\n")
    urls = _plural(said["url"], len(reports))
    shown = labels("cli", "check", lang)
    parts = shown["sep"].join(
        _plural(shown[f"count_{severity}"], counts[severity]) for severity in ("error", "warning", "info")
    )
    summary = said["summary"].format(urls=urls, requests=_plural(said["requests"], requests), counts=parts)
    out.write(f"\n{summary}\n")
