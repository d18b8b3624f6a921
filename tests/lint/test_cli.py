"""`statuskit check` as a user runs it: a subprocess against a server that misbehaves on purpose."""

from __future__ import annotations

import json
import os
import pathlib
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from typing import Any

import pytest


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR")}
    base.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "statuskit", "check", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        env=base,
        timeout=60,
    )


def out(result: subprocess.CompletedProcess[Any]) -> str:
    return result.stdout.decode("utf-8")


def err(result: subprocess.CompletedProcess[Any]) -> str:
    return result.stderr.decode("utf-8")


def as_json(result: subprocess.CompletedProcess[Any]) -> dict[str, Any]:
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def rules(result: subprocess.CompletedProcess[Any], index: int = 0) -> list[str]:
    return [f["rule"] for f in as_json(result)["exchanges"][index]["findings"]]


# -- against the misbehaving server ---------------------------------------------

EXPECTED = {
    "/401": ("required-field-missing", "WWW-Authenticate", 1),
    "/405": ("required-field-missing", "Allow", 1),
    "/204": ("content-length-forbidden", "Content-Length", 1),
    "/301": ("recommended-field-missing", "Location", 0),
    "/429": ("optional-field-missing", "Retry-After", 0),
    "/206": ("httplint:BAD_SYNTAX", "Content-Range", 1),
}


@pytest.mark.parametrize("path", sorted(EXPECTED))
def test_misbehaving_server(bad_server: str, path: str) -> None:
    rule, field, code = EXPECTED[path]
    result = run(bad_server + path, "--json")
    assert result.returncode == code, err(result)
    findings = as_json(result)["exchanges"][0]["findings"]
    assert any(f["rule"] == rule and field in f["message_en"] for f in findings), findings
    assert err(result) == ""


def test_204_with_content_is_seen_on_the_wire(bad_server: str) -> None:
    # httpx and browsers drop the 5 octets after a 204; the raw client keeps them.
    found = rules(run(bad_server + "/204", "--json"))
    assert "httplint:CONTENT_NOT_ALLOWED" in found and "content-length-forbidden" in found
    via_httpx = rules(run(bad_server + "/204", "--json", "--client", "httpx"))
    assert "content-length-forbidden" in via_httpx and "httplint:CONTENT_NOT_ALLOWED" not in via_httpx


def test_206_without_range_and_malformed(bad_server: str) -> None:
    found = rules(run(bad_server + "/206", "--json"))
    assert "httplint:PARTIAL_NOT_REQUESTED" in found


def test_clean_response_exits_0(bad_server: str) -> None:
    result = run(bad_server + "/ok")
    assert result.returncode == 0, out(result) + err(result)
    assert "no findings" in out(result) and "1 response checked: 0 errors, 0 warnings, 0 info." in out(result)


def test_interim_responses_are_shown_and_checked(bad_server: str) -> None:
    result = run(bad_server + "/continue", "--json")
    exchange = as_json(result)["exchanges"][0]
    assert exchange["interim"] == [100] and exchange["status"] == 200
    # 100 without Expect: a warning on the interim response (httplint's BAD note is replaced).
    assert [(f["rule"], f["severity"], f["status"]) for f in exchange["findings"]] == [
        ("unrequested-continue", "warning", 100)
    ]
    asked = run(bad_server + "/continue", "-X", "POST", "-H", "Expect: 100-continue", "-d", "x", "--json")
    assert asked.returncode == 0 and as_json(asked)["exchanges"][0]["findings"] == []
    text = out(run(bad_server + "/continue"))
    assert "-> 100 Continue, 200 OK" in text and "[100]" in text


def test_interim_without_final(bad_server: str) -> None:
    result = run(bad_server + "/interim-only", "-X", "POST", "-H", "Expect: 100-continue", "-d", "x", "--json")
    assert result.returncode == 1
    assert "interim-as-final" in rules(result)


def test_early_hints_are_clean(bad_server: str) -> None:
    result = run(bad_server + "/hints", "--json")
    assert result.returncode == 0 and as_json(result)["exchanges"][0]["interim"] == [103]


def test_500_for_malformed_json(bad_server: str) -> None:
    result = run(bad_server + "/500", "-H", "Content-Type: application/json", "-d", "{not json", "--json")
    assert "server-error-for-malformed-content" in rules(result)
    good = run(bad_server + "/500", "-H", "Content-Type: application/json", "-d", '{"a": 1}', "--json")
    assert "server-error-for-malformed-content" not in rules(good)


