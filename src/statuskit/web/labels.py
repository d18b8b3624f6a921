"""The words of the page's own interface, in every language the registry has.

Only interface words live here (buttons, headings, labels, the sentences that
frame a fact). Every fact about a code - its phrase, texts, fields, sections,
cacheability - comes from the registry and `statuskit.semantics`; a label here
never restates one. The same dict is rendered into the HTML by the templates
and embedded for `app.js`, so switching language in the browser shows exactly
the words the server would have rendered.

Placeholders use `{name}` and are filled by the templates and by app.js alike.
"""

from __future__ import annotations

LANGUAGE_NAMES: dict[str, str] = {"en": "English", "zh-CN": "简体中文"}

UI: dict[str, dict[str, str]] = {
    "en": {
        "site": "HTTP status codes",
        "intro": (
            "Every HTTP response status code statuskit knows: what it means, which header fields go with it, "
            "how caches treat it, where it is specified - and a live request to this server to see it for real."
        ),
        "unlisted": (
            "A code that is not listed is unassigned: a client that does not know a code treats it as the x00 code "
            "of its class. Example:"
        ),
        "skip": "Skip to the codes",
        "language": "Language",
        "search": "Search",
        "search_hint": "code, phrase, former name or any word, in English or Chinese",
        "classes": "Classes",
        "standing": "Standing",
        "any": "Any",
        "count": "{shown} of {total} codes",
        "none": "No status code matches these filters.",
        "details": "Details",
        "server": "When a server sends it",
        "client": "What a client should do",
        "facts": "Facts",
        "fields": "Header fields",
        "no_fields": "The specification asks for no particular field.",
        "level": "Level",
        "field": "Field",
        "value": "Value",
        "when": "When",
        "section": "Section",
        "content": "Content",
        "interim": "Interim response: a final response follows.",
        "no_content": "Never carries content.",
        "may_content": "May carry content (never in answer to HEAD).",
        "no_length": "Sends no Content-Length.",
        "caching": "Caching",
        "heuristic": "Heuristically cacheable: a cache may reuse it without explicit freshness.",
        "explicit": "Cacheable only with explicit freshness (Cache-Control, Expires).",
        "no_store": "Must not be stored by a cache.",
        "spec": "Specification",
        "no_spec": "None: no specification or registration defines this code.",
        "registered_as": "Registered phrase",
        "aliases": "Former names",
        "owner": "Used by",
        "understood": "Understood as",
        "understood_note": "by a client that does not know this code",
        "redirect": "Next request",
        "permalink": "Page of {code}",
        "all_codes": "All status codes",
        "try": "Try it",
        "try_label": "Try {code}: send a real request to this server",
        "try_running": "Requesting…",
        "try_result": "Response as the browser sees it",
        "try_time": "{ms} ms",
        "try_fields_note": "The browser lowercases, sorts and combines the field names it shows.",
        "try_body": "Body",
        "try_no_body": "No content.",
        "try_error": "The request failed: {error}",
        "try_interim": (
            "A 1xx response is interim: the browser handles it itself and hands scripts only the final response, "
            "so the page cannot see it with fetch."
        ),
        "try_redirected": (
            "fetch followed the redirect to {url}: scripts never see a redirect response or its Location field "
            '(with redirect: "manual" the response is opaque).'
        ),
        "try_network": (
            "The browser reports only a network error: the server closed the connection without a response, "
            "or the browser refused what it received, and fetch does not say which."
        ),
        "try_timeout": "No answer within {s} s: the page stopped waiting.",
        "try_other": "The server answered {got} instead of {code}; the exchange below shows why.",
        "try_upgrade": (
            "fetch cannot ask to switch protocols (Upgrade is a header scripts may not set), so the server "
            "answered {got}; a WebSocket client gets the 101."
        ),
        "try_exchange": "The exchange as the server wrote it",
        "try_exchange_missing": "This server does not show its exchanges ({status}).",
        "try_exchange_empty": "Nothing: the server closed the connection without writing a byte.",
        "curl": "The same request with curl",
        "copy": "Copy",
        "copied": "Copied",
        "copy_failed": "Copy failed: select the command and copy it by hand.",
        "this_response": "This response, as the server wrote it",
        "footer": "Built from the statuskit registry; nothing on this page is loaded from elsewhere.",
        "standing.standard": "standard",
        "standing.provisional": "provisional",
        "standing.deprecated": "deprecated",
        "standing.obsolete": "obsolete",
        "standing.unused": "unused",
        "standing.unofficial": "unofficial",
        "standing.unassigned": "unassigned",
        "flag.webdav": "WebDAV",
        "flag.experimental": "experimental",
        "flag.reserved": "reserved",
        "compat": "Browser compatibility",
        "compat_source": "What MDN's browser-compat data {version} ({released}) says: the version of each browser "
        "that added it.",
        "compat_none": "MDN's browser-compat data {version} has no entry for this code.",
        "browser": "Browser",
        "version": "Version",
        "conditions": "Conditions",
        "see_also": "See also",
        "wikipedia": "HTTP status codes on Wikipedia",
        "wikipedia_url": "https://en.wikipedia.org/wiki/List_of_HTTP_status_codes",
        "wikipedia_lang": "en",
        "iana": "IANA registry of HTTP status codes",
        "iana_url": "https://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml",
    },
    "zh-CN": {
        "site": "HTTP 状态码",
        "intro": (
            "statuskit 收录的全部 HTTP 响应状态码：含义、应当配合的首部字段、缓存如何对待、出自哪份规范——"
            "还可以向本服务器发一个真实请求，亲眼看看它的样子。"
        ),
        "unlisted": "未列出的状态码都是未分配的：客户端遇到不认识的状态码时，按其所属类别的 x00 状态码处理。例如：",
        "skip": "跳到状态码列表",
        "language": "语言",
        "search": "搜索",
        "search_hint": "状态码、短语、曾用名或任意词语，中英文皆可",
        "classes": "类别",
        "standing": "登记状态",
        "any": "全部",
        "count": "共 {total} 个，显示 {shown} 个",
        "none": "没有符合筛选条件的状态码。",
        "details": "详情",
        "server": "服务器何时发送",
        "client": "客户端应如何处理",
        "facts": "要点",
        "fields": "首部字段",
        "no_fields": "规范没有要求特定的首部字段。",
        "level": "要求",
        "field": "字段",
        "value": "取值",
        "when": "条件",
        "section": "章节",
        "content": "内容",
        "interim": "临时响应：之后还有最终响应。",
        "no_content": "从不携带内容。",
        "may_content": "可以携带内容（回应 HEAD 时除外）。",
        "no_length": "不发送 Content-Length。",
        "caching": "缓存",
        "heuristic": "可启发式缓存：即使没有显式的新鲜度信息，缓存也可以复用。",
        "explicit": "只有带显式新鲜度信息（Cache-Control、Expires）时才可缓存。",
        "no_store": "缓存不得存储。",
        "spec": "规范",
        "no_spec": "无：没有任何规范或注册项定义这个状态码。",
        "registered_as": "注册短语",
        "aliases": "曾用名",
        "owner": "使用者",
        "understood": "视同",
        "understood_note": "（对不认识此状态码的客户端而言）",
        "redirect": "后续请求",
        "permalink": "{code} 的单独页面",
        "all_codes": "全部状态码",
        "try": "试一试",
        "try_label": "试一试 {code}：向本服务器发送真实请求",
        "try_running": "请求中…",
        "try_result": "浏览器看到的响应",
        "try_time": "{ms} 毫秒",
        "try_fields_note": "浏览器展示的字段名已被转为小写、排序并合并。",
        "try_body": "响应体",
        "try_no_body": "没有内容。",
        "try_error": "请求失败：{error}",
        "try_interim": "1xx 是临时响应：浏览器自行处理，只把最终响应交给脚本，所以页面用 fetch 看不到它。",
        "try_redirected": (
            "fetch 已跟随重定向到 {url}：脚本看不到重定向响应及其 Location 字段"
            '（用 redirect: "manual" 时得到的是不透明响应）。'
        ),
        "try_network": (
            "浏览器只报告了网络错误：可能是服务器未发送响应就关闭了连接，也可能是浏览器拒收了收到的内容，fetch "
            "不会说明是哪一种。"
        ),
        "try_timeout": "{s} 秒内没有应答，页面已停止等待。",
        "try_other": "服务器返回了 {got} 而不是 {code}，原因见下面的报文。",
        "try_upgrade": (
            "fetch 无法请求切换协议（脚本不能设置 Upgrade 首部），所以服务器返回了 {got}；WebSocket 客户端才会收到 "
            "101。"
        ),
        "try_exchange": "服务器实际写出的报文",
        "try_exchange_missing": "本服务器不提供报文展示（{status}）。",
        "try_exchange_empty": "什么也没有：服务器一个字节都没写就关闭了连接。",
        "curl": "用 curl 发送同样的请求",
        "copy": "复制",
        "copied": "已复制",
        "copy_failed": "复制失败：请选中命令后手动复制。",
        "this_response": "本次响应：服务器实际写出的报文",
        "footer": "本页内容全部来自 statuskit 注册表，不从任何其他地方加载。",
        "standing.standard": "标准",
        "standing.provisional": "临时注册",
        "standing.deprecated": "已弃用",
        "standing.obsolete": "已废止",
        "standing.unused": "保留未用",
        "standing.unofficial": "非官方",
        "standing.unassigned": "未分配",
        "flag.webdav": "WebDAV",
        "flag.experimental": "实验性",
        "flag.reserved": "保留",
        "compat": "浏览器兼容性",
        "compat_source": "MDN 浏览器兼容数据 {version}（{released}）的记录：各浏览器开始支持的版本。",
        "compat_none": "MDN 浏览器兼容数据 {version} 中没有这个状态码的条目。",
        "browser": "浏览器",
        "version": "版本",
        "conditions": "条件",
        "see_also": "参见",
        "wikipedia": "维基百科上的 HTTP 状态码",
        "wikipedia_url": "https://zh.wikipedia.org/wiki/HTTP%E7%8A%B6%E6%80%81%E7%A0%81",
        "wikipedia_lang": "zh",
        "iana": "IANA 的 HTTP 状态码注册表",
        "iana_url": "https://www.iana.org/assignments/http-status-codes/http-status-codes.xhtml",
    },
}


def _measured_words() -> None:
    # The headings of the measured table are the registry's words (also used by docs/browsers.md).
    from statuskit.registry import behaviour as seen

    for lang, words in UI.items():
        for key in ("measured", "behaviour", "via", "chromium", "agree", "firefox", "firefox_version"):
            words[f"measured.{key}"] = seen.table_word(key, lang)


_measured_words()


def ui(lang: str) -> dict[str, str]:
    """The interface words of `lang` (a language `statuskit.registry` supports)."""
    return UI[lang]
