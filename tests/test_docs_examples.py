"""Every console example of README.md and docs/*.md, run as printed, so the docs cannot drift from the program.

A ```console block is a series of commands (`$ ...`), each followed by the
output the docs show for it. Each command runs in bash, in a fresh directory
per block, with `statuskit` and `pytest` being this checkout's; it must exit 0
and print what the docs show, line for line, where a line `...` stands for
any number of lines. Where an output line is missing, or an extra one comes
(a `grep` that matches more than the docs show), the test fails.

Servers: `$ statuskit serve ARGS` starts that server (on a free port, `--port`
replaced) for the rest of its block, and its first line must match the shown
one. Other blocks talking to a server get a default `statuskit serve` of their
own. Ports the docs use (8080, 8443, 41234) and the CA path they show stand for
the real ones. `pytest --statuskit-port 8080` gets a free port instead, and
runs the docs' plugin example as its suite.

A command that cannot run in a test says so in an HTML comment right before
its block: `<!-- not run: COMMAND -- REASON -->`, COMMAND being the start of
the command line. The list is short, each with its reason, and a marker that
matches no command fails.
"""

from __future__ import annotations

import dataclasses
import os
import pathlib
import re
import shlex
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator

import pytest

from statuskit.server import ServerProcess

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
DOC_PORTS = ("8080", "8443", "41234")
DOC_CA = "/tmp/statuskit-ca-k2j4/ca.pem"
MAX_NOT_RUN = 3
TIMEOUT = 60

_BLOCK = re.compile(r"((?:<!--[^\n]*-->\n)*)```console\n(.*?)```", re.S)
_NOT_RUN = re.compile(r"<!-- not run: (.+?) -- (.+?) -->")


@dataclasses.dataclass
class Command:
    line: str
    output: list[str]
    not_run: str = ""  # the reason, for a command that cannot run in a test


@dataclasses.dataclass
class Block:
    doc: str
    line: int
    commands: list[Command]

    @property
    def id(self) -> str:
        return f"{self.doc}:{self.line}"


def blocks() -> list[Block]:
    found = []
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        for match in _BLOCK.finditer(text):
            commands: list[Command] = []
            for line in match.group(2).splitlines():
                if line.startswith("$ "):
                    commands.append(Command(line[2:], []))
                else:
                    assert commands, f"{path.name}: a console block starts with output, not a command"
                    commands[-1].output.append(line)
            for marker in _NOT_RUN.finditer(match.group(1)):
                command, reason = marker.groups()
                chosen = [c for c in commands if c.line.startswith(command)]
                assert chosen, f"{path.name}: '<!-- not run: {command} -->' matches no command of its block"
                for each in chosen:
                    each.not_run = reason
            found.append(Block(path.relative_to(ROOT).as_posix(), text[: match.start(2)].count("\n") + 1, commands))
    return found


BLOCKS = blocks()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def matches(expected: list[str], actual: list[str]) -> bool:
    """Line for line, trailing blanks aside (curl ends `HTTP/2 200 ` with one); `...` stands for any number of lines."""
    if not expected:
        return not actual
    if expected[0] == "...":
        return any(matches(expected[1:], actual[i:]) for i in range(len(actual) + 1))
    return bool(actual) and actual[0].rstrip() == expected[0] and matches(expected[1:], actual[1:])


