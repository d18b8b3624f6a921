"""The `statuskit` command: a thin front end over the library.

    statuskit 404 [503 ...]      explain codes, classes (4xx) or names
    statuskit list [4xx ...]     list codes
    statuskit search WORDS       search codes in English and Chinese
    statuskit serve [...]        run the test server
    statuskit check [...]        check that a response uses its status correctly

Exit status: 0 found or clean, 1 nothing found (or findings, for check),
2 bad usage or invalid input. Errors are one line on stderr, never a traceback.

Subcommands live in their own modules and are imported only when used, so
that `statuskit 404` pays for nothing but the registry.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Sequence

from statuskit.errors import StatuskitError

EXIT_OK = 0
EXIT_NOT_FOUND = 1
EXIT_USAGE = 2

# name -> module whose `run(argv) -> int` implements it
COMMANDS: dict[str, str] = {
    "explain": "statuskit.cli.explain",
    "list": "statuskit.cli.explain",
    "search": "statuskit.cli.explain",
    "serve": "statuskit.cli.serve",
    "check": "statuskit.cli.check",
}


class UsageError(StatuskitError):
    """Bad command-line usage: reported in one line, exit status 2."""


# The command line being run, so that a message or a help text made before `--lang` is parsed
# (argparse's --help and errors, a bad option) is still in the reader's language.
_argv: list[str] = []


def reader_language() -> str:
    """`--lang` as typed on the command line if it names a language, else the locale's (as options.choose_language)."""
    from statuskit.registry.texts import resolve_language

    for index, arg in enumerate(_argv):
        tag = arg.partition("=")[2] if arg.startswith("--lang=") else None
        if arg == "--lang" and index + 1 < len(_argv):
            tag = _argv[index + 1]
        found = resolve_language(tag, default=None) if tag else None
        if found:
            return found
    from statuskit.cli.options import locale_language

    return locale_language()


def said(key: str, /, **values: object) -> str:
    """The CLI's text `key` (cli.json) in the reader's language: read only when there is something to say."""
    from statuskit.registry.catalogue import text

    return text("cli", key, reader_language(), **values)


def fail(message: str, code: int = EXIT_USAGE) -> int:
    sys.stderr.write(f"statuskit: {message}\n")
    return code


def _resolve(argv: list[str]) -> tuple[Callable[[list[str]], int], list[str]]:
    first = argv[0]
    if first in COMMANDS:
        module = importlib.import_module(COMMANDS[first])
        return getattr(module, f"run_{first}"), argv[1:]
    # Anything else is something to explain: `statuskit 404`, `statuskit 4xx`.
    from statuskit.cli import explain

    return explain.run_explain, argv


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    _argv[:] = args
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(said("usage"))
        return EXIT_OK if args else EXIT_USAGE
    if args[0] in ("-V", "--version"):
        from statuskit import __version__

        sys.stdout.write(f"statuskit {__version__}\n")
        return EXIT_OK
    try:
        command, rest = _resolve(args)
        return command(rest)
    except StatuskitError as exc:
        return fail(str(exc))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `statuskit list | head`: the reader went away; that is not an error.
        import os

        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
