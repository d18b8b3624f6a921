"""The page in Debian's Chromium, served by the page server of conftest.py.

Filtering, the language switch, the detail view, stable links, the keyboard,
phone width and dark mode, all for real in the browser. Try it runs here only
against the stub in conftest.py, to cover the page's handling of each kind of
answer; tests/e2e proves it against the real server.
"""

from __future__ import annotations

import pathlib
from typing import Any

import pytest

from statuskit.registry import LANGUAGES, lookup, statuses
from statuskit.registry.search import search
from statuskit.web.labels import UI

ARTIFACTS = pathlib.Path(__file__).resolve().parent.parent / "e2e" / "artifacts"
ALL_CODES = [str(s.code) for s in statuses()]

VISIBLE = "[...document.querySelectorAll('article.code')].filter(a => a.offsetParent !== null).map(a => a.id)"


def visible(page: Any) -> list[str]:
    return list(page.evaluate(VISIBLE))


def summary_of(page: Any, code: int) -> str:
    # textContent: innerText is empty for articles off screen (content-visibility: auto skips their layout).
    return str(page.locator(f"article[id='{code}'] [data-f='summary']").text_content())


def open_index(page: Any, base: str, query: str = "") -> None:
    page.goto(f"{base}/{query}")
    page.wait_for_function("document.querySelector('#count [data-t]') !== null")


def test_lists_every_code_without_console_errors(page: Any, console: Any, page_server: str) -> None:
    open_index(page, page_server)
    assert visible(page) == ALL_CODES
    assert page.locator("#count").inner_text() == UI["en"]["count"].format(shown=len(ALL_CODES), total=len(ALL_CODES))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-fixture-index.png"))
    assert console.errors == []


@pytest.mark.parametrize(
    "query",
    [
        "timeout",
        "超时",
        "404",
        "teapot",
        "im a teapot",
        "Request-URI",
        "cloudflare",
        "缓存",
        "moved temporarily",
        "redirect permanent",
        "nginx 连接",
        "WebDAV",
        "ZZZ-no-such-word",
    ],
)
def test_search_matches_statuskit_search(page: Any, console: Any, page_server: str, query: str) -> None:
    """Typing narrows the list to exactly what `statuskit search` finds, in both languages."""
    open_index(page, page_server)
    page.locator("#q").press_sequentially(query, delay=5)
    expected = sorted(str(s.code) for s in search(query))
    assert sorted(visible(page)) == expected
    shown = UI["en"]["count"].format(shown=len(expected), total=len(ALL_CODES))
    assert page.locator("#count").inner_text() == shown
    assert page.locator("p.none").is_visible() == (not expected)
    if expected:
        # Classes with no match are hidden with their heading.
        classes = {code[0] for code in expected}
        shown_sections = page.evaluate(
            "[...document.querySelectorAll('section.cls')].filter(s => !s.hidden).map(s => s.dataset.class)"
        )
        assert set(shown_sections) == classes
    assert console.errors == []


def test_chinese_substring_narrows(page: Any, page_server: str) -> None:
    open_index(page, page_server)
    page.fill("#q", "超时")
    codes = visible(page)
    assert "408" in codes and "504" in codes and "404" not in codes


def test_class_and_standing_filters(page: Any, console: Any, page_server: str) -> None:
    open_index(page, page_server)
    page.uncheck("input[name=class][value='4']")
    codes = visible(page)
    assert codes and not any(c.startswith("4") for c in codes)
    page.check("input[name=class][value='4']")
    page.select_option("#standing", "unofficial")
    assert visible(page) == [str(s.code) for s in statuses() if s.standing == "unofficial"]
    page.select_option("#standing", "flag:webdav")
    assert visible(page) == [str(s.code) for s in statuses() if "webdav" in s.flags]
    page.select_option("#standing", "deprecated")
    assert visible(page) == ["305"]
    page.fill("#q", "超时")
    assert visible(page) == []
    assert page.locator("p.none").is_visible()
    page.select_option("#standing", "")
    assert "504" in visible(page)
    assert console.errors == []