def test_data_from_file(bad_server: str, tmp_path: pathlib.Path) -> None:
    body = tmp_path / "body.json"
    body.write_text("[1, 2", encoding="utf-8")
    result = run(bad_server + "/500", "-H", "Content-Type: application/json", "-d", f"@{body}", "--json")
    assert "server-error-for-malformed-content" in rules(result)


def test_several_urls(bad_server: str) -> None:
    result = run(bad_server + "/ok", bad_server + "/401", "--json")
    doc = as_json(result)
    assert [e["status"] for e in doc["exchanges"]] == [200, 401]
    assert doc["counts"]["error"] == 1 and doc["exit"] == 1 == result.returncode


# -- exit status and --fail-on --------------------------------------------------


@pytest.mark.parametrize(
    "path,fail_on,code",
    [
        ("/401", "error", 1),  # an error
        ("/301", "error", 0),  # warnings only
        ("/301", "warning", 1),
        ("/429", "warning", 0),  # info only
        ("/429", "info", 1),
        ("/ok", "info", 0),
    ],
)
def test_fail_on(bad_server: str, path: str, fail_on: str, code: int) -> None:
    result = run(bad_server + path, "--fail-on", fail_on)
    assert result.returncode == code, out(result)


def test_ignore(bad_server: str) -> None:
    result = run(bad_server + "/401", "--ignore", "required-field-*", "--json")
    assert result.returncode == 0 and rules(result) == []


# -- output -----------------------------------------------------------------------


def test_json_shape(bad_server: str) -> None:
    doc = as_json(run(bad_server + "/401", "--json"))
    assert set(doc) == {"statuskit", "lang", "fail_on", "error", "exchanges", "skipped", "counts", "exit"}
    assert doc["error"] is None
    assert doc["lang"] == "en" and doc["fail_on"] == "error" and doc["skipped"] == 0
    assert doc["counts"] == {"error": 1, "warning": 0, "info": 0} and doc["exit"] == 1
    (exchange,) = doc["exchanges"]
    assert set(exchange) == {"source", "request", "status", "reason", "interim", "error", "findings"}
    assert exchange["request"] == {"method": "GET", "target": bad_server + "/401"}
    assert (exchange["status"], exchange["reason"], exchange["interim"], exchange["error"]) == (
        401,
        "Unauthorized",
        [],
        None,
    )
    (finding,) = exchange["findings"]
    assert set(finding) == {"rule", "severity", "status", "section", "url", "message", "message_en", "message_zh"}
    assert finding["rule"] == "required-field-missing" and finding["severity"] == "error" and finding["status"] == 401
    assert finding["section"] == "RFC 9110 §15.5.2"
    assert finding["url"] == "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2"
    assert finding["message"] == finding["message_en"]


def test_grouped_by_severity(bad_server: str) -> None:
    text = out(run(bad_server + "/206"))
    assert text.index("errors (1)") < text.index("warnings (2)")
    assert "\033[" not in text  # piped: no colour


def test_chinese(bad_server: str) -> None:
    result = run(bad_server + "/401", "--lang", "zh-CN")
    assert "错误 (1)" in out(result) and "必须带 WWW-Authenticate" in out(result)
    assert "共检查 1 个响应：1 个错误" in out(result)
    from_env = run(bad_server + "/401", env={"LANG": "zh_CN.UTF-8"})
    assert "错误 (1)" in out(from_env)
    assert as_json(run(bad_server + "/401", "--json", env={"LC_ALL": "zh_CN.UTF-8"}))["exchanges"][0]["findings"][0][
        "message"
    ].startswith("401 Unauthorized 响应")


def test_colour(bad_server: str) -> None:
    assert "\033[1;31m" in out(run(bad_server + "/401", "--color", "always"))
    assert "\033[" not in out(run(bad_server + "/401", "--color", "auto", env={"NO_COLOR": "1"}))


# -- a raw response on stdin --------------------------------------------------------


def test_stdin_with_interim_responses() -> None:
    raw = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
        b"HTTP/1.1 401 Unauthorized\r\nDate: Mon, 02 Nov 2026 10:00:00 GMT\r\nContent-Length: 0\r\n\r\n"
    )
    result = run("-", "--json", stdin=raw)
    doc = as_json(result)
    (exchange,) = doc["exchanges"]
    assert (exchange["interim"], exchange["status"], exchange["request"], exchange["source"]) == (
        [100, 103],
        401,
        None,
        "stdin",
    )
    assert "required-field-missing" in rules(result) and result.returncode == 1


