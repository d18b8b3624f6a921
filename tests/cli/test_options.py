"""The reader's language for what the CLI says on its own: usage errors and --help, as a user runs them.

`--lang` wins even when the command line is wrong or asks for --help (both
happen before the options are parsed), then LC_ALL, LC_MESSAGES and LANG.
"""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

# The console script the package installs, beside this interpreter (the venv's), else on PATH.
STATUSKIT = (
    str(pathlib.Path(sys.executable).with_name("statuskit"))
    if pathlib.Path(sys.executable).with_name("statuskit").exists()
    else shutil.which("statuskit") or "statuskit"
)


def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR")}
    base.update(env, COLUMNS="100")
    return subprocess.run(
        [STATUSKIT, *args], capture_output=True, text=True, encoding="utf-8", env=base, timeout=60, check=False
    )


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("--lang", "zh-CN", "99x"), "statuskit: '99x' 不是有效的 HTTP 状态码"),
        (("check", "--lang", "zh-CN"), "statuskit: 没有可检查的内容：请给出 URL"),
        (("check", "--bogus", "--lang=zh-CN"), "statuskit: 无法识别的参数：--bogus（见 'statuskit check --help'）"),
        (("list", "--standing", "nonsense", "--lang", "zh-CN"), "（见 'statuskit list --help'）"),
    ],
)
def test_a_usage_error_is_one_line_in_the_language_asked_for(args: tuple[str, ...], said: str) -> None:
    done = run(*args, LANG="en_US.UTF-8")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
    assert said in done.stderr


def test_serve_has_no_lang_option_and_follows_the_locale() -> None:
    done = run("serve", "--key", "k.pem", LANG="zh_CN.UTF-8")
    assert done.returncode == 2
    assert done.stderr == "statuskit: serve：--key 需要与 --cert 一起使用\n"


def test_the_same_error_in_english_is_what_it_always_was() -> None:
    done = run("check", "--bogus", LANG="C")
    assert done.returncode == 2
    assert done.stderr == "statuskit: unrecognized arguments: --bogus (see 'statuskit check --help')\n"
    done = run("99x", LC_ALL="en_GB.UTF-8", LANG="zh_CN.UTF-8")  # LC_ALL comes first
    assert done.stderr == (
        "statuskit: '99x' is not a valid HTTP status code: not a code (100-599), a class (1xx-5xx) or a known name;"
        " try: statuskit search 99x\n"
    )


def test_help_follows_the_locale_and_lang() -> None:
    assert run("list", "--help", "--lang", "zh-CN", LANG="C").stdout.startswith("用法：statuskit list")
    done = run("list", "--help", LANG="zh_CN.UTF-8")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("用法：statuskit list")
    assert "列出状态码：全部，或按类别和地位筛选。" in done.stdout
    assert "显示本帮助并退出" in done.stdout and "只列出 IANA 注册表中的状态码" in done.stdout
    assert "show this help" not in done.stdout and "IANA registry" not in done.stdout


@pytest.mark.parametrize("command", ["explain", "list", "search", "check", "serve"])
def test_every_commands_help_follows_the_locale(command: str) -> None:
    chinese = run(command, "--help", LC_ALL="zh_CN.UTF-8", LANG="C")
    assert chinese.returncode == 0, chinese.stderr
    assert chinese.stdout.startswith(f"用法：statuskit {command}")
    assert "选项:" in chinese.stdout and "显示本帮助并退出" in chinese.stdout
    english = run(command, "--help", LANG="zh_CN.UTF-8", LC_MESSAGES="en_US.UTF-8")
    assert english.stdout.startswith(f"usage: statuskit {command}")
    assert "options:" in english.stdout and "show this help message and exit" in english.stdout


def test_the_overview_follows_the_locale() -> None:
    assert run("--help", LANG="zh_CN.UTF-8").stdout.startswith("用法：statuskit CODE|CLASS|NAME")
    assert run("--help", "--lang", "en", LANG="zh_CN.UTF-8").stdout.startswith("usage: statuskit CODE|CLASS|NAME")


def test_serve_help_says_the_options_in_the_locales_language() -> None:
    chinese = run("serve", "--help", LANG="zh_CN.UTF-8").stdout
    assert "  --max-body BYTES      请求内容的最大字节数，超出则返回 413（默认 1048576）" in chinese
    assert "\n超时（秒）:\n" in chinese and "\nTLS:\n" in chinese
    english = run("serve", "--help", LANG="C").stdout
    assert "  --max-body BYTES      largest request content, else 413 (default 1048576)" in english
    assert "\ntimeouts (seconds):\n" in english
