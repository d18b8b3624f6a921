"""`statuskit check`: does a response use its status code correctly?

    statuskit check URL [URL ...] [-X METHOD] [-H 'Name: value' ...] [-d DATA] [--cacert FILE | -k]
    statuskit check --har FILE
    curl -si URL | statuskit check - [-X METHOD] [-H ...]

Exit status: 0 no finding at or above --fail-on; 1 some; 2 bad usage, input
that cannot be read, or a URL that cannot be fetched (one line on stderr each).
The JSON shape of --json is documented in docs/lint.md.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from statuskit.cli import EXIT_OK, EXIT_USAGE, UsageError, fail, said
from statuskit.cli.options import choose_language, command_parser
from statuskit.cli.output import Style, terminal_width, use_colour, wrap, write_json
from statuskit.errors import StatuskitError
from statuskit.registry import catalogue

EXIT_FINDINGS = 1

_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
_SEVERITIES = ("error", "warning", "info")
_SYMBOL = {"error": "x", "warning": "!", "info": "i"}
_COLOUR = {"error": "red", "warning": "yellow", "info": "cyan"}


@dataclass
class Report:
    """One checked exchange (or one that could not be fetched) as the output shows it."""

    source: str
    method: str | None
    target: str | None
    statuses: list[tuple[int, str]] = field(default_factory=list)  # interim ones, then the final one
    findings: list[Any] = field(default_factory=list)
    error: str = ""


def _safe(text: str) -> str:
    """Wire-supplied text with control characters shown, never interpreted by the terminal."""
    return "".join(
        ch if ch.isprintable() else f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}" for ch in text
    )


def _header(value: str) -> tuple[str, str]:
    name, colon, rest = value.partition(":")
    if not colon or not _TOKEN.fullmatch(name):
        raise UsageError(said("error.bad_header", value=value))
    return name, rest.strip()


def _data(value: str | None) -> bytes | None:
    if value is None:
        return None
    if value.startswith("@"):
        path = value[1:]
        if path == "-":
            raise UsageError(said("error.data_stdin"))
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as exc:
            raise UsageError(said("error.data_file", path=path, why=exc.strerror or exc)) from None
    return value.encode("utf-8")


def _plural(template: str, n: int) -> str:
    one, _, many = template.partition("|")
    return (one if n == 1 else many).format(n=n)


def _counts(reports: Sequence[Report]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for report in reports:
        for finding in report.findings:
            counts[str(finding.severity)] += 1
    return counts


def _exchange_report(exchange: Any, findings: list[Any]) -> Report:
    request = exchange.request
    return Report(
        source=exchange.source,
        method=request.method if request is not None else None,
        target=request.target if request is not None else None,
        statuses=[(r.status, r.reason) for r in exchange.responses],
        findings=findings,
    )


def _print(reports: Sequence[Report], lang: str, colour: str, skipped: int) -> None:
    from statuskit.registry import get

    out = sys.stdout
    style = Style(use_colour(colour, out))
    width = terminal_width(out)
    labels = catalogue.labels("cli", "check", lang)
    for number, report in enumerate(reports):
        if number:
            out.write("\n")
        # A request described with -X/-H for stdin has no URL: name the source instead.
        target = report.target if report.target not in (None, "-") else report.source
        where = f"{report.method} {_safe(target or '')}" if report.method else _safe(report.source) or "-"
        if report.method is None:
            where = f"{where} {labels['unknown_request']}".strip()
        if report.error:
            out.write(f"{style(where, 'bold')} {style(labels['fetch_failed'], 'red')}: {_safe(report.error)}\n")
            continue
        shown = []
        for code, reason in report.statuses:
            status = get(code)
            phrase = _safe(reason) if reason else (status.reason if status is not None else "")
            shown.append(f"{code} {phrase}".strip())
        out.write(f"{style(where, 'bold')} -> {', '.join(shown)}\n")
        if not report.findings:
            out.write(f"  {style(labels['clean'], 'green')}\n")
            continue
        final = report.statuses[-1][0] if report.statuses else 0
        for severity in ("error", "warning", "info"):
            group = [f for f in report.findings if str(f.severity) == severity]
            if not group:
                continue
            out.write(f"  {style(labels[severity], 'bold', _COLOUR[severity])} ({len(group)})\n")
            for finding in group:
                about = f"[{finding.status}] " if len(report.statuses) > 1 and finding.status != final else ""
                text = f"{finding.rule}: {about}{_safe(finding.message(lang))}"
                lines = wrap(text, width, indent="      ")
                symbol = style(_SYMBOL[severity], "bold", _COLOUR[severity])
                out.write(f"    {symbol} {lines[0].lstrip()}\n")
                for line in lines[1:]:
                    out.write(line + "\n")
                if finding.section or finding.url:
                    cite = " ".join(part for part in (finding.section, style(finding.url, "dim")) if part)
                    out.write(f"      {cite}\n")
    counts = _counts(reports)
    checked = sum(1 for r in reports if not r.error)
    parts = [_plural(labels[f"count_{s}"], counts[s]) for s in ("error", "warning", "info")]
    summary = labels["summary"].format(
        responses=_plural(labels["responses"], checked), counts=labels["sep"].join(parts)
    )
    out.write(f"\n{summary}\n")
    if skipped:
        out.write(_plural(labels["skipped"], skipped) + "\n")


def _json(
    reports: Sequence[Report], lang: str, fail_on: str, skipped: int, code: int, error: str | None = None
) -> None:
    from statuskit import __version__

    write_json(
        {
            "statuskit": __version__,
            "lang": lang,
            "fail_on": fail_on,
            "error": error,
            "exchanges": [
                {
                    "source": r.source,
                    "request": None if r.method is None else {"method": r.method, "target": r.target},
                    "status": r.statuses[-1][0] if r.statuses else None,
                    "reason": r.statuses[-1][1] if r.statuses else None,
                    "interim": [s for s, _ in r.statuses[:-1]],
                    "error": r.error or None,
                    "findings": [f.as_dict(lang) for f in r.findings],
                }
                for r in reports
            ],
            "skipped": skipped,
            "counts": _counts(reports),
            "exit": code,
        }
    )


def run_check(argv: list[str]) -> int:
    """Check URLs, a HAR file or a raw response on stdin; print the findings; return the exit status."""
    try:
        return _run(argv)
    except StatuskitError as exc:
        if "--json" not in argv:
            raise  # statuskit.cli.main turns it into one line and an exit status
        message = str(exc)
    except (KeyboardInterrupt, BrokenPipeError):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug must still end in one line, never a traceback
        if os.environ.get("STATUSKIT_DEBUG"):
            raise
        message = said("error.internal", kind=type(exc).__name__, error=exc)
        if "--json" not in argv:
            return fail(message)
    # A caller that asked for JSON parses stdout whatever happened: the error is a document too.
    try:
        lang = choose_language(_given(argv, "--lang"))
    except StatuskitError:
        lang = "en"
    fail_on = _given(argv, "--fail-on")
    _json([], lang, fail_on if fail_on in _SEVERITIES else "error", 0, EXIT_USAGE, error=message)
    return fail(message)


def _given(argv: list[str], option: str) -> str | None:
    """An option's value as typed, for an error document made before (or despite) parsing."""
    for index, arg in enumerate(argv):
        if arg.startswith(option + "="):
            return arg.partition("=")[2]
        if arg == option and index + 1 < len(argv):
            return argv[index + 1]
    return None


