"""statuskit's linter over every response of the resources: no finding of severity error.

Each exchange is made with httpx against the real server (redirects not
followed, so every 3xx is checked itself) and handed to
`statuskit.lint.check(request, response)` as a user of the linter would.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterator

import httpx
import pytest

from statuskit.lint import Severity, check
from statuskit.server import ServerThread

BASIC = {"Authorization": "Basic " + base64.b64encode(b"u:p").decode()}
JSON = {"Content-Type": "application/json"}

# (method, path, headers, content, expected status)
EXCHANGES: list[tuple[str, str, dict[str, str], bytes, int]] = [
    ("GET", "/", {"Accept": "application/json"}, b"", 200),
    ("GET", "/anything/x?a=1", {}, b"", 200),
    ("POST", "/anything", JSON, b'{"a": 1}', 200),
    ("POST", "/anything", {"Content-Encoding": "gzip", **JSON}, gzip.compress(b"{}"), 200),
    ("POST", "/anything", {"Content-Encoding": "br"}, b"x", 415),
    ("POST", "/anything", {"Content-Encoding": "gzip"}, b"junk", 400),
    ("TRACE", "/anything", {}, b"", 200),
    ("GET", "/get", {}, b"", 200),
    ("HEAD", "/get", {}, b"", 200),
    ("POST", "/get", {}, b"x", 405),
    ("OPTIONS", "/post", {}, b"", 204),
    ("POST", "/post", {}, b"x", 200),
    ("PUT", "/put", {}, b"x", 200),
    ("PATCH", "/patch", {}, b"x", 200),
    ("DELETE", "/delete", {}, b"", 200),
    *[("GET", f"/redirect/2?status={code}", {}, b"", code) for code in (301, 302, 303, 307, 308)],
    ("POST", "/redirect/1?status=307", {}, b"x", 307),
    ("GET", "/redirect/2?absolute=1", {}, b"", 302),
    ("HEAD", "/relative-redirect/2", {}, b"", 302),
    ("GET", "/absolute-redirect/2", {}, b"", 302),
    ("GET", "/redirect-to?url=/get&status_code=308", {}, b"", 308),
    ("GET", "/redirect-to?url=https://evil.example/", {}, b"", 400),
    ("GET", "/redirect/0", {}, b"", 400),
    ("GET", "/basic-auth/u/p", {}, b"", 401),
    ("GET", "/basic-auth/u/p", BASIC, b"", 200),
    ("GET", "/hidden-basic-auth/u/p", {}, b"", 404),
    ("GET", "/forbidden-auth/u/p", {}, b"", 401),
    ("GET", "/forbidden-auth/u/p", BASIC, b"", 403),
    ("GET", "/proxy-auth/u/p", {}, b"", 407),
    ("GET", "/proxy-auth/u/p", {"Proxy-Authorization": BASIC["Authorization"]}, b"", 200),
    ("GET", "/bearer", {}, b"", 401),
    ("GET", "/bearer", {"Authorization": "Bearer bad token"}, b"", 401),
    ("GET", "/bearer", {"Authorization": "Bearer good"}, b"", 200),
    ("GET", "/digest-auth/auth/u/p/SHA-256", {}, b"", 401),
    ("GET", "/digest-auth/nope/u/p", {}, b"", 400),
    ("GET", "/methods", {}, b"", 200),
    ("HEAD", "/methods", {}, b"", 200),
    ("OPTIONS", "/methods", {}, b"", 204),
    ("DELETE", "/methods", {}, b"", 405),
    ("PUT", "/methods", JSON, b'{"linted": true}', 204),
    ("PUT", "/methods", {"Content-Type": "application/xml"}, b"<a/>", 415),
    ("GET", "/negotiate", {"Accept": "application/json", "Accept-Language": "zh"}, b"", 200),
    ("GET", "/negotiate", {"Accept": "image/png"}, b"", 406),
    ("GET", "/negotiate", {"Accept": "text/html;q=7"}, b"", 400),
    ("GET", "/negotiate/en.html", {}, b"", 200),
    ("POST", "/negotiate", {"Content-Type": "text/csv"}, b"a,b", 415),
    ("POST", "/negotiate", {"Content-Type": "text/plain", "Content-Encoding": "zstd"}, b"x", 415),
    ("POST", "/negotiate", JSON, b"[1]", 200),
    ("GET", "/items", {}, b"", 200),
    ("PUT", "/items/lint", JSON, b'{"version": 0}', 201),
    ("GET", "/items/lint", {}, b"", 200),
    ("PUT", "/items/lint", JSON, b'{"version": 1}', 200),
    ("PUT", "/items/lint", JSON, b'{"version": 1}', 409),
    ("PUT", "/items/lint", {"If-Match": '"lint-v1"', **JSON}, b"{}", 412),
    ("DELETE", "/items/lint", {}, b"", 204),
    ("GET", "/items/lint", {}, b"", 410),
    ("GET", "/items/none", {}, b"", 404),
    ("POST", "/items", JSON, b"{}", 201),
    ("POST", "/jobs?seconds=0", {}, b"", 202),
    ("GET", "/jobs", {}, b"", 200),
    # httpbin's other endpoints (docs/httpbin.md)
    *[
        ("GET", path, {}, b"", 200)
        for path in ("/headers", "/ip", "/user-agent", "/uuid", "/cookies", "/gzip", "/deflate", "/brotli")
    ],
    *[
        ("GET", path, {}, b"", 200)
        for path in ("/html", "/json", "/xml", "/robots.txt", "/deny", "/encoding/utf8", "/forms/post")
    ],
    ("GET", "/image", {"Accept": "image/webp"}, b"", 200),
    ("GET", "/image", {"Accept": "text/plain"}, b"", 406),
    *[("GET", f"/image/{name}", {}, b"", 200) for name in ("png", "jpeg", "webp", "svg")],
    ("GET", "/cookies/set?a=1&b=2", {}, b"", 302),
    ("GET", "/cookies/set/a/1", {}, b"", 302),
    ("GET", "/cookies/delete?a", {}, b"", 302),
    ("GET", "/base64/c3RhdHVza2l0", {}, b"", 200),
    ("GET", "/links/3", {}, b"", 302),
    ("GET", "/links/3/1", {}, b"", 200),
    ("GET", "/bytes/100?seed=1", {}, b"", 200),
    ("GET", "/stream-bytes/100?chunk_size=30", {}, b"", 200),
    ("GET", "/stream/3", {}, b"", 200),
    ("HEAD", "/stream/3", {}, b"", 200),
    ("GET", "/drip?numbytes=5&duration=0.05", {}, b"", 200),
    ("GET", "/drip?numbytes=0&duration=0&code=204", {}, b"", 204),
    ("POST", "/delay/0", {}, b"x", 200),
    ("GET", "/response-headers?X-A=1&X-A=2", {}, b"", 200),
    ("POST", "/response-headers?Content-Type=text/plain", {}, b"", 200),
    ("GET", "/response-headers?Connection=close", {}, b"", 400),
    ("GET", "/redirect-to?url=get", {}, b"", 302),
    ("GET", "/digest-auth/auth/u/p/MD5/3", {}, b"", 401),
]


@pytest.fixture(scope="module")
def client(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=5, follow_redirects=False) as client:
        yield client


def _errors(response: httpx.Response) -> list[str]:
    findings = check(response.request, response)
    return [f"{f.rule}: {f.message_en}" for f in findings if f.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("method", "path", "headers", "content", "status"), EXCHANGES, ids=[f"{m} {p} {s}" for m, p, _, _, s in EXCHANGES]
)
def test_no_lint_errors(
    client: httpx.Client, method: str, path: str, headers: dict[str, str], content: bytes, status: int
) -> None:
    response = client.request(method, path, headers=headers, content=content or None)
    assert response.status_code == status, response.text
    assert _errors(response) == []


def test_no_lint_errors_along_a_job_and_a_digest_exchange(client: httpx.Client) -> None:
    monitor = client.post("/jobs?seconds=0").headers["content-location"]
    done = client.get(monitor)
    assert done.status_code == 303 and _errors(done) == []
    result = client.get(done.headers["location"])
    assert result.status_code == 200 and _errors(result) == []
    authed = client.get("/digest-auth/auth/u/p", auth=httpx.DigestAuth("u", "p"))
    assert authed.status_code == 200 and _errors(authed) == []
