"""`statuskit 404`, `statuskit list`, `statuskit search`: reading the registry."""

from __future__ import annotations

import sys

from statuskit import semantics
from statuskit.cli import EXIT_NOT_FOUND, EXIT_OK, UsageError, fail, said
from statuskit.cli.options import choose_language, command_parser
from statuskit.cli.output import CLASS_COLOURS, Style, terminal_width, use_colour, wrap, write_json
from statuskit.document import class_document, status_document
from statuskit.errors import UnknownStatusName
from statuskit.registry import (
    Standing,
    Status,
    StatusClass,
    behaviour as seen,
    by_class,
    compat,
    describe_class,
    lookup,
    parse_class,
    statuses,
)
from statuskit.registry.catalogue import labels

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any


class _Printer:
    def __init__(self, lang: str, colour: str) -> None:
        self.lang = lang
        self.out = sys.stdout
        self.style = Style(use_colour(colour, self.out))
        self.width = terminal_width(self.out)
        self.labels = labels("cli", "explain", lang)
        self.standing = labels("cli", "standing", lang)
        self.flags = labels("cli", "flag", lang)

    def line(self, text: str = "") -> None:
        self.out.write(text + "\n")

    def paragraph(self, text: str, indent: str = "  ") -> None:
        for ln in wrap(text, self.width, indent):
            self.line(ln)

    def code(self, status: Status) -> str:
        return self.style(str(status.code), "bold", CLASS_COLOURS[status.status_class.value])

    def badges(self, status: Status) -> str:
        parts = []
        if status.standing is not Standing.STANDARD:
            parts.append(self.standing[status.standing.value])
        parts.extend(self.flags[flag] for flag in sorted(status.flags))
        return self.style(" [" + ", ".join(parts) + "]", "magenta") if parts else ""

    def explain(self, status: Status) -> None:
        text = status.describe(self.lang)
        lab = self.labels
        name = self.labels["name"].format(reason=status.reason, title=text.title)
        self.line(f"{self.code(status)} {self.style(name, 'bold')}{self.badges(status)}")
        self.paragraph(text.summary)
        self.line()
        cls = describe_class(status.status_class, self.lang)
        self.field(lab["class"], f"{status.status_class.label} {cls['title']}")
        self.field(lab["standing"], self.standing[status.standing.value])
        if status.spec is not None:
            self.field(lab["spec"], f"{status.spec.citation}  {self.style(status.spec.url, 'dim')}")
        if status.owner:
            self.field(lab["owner"], status.owner)
        if status.aliases:
            self.field(lab["aliases"], ", ".join(status.aliases))
        if status.understood_as is not status:
            understood = status.understood_as
            self.field(lab["understood"], f"{understood.code} {understood.reason} (RFC 9110 §15)")
        self.field(lab["content"], self.content_line(status))
        self.field(lab["caching"], self.caching_line(status))
        if status.code in semantics.METHOD_CHANGE:
            self.field(lab["redirect"], f"{semantics.method_change_text(status, self.lang)} (RFC 9110 §15.4)")
        rules = semantics.field_rules(status)
        if rules:
            self.line(f"  {self.style(lab['fields'], 'bold')}")
            for rule in rules:
                level = self.style(f"{rule.level:<6}", "bold", "red" if rule.level == "MUST" else "yellow")
                value, when = semantics.rule_texts(rule, self.lang)
                detail = f" = {value}" if value else ""
                cond = f"; {lab['when']}: {when}" if when else ""
                self.paragraph(f"{level} {rule.field}{detail} ({rule.section}{cond})", indent="    ")
        self.browsers(status)
        self.line()
        self.paragraph(text.server)
        self.line()
        self.paragraph(text.client)

    def browsers(self, status: Status) -> None:
        """MDN's versions per browser; a condition (HTTP/2 only, a flag) is a numbered footnote, written once."""
        self.measured(status)
        features = compat.support(status.code)
        if not features:
            return
        src = compat.source()
        self.field(self.labels["browsers"], self.labels["mdn"].format(**src))
        footnotes: list[str] = []
        for feature in features:
            cells = []
            for entry in feature.entries:
                marks = []
                for text in compat.conditions(entry, self.lang):
                    if text not in footnotes:
                        footnotes.append(text)
                    marks.append(f"[{footnotes.index(text) + 1}]")
                cells.append(f"{entry.name} {compat.version_text(entry, self.lang)}{''.join(marks)}")
            self.paragraph(f"{compat.feature_label(feature, self.lang)}: {', '.join(cells)}", indent="    ")
        for number, text in enumerate(footnotes, 1):
            self.paragraph(f"[{number}] {text}", indent="    ")

    def measured(self, status: Status) -> None:
        """What Chromium did with the code in the browser-behaviour suite (docs/browsers.md)."""
        doc = seen.measured_document(status.code, self.lang)
        if doc is None:
            return
        self.field(
            self.labels["measured"], seen.table_word("measured", self.lang, version=doc["version"], date=doc["date"])
        )
        for row in doc["rows"]:
            text = row["text"]
            firefox = f" (Firefox: {text['firefox']})" if row["firefox"] else ""
            self.paragraph(f"{text['via']}: {text['behaviour']} → {text['observed']}{firefox}", indent="    ")

    def field(self, label: str, value: str) -> None:
        self.line(f"  {self.style(label + ':', 'dim')} {value}")

    def content_line(self, status: Status) -> str:
        lab = self.labels
        parts = []
        if semantics.is_interim(status):
            parts.append(lab["interim"])
        if semantics.allows_content(status):
            parts.append(lab["may_content"])
        else:
            parts.append(f"{lab['no_content']} ({semantics.no_content_reason(status)})")
        if not semantics.allows_content_length(status):
            parts.append(f"{lab['no_length']} (RFC 9110 §8.6)")
        return "; ".join(parts)

    def caching_line(self, status: Status) -> str:
        c = semantics.cacheability(status)
        lab = self.labels
        if c.heuristic:
            return f"{lab['heuristic']} ({c.section})"
        if not c.storable:
            return f"{lab['no_store']} ({c.section})"
        return f"{lab['explicit']} ({c.section})"

    def row(self, status: Status) -> None:
        text = status.describe(self.lang)
        name = self.labels["name"].format(reason=status.reason, title=text.title)
        head = f"{self.code(status)}  {name}{self.badges(status)}"
        self.line(head)
        self.paragraph(text.summary, indent="     ")

    def class_header(self, status_class: StatusClass) -> None:
        texts = describe_class(status_class, self.lang)
        self.line(self.style(f"{status_class.label} {texts['title']}", "bold"))
        self.paragraph(texts["summary"], indent="")
        self.line()