def _run(argv: list[str]) -> int:
    parser = command_parser("check", said("help.check.examples"))
    parser.add_argument("targets", nargs="*", metavar="URL|-", help=said("help.check.targets"))
    parser.add_argument("--har", metavar="FILE", help=said("help.check.har"))
    parser.add_argument("-X", "--request", metavar="METHOD", help=said("help.check.request"))
    parser.add_argument(
        "-H", "--header", action="append", default=[], metavar="'NAME: VALUE'", help=said("help.check.header")
    )
    parser.add_argument("-d", "--data", metavar="DATA", help=said("help.check.data"))
    parser.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help=said("help.check.timeout"))
    parser.add_argument(
        "--client", choices=("auto", "raw", "httpx", "h2"), default="auto", help=said("help.check.client")
    )
    parser.add_argument("--http2", action="store_true", help=said("help.check.http2"))
    parser.add_argument("--cacert", metavar="FILE", help=said("help.check.cacert"))
    parser.add_argument("-k", "--insecure", action="store_true", help=said("help.check.insecure"))
    parser.add_argument("--fail-on", choices=_SEVERITIES, default="error", help=said("help.check.fail_on"))
    parser.add_argument("--ignore", action="append", default=[], metavar="RULE", help=said("help.check.ignore"))
    parser.add_argument("--httplint-info", action="store_true", help=said("help.check.httplint_info"))
    probing = parser.add_argument_group(said("help.check.probing"))
    probing.add_argument("--probe", nargs="?", const="all", metavar="GROUPS", help=said("help.check.probe"))
    probing.add_argument("--list", action="store_true", help=said("help.check.list"))
    probing.add_argument("--unsafe", action="store_true", help=said("help.check.unsafe"))
    probing.add_argument("--delay", type=float, default=0.1, metavar="SECONDS", help=said("help.check.delay"))
    probing.add_argument("--junit", metavar="FILE", help=said("help.check.junit"))
    args = parser.parse_args(argv)
    lang = choose_language(args.lang)
    if args.probe is not None and "://" in args.probe:
        args.targets.insert(0, args.probe)  # `--probe URL`: the URL is not a selection
        args.probe = "all"
    if args.probe is not None:
        from statuskit.cli.probe import run_probe

        return run_probe(args, lang)
    if args.list or args.unsafe or args.junit:
        raise UsageError(said("error.probe_only"))

    stdin_mode = args.targets == ["-"]
    if args.har and args.targets:
        raise UsageError(said("error.several_sources"))
    if not args.har and not args.targets:
        raise UsageError(said("error.nothing_to_check"))
    if "-" in args.targets and not stdin_mode:
        raise UsageError(said("error.stdin_and_urls"))
    if args.timeout <= 0:
        raise UsageError(said("error.timeout"))
    headers = [_header(h) for h in args.header]
    body = _data(args.data)
    method = (args.request or ("POST" if body is not None else "GET")).upper()
    if not _TOKEN.fullmatch(method):
        raise UsageError(said("error.bad_method", method=args.request))
    if body is not None and not any(n.lower() == "content-type" for n, _ in headers):
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))  # as curl -d does
    if args.har and (args.request or args.header or args.data is not None):
        raise UsageError(said("error.request_and_har"))
    if (args.cacert or args.insecure) and (args.har or stdin_mode):
        raise UsageError(said("error.tls_not_fetched"))
    if args.cacert and args.insecure:
        raise UsageError(said("error.cacert_and_insecure"))

    from statuskit.lint import lint_exchange

    options = {"ignore": args.ignore, "httplint_info": args.httplint_info}
    reports: list[Report] = []
    skipped = 0
    fetch_failed = False
    if args.har:
        reports, skipped = _check_har(args.har, options, lang)
    elif stdin_mode:
        reports = _check_stdin(method if args.request or body is not None or headers else None, headers, body, options)
    else:
        from statuskit.lint.fetch import FetchError, fetch, tls_context

        context = tls_context(args.cacert, args.insecure)
        for url in args.targets:
            try:
                client = "h2" if args.http2 else args.client
                exchange = fetch(url, method, headers, body, timeout=args.timeout, client=client, context=context)
            except FetchError as exc:
                fetch_failed = True
                sys.stderr.write(f"statuskit: {exc}\n")
                reports.append(Report(source=url, method=method, target=url, error=str(exc)))
                continue
            reports.append(_exchange_report(exchange, lint_exchange(exchange, **options)))

    failing = any(f.severity.at_least(args.fail_on) for r in reports for f in r.findings)
    code = EXIT_USAGE if fetch_failed else EXIT_FINDINGS if failing else EXIT_OK
    if args.json:
        _json(reports, lang, args.fail_on, skipped, code)
    else:
        _print(reports, lang, args.color, skipped)
    return code