def test_language_switch_rerenders_and_is_remembered(page: Any, console: Any, page_server: str) -> None:
    open_index(page, page_server)
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click(".langs a[data-lang='zh-CN']")
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    zh = UI["zh-CN"]
    assert page.locator("h1").inner_text() == zh["site"]
    assert page.title() == zh["site"]
    assert summary_of(page, 404) == lookup(404).describe("zh-CN").summary
    assert page.locator("section[id='4xx'] h2").inner_text().endswith("客户端错误")
    assert page.locator("article[id='404'] button.try").text_content() == zh["try"]
    assert page.locator(".langs a[data-lang='zh-CN']").get_attribute("aria-current") == "true"
    assert page.locator(".langs a[data-lang='en']").get_attribute("aria-current") is None
    # The count keeps its numbers in the other language.
    page.fill("#q", "超时")
    n = len(search("超时"))
    assert page.locator("#count").inner_text() == zh["count"].format(shown=n, total=len(ALL_CODES))
    # Remembered after a reload, though the server renders English for this browser.
    page.reload()
    page.wait_for_function("document.documentElement.lang === 'zh-CN'")
    assert summary_of(page, 500) == lookup(500).describe("zh-CN").summary
    # An explicit ?lang= in the address wins over the remembered choice...
    open_index(page, page_server, "?lang=en")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert summary_of(page, 500) == lookup(500).describe("en").summary
    # ... and switching there keeps the address truthful.
    page.click(".langs a[data-lang='zh-CN']")
    assert page.evaluate("location.search") == "?lang=zh-CN"
    assert console.errors == []


def test_first_visit_follows_accept_language(browser: Any, page_server: str) -> None:
    context = browser.new_context(locale="zh-CN")  # Chromium sends Accept-Language: zh-CN
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        open_index(page, page_server)
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        assert page.locator("h1").inner_text() == UI["zh-CN"]["site"]
    finally:
        context.close()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_language_switch_matches_server_rendering(page: Any, page_server: str, lang: str) -> None:
    """Switching in the browser gives the same text as the server rendering that language."""
    other = [x for x in LANGUAGES if x != lang][0]
    open_index(page, page_server, f"?lang={other}")
    page.click(f".langs a[data-lang='{lang}']")
    # textContent, hidden parts included: innerText depends on what is on screen.
    switched = (page.locator("main").text_content(), page.title())
    open_index(page, page_server, f"?lang={lang}")
    assert (page.locator("main").text_content(), page.title()) == switched


def test_detail_view_opens_in_place(page: Any, console: Any, page_server: str) -> None:
    open_index(page, page_server)
    details = page.locator("article[id='429'] details")
    assert not details.evaluate("d => d.open")
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    text = details.inner_text()
    assert "Retry-After" in text and "RFC 6585 §4" in text
    assert lookup(429).describe("en").client in text
    assert UI["en"]["no_store"] in text
    assert console.errors == []


def test_hash_link_opens_the_code_even_when_filtered_out(page: Any, page_server: str) -> None:
    page.goto(f"{page_server}/#451")
    page.wait_for_function("document.activeElement && document.activeElement.id === '451'")
    assert page.locator("article[id='451'] details").evaluate("d => d.open")
    assert page.locator("article[id='451']").is_visible()
    page.fill("#q", "teapot")
    assert visible(page) == ["418"]
    page.evaluate("location.hash = '#503'")
    page.wait_for_function("document.activeElement && document.activeElement.id === '503'")
    assert "503" in visible(page) and page.locator("#q").input_value() == ""


def test_keyboard(page: Any, console: Any, page_server: str) -> None:
    open_index(page, page_server)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    # "/" jumps to the search box, Escape clears it.
    page.keyboard.press("Enter")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("gateway")
    assert set(visible(page)) == {str(s.code) for s in search("gateway")}
    page.keyboard.press("Escape")
    assert page.locator("#q").input_value() == "" and len(visible(page)) == len(ALL_CODES)
    # Tab reaches the class filters, the standing filter and a detail view, which Enter opens.
    page.locator("article[id='100'] button.try").focus()
    page.keyboard.press("Tab")  # /docs/100
    page.keyboard.press("Tab")  # Details
    assert page.evaluate("document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Enter")
    assert page.locator("article[id='100'] details").evaluate("d => d.open")
    # Focus is visible: the focused element gets an outline.
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    assert console.errors == []


