"""The options every reading command shares (--lang, --json, --color) and how the language is chosen."""

from __future__ import annotations

import argparse
import os
from typing import NoReturn

from statuskit.cli import UsageError
from statuskit.registry.texts import LANGUAGES, language, resolve_language


class CommandParser(argparse.ArgumentParser):
    """argparse that reports bad usage in one line (exit 2 via UsageError) instead of usage plus message."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see 'statuskit {self.prog.split()[-1]} --help')")


def command_parser(command: str, description: str) -> CommandParser:
    parser = CommandParser(prog=f"statuskit {command}", description=description)
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
