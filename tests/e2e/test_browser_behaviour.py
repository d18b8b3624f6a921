"""What Chromium really does with status codes, against the real `statuskit serve`.

Each probe makes Debian's Chromium (Playwright, see tests/conftest.py) meet a code the way a web
developer relies on - a redirect after a form, a 204 navigation, a revalidated 304, a challenge,
a Retry-After - and reduces what happened to an observation (`{key, values}`). The observation
is compared with the committed table `registry/chromium_behaviour.json`: a change in what
Chromium does is a failure. Where MDN's browser-compat data says something about a row, the row
records whether Chromium agrees; a disagreement is a finding for docs/browsers.md, not a failure.

    STATUSKIT_UPDATE_BROWSERS=1 pytest tests/e2e/test_browser_behaviour.py

writes the table and docs/browsers.md from this run (commit both). The requests each probe
caused are counted in the server's access log; a sentinel request after the probe guarantees
that every retry the browser made is already in it.
"""

from __future__ import annotations

import datetime
import json
import os
import re
import ssl
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from importlib import resources
from typing import Any

import pytest

from statuskit.registry import behaviour as seen, compat
from tests.support.browser_table import DOC, render

# Skipped with an install hint without Chromium, failed under STATUSKIT_REQUIRE_TOOLS=1 (tests/conftest.py).
pytestmark = pytest.mark.tools("chromium")

UPDATE = os.environ.get("STATUSKIT_UPDATE_BROWSERS") == "1"
TABLE_PATH = resources.files("statuskit.registry") / seen.MEASURED_FILE
LOG_TIMEOUT_S = 10
NET_ERROR = re.compile(r"net::ERR_[A-Z_]+")
ROW_ORDER = (
    "301-form-post",
    "302-form-post",
    "303-form-post",
    "307-form-post",
    "308-form-post",
    "302-loop",
    "302-relative",
    "204-navigation",
    "205-navigation",
    "204-fetch",
    "304-revalidate",
    "401-basic",
    "407-navigation",
    "407-fetch",
    "421-navigation",
    "425-navigation",
    "429-navigation",
    "503-navigation",
    "103-http1",
    "103-http2",
)


def obs(key: str, **values: object) -> dict[str, Any]:
    return {"key": key, "values": {k: str(v) for k, v in values.items()}}


# -- what MDN's data implies for a row -------------------------------------------------------


def mdn_entry(code: int, browser: str) -> compat.Entry | None:
    """MDN's entry for `browser` ("chrome", "firefox") in the code's own feature."""
    for feature in compat.support(code)[:1]:
        for entry in feature.entries:
            if entry.browser == browser:
                return entry
    return None


def supported_in(entry: compat.Entry | None, major: int) -> bool:
    return entry is not None and isinstance(entry.added, str) and entry.added.isdigit() and int(entry.added) <= major


def mdn_expects(row_id: str, major: int, browser: str = "chrome") -> dict[str, Any] | None:
    """The observation MDN's data for `browser` implies for the row, or None where it says nothing about it.

    308: a version that supports it keeps POST and its content. 103: "HTTP/2 and later only" means
    a 103 over HTTP/1.1 is ignored; support without that note means the hint is used over HTTP/1.1
    too. 425 is behind a flag in Chrome, and the support it describes is retrying a request sent in
    TLS early data - which a plain HTTP request never is - so no row can confirm or refute it here.
    """
    if row_id == "308-form-post" and supported_in(mdn_entry(308, browser), major):
        return obs("method_content", method="POST")
    entry = mdn_entry(103, browser)
    if row_id == "103-http2" and entry is not None and supported_in(entry, major):
        return obs("hint_used", target="/200")
    if row_id == "103-http1" and entry is not None:
        if "http2_only" in entry.notes:
            return obs("hint_ignored", target="/200")
        if supported_in(entry, major):
            return obs("hint_used", target="/200")
    return None


# -- the run -----------------------------------------------------------------------------