def test_phone_width_and_dark_mode(browser: Any, page_server: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, color_scheme="dark", is_mobile=True)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(f"{page_server}/#206")
        page.wait_for_function("document.activeElement && document.activeElement.id === '206'")
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        rgb = [int(x) for x in background[background.index("(") + 1 : background.index(")")].split(",")[:3]]
        assert sum(rgb) < 150, background  # dark
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "page-fixture-phone-dark.png"))
    finally:
        context.close()


def test_code_page_in_browser(page: Any, console: Any, page_server: str) -> None:
    for code in (471, 520, 418):
        page.goto(f"{page_server}/docs/{code}")
        assert page.locator("h1").inner_text().startswith(str(code))
        assert page.locator("details").evaluate("d => d.open")
    page.click(".langs a[data-lang='zh-CN']")
    assert page.locator("[data-f='summary']").text_content() == lookup(418).describe("zh-CN").summary
    assert page.title().startswith("418 I'm a teapot")
    assert console.errors == []


def test_only_this_origin_is_contacted(page: Any, page_server: str) -> None:
    """Works offline: every request the page makes goes to the server it came from."""
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    open_index(page, page_server)
    page.goto(f"{page_server}/docs/404")
    assert requests and all(url.startswith(page_server + "/") for url in requests), requests


# -- Try it, against the stub in conftest.py ------------------------------------------------


def try_it(page: Any, code: int) -> Any:
    page.click(f"button[data-try='{code}']")
    out = page.locator(f"article[id='{code}'] .try-out")
    out.locator(".curl").wait_for()
    return out


def resource_errors_only(console: Any, base: str, codes: set[int]) -> None:
    """Chromium logs every 4xx/5xx or failed load as a console error: allow only those of Try it."""
    for message in console.messages:
        url = message.location.get("url", "")
        assert message.text.startswith("Failed to load resource"), message.text
        assert url in {f"{base}/{c}" for c in codes}, url
    assert len(console.errors) == len(console.messages)


def test_try_it_client_paths(page: Any, console: Any, page_server: str) -> None:
    open_index(page, page_server)
    out = try_it(page, 404)
    assert "404 Not Found" in out.locator("pre.head").inner_text()
    assert lookup(404).describe("en").summary in out.locator("pre.body").inner_text()
    assert out.locator("pre code").inner_text() == f"curl -i {page_server}/404"
    assert out.locator(".why").count() == 0

    out = try_it(page, 301)  # fetch follows: the page says so and shows the exchange
    assert out.locator(".why").inner_text().startswith("fetch followed the redirect")
    exchange = out.locator("pre.exchange-text").inner_text()
    assert exchange.startswith("HTTP/1.1 301 Moved Permanently") and "Location: /200" in exchange

    out = try_it(page, 204)
    assert "204 No Content" in out.locator("pre.head").inner_text()
    assert out.locator("pre.body").count() == 0
    assert UI["en"]["try_no_body"] in out.inner_text()

    out = try_it(page, 103)  # interim: fetch sees only the final response
    assert out.locator(".why").inner_text() == UI["en"]["try_interim"]
    assert out.locator("pre.exchange-text").inner_text().startswith("HTTP/1.1 103 Early Hints")

    out = try_it(page, 101)  # fetch cannot ask to upgrade
    assert out.locator(".why").inner_text() == UI["en"]["try_upgrade"].format(got=426)
    assert out.locator("pre.exchange-text").inner_text().startswith("HTTP/1.1 426 Upgrade Required")

    out = try_it(page, 444)  # closed without an answer
    assert out.locator(".why").inner_text() == UI["en"]["try_network"]
    assert UI["en"]["try_exchange_empty"] in out.inner_text()

    # The result re-renders with the language.
    page.click(".langs a[data-lang='zh-CN']")
    assert UI["zh-CN"]["try_interim"] in page.locator("article[id='103'] .try-out").text_content()
    resource_errors_only(console, page_server, {404, 101, 444})