def test_stdin_describing_the_request() -> None:
    raw = b"HTTP/1.1 304 Not Modified\r\nDate: Mon, 02 Nov 2026 10:00:00 GMT\r\n\r\n"
    assert "not-modified-without-condition" not in rules(run("-", "--json", stdin=raw))  # request unknown
    described = run("-", "-X", "GET", "--json", stdin=raw)
    assert "not-modified-without-condition" in rules(described)
    conditional = run("-", "-H", 'If-None-Match: "v1"', "--json", stdin=raw)
    found = as_json(conditional)["exchanges"][0]["findings"]
    assert any(f["rule"] == "required-field-missing" and "ETag" in f["message_en"] for f in found)


def test_stdin_from_curl(bad_server: str, tool: Callable[[str], str]) -> None:
    curl = subprocess.run([tool("curl"), "-si", bad_server + "/continue"], capture_output=True, timeout=30)
    assert curl.returncode == 0, curl.stderr
    result = run("-", "--json", stdin=curl.stdout)
    assert as_json(result)["exchanges"][0]["interim"] == [100]


@pytest.fixture(scope="module")
def statuskit_url() -> Iterator[str]:
    from statuskit.server import ServerConfig, ServerThread

    with ServerThread(ServerConfig.from_options(port=0, access_log=False)) as server:
        yield server.url


@pytest.mark.parametrize("path,codes", [("/302", [302, 200]), ("/301", [301, 200]), ("/redirect/2", [302, 302, 200])])
def test_stdin_from_curl_following_redirects(
    statuskit_url: str, tool: Callable[[str], str], path: str, codes: list[int]
) -> None:
    # docs/lint.md promises `curl -siL URL | statuskit check -`; curl prints the
    # heads of the redirects it followed without their content (Content-Length: 99).
    shown = subprocess.run([tool("curl"), "-siL", statuskit_url + path], capture_output=True, timeout=30, check=True)
    assert b"Content-Length: " in shown.stdout.split(b"\r\n\r\n")[0]
    result = run("-", "--json", stdin=shown.stdout)
    assert result.returncode == 0, err(result)
    assert [e["status"] for e in as_json(result)["exchanges"]] == codes
    human = run("-", stdin=shown.stdout)
    assert human.returncode == 0 and f"-> {codes[0]} " in out(human), err(human)


@pytest.mark.parametrize(
    "args,stdin,needle",
    [
        (["-"], b"garbage\n", "not an HTTP response"),
        (["--har", "/nonexistent/x.har"], b"", "cannot read HAR file"),
        (["--bogus"], b"", "unrecognized arguments: --bogus"),
        (["http://127.0.0.1:1/"], b"", "127.0.0.1:1"),
    ],
)
def test_errors_are_a_json_document_with_json(args: list[str], stdin: bytes, needle: str) -> None:
    result = run(*args, "--json", "--fail-on", "warning", stdin=stdin)
    doc = as_json(result)
    assert result.returncode == 2 and doc["exit"] == 2 and doc["fail_on"] == "warning"
    error = doc["error"] or doc["exchanges"][0]["error"]  # a URL that cannot be fetched is one exchange's error
    assert needle in error and needle in err(result)


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, pathlib.Path]]:
    from statuskit.server import ServerProcess

    ca = tmp_path_factory.mktemp("ca") / "ca.pem"
    server = ServerProcess(["--tls", "--ca-out", str(ca)]).start()
    try:
        yield server, ca
    finally:
        server.stop()


@pytest.mark.parametrize("client", ["raw", "httpx"])
def test_https_server_with_its_own_ca(tls_server: tuple[Any, pathlib.Path], client: str) -> None:
    server, ca = tls_server
    url = server.url_for("/404")
    refused = run(url, "--client", client)
    assert refused.returncode == 2 and "--cacert FILE, or --insecure" in err(refused)
    for trust, env in (
        (["--cacert", str(ca)], {}),
        (["--insecure"], {}),
        (["-k"], {}),
        ([], {"SSL_CERT_FILE": str(ca)}),
    ):
        result = run(url, "--client", client, "--json", *trust, env=env)
        assert result.returncode == 0, (trust, env, err(result))
        assert as_json(result)["exchanges"][0]["status"] == 404
    by_name = run(f"https://localhost:{server.port}/503", "--client", client, "--cacert", str(ca), "--json")
    assert as_json(by_name)["exchanges"][0]["status"] == 503