def _targets(items: list[str]) -> list[Status | StatusClass]:
    found: list[Status | StatusClass] = []
    for item in items:
        text = item.strip()
        if len(text) == 3 and text[0] in "12345" and text[1:].lower() == "xx":
            found.append(parse_class(text))
            continue
        try:
            found.append(lookup(text))
        except UnknownStatusName as exc:
            if exc.candidates:
                raise
            raise UsageError(said("error.not_a_code", item=item, text=text)) from None
    return found


def run_explain(argv: list[str]) -> int:
    parser = command_parser("explain")
    parser.add_argument("items", nargs="+", metavar="CODE|CLASS|NAME")
    args = parser.parse_args(argv)
    lang = choose_language(args.lang)
    targets = _targets(args.items)
    if args.json:
        docs: list[dict[str, Any]] = []
        for target in targets:
            if isinstance(target, Status):
                docs.append(status_document(target, lang))
            else:
                doc = class_document(target, lang)
                doc["codes"] = [status_document(s, lang) for s in by_class(target)]
                docs.append(doc)
        write_json(docs)
        return EXIT_OK
    printer = _Printer(lang, args.color)
    for i, target in enumerate(targets):
        if i:
            printer.line()
        if isinstance(target, Status):
            printer.explain(target)
        else:
            printer.class_header(target)
            for status in by_class(target):
                printer.row(status)
    return EXIT_OK


def run_list(argv: list[str]) -> int:
    parser = command_parser("list")
    parser.add_argument("classes", nargs="*", metavar="CLASS", help=said("help.list.classes"))
    parser.add_argument(
        "--standing", action="append", choices=[s.value for s in Standing], help=said("help.list.standing")
    )
    parser.add_argument("--registered", action="store_true", help=said("help.list.registered"))
    args = parser.parse_args(argv)
    lang = choose_language(args.lang)
    classes = {parse_class(c) for c in args.classes}
    # The registry holds the codes that mean something; an unassigned one exists when asked for.
    pool = (lookup(code) for code in range(100, 600)) if args.standing and "unassigned" in args.standing else statuses()
    chosen = [
        s
        for s in pool
        if (not classes or s.status_class in classes)
        and (not args.standing or s.standing.value in args.standing)
        and (not args.registered or s.is_registered)
    ]
    if args.json:
        write_json([status_document(s, lang) for s in chosen])
        return EXIT_OK if chosen else EXIT_NOT_FOUND
    if not chosen:
        return fail(said("error.no_match"), EXIT_NOT_FOUND)
    printer = _Printer(lang, args.color)
    current = None
    for status in chosen:
        if status.status_class is not current:
            if current is not None:
                printer.line()
            current = status.status_class
            printer.class_header(current)
        printer.row(status)
    return EXIT_OK


def run_search(argv: list[str]) -> int:
    from statuskit.registry.search import search

    parser = command_parser("search")
    parser.add_argument("words", nargs="+", metavar="WORD")
    args = parser.parse_args(argv)
    lang = choose_language(args.lang)
    query = " ".join(args.words)
    found = search(query)
    if args.json:
        write_json([status_document(s, lang) for s in found])
        return EXIT_OK if found else EXIT_NOT_FOUND
    if not found:
        return fail(labels("cli", "explain", lang)["none_found"].format(query=query), EXIT_NOT_FOUND)
    printer = _Printer(lang, args.color)
    for status in found:
        printer.row(status)
    return EXIT_OK
