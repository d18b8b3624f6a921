"""HAR files: one recorded by Chromium against the misbehaving server, and hand-written ones for the corners."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
from typing import Any

import pytest

from statuskit.lint import lint_exchange
from statuskit.lint.har import HarError, read_har


def check_har(path: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run(
        [sys.executable, "-m", "statuskit", "check", "--har", str(path), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=60,
    )


def test_chromium_har(chromium_har: pathlib.Path, bad_server: str) -> None:
    har = json.loads(chromium_har.read_text(encoding="utf-8"))
    assert (
        "chrom" in json.dumps(har["log"]["browser"]).lower()
        or "playwright" in json.dumps(har["log"]["creator"]).lower()
    )
    result = check_har(chromium_har, "--json")
    assert result.returncode == 1, result.stderr
    assert result.stderr == ""
    doc = json.loads(result.stdout)
    by_path = {e["request"]["target"].removeprefix(bad_server): e for e in doc["exchanges"]}
    assert {"/", "/ok", "/401", "/405", "/204", "/301", "/429", "/206", "/503-bad-retry"} <= set(by_path)

    def found(path: str) -> list[tuple[str, str]]:
        return [(f["rule"], f["message_en"]) for f in by_path[path]["findings"]]

    assert by_path["/ok"]["findings"] == [] and by_path["/"]["findings"] == []
    assert any(r == "required-field-missing" and "WWW-Authenticate" in m for r, m in found("/401"))
    assert any(r == "required-field-missing" and "Allow" in m for r, m in found("/405"))
    assert any(r == "content-length-forbidden" for r, _ in found("/204"))
    assert any(r == "recommended-field-missing" and "Location" in m for r, m in found("/301"))
    assert any(r == "optional-field-missing" and "Retry-After" in m for r, m in found("/429"))
    assert any(r.startswith("httplint:BAD_SYNTAX") and "Content-Range" in m for r, m in found("/206"))
    assert any(r.startswith("httplint:BAD_SYNTAX") and "Retry-After" in m for r, m in found("/503-bad-retry"))


def test_chromium_har_human_output(chromium_har: pathlib.Path) -> None:
    result = check_har(chromium_har)
    assert "9 responses checked:" in result.stdout
    assert "GET http://127.0.0.1:" in result.stdout and "-> 401 Unauthorized" in result.stdout


def entry(
    method: str,
    url: str,
    status: int,
    headers: dict[str, str],
    req_headers: dict[str, str] | None = None,
    text: str | None = None,
    **content: Any,
) -> dict[str, Any]:
    return {
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": k, "value": v} for k, v in (req_headers or {}).items()],
        },
        "response": {
            "status": status,
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": k, "value": v} for k, v in headers.items()],
            "content": {"size": len(text or ""), **({"text": text} if text is not None else {}), **content},
            "bodySize": -1,
        },
    }


def har(*entries: dict[str, Any]) -> bytes:
    return json.dumps({"log": {"version": "1.2", "entries": list(entries)}}).encode()


def test_304_is_checked_against_the_earlier_200() -> None:
    url = "http://example.test/a"
    ok = {"Date": "Mon, 02 Nov 2026 10:00:00 GMT", "ETag": '"v1"', "Cache-Control": "max-age=60", "Vary": "Accept"}
    data = har(
        entry("GET", url, 200, ok, text="hello"),
        entry("GET", url, 304, {"Date": "Mon, 02 Nov 2026 10:01:00 GMT", "ETag": '"v1"'}, {"If-None-Match": '"v1"'}),
        {
            "request": {"method": "GET", "url": url, "headers": []},
            "response": {"status": 0, "headers": [], "content": {}},
        },
    )
    read = read_har(data)
    assert read.skipped == 1 and len(read.exchanges) == 2
    not_modified = read.exchanges[1]
    assert not_modified.earlier_ok is not None and not_modified.earlier_ok.get("Vary") == "Accept"
    missing = [f.message_en for f in lint_exchange(not_modified) if f.rule == "required-field-missing"]
    assert any("Cache-Control" in m for m in missing) and any("Vary" in m for m in missing)
    assert not any("ETag" in m for m in missing)


@pytest.mark.parametrize(
    "unanswered,line",
    [(1, "1 HAR entry without a response was skipped."), (2, "2 HAR entries without a response were skipped.")],
)
def test_skipped_entries_are_counted_in_words_that_agree(tmp_path: pathlib.Path, unanswered: int, line: str) -> None:
    url = "http://example.test/a"
    dropped = {
        "request": {"method": "GET", "url": url, "headers": []},
        "response": {"status": 0, "headers": [], "content": {}},
    }
    path = tmp_path / "s.har"
    path.write_bytes(
        har(entry("GET", url, 200, {"Date": "Mon, 02 Nov 2026 10:00:00 GMT"}, text="hi"), *[dropped] * unanswered)
    )
    assert check_har(path).stdout.splitlines()[-1] == line


def test_har_content_rules() -> None:
    import base64

    url = "http://example.test/b"
    data = har(
        entry("GET", url, 200, {"Content-Length": "3"}, text=base64.b64encode(b"abc").decode(), encoding="base64"),
        entry("GET", url, 200, {"Content-Encoding": "gzip", "Content-Length": "30"}, text="decoded by the browser"),
        entry("GET", url, 304, {"ETag": '"x"'}, {"If-None-Match": '"x"'}, text="the cached body the browser reused"),
        entry("POST", url, 500, {"Content-Length": "0"}, {"Content-Type": "application/json"}),
    )
    data_doc = json.loads(data)
    data_doc["log"]["entries"][3]["request"]["postData"] = {"mimeType": "application/json", "text": "{oops"}
    read = read_har(json.dumps(data_doc))
    assert read.exchanges[0].response.body == b"abc"
    assert read.exchanges[1].response.body is None  # coded: the octets as sent are unknown
    assert read.exchanges[2].response.body is None  # a 304 carried none; the text is the cache's
    assert all(f.rule != "httplint:CL_INCORRECT" for ex in read.exchanges for f in lint_exchange(ex))
    assert "server-error-for-malformed-content" in [f.rule for f in lint_exchange(read.exchanges[3])]


@pytest.mark.parametrize(
    "data,needle",
    [
        (b"{", "not JSON"),
        (b'{"log": []}', "no log.entries"),
        (b'{"log": {"entries": [1]}}', "is not an object"),
        (
            b'{"log": {"entries": [{"request": {"method": "GET", "url": "/"}, "response": {"status": "x"}}]}}',
            "status is not a number",
        ),
        (
            b'{"log": {"entries": [{"request": {"method": "GET", "url": "/", "headers": {}}, "response": {"status": '
            b"200}}]}}",
            "headers is not a list",
        ),
        (
            b'{"log": {"entries": [{"request": {"method": "GET", "url": "/"}, "response": {"status": 200, "content": '
            b'{"text": "%%%", "encoding": "base64"}}}]}}',
            "base64",
        ),
    ],
)
def test_har_errors(data: bytes, needle: str) -> None:
    with pytest.raises(HarError, match=needle):
        read_har(data, name="x.har")


@pytest.mark.parametrize("required,outcome", [("", "skipped"), ("1", "error")])  # the fixture fails: an error
def test_missing_browser_skips_unless_required(required: str, outcome: str) -> None:
    env = {
        **os.environ,
        "STATUSKIT_CHROMIUM": "/nonexistent/chromium",
        "STATUSKIT_REQUIRE_TOOLS": required,
        "STATUSKIT_REQUIRE_BROWSER": "",
        "COLUMNS": "300",
    }
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", f"{__file__}::test_chromium_har_human_output"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=pathlib.Path(__file__).parent,
    )
    assert f"1 {outcome}" in result.stdout, result.stdout
    assert "/nonexistent/chromium" in result.stdout