class Run:
    """The rows observed in this module, and the committed table they are compared with."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.major = int(version.split(".")[0])
        self.committed = {row["id"]: row for row in seen.measured()["rows"]}
        self.rows: dict[str, dict[str, Any]] = {}
        self.firefox_version = ""
        self.firefox: dict[str, dict[str, Any]] = {}

    def record_firefox(self, row_id: str, observed: dict[str, Any]) -> None:
        """Firefox's observation for a row Chromium also has (the Firefox column)."""
        major = int(self.firefox_version.split(".")[0])
        expected = mdn_expects(row_id, major, "firefox")
        self.firefox[row_id] = {
            "observed": observed,
            "mdn_expects": expected,
            "agree": None if expected is None else expected == observed,
        }
        if UPDATE:
            return
        before = (self.committed.get(row_id) or {}).get("firefox")
        assert before is not None, f"{row_id} has no Firefox cell in the committed table: update (see the docstring)"
        table = seen.measured()["firefox"]
        assert observed == before["observed"], (
            f"{row_id}: Firefox {self.firefox_version} now does {seen.observation_text(observed)!r}; "
            f"Firefox {table['version']} on {table['date']} did {seen.observation_text(before['observed'])!r}. "
            "If that is the new behaviour, rerun with STATUSKIT_UPDATE_BROWSERS=1 and commit docs/browsers.md."
        )

    def record(self, row_id: str, code: int, via: str, behaviour: str, observed: dict[str, Any]) -> None:
        expected = mdn_expects(row_id, self.major)
        self.rows[row_id] = {
            "id": row_id,
            "code": code,
            "via": via,
            "behaviour": behaviour,
            "observed": observed,
            "mdn_expects": expected,
            "agree": None if expected is None else expected == observed,
        }
        if UPDATE:
            return
        before = self.committed.get(row_id)
        assert before is not None, f"{row_id} is not in the committed table: run with STATUSKIT_UPDATE_BROWSERS=1"
        table = seen.measured()
        assert observed == before["observed"], (
            f"{row_id}: Chromium {self.version} now does {seen.observation_text(observed)!r}; "
            f"Chromium {table['version']} on {table['date']} did {seen.observation_text(before['observed'])!r}. "
            "If that is the new behaviour, rerun with STATUSKIT_UPDATE_BROWSERS=1 and commit docs/browsers.md."
        )

    def table(self) -> dict[str, Any]:
        """This run as the committed table; a partial run (-k) keeps the rows it did not measure."""
        today = datetime.datetime.now(datetime.UTC).date().isoformat()
        rows = []
        for i in ROW_ORDER:
            row = self.rows.get(i) or self.committed.get(i)
            if row is not None:
                rows.append({**row, "firefox": self.firefox.get(i) or (self.committed.get(i) or {}).get("firefox")})
        before = seen.measured().get("firefox")
        firefox = {"browser": "Firefox ESR", "version": self.firefox_version, "date": today} if self.firefox else before
        return {
            "browser": "Chromium",
            "version": self.version,
            "date": today,
            "protocol": "HTTP/1.1",
            "firefox": firefox,
            "rows": rows,
        }


@pytest.fixture(scope="module")
def server() -> Iterator[Any]:
    from statuskit.server import ServerProcess

    with ServerProcess([]) as running:  # not --quiet: the access log is the measurement
        yield running


@pytest.fixture(scope="module")
def run(browser: Any) -> Iterator[Run]:
    observed = Run(browser.version)
    yield observed
    if UPDATE and (observed.rows or observed.firefox):
        path = os.fspath(TABLE_PATH)
        with open(path, "w", encoding="utf-8") as out:
            out.write(json.dumps(observed.table(), ensure_ascii=False, indent=1) + "\n")
        seen._measured.clear()
        DOC.write_text(render(seen.measured()), encoding="utf-8")


@pytest.fixture
def ctx(browser_context: Any) -> Any:
    return browser_context


def requests_for(server: Any, target: str) -> list[tuple[str, str, int]]:
    """(method, target, status) of every logged request whose target starts with `target`.

    A sentinel request goes first; once its line is in the log, every request the browser made
    before it is too (one worker, lines written in order).
    """
    sentinel = f"/200?sentinel={uuid.uuid4().hex}"
    tls = ssl.create_default_context(cafile=server.ca_bundle) if server.ca_bundle else None
    with urllib.request.urlopen(server.url_for(sentinel), timeout=LOG_TIMEOUT_S, context=tls) as answer:
        answer.read()
    deadline = time.monotonic() + LOG_TIMEOUT_S
    while not any(sentinel in line for line in list(server.lines)):
        assert time.monotonic() < deadline, f"the sentinel {sentinel} never reached the access log"
        time.sleep(0.02)
    found = []
    for line in list(server.lines):
        match = re.search(r'"(\S+) (\S+) HTTP/[\d.]+" (\d{3})', line)
        if match and match[2].startswith(target):
            found.append((match[1], match[2], int(match[3])))
    return found


