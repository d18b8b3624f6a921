"""The options every reading command shares (--lang, --json, --color) and how the language is chosen."""

from __future__ import annotations

import argparse
import os
import sys

from statuskit.cli import UsageError
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
            message = f"unrecognized arguments: {' '.join(unknown)}"
        raise UsageError(f"{message} (see 'statuskit {self.prog.split()[-1]} --help')")

    def _unknown_option(self, arg: str) -> bool:
        if not arg.startswith("-") or arg == "-" or arg == "--":
            return False
        name = arg.partition("=")[0]
        if not name.startswith("--"):
            name = name[:2]  # -XPOST: a short option with its value attached
            return name not in self._option_string_actions
        return not any(option.startswith(name) for option in self._option_string_actions)  # abbreviations work


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """The epilog's examples keep their lines; the width is found without `shutil`.

    argparse makes a formatter for every add_argument, and without a width it
    imports shutil (and with it bz2, lzma, fnmatch) only to ask the terminal's.
    """

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


def command_parser(command: str, description: str, epilog: str | None = None) -> CommandParser:
    parser = CommandParser(
        prog=f"statuskit {command}",
        description=description,
        epilog=epilog,
        formatter_class=HelpFormatter,
    )
    parser.add_argument(
        "--lang",
        metavar="LANG",
        help=f"language of the texts: {', '.join(LANGUAGES)} (default: from LC_ALL, LC_MESSAGES or LANG, else en)",
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output (see README, 'JSON output')")
    parser.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the output")
    return parser


def choose_language(explicit: str | None) -> str:
    """--lang wins; then the POSIX locale variables in their order of precedence; then English."""
    if explicit:
        return language(explicit)
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return resolve_language(value) or "en"
    return "en"