def _check_har(path: str, options: dict[str, Any], lang: str) -> tuple[list[Report], int]:
    from statuskit.lint import lint_exchange
    from statuskit.lint.har import HarError, read_har

    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise HarError(said("error.har_file", path=path, why=exc.strerror or exc)) from None
    har = read_har(data, name=os.path.basename(path))
    if not har.exchanges:
        raise HarError(f"{os.path.basename(path)}: {catalogue.text('cli', 'check.no_entries', lang)}")
    reports = [_exchange_report(ex, lint_exchange(ex, **options)) for ex in har.exchanges]
    return reports, har.skipped


def _check_stdin(
    method: str | None, headers: list[tuple[str, str]], body: bytes | None, options: dict[str, Any]
) -> list[Report]:
    from statuskit.lint import lint_exchange
    from statuskit.lint.model import Exchange, Fields, Request
    from statuskit.lint.wire import WireError, parse_responses

    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError(said("error.stdin_tty"))
    data = sys.stdin.buffer.read()
    try:
        parsed = parse_responses(data, method=method or "GET", eof=True, curl=True)
    except WireError as exc:
        raise WireError(said("error.stdin_not_http", error=exc)) from None
    # -X/-H/-d describe the request that produced the response; without them it is unknown.
    request = Request(method=method, target="-", fields=Fields(headers), body=body) if method else None
    reports = []
    for index, (interim, final) in enumerate(parsed.exchanges):
        assert final is not None
        source = "stdin" if len(parsed.exchanges) == 1 else f"stdin#{index}"
        exchange = Exchange(request=request, response=final, interim=tuple(interim), source=source)
        reports.append(_exchange_report(exchange, lint_exchange(exchange, **options)))
    return reports