def probe_id() -> str:
    return uuid.uuid4().hex[:12]


def error_of(action: Callable[[], Any]) -> str:
    """The net::ERR_ code a navigation failed with, or "" when it did not fail."""
    from playwright.sync_api import Error

    try:
        action()
    except Error as exc:  # its message names the net error
        found = NET_ERROR.search(str(exc))
        return found[0] if found else type(exc).__name__
    return ""


# -- observations, the same for every browser ------------------------------------------------------


def followed_form(echo: dict[str, Any]) -> dict[str, Any]:
    """What /anything saw at the end of a redirect after the form POST of a=1."""
    if echo["form"] == {"a": "1"}:
        return obs("method_content", method=echo["method"])
    assert not echo["data"] and not echo["form"], echo
    return obs("method_no_content", method=echo["method"])


def revalidation(first: int, again: int, same: bool, answered: list[int]) -> dict[str, Any]:
    """Two fetches of a no-cache resource: statuses the script saw, the server's answers."""
    assert first == 200 and answered[0] == 200
    if again == 200 and same and answered == [200, 304]:
        return obs("cache_reused")
    return obs("cache_not_reused", status=again, server=", ".join(map(str, answered)))


def authenticated(statuses: list[int], body: dict[str, Any]) -> dict[str, Any]:
    """The server's answers to a Basic-auth navigation, and what /basic-auth finally said."""
    text = ", ".join(map(str, statuses))
    if statuses[:1] == [401] and statuses[-1:] == [200] and body.get("authenticated") is True:
        return obs("auth_after_challenge", statuses=text)
    return obs("auth_other", statuses=text)


FETCH = "url => fetch(url).then(r => `status ${r.status}`, e => e.name)"


def fetched(outcome: str) -> dict[str, Any]:
    """`status N` or the name of the error fetch rejected with."""
    if outcome.startswith("status "):
        return obs("fetch_status", status=outcome.removeprefix("status "))
    return obs("fetch_error", error=outcome)


# -- redirects ----------------------------------------------------------------------------

FORM = """([action, name, value]) => {
  const form = document.createElement("form");
  form.method = "post";
  form.action = action;
  const field = document.createElement("input");
  field.name = name;
  field.value = value;
  form.append(field);
  document.body.append(form);
  form.submit();
}"""


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_redirect_after_a_form_post(server: Any, run: Run, ctx: Any, code: int) -> None:
    page = ctx.new_page()
    page.goto(server.url_for("/docs/200"))
    target = f"/redirect-to?url=/anything&status_code={code}&probe={probe_id()}"
    with page.expect_navigation(url=re.compile(r"/anything$")):
        page.evaluate(FORM, [target, "a", "1"])
    echo = json.loads(page.evaluate("document.body.innerText"))
    assert [r[0] for r in requests_for(server, target)] == ["POST"], "the form itself is one POST"
    observed = followed_form(echo)
    run.record(f"{code}-form-post", code, "navigation", "form_post_redirect", observed)


def test_a_redirect_loop_is_stopped(server: Any, run: Run, ctx: Any) -> None:
    target = f"/302?loop={probe_id()}"
    # A caller-chosen field makes /302 point at itself; the browser context sends it on every hop.
    ctx.set_extra_http_headers({"X-Statuskit-Response-Location": target})
    page = ctx.new_page()
    error = error_of(lambda: page.goto(server.url_for(target)))
    count = len(requests_for(server, target))
    assert error, "a loop never ends in a page"
    run.record("302-loop", 302, "navigation", "redirect_loop", obs("loop_stopped", error=error, requests=count))


