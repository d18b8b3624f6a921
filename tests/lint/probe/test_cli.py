"""`statuskit check --probe` as a user runs it: listing, selecting, the three reports and the exit status."""

from __future__ import annotations

import json
import pathlib
import socket
import subprocess
import sys
from xml.etree import ElementTree

import pytest

from statuskit.lint.probe import GROUPS, MAX_REQUESTS, PROBES, probe_url

from .conftest import SEEN


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "statuskit", "check", *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120, check=False)


def test_list_names_every_probe_and_its_expectation() -> None:
    done = run("--probe", "--list")
    assert done.returncode == 0, done.stderr
    for probe in PROBES:
        assert probe.id in done.stdout
        assert probe.section in done.stdout
    for group in GROUPS:
        assert f"\n{group}\n" in f"\n{done.stdout}"


def test_list_json_of_a_selection() -> None:
    done = run("--probe=ranges,methods.head", "--list", "--json")
    assert done.returncode == 0, done.stderr
    ids = [p["probe"] for p in json.loads(done.stdout)["probes"]]
    assert ids == ["ranges.first-byte", "ranges.unsatisfiable", "ranges.if-range-stale", "methods.head"]


def test_unknown_selection_is_a_usage_error() -> None:
    done = run("--probe=rnages", "http://127.0.0.1:9/")
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "rnages" in done.stderr and "ranges" in done.stderr


@pytest.mark.parametrize(
    "args",
    [
        ("--probe", "-", "-X", "GET"),
        ("--probe", "--har", "x.har"),
        ("--probe", "http://127.0.0.1:9/", "-X", "POST"),
        ("--probe", "http://127.0.0.1:9/", "--delay", "-1"),
        ("--unsafe", "http://127.0.0.1:9/"),
        ("--probe", "ftp://127.0.0.1/"),
        ("--probe", "http://127.0.0.1:99999/"),  # not a port: the baseline cannot be fetched
    ],
)
def test_bad_usage(args: tuple[str, ...]) -> None:
    done = run(*args)
    assert done.returncode == 2
    assert done.stderr.startswith("statuskit: ") and done.stderr.count("\n") == 1, done.stderr


def test_unreachable_url_exits_2() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # bound, never listening: connections are refused
        done = run("--probe", f"http://127.0.0.1:{port}/", "--delay", "0", "--json")
    assert done.returncode == 2
    doc = json.loads(done.stdout)
    assert doc["urls"][0]["error"] and doc["urls"][0]["probes"] == []


def test_clean_url_exits_0_with_a_report_per_probe(probe_server: str) -> None:
    done = run("--probe=validators,ranges", f"{probe_server}/good", "--delay", "0", "--json")
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    (url,) = doc["urls"]
    assert url["baseline"]["status"] == 200
    assert [p["probe"] for p in url["probes"]] == [p.id for p in PROBES if p.group in ("validators", "ranges")]
    outcomes = {p["probe"]: p["outcome"] for p in url["probes"]}
    assert outcomes["validators.if-match"] == "skip"  # no --unsafe
    assert outcomes["validators.if-none-match"] == outcomes["ranges.first-byte"] == "pass"
    assert doc["counts"] == {"error": 0, "warning": 0, "info": 0} and doc["exit"] == 0


def test_finding_shows_the_request_that_revealed_it(probe_server: str) -> None:
    url = f"{probe_server}/ignore-inm"
    done = run("--probe=validators", url, "--delay", "0", "--json", "--lang", "zh-CN")
    assert done.returncode == 1, done.stderr
    probes = json.loads(done.stdout)["urls"][0]["probes"]
    skipped = {p["probe"]: p["skipped"] for p in probes if p["outcome"] == "skip"}
    assert skipped == {"validators.if-match": "会发送不安全的方法；用 --unsafe 允许"}
    probe = next(p for p in probes if p["outcome"] == "fail")
    assert probe["probe"] == "validators.if-none-match"
    (exchange,) = probe["exchanges"]
    assert exchange["request"]["method"] == "GET"
    assert exchange["request"]["fields"] == [["If-None-Match", '"v1"']]
    assert exchange["response"]["status"] == 200
    (finding,) = probe["findings"]
    assert finding["rule"] == "probe-not-modified-missing" and finding["section"] == "RFC 9110 §13.1.2"
    assert finding["message"] == finding["message_zh"] and "条件为假" in finding["message"]

    text = run("--probe=validators", url, "--delay", "0", "--color", "never")
    assert text.returncode == 1
    assert '> GET /ignore-inm  [If-None-Match: "v1"]' in text.stdout
    assert "< 200 X" in text.stdout
    assert "probe-not-modified-missing:" in text.stdout and "RFC 9110 §13.1.2" in text.stdout


def test_fail_on_and_ignore(probe_server: str) -> None:
    url = f"{probe_server}/ignore-range"  # one info finding
    assert run("--probe=ranges", url, "--delay", "0").returncode == 0
    assert run("--probe=ranges", url, "--delay", "0", "--fail-on", "info").returncode == 1
    quiet = run("--probe=ranges", url, "--delay", "0", "--fail-on", "info", "--ignore", "probe-accept-*", "--json")
    assert quiet.returncode == 0
    assert json.loads(quiet.stdout)["counts"]["info"] == 0


def test_junit_one_testcase_per_probe(probe_server: str, tmp_path: pathlib.Path) -> None:
    path = tmp_path / "probe.xml"
    done = run("--probe", f"{probe_server}/ignore-inm", f"{probe_server}/good", "--delay", "0", "--junit", str(path))
    assert done.returncode == 1, done.stderr
    root = ElementTree.parse(path).getroot()
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f"{probe_server}/ignore-inm", f"{probe_server}/good"]
    for suite in suites:
        cases = suite.findall("testcase")
        assert [c.get("name") for c in cases] == [p.id for p in PROBES]
        assert suite.get("tests") == str(len(PROBES))
        assert suite.get("skipped") == str(sum(1 for c in cases if c.find("skipped") is not None))
    bad, good = suites
    failed = [c.get("name") for c in bad.findall("testcase") if c.find("failure") is not None]
    assert failed == ["validators.if-none-match"]
    text = bad.find("testcase[@name='validators.if-none-match']/failure")
    assert text is not None and 'If-None-Match: "v1"' in (text.text or "")
    assert good.get("failures") == "0"


def test_polite_one_at_a_time_within_budget_with_user_agent(probe_server: str) -> None:
    SEEN.clear()
    report = probe_url(f"{probe_server}/good", unsafe=True, delay=0.01, timeout=5)
    assert report.requests == len(SEEN.requests) <= MAX_REQUESTS
    assert SEEN.most_open == 1
    assert all(agent.startswith("statuskit/") and "probe" in agent for _, agent in SEEN.requests)


def test_junit_file_that_cannot_be_written(probe_server: str, tmp_path: pathlib.Path) -> None:
    done = run(
        "--probe=methods.head", f"{probe_server}/good", "--delay", "0", "--junit", str(tmp_path / "no" / "such.xml")
    )
    assert done.returncode == 2
    assert done.stderr.startswith("statuskit: cannot write --junit file") and done.stderr.count("\n") == 1