@pytest.fixture(scope="module")
def shims(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A PATH where `statuskit` and `pytest` are this interpreter's, so the checkout under test runs."""
    bin_dir = tmp_path_factory.mktemp("bin")
    for name, module in (("statuskit", "statuskit"), ("pytest", "pytest")):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m {module} "$@"\n', encoding="utf-8")
        script.chmod(0o755)
    return f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"


def plugin_example() -> str:
    text = (ROOT / "docs" / "plugin.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- example: [^\n]*-->\n```python\n(.*?)```", text, re.S)
    assert found, "docs/plugin.md lost its marked example"
    return found.group(1)


class Session:
    """One block's commands: its directory, its server, the substitutions."""

    def __init__(self, block: Block, cwd: pathlib.Path, path: str) -> None:
        self.block = block
        self.cwd = cwd
        self.env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR")}
        self.env.update(PATH=path, COLUMNS="80")
        self.server: ServerProcess | None = None

    def substitute(self, text: str, port: int | None = None) -> str:
        port = port or (self.server.port if self.server else None)
        if port is not None:
            for doc_port in DOC_PORTS:
                text = re.sub(rf"(?<=:){doc_port}\b", str(port), text)
                text = re.sub(rf"(?<=--port ){doc_port}\b", str(port), text)
        if self.server is not None and self.server.ca_bundle:
            text = text.replace(DOC_CA, self.server.ca_bundle)
        return text

    def serve(self, command: Command) -> None:
        args = shlex.split(command.line, comments=True)[2:]
        if "--port" in args:
            args[args.index("--port") + 1] = "0"
        self.stop()
        self.server = ServerProcess(args, env=self.env).start()
        for expected in command.output:
            assert self.substitute(expected) == self.server.first_line

    def run(self, command: Command) -> None:
        if command.line.startswith("statuskit serve"):
            self.serve(command)
            return
        words = shlex.split(command.line, comments=True)
        if words[0] == "pytest":
            line = self.substitute(command.line, port=free_port())  # the plugin's own server binds it
            (self.cwd / "test_example.py").write_text(plugin_example(), encoding="utf-8")
        else:
            if self.server is None and any(f":{p}" in command.line for p in DOC_PORTS):
                self.server = ServerProcess([], env=self.env).start()  # `statuskit serve`, as the docs assume
            line = self.substitute(command.line)
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", line], cwd=self.cwd, env=self.env, capture_output=True, timeout=TIMEOUT
        )
        shown = (
            f"$ {line}\nexit {done.returncode}\n{done.stdout.decode(errors='replace')}"
            f"{done.stderr.decode(errors='replace')}"
        )
        assert done.returncode == 0, shown
        actual = [ln.rstrip("\r") for ln in done.stdout.decode("utf-8", "replace").splitlines()]
        expected = [self.substitute(ln) for ln in command.output]
        assert not expected or matches(expected, actual), (
            f"{self.block.id}: the docs show\n" + "\n".join(expected) + f"\n\nbut got\n{shown}"
        )

    def stop(self) -> None:
        if self.server is not None:
            self.server.stop()
            self.server = None


@pytest.fixture
def session_for(tmp_path: pathlib.Path, shims: str) -> Iterator[Callable[[Block], Session]]:
    made: list[Session] = []

    def make(block: Block) -> Session:
        made.append(Session(block, tmp_path, shims))
        return made[-1]

    yield make
    for session in made:
        session.stop()


@pytest.mark.tools("curl")
@pytest.mark.parametrize("block", BLOCKS, ids=[b.id for b in BLOCKS])
def test_console_example(block: Block, session_for: Callable[[Block], Session]) -> None:
    session = session_for(block)
    for command in block.commands:
        if not command.not_run:
            session.run(command)


def test_the_examples_that_do_not_run_are_few_and_say_why() -> None:
    not_run = [(b.id, c.line, c.not_run) for b in BLOCKS for c in b.commands if c.not_run]
    assert len(not_run) <= MAX_NOT_RUN, not_run
    assert all(len(reason.split()) >= 3 for _, _, reason in not_run), not_run


def test_every_doc_has_its_console_examples_found() -> None:
    # A block the pattern misses would silently not be run.
    for path in DOCS:
        text = path.read_text(encoding="utf-8")
        assert text.count("```console") == sum(1 for b in BLOCKS if b.doc == path.relative_to(ROOT).as_posix())


def test_matching_lines() -> None:
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"]) and matches(["a", "..."], ["a"])
    assert not matches(["a", "d"], ["a", "b", "d"]) and not matches(["a"], ["a", "extra"])
    assert not matches(["ETag: x"], ["ETag: x", "Access-Control-Expose-Headers: ETag"])