def test_a_relative_location_is_resolved(server: Any, run: Run, ctx: Any) -> None:
    probe = probe_id()
    ctx.set_extra_http_headers({"X-Statuskit-Response-Location": "../200"})
    page = ctx.new_page()
    start = f"/302/{probe}/x"
    page.goto(server.url_for(start))
    # ../200 from /302/{probe}/x is /302/200 (which /302 answers), and from there /200.
    seen = [t for _, t, _ in requests_for(server, "/") if t in (start, "/302/200", "/200")]
    assert page.url == server.url_for("/200"), page.url
    path = " → ".join(t.replace(probe, "{probe}") for t in seen[-3:])
    run.record("302-relative", 302, "navigation", "relative_location", obs("relative_resolved", path=path))


# -- 204, 205: the page is not replaced ----------------------------------------------------------


@pytest.mark.parametrize("code", [204, 205])
def test_no_content_navigation_keeps_the_page(server: Any, run: Run, ctx: Any, code: int) -> None:
    page = ctx.new_page()
    page.goto(server.url_for(f"/docs/{code}"))
    page.evaluate("window.statuskitMark = 'kept'")
    target = f"/{code}?probe={probe_id()}"
    error = error_of(lambda: page.goto(server.url_for(target)))
    assert [s for _, _, s in requests_for(server, target)] == [code]
    kept = page.evaluate("window.statuskitMark") == "kept" and page.url.endswith(f"/docs/{code}")
    observed = obs("page_kept", error=error or "no error") if kept else obs("page_replaced")
    run.record(f"{code}-navigation", code, "navigation", "no_replace", observed)


def test_no_content_by_fetch(server: Any, run: Run, ctx: Any) -> None:
    page = ctx.new_page()
    page.goto(server.url_for("/docs/204"))
    outcome = page.evaluate(FETCH, f"/204?probe={probe_id()}")
    run.record("204-fetch", 204, "fetch", "fetch_result", fetched(outcome))


# -- 304: a revalidated response is reused ------------------------------------------------------------

REVALIDATE = """async (url) => {
  const first = await fetch(url);
  const body = await first.text();
  const again = await fetch(url);
  return [first.status, again.status, (await again.text()) === body];
}"""


def test_a_revalidated_response_is_reused(server: Any, run: Run, ctx: Any) -> None:
    page = ctx.new_page()
    page.goto(server.url_for("/docs/304"))
    target = f"/etag/p{probe_id()}"
    first, again, same = page.evaluate(REVALIDATE, target)
    observed = revalidation(first, again, same, [s for _, _, s in requests_for(server, target)])
    run.record("304-revalidate", 304, "fetch", "revalidate", observed)


# -- 401, 407: challenges -------------------------------------------------------------------------


def test_basic_credentials_from_the_context(server: Any, run: Run, browser: Any) -> None:
    context = browser.new_context(http_credentials={"username": "ana", "password": "s3cret"})
    try:
        page = context.new_page()
        target = f"/basic-auth/ana/s3cret?probe={probe_id()}"
        answer = page.goto(server.url_for(target))
        statuses = [s for _, _, s in requests_for(server, target)]
        assert answer is not None
        body = json.loads(page.evaluate("document.body.innerText")) if answer.status == 200 else {}
    finally:
        context.close()
    observed = authenticated(statuses, body)
    run.record("401-basic", 401, "navigation", "basic_credentials", observed)


def test_407_from_an_origin_server(server: Any, run: Run, ctx: Any) -> None:
    page = ctx.new_page()
    target = f"/407?probe={probe_id()}"
    error = error_of(lambda: page.goto(server.url_for(target)))
    observed = obs("nav_error", error=error) if error else obs("shown_once", status=407)
    run.record("407-navigation", 407, "navigation", "proxy_auth_from_origin", observed)

    page = ctx.new_page()  # the first one is busy with Chromium's error page
    page.goto(server.url_for("/docs/407"))
    target = f"/407?probe={probe_id()}"
    outcome = page.evaluate(FETCH, target)
    observed = fetched(outcome)
    run.record("407-fetch", 407, "fetch", "proxy_auth_from_origin", observed)


# -- retries: 421, 425, 429, 503 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "behaviour"), [(421, "retry"), (425, "retry"), (429, "retry_after"), (503, "retry_after")]
)
def test_is_the_request_retried(server: Any, run: Run, ctx: Any, code: int, behaviour: str) -> None:
    page = ctx.new_page()
    target = f"/{code}?probe={probe_id()}" + ("&retry_after=1" if behaviour == "retry_after" else "")
    answer = page.goto(server.url_for(target))
    assert answer is not None
    count = len(requests_for(server, target))
    if count == 1:
        observed = obs("shown_once", status=answer.status)
    else:
        observed = obs("retried", requests=count, status=answer.status)
    run.record(f"{code}-navigation", code, "navigation", behaviour, observed)