@pytest.mark.parametrize(
    "args,needle",
    [
        (
            ["--cacert", "/nonexistent/ca.pem", "https://127.0.0.1:1/"],
            "cannot use '/nonexistent/ca.pem' as a CA bundle",
        ),
        (["--cacert", "x.pem", "-k", "https://127.0.0.1:1/"], "not both"),
        (["-k", "-"], "a HAR file or stdin is not fetched"),
    ],
)
def test_tls_options_misused(args: list[str], needle: str) -> None:
    result = run(*args)
    assert result.returncode == 2 and needle in err(result) and result.stdout == b""


def test_stdin_several_responses() -> None:
    raw = (
        b"HTTP/1.1 301 Moved Permanently\nLocation: /b\nContent-Length: 0\n\nHTTP/1.1 404 Not Found\nContent-Length: "
        b"0\n\n"
    )
    doc = as_json(run("-", "--json", stdin=raw))
    assert [e["source"] for e in doc["exchanges"]] == ["stdin#0", "stdin#1"]


# -- bad input: one line on stderr, exit 2, never a traceback --------------------------


def one_line_error(result: subprocess.CompletedProcess[Any], *needles: str) -> None:
    assert result.returncode == 2, (out(result), err(result))
    text = err(result)
    assert text.startswith("statuskit: ") and text.count("\n") == 1, text
    assert "Traceback" not in text
    for needle in needles:
        assert needle in text, text


def unused_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_unreachable_url() -> None:
    result = run(f"http://127.0.0.1:{unused_port()}/")
    one_line_error(result, "cannot connect")
    assert "not checked" in out(result)


def test_unreachable_url_json() -> None:
    result = run(f"http://127.0.0.1:{unused_port()}/", "--json")
    assert result.returncode == 2
    assert as_json(result)["exchanges"][0]["error"].startswith("cannot connect")


@pytest.mark.parametrize("url", ["ftp://example.test/", "not a url", "http://127.0.0.1:99999/"])
def test_bad_urls(url: str) -> None:
    one_line_error(run(url), "cannot fetch")


def test_unreadable_har(tmp_path: pathlib.Path) -> None:
    one_line_error(run("--har", str(tmp_path / "missing.har")), "cannot read HAR file", "No such file")


@pytest.mark.parametrize(
    "content,needle",
    [
        (b"not json at all", "is not JSON"),
        (b'{"log": {}}', "no log.entries"),
        (b"[]", "no log.entries"),
        (b'{"log": {"entries": [{"request": {}}]}}', "needs a method and a url"),
        (b'{"log": {"entries": []}}', "no entries with a response"),
        (b"\xff\xfe\x00garbage", "is not JSON"),
    ],
)
def test_invalid_har(tmp_path: pathlib.Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.har"
    path.write_bytes(content)
    one_line_error(run("--har", str(path)), needle)


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"", "empty"),
        (b"hello world\n", "not an HTTP response"),
        (b"\x00\x01\x02\x03\xff", "not an HTTP response"),
        (b"HTTP/1.1 OK\r\n\r\n", "three digits"),
    ],
)
def test_garbage_on_stdin(data: bytes, needle: str) -> None:
    one_line_error(run("-", stdin=data), needle)


@pytest.mark.parametrize(
    "args,needle",
    [
        (["http://127.0.0.1/", "-H", "NoColon"], "bad header"),
        (["http://127.0.0.1/", "-H", "Bad Name: x"], "bad header"),
        ([], "nothing to check"),
        (["-", "http://127.0.0.1/"], "cannot be mixed"),
        (["--har", "x.har", "http://127.0.0.1/"], "not several"),
        (["--har", "x.har", "-X", "POST"], "records its own"),
        (["http://127.0.0.1/", "--fail-on", "fatal"], "invalid choice"),
        (["http://127.0.0.1/", "--timeout", "0"], "--timeout"),
        (["http://127.0.0.1/", "-d", "@/nonexistent/file"], "cannot read -d file"),
    ],
)
def test_usage_errors(args: list[str], needle: str) -> None:
    one_line_error(run(*args), needle)


def test_help() -> None:
    result = run("--help")
    assert result.returncode == 0 and "--har FILE" in out(result) and "--fail-on" in out(result)


def test_a_bug_is_one_line_not_a_traceback(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import statuskit.lint
    from statuskit.cli import main

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(statuskit.lint, "lint_exchange", broken)
    monkeypatch.setattr(
        "sys.stdin", __import__("io").TextIOWrapper(__import__("io").BytesIO(b"HTTP/1.1 200 OK\r\n\r\n"))
    )
    monkeypatch.delenv("STATUSKIT_DEBUG", raising=False)
    assert main(["check", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "statuskit: internal error while checking: RuntimeError: a bug\n"