def test_copy_button(browser: Any, page_server: str) -> None:
    context = browser.new_context()
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=page_server)
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        open_index(page, page_server)
        out = try_it(page, 200)
        out.locator("button[data-copy]").click()
        out.locator(".copy-status [data-t='copied']").wait_for()
        assert page.evaluate("navigator.clipboard.readText()") == f"curl -i {page_server}/200"
    finally:
        context.close()


# -- browser compatibility and "see also" ------------------------------------------------


def compat_rows(page: Any, code: int) -> dict[str, tuple[str, str]]:
    """Browser -> (version, conditions) of the code's own table, as the browser renders them."""
    rows = page.locator(f"article[id='{code}'] table.compat[data-feature=''] tbody tr")
    return {
        str(row.locator("th").text_content()): (
            str(row.locator("td").nth(0).text_content()),
            str(row.locator("td").nth(1).text_content()),
        )
        for row in rows.all()
    }


def test_compat_table_and_see_also_follow_the_language(page: Any, console: Any, page_server: str) -> None:
    from statuskit.registry import compat

    page.goto(f"{page_server}/docs/103?lang=en")
    rows = compat_rows(page, 103)
    assert rows["Chrome"][0] == "103" and "HTTP/2" in rows["Chrome"][1]
    assert rows["Firefox"] == ("120", "") and rows["Internet Explorer"][0] == "no"
    assert page.locator("article[id='103'] table.compat").count() == len(compat.support(103))
    assert compat.source()["version"] in str(page.locator("article[id='103'] .compat-src").text_content())
    wiki = page.locator(".see-also a.wikipedia")
    assert wiki.get_attribute("href") == UI["en"]["wikipedia_url"] and wiki.get_attribute("hreflang") == "en"
    assert page.locator(".see-also a.iana").get_attribute("href") == UI["en"]["iana_url"]

    page.click(".langs a[data-lang='zh-CN']")
    rows = compat_rows(page, 103)
    assert rows["Chrome"][0] == "103" and "HTTP/1.1 收到的 103 会被忽略" in rows["Chrome"][1]
    assert rows["Internet Explorer"][0] == "不支持"
    assert page.locator("article[id='103'] [data-t='compat']").text_content() == UI["zh-CN"]["compat"]
    # Wikipedia in the reader's language: the link itself changes, not only its words.
    assert wiki.get_attribute("href") == UI["zh-CN"]["wikipedia_url"] and wiki.get_attribute("hreflang") == "zh"
    assert wiki.text_content() == UI["zh-CN"]["wikipedia"]
    assert console.errors == []


def test_codes_without_mdn_data_say_so(page: Any, page_server: str) -> None:
    open_index(page, page_server, "?lang=zh-CN")
    article = page.locator("article[id='404']")
    assert article.locator("table.compat").count() == 0
    assert "没有这个状态码的条目" in str(article.locator(".compat-none").text_content())
    assert page.locator("article[id='308'] table.compat").count() == 1


def test_measured_rows_on_the_code_page(page: Any, console: Any, page_server: str) -> None:
    from statuskit.registry import behaviour as seen

    page.goto(f"{page_server}/docs/307?lang=en")
    table = page.locator("article[id='307'] table.measured")
    rows = seen.measured_rows(307)
    assert rows and table.locator("tbody tr").count() == len(rows)
    assert table.locator("td[data-f='measured0.observed']").text_content() == seen.observation_text(rows[0]["observed"])
    assert seen.measured()["version"] in str(table.locator("caption").text_content())
    assert table.locator("td[data-f='measured0.firefox']").text_content() == seen.firefox_text(rows[0]["firefox"])
    page.click(".langs a[data-lang='zh-CN']")
    assert table.locator("td[data-f='measured0.observed']").text_content() == seen.observation_text(
        rows[0]["observed"], "zh-CN"
    )
    assert table.locator("th").first.text_content() == seen.table_word("behaviour", "zh-CN")
    assert console.errors == []