# -- 103 Early Hints -----------------------------------------------------------------------------------


def test_early_hints_over_http1(server: Any, run: Run, ctx: Any) -> None:
    def hinted() -> int:
        return sum(1 for _, target, _ in requests_for(server, "/200") if target == "/200")

    page = ctx.new_page()
    before = hinted()
    answer = page.goto(server.url_for(f"/103?probe={probe_id()}"))
    assert answer is not None and answer.status == 200
    early = page.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.initiatorType === 'early-hints').length"
    )
    fetched = hinted() > before or early > 0
    observed = obs("hint_used", target="/200") if fetched else obs("hint_ignored", target="/200")
    run.record("103-http1", 103, "navigation", "early_hints_h1", observed)


@pytest.fixture(scope="module")
def tls_server() -> Iterator[Any]:
    """`statuskit serve --tls`: Chromium speaks HTTP/2 only over TLS (h2 by ALPN)."""
    from statuskit.server import ServerProcess

    with ServerProcess(["--tls"]) as running:
        yield running


def test_early_hints_over_http2(tls_server: Any, run: Run, browser: Any) -> None:
    context = browser.new_context(ignore_https_errors=True)  # the server's CA is made at its start
    try:
        page = context.new_page()

        def hinted() -> int:
            return sum(1 for _, target, _ in requests_for(tls_server, "/200") if target == "/200")

        before = hinted()
        answer = page.goto(tls_server.url_for(f"/103?probe={probe_id()}"))
        assert answer is not None and answer.status == 200
        assert page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol") == "h2"
        fetched = hinted() > before
    finally:
        context.close()
    observed = obs("hint_used", target="/200") if fetched else obs("hint_ignored", target="/200")
    run.record("103-http2", 103, "navigation", "early_hints_h2", observed)


# -- Firefox: Debian's firefox-esr through WebDriver BiDi (tests/support/bidi.py) ------------------------
#
# The same probes through BiDi: navigation, script, the load event, and network interception where
# Playwright's context does the work in Chromium (a field on every request, credentials for a
# challenge). Not measured in Firefox: 103 over HTTP/2 (it would need the server's CA in its profile).

FIREFOX_ERROR = re.compile(r"NS_[A-Z_]+")


@pytest.fixture(scope="module")
def firefox(tool: Any, run: Run) -> Iterator[Any]:
    from tests.support.bidi import Firefox

    browser = Firefox(tool("firefox-esr"))
    run.firefox_version = browser.version
    yield browser
    browser.close()


def firefox_error(action: Callable[[], Any]) -> str:
    from tests.support.bidi import BiDiError

    try:
        action()
    except BiDiError as exc:
        found = FIREFOX_ERROR.search(str(exc))
        return found[0] if found else str(exc)
    return ""


NAVIGATION_STATUS = "performance.getEntriesByType('navigation')[0].responseStatus"


@pytest.mark.parametrize("code", [301, 302, 303, 307, 308])
def test_firefox_redirect_after_a_form_post(server: Any, run: Run, firefox: Any, code: int) -> None:
    firefox.new_tab()
    firefox.navigate(server.url_for("/docs/200"))
    target = f"/redirect-to?url=/anything&status_code={code}&probe={probe_id()}"
    firefox.events.clear()
    firefox.evaluate(f"({FORM})({json.dumps([target, 'a', '1'])})")
    firefox.wait_for_load("/anything")
    echo = json.loads(firefox.evaluate("document.body.innerText"))
    assert [r[0] for r in requests_for(server, target)] == ["POST"], "the form itself is one POST"
    observed = followed_form(echo)
    run.record_firefox(f"{code}-form-post", observed)


