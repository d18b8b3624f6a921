"""Adding a language is adding files: a made-up locale `xx` is written beside a copy of the package, nothing else.

The copy's code is the installed code, byte for byte; the test only adds
`registry/locales/xx/` with the three catalogues (cli, web, lint) in a
pseudo-language, one id left out to show the English fallback, and then runs
the CLI, the linter and the page from that copy in a fresh interpreter.
"""

from __future__ import annotations

import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import statuskit

LEFT_OUT = "check.clean"  # an id the new language does not have yet: English says it
CLEAN = b"HTTP/1.1 204 No Content\r\nDate: Fri, 04 Dec 2026 12:00:00 GMT\r\n\r\n"


def _pseudo(template: str) -> str:
    """«…» around the English words, placeholders untouched, so a test can tell the new language's words apart."""
    return f"«{template}»" if template.strip() else template


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> pathlib.Path:
    root = tmp_path_factory.mktemp("xx")
    source = pathlib.Path(statuskit.__file__).parent
    shutil.copytree(source, root / "statuskit", ignore=shutil.ignore_patterns("__pycache__"))
    folder = root / "statuskit" / "registry" / "locales" / "xx"
    folder.mkdir()
    for domain in ("cli", "web", "lint"):
        english = json.loads((source / "registry" / "locales" / "en" / f"{domain}.json").read_text(encoding="utf-8"))
        own = {key: _pseudo(value) for key, value in english.items() if key != LEFT_OUT}
        if domain == "web":
            own["language_name"] = "Pseudo"
        (folder / f"{domain}.json").write_text(json.dumps(own, ensure_ascii=False), encoding="utf-8")
    return root


def run(package: pathlib.Path, *args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(package), "NO_COLOR": "1", "COLUMNS": "200", "LANG": "C"}
    done = subprocess.run(
        [sys.executable, *args], input=stdin, capture_output=True, env=env, timeout=120, check=False, cwd=package
    )
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_the_copy_is_what_runs_and_knows_the_new_language(package: pathlib.Path) -> None:
    done = run(package, "-c", "import statuskit; print(statuskit.__file__); print(statuskit.LANGUAGES)")
    assert done.returncode == 0, done.stderr
    where, languages = done.stdout.splitlines()
    assert where.startswith(str(package))
    assert languages == "('en', 'xx', 'zh-CN')"


def test_the_cli_speaks_it(package: pathlib.Path) -> None:
    done = run(package, "-m", "statuskit", "404", "--lang", "xx")
    assert done.returncode == 0, done.stderr
    # Interface words in the new language; the code's own texts, which xx does not have, in English.
    lines = done.stdout.splitlines()
    assert lines[0] == "404 «Not Found»"
    assert "  «class»: 4xx Client Error" in lines and "  «standing»: «standard»" in lines
    assert "  «caching»: «heuristically cacheable» (RFC 9110 §15.1)" in lines
    assert any(line.startswith("  Nothing is currently available at the target URI") for line in lines)
    unknown = run(package, "-m", "statuskit", "search", "zzzz-nothing", "--lang", "xx")
    assert unknown.returncode != 0 and "«no status code matches 'zzzz-nothing'»" in unknown.stderr
    # What the CLI says on its own before it reads anything: a usage error and --help.
    wrong = run(package, "-m", "statuskit", "check", "--bogus", "--lang", "xx")
    assert wrong.returncode == 2
    assert wrong.stderr == "statuskit: «{message} (see 'statuskit {command} --help')»\n".format(
        message="«unrecognized arguments: --bogus»", command="check"
    )
    helped = run(package, "-m", "statuskit", "list", "--help", "--lang", "xx")
    assert helped.returncode == 0, helped.stderr
    assert helped.stdout.startswith("«usage: »statuskit list")
    assert "«List status codes, all or by class and standing.»" in helped.stdout
    assert "«show this help message and exit»" in helped.stdout and "«only codes in the IANA registry»" in helped.stdout


def test_lint_findings_are_worded_in_it_when_read(package: pathlib.Path) -> None:
    response = b"HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n"
    done = run(package, "-m", "statuskit", "check", "-", "--lang", "xx", stdin=response)
    assert done.returncode == 1, done.stderr
    assert "required-field-missing: «401 Unauthorized must carry WWW-Authenticate" in done.stdout
    assert "«errors»" in done.stdout and "«{n} response|{n} responses»" not in done.stdout
    as_json = run(package, "-m", "statuskit", "check", "-", "--lang", "xx", "--json", stdin=response)
    finding = next(
        f for f in json.loads(as_json.stdout)["exchanges"][0]["findings"] if f["rule"] == "required-field-missing"
    )
    assert finding["message"].startswith("«401 Unauthorized must carry WWW-Authenticate")
    # The two fields that name their language stay what they were.
    assert finding["message_en"].startswith("401 Unauthorized must carry") and "响应" in finding["message_zh"]
    clean = run(package, "-m", "statuskit", "check", "-", "--lang", "xx", stdin=CLEAN)
    assert "no findings" in clean.stdout  # the id xx left out falls back to English


def test_the_page_speaks_it(package: pathlib.Path) -> None:
    code = (
        "from statuskit.web import index_page, code_page; from statuskit.registry import lookup; "
        "print(index_page('xx')); print('=====');print(code_page(lookup(404), 'xx'))"
    )
    done = run(package, "-c", code)
    assert done.returncode == 0, done.stderr
    index, page = done.stdout.split("=====")
    assert '<html lang="xx"' in index
    assert "«HTTP status codes»" in index and ">Pseudo</a>" in index
    assert "«When a server sends it»" in page
    assert ">English</a>" in index and ">简体中文</a>" in index
