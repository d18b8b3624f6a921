"""The options every reading command shares (--lang, --json, --color) and how the language is chosen."""

from __future__ import annotations

import argparse
import os
import sys

from statuskit.cli import UsageError, said
from statuskit.registry.texts import LANGUAGES, language, resolve_language

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any, NoReturn


class CommandParser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line (exit 2 via UsageError) instead of usage plus message.

    An unknown option is named first: argparse would complain about a missing
    CODE for `statuskit --bogus`, which hides the real mistake.
    """

    _argv: tuple[str, ...] = ()

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._argv = tuple(str(arg) for arg in args or ())
        return super().parse_args(args, namespace)

    def error(self, message: str) -> NoReturn:
        unknown = [arg for arg in self._argv if self._unknown_option(arg)]
        if unknown:
            message = said("error.unrecognized", arguments=" ".join(unknown))
        raise UsageError(said("error.see_help", message=message, command=self.prog.split()[-1]))

    def _unknown_option(self, arg: str) -> bool:
        if not arg.startswith("-") or arg == "-" or arg == "--":
            return False
        name = arg.partition("=")[0]
        if not name.startswith("--"):
            name = name[:2]  # -XPOST: a short option with its value attached
            return name not in self._option_string_actions
        return not any(option.startswith(name) for option in self._option_string_actions)  # abbreviations work


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The epilog's examples keep their lines; the width is found without `shutil`; "usage:" in the reader's language.

    argparse makes a formatter for every add_argument, and without a width it
    imports shutil (and with it bz2, lzma, fnmatch) only to ask the terminal's.
    """

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, said("help.usage") if prefix is None else prefix)

    def __init__(self, prog: str) -> None:
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit():
            width = int(columns)
        else:
            try:
                width = os.get_terminal_size(sys.__stdout__.fileno()).columns if sys.__stdout__ else 80
            except (OSError, ValueError):
                width = 80
        super().__init__(prog, width=width - 2)


def command_parser(command: str, epilog: str | None = None) -> CommandParser:
    """A command's parser with the shared options, its help (`help.<command>` of cli.json) in the reader's language."""
    parser = CommandParser(
        prog=f"statuskit {command}",
        description=said(f"help.{command}"),
        epilog=epilog,
        formatter_class=HelpFormatter,
        add_help=False,
    )
    titled(parser)
    parser.add_argument("--lang", metavar="LANG", help=said("help.lang", languages=", ".join(LANGUAGES)))
    parser.add_argument("--json", action="store_true", help=said("help.json"))
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help=said("help.color"))
    return parser


def titled(parser: argparse.ArgumentParser) -> None:
    """argparse's own words in a help page (its headings, -h) in the reader's language; add_help=False first."""
    parser._positionals.title = said("help.positionals")
    parser._optionals.title = said("help.options")
    parser.add_argument("-h", "--help", action="help", help=said("help.help"))


def choose_language(explicit: str | None) -> str:
    """--lang wins; then the POSIX locale variables in their order of precedence; then English."""
    if explicit:
        return language(explicit)
    return locale_language()


def locale_language() -> str:
    """The language of the POSIX locale variables, in their order of precedence; English without one."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return resolve_language(value) or "en"
    return "en"
