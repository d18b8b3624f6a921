"""`statuskit serve`: the test server's command line, a thin front end over `statuskit.server`.

Every option but the TLS ones is made from a field of `ServerConfig` or its
`ResponderConfig` (`statuskit.server.config.options()`: flag, default, help),
so the limits are documented once. Errors are one line on stderr and exit status 2:
a bad option, a port in use, an address that cannot be bound.
"""

from __future__ import annotations

import argparse
import json
import shutil
import ssl
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from statuskit.cli import EXIT_USAGE, UsageError, fail, reader_language, said
from statuskit.registry.texts import DEFAULT_LANGUAGE, locale_file


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(said("error.serve", message=message))


def _option_words(lang: str) -> dict[str, str]:
    """The options' help in `lang`: its `serve.json` (a field's name, `group.<title>`), {} for English.

    English is each field's own metadata, the one English text that
    SECURITY.md's table and the pytest plugin read too; a language says the
    same fields in its `serve.json` (tests/registry/test_catalogue.py).
    """
    if lang == DEFAULT_LANGUAGE:
        return {}
    try:
        found: dict[str, str] = json.loads(locale_file(lang, "serve.json"))
    except OSError:
        return {}  # a language without the file: English, as for any other text
    return found


def _parser() -> argparse.ArgumentParser:
    from statuskit.cli.options import HelpFormatter, titled
    from statuskit.server.config import options, shown

    p = _Parser(prog="statuskit serve", description=said("help.serve"), formatter_class=HelpFormatter, add_help=False)
    titled(p)
    own = _option_words(reader_language())
    groups: dict[str, argparse._ArgumentGroup] = {"": p}  # type: ignore[dict-item]
    for spec in options():
        if spec.group not in groups:
            groups[spec.group] = p.add_argument_group(own.get(f"group.{spec.group}", spec.group))
        group = groups[spec.group]
        metavar = spec.metavar or None
        said_help = own[spec.name].format(default=shown(spec.default)) if spec.name in own else spec.help
        if spec.kind is bool:  # a flag that turns the default over (--quiet: no access log)
            group.add_argument(
                spec.flag, dest=spec.name, action="store_false" if spec.default else "store_true", help=said_help
            )
        elif spec.kind is tuple:  # repeatable
            group.add_argument(spec.flag, dest=spec.name, action="append", default=[], metavar=metavar, help=said_help)
        else:
            group.add_argument(
                spec.flag, dest=spec.name, type=spec.kind, default=spec.default, metavar=metavar, help=said_help
            )
    tls = groups.get("TLS") or p.add_argument_group(own.get("group.TLS", "TLS"))
    tls.add_argument("--tls", action="store_true", help=said("help.serve.tls"))
    tls.add_argument("--cert", metavar="FILE", help=said("help.serve.cert"))
    tls.add_argument("--key", metavar="FILE", help=said("help.serve.key"))
    tls.add_argument("--ca-out", metavar="FILE", help=said("help.serve.ca_out"))
    tls.add_argument("--tls-name", action="append", default=[], metavar="NAME", help=said("help.serve.tls_name"))
    return p


def _tls(args: argparse.Namespace) -> tuple[ssl.SSLContext | None, str, Callable[[], None]]:
    """The server's TLS context, what the first line adds, and what to clean up at exit.

    Raises UsageError or ServerError (one line each).
    """
    from statuskit.server.tls import LocalAuthority, server_context_from_files

    if args.key and not args.cert:
        raise UsageError(said("error.serve", message=said("error.key_needs_cert")))
    if args.cert:
        for option in ("ca_out", "tls_name"):
            if getattr(args, option):
                flag = "--" + option.replace("_", "-")
                raise UsageError(said("error.serve", message=said("error.tls_only", flag=flag)))
        return server_context_from_files(args.cert, args.key), "", lambda: None
    if not args.tls:
        if args.ca_out or args.tls_name:
            raise UsageError(said("error.serve", message=said("error.needs_tls")))
        return None, "", lambda: None
    authority = LocalAuthority()
    context = authority.server_context([args.host, *args.tls_name])
    folder = "" if args.ca_out else tempfile.mkdtemp(prefix="statuskit-ca-")
    path = Path(args.ca_out) if args.ca_out else Path(folder) / "ca.pem"

    def cleanup() -> None:
        if folder:
            shutil.rmtree(folder, ignore_errors=True)

    try:
        authority.write_pem(path)
    except OSError as exc:
        cleanup()
        raise UsageError(
            said("error.serve", message=said("error.ca_file", path=path, why=exc.strerror or exc))
        ) from None
    return context, f"CA certificate: {path.resolve()}", cleanup


def _raise_open_files(wanted: int) -> None:
    # Each connection is a file descriptor; lift the soft limit toward the hard one.
    try:
        import resource
    except ImportError:
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        except (ValueError, OSError):
            pass


def run_serve(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    from statuskit.server.config import ServerConfig, options
    from statuskit.server.errors import ServerError
    from statuskit.server.workers import run

    try:
        context, note, cleanup = _tls(args)
    except (UsageError, ServerError) as exc:
        return fail(str(exc), EXIT_USAGE)
    try:
        values = {spec.name: getattr(args, spec.name) for spec in options()}
        values["allow_redirect_hosts"] = tuple(values["allow_redirect_hosts"])
        config = ServerConfig.from_options(ssl=context, **values)
    except ValueError as exc:
        cleanup()
        return fail(said("error.serve", message=exc), EXIT_USAGE)
    # A descriptor per connection, and as many again over --max-connections, so that a
    # flood past the limit is told 503 rather than closed unanswered by the accept
    # loop (which is what uvloop and asyncio do when accept() fails with EMFILE).
    _raise_open_files(2 * config.max_connections + 64)
    try:
        return run(config, note)
    except ServerError as exc:
        return fail(str(exc), EXIT_USAGE)
    finally:
        cleanup()
