"""The CLI as a user runs it: a real subprocess, real exit codes, real output."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

import statuskit


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR")}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "statuskit", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=base,
        timeout=60,
    )


def test_explain_404() -> None:
    r = run("404")
    assert r.returncode == 0, r.stderr
    out = r.stdout
    assert out.startswith("404 Not Found")
    assert "4xx Client Error" in out
    assert "RFC 9110 §15.5.5" in out
    assert "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.5" in out
    assert "heuristically cacheable" in out
    assert statuskit.lookup(404).describe("en").summary.split()[0] in out
    assert "\033[" not in out  # piped: no colour
    assert r.stderr == ""


def test_explain_shows_required_fields() -> None:
    out = run("405").stdout
    assert "MUST" in out and "Allow" in out and "RFC 9110 §15.5.6" in out
    out = run("401").stdout
    assert "WWW-Authenticate" in out
    out = run("429").stdout
    assert "must not be stored" in out and "RFC 6585 §4" in out and "Retry-After" in out


def test_explain_several_and_names() -> None:
    r = run("404", "503", "payload too large")
    assert r.returncode == 0
    assert "404 Not Found" in r.stdout and "503 Service Unavailable" in r.stdout
    assert "413 Content Too Large" in r.stdout and "Request Entity Too Large" in r.stdout


def test_explain_a_class() -> None:
    r = run("4xx")
    assert r.returncode == 0
    lines = r.stdout.splitlines()
    assert lines[0].startswith("4xx")
    for code in ("400", "404", "418", "451", "499"):
        assert any(line.startswith(code + " ") for line in lines), code


def test_unassigned_code() -> None:
    r = run("471")
    assert r.returncode == 0
    assert "471" in r.stdout and "400 Bad Request" in r.stdout
    assert "unassigned" in r.stdout


@pytest.mark.parametrize("arg", ["abc", "1000", "99", "6xx", "-5"])
def test_invalid_input_is_exit_2_one_line(arg: str) -> None:
    r = run(arg)
    assert r.returncode == 2
    assert r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stderr.startswith("statuskit: ")
    assert "Traceback" not in r.stderr


def test_no_arguments_is_usage() -> None:
    r = run()
    assert r.returncode == 2
    assert "usage" in r.stdout


@pytest.mark.parametrize(
    "args", [["404", "--bogus"], ["--bogus"], ["--bogus", "404"], ["list", "--bogus"], ["check", "--bogus"]]
)
def test_unknown_option_is_named_in_one_line(args: list[str]) -> None:
    # Without a CODE, argparse would say one is required and hide the unknown option.
    r = run(*args)
    assert r.returncode == 2 and r.stdout == ""
    assert (
        r.stderr.startswith("statuskit: unrecognized arguments: --bogus (see 'statuskit ") and r.stderr.count("\n") == 1
    )


def test_options_before_the_code_and_abbreviated_still_work() -> None:
    assert run("--lang", "zh-CN", "404").stdout.startswith("404 Not Found（")
    assert json.loads(run("--jso", "404").stdout)[0]["code"] == 404


def test_check_help_keeps_its_examples_on_their_own_lines() -> None:
    text = run("check", "--help").stdout
    examples = text.split("examples:\n", 1)[1].splitlines()
    assert examples == [
        "  statuskit check https://example.com/missing",
        "  statuskit check http://127.0.0.1:8080/upload -X POST -H 'Content-Type: application/json' -d '{\"a\": 1}'",
        "  statuskit check --har session.har --fail-on warning",
        "  curl -si https://example.com/ | statuskit check -",
    ]


def test_chinese_by_flag_and_by_environment() -> None:
    zh = statuskit.lookup(404).describe("zh-CN")
    r = run("404", "--lang", "zh-CN")
    assert r.returncode == 0
    assert zh.title in r.stdout and "类别" in r.stdout
    for env in ({"LANG": "zh_CN.UTF-8"}, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, {"LC_MESSAGES": "zh_CN"}):
        assert zh.title in run("404", env=env).stdout, env
    # LC_ALL outranks LANG; an unsupported locale falls back to English.
    assert "class" in run("404", env={"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}).stdout
    assert "class" in run("404", env={"LANG": "fr_FR.UTF-8"}).stdout


def test_unsupported_lang_flag() -> None:
    r = run("404", "--lang", "fr")
    assert r.returncode == 2 and "fr" in r.stderr and "zh-CN" in r.stderr


def test_json_explain() -> None:
    r = run("404", "--json")
    assert r.returncode == 0
    docs = json.loads(r.stdout)
    assert isinstance(docs, list) and len(docs) == 1
    doc = docs[0]
    assert doc["code"] == 404 and doc["phrase"] == "Not Found" and doc["class"] == "4xx"
    assert doc["standing"] == "standard" and doc["spec"]["citation"] == "RFC 9110 §15.5.5"
    assert doc["semantics"]["cacheability"]["heuristic"] is True
    assert set(doc) >= {
        "code",
        "phrase",
        "reason",
        "aliases",
        "standing",
        "spec",
        "summary",
        "server",
        "client",
        "semantics",
    }


def test_json_in_chinese_and_class() -> None:
    docs = json.loads(run("5xx", "--json", "--lang", "zh-CN").stdout)
    assert docs[0]["class"] == "5xx"
    codes = [d["code"] for d in docs[0]["codes"]]
    assert 500 in codes and 503 in codes
    assert all(d["lang"] == "zh-CN" for d in docs[0]["codes"])


def test_list() -> None:
    r = run("list")
    assert r.returncode == 0
    for status in statuskit.statuses():
        assert any(line.startswith(f"{int(status)} ") for line in r.stdout.splitlines()), int(status)


def test_list_json_filters() -> None:
    docs = json.loads(run("list", "--json", "--standing", "unofficial").stdout)
    assert docs and all(d["standing"] == "unofficial" for d in docs)
    assert {d["code"] for d in docs} >= {444, 499, 520, 530}
    docs = json.loads(run("list", "3xx", "--json").stdout)
    assert [d["code"] for d in docs] == [300, 301, 302, 303, 304, 305, 306, 307, 308]
    docs = json.loads(run("list", "--registered", "--json").stdout)
    assert len(docs) == 64


def test_list_the_unassigned_standing() -> None:
    # The README names `unassigned` among the standings; list offers it: the free codes.
    docs = json.loads(run("list", "1xx", "--standing", "unassigned", "--json").stdout)
    assert [d["code"] for d in docs] == list(range(105, 200))
    assert all(d["standing"] == "unassigned" and d["understood_as"] == 100 for d in docs)
    both = json.loads(run("list", "--standing", "unassigned", "--standing", "provisional", "--json").stdout)
    assert (
        104 in [d["code"] for d in both] and 471 in [d["code"] for d in both] and 404 not in [d["code"] for d in both]
    )
    r = run("list", "5xx", "--standing", "unassigned")
    assert r.returncode == 0 and "\n512  Unassigned [unassigned]\n" in r.stdout


def test_search_chinese_timeout() -> None:
    r = run("search", "超时")
    assert r.returncode == 0
    codes = [line.split()[0] for line in r.stdout.splitlines() if line[:3].isdigit()]
    assert "408" in codes and "504" in codes


def test_search_english_and_aliases() -> None:
    docs = json.loads(run("search", "teapot", "--json").stdout)
    assert docs[0]["code"] == 418
    docs = json.loads(run("search", "entity", "too", "large", "--json").stdout)
    assert docs[0]["code"] == 413
    docs = json.loads(run("search", "timeout", "--json").stdout)
    assert {408, 504} <= {d["code"] for d in docs}


def test_search_nothing_found_is_exit_1() -> None:
    r = run("search", "zzzqqq")
    assert r.returncode == 1
    assert r.stdout == "" and len(r.stderr.strip().splitlines()) == 1


def test_colour_on_request_and_no_color() -> None:
    assert "\033[" in run("404", "--color", "always").stdout
    assert "\033[" not in run("404", "--color", "auto", env={"NO_COLOR": "1"}).stdout


def test_console_script_installed() -> None:
    # The README's commands use the `statuskit` script itself.
    import shutil

    exe = shutil.which("statuskit")
    if exe is None:
        pytest.skip("statuskit is not installed as a console script (pip install -e .)")
    r = subprocess.run([exe, "404"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0 and r.stdout.startswith("404 Not Found")


def test_version() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"statuskit {statuskit.__version__}"


def test_chinese_explains_the_rules_in_chinese() -> None:
    out = run("413", "--lang", "zh-CN").stdout
    assert "这种情况只是暂时的" in out and "Retry-After" in out
    out = run("307", "--lang", "zh-CN").stdout
    assert "必须保持原方法和请求内容" in out


def test_explain_103_shows_browsers_and_the_http2_condition() -> None:
    out = run("103").stdout
    assert "MDN browser-compat-data 8.1.9" in out
    assert "Chrome 103[1]" in out and "Firefox 120," in out and "Safari 17[1]" in out
    assert "[1] only on HTTP/2 or later" in out
    zh = run("425", "--lang", "zh-CN").stdout
    assert "Safari 不支持" in zh and "#enable-tls13-early-data" in zh
    assert "browsers:" not in run("404").stdout, "no MDN data, no browsers line"


def test_json_carries_the_browsers() -> None:
    r = run("103", "404", "--json", "--lang", "zh-CN")
    early, not_found = json.loads(r.stdout)
    assert not_found["browsers"] is None
    source = early["browsers"]["source"]
    assert source["package"] == "@mdn/browser-compat-data" and source["version"] == "8.1.9"
    own = early["browsers"]["features"][0]
    assert own["feature"] == "" and own["mdn_url"].endswith("/Status/103")
    chrome = next(s for s in own["support"] if s["browser"] == "chrome")
    assert chrome["version_added"] == "103" and chrome["notes"] == ["http2_only"]
    assert "HTTP/2" in chrome["conditions"][0] and "忽略" in chrome["conditions"][0]
    assert [f["label"] for f in early["browsers"]["features"][1:]] == ["rel=preconnect", "rel=preload"]


def test_explain_shows_what_chromium_did() -> None:
    from statuskit.registry import behaviour as seen

    out = run("421").stdout
    table = seen.measured()
    assert f"observed: Measured in Chromium {table['version']} on {table['date']}" in out
    row = seen.measured_rows(421)[0]
    assert seen.observation_text(row["observed"]) in out
    assert "observed:" not in run("418").stdout, "no measured row, no line"