@pytest.mark.parametrize("code", [204, 205])
def test_firefox_no_content_navigation(server: Any, run: Run, firefox: Any, code: int) -> None:
    firefox.new_tab()
    firefox.navigate(server.url_for(f"/docs/{code}"))
    firefox.evaluate("window.statuskitMark = 'kept'")
    target = f"/{code}?probe={probe_id()}"
    error = firefox_error(lambda: firefox.navigate(server.url_for(target)))
    assert [s for _, _, s in requests_for(server, target)] == [code]
    kept = firefox.evaluate("[window.statuskitMark, location.pathname]") == ["kept", f"/docs/{code}"]
    observed = obs("page_kept", error=error or "no error") if kept else obs("page_replaced")
    run.record_firefox(f"{code}-navigation", observed)


def test_firefox_fetches(server: Any, run: Run, firefox: Any) -> None:
    firefox.new_tab()
    firefox.navigate(server.url_for("/docs/204"))
    run.record_firefox("204-fetch", fetched(firefox.evaluate(f"({FETCH})('/204?probe={probe_id()}')")))

    target = f"/etag/p{probe_id()}"
    first, again, same = firefox.evaluate(f"({REVALIDATE})('{target}')")
    observed = revalidation(first, again, same, [s for _, _, s in requests_for(server, target)])
    run.record_firefox("304-revalidate", observed)

    outcome = firefox.evaluate(f"({FETCH})('/407?probe={probe_id()}')")
    observed = fetched(outcome)
    run.record_firefox("407-fetch", observed)


@pytest.mark.parametrize("code", [407, 421, 425, 429, 503])
def test_firefox_navigation_retries(server: Any, run: Run, firefox: Any, code: int) -> None:
    firefox.new_tab()
    target = f"/{code}?probe={probe_id()}" + ("&retry_after=1" if code in (429, 503) else "")
    error = firefox_error(lambda: firefox.navigate(server.url_for(target)))
    count = len(requests_for(server, target))
    if error:
        observed = obs("nav_error", error=error)
    else:
        status = firefox.evaluate(NAVIGATION_STATUS)
        observed = obs("shown_once", status=status) if count == 1 else obs("retried", requests=count, status=status)
    run.record_firefox(f"{code}-navigation", observed)


def test_firefox_early_hints_over_http1(server: Any, run: Run, firefox: Any) -> None:
    def hinted() -> int:
        return sum(1 for _, target, _ in requests_for(server, "/200") if target == "/200")

    firefox.new_tab()
    before = hinted()
    firefox.navigate(server.url_for(f"/103?probe={probe_id()}"))
    assert firefox.evaluate(NAVIGATION_STATUS) == 200
    early = firefox.evaluate(
        "performance.getEntriesByType('resource').filter(e => e.initiatorType === 'early-hints').length"
    )
    fetched = hinted() > before or early > 0
    run.record_firefox("103-http1", obs("hint_used", target="/200") if fetched else obs("hint_ignored", target="/200"))


def test_firefox_redirect_loop_and_relative_location(server: Any, run: Run, firefox: Any) -> None:
    firefox.new_tab()
    target = f"/302?loop={probe_id()}"
    with firefox.add_field("X-Statuskit-Response-Location", target):
        error = firefox_error(lambda: firefox.navigate(server.url_for(target)))
    assert error, "a loop never ends in a page"
    run.record_firefox("302-loop", obs("loop_stopped", error=error, requests=len(requests_for(server, target))))

    firefox.new_tab()
    probe = probe_id()
    start = f"/302/{probe}/x"
    with firefox.add_field("X-Statuskit-Response-Location", "../200"):
        firefox.navigate(server.url_for(start))
    seen = [t for _, t, _ in requests_for(server, "/") if t in (start, "/302/200", "/200")]
    assert firefox.evaluate("location.pathname") == "/200"
    path = " → ".join(t.replace(probe, "{probe}") for t in seen[-3:])
    run.record_firefox("302-relative", obs("relative_resolved", path=path))


def test_firefox_basic_credentials(server: Any, run: Run, firefox: Any) -> None:
    firefox.new_tab()
    target = f"/basic-auth/ana/s3cret?probe={probe_id()}"
    with firefox.credentials("ana", "s3cret"):
        firefox.navigate(server.url_for(target))
    statuses = [s for _, _, s in requests_for(server, target)]
    body = json.loads(firefox.evaluate("document.body.innerText")) if statuses[-1:] == [200] else {}
    observed = authenticated(statuses, body)
    run.record_firefox("401-basic", observed)
