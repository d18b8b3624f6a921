"""HTML of the reference page and the per-code page, as small functions.

One template per piece (the page shell, a class section, a code entry, its
facts), shared by `index_page` and `code_page`, so the page for `/404` and
the entry for 404 on `/` are the same markup and the same styles.

Every value from the registry goes through `esc`. Elements whose words depend
on the language carry what app.js needs to re-render them in place:
`data-t="key"` (an interface word from `labels.UI`), `data-f="summary"` (a
text of the code of the enclosing article) and `data-c="4.title"` (a text of a
class). The HTML is complete without the script: every fact is in it.
"""

from __future__ import annotations

from html import escape

from statuskit import semantics
from statuskit.registry import (
    LANGUAGES,
    Spec,
    Standing,
    Status,
    StatusClass,
    behaviour as seen,
    catalogue,
    compat,
    describe_class,
)
from statuskit.web import assets
from statuskit.web.data import page_data, script_json
from statuskit.web.labels import LANGUAGE_NAMES, UI


def esc(value: object) -> str:
    """Escape text for HTML content and double-quoted attribute values."""
    return escape(str(value), quote=True)


def word(lang: str, key: str, tag: str = "span", attrs: dict[str, str | None] | None = None, **values: object) -> str:
    """An interface word in an element that app.js can re-render in another language.

    `attrs` are more attributes of the element (None for a bare boolean one);
    `values` fill the word's placeholders and travel in `data-tv` so that the
    script can fill them again in another language.
    """
    text = UI[lang][key].format(**values) if values else UI[lang][key]
    extra = "".join(f" {name}" if value is None else f' {name}="{esc(value)}"' for name, value in (attrs or {}).items())
    if values:
        extra += f' data-tv="{esc(script_json({k: str(v) for k, v in values.items()}))}"'
    return f'<{tag} data-t="{key}"{extra}>{esc(text)}</{tag}>'


def cite(citation: str) -> str:
    """`RFC 9110 §15.4.2` as a link to that section, via the registry's `Spec`."""
    document, _, section = citation.partition(" §")
    url = Spec(document, section).url
    return f'<a href="{esc(url)}">{esc(citation)}</a>' if url else esc(citation)


# -- the page shell -------------------------------------------------------------


def shell(lang: str, title: str, main: str, data: dict[str, object], *, page: str) -> str:
    """The document around `main`: head, header with language links, footer, data."""
    links = []
    for other in LANGUAGES:
        current = ' aria-current="true"' if other == lang else ""
        links.append(
            f'<a href="?lang={esc(other)}" hreflang="{esc(other)}" lang="{esc(other)}" '
            f'data-lang="{esc(other)}"{current}>{esc(LANGUAGE_NAMES[other])}</a>'
        )
    return (
        "<!doctype html>\n"
        f'<html lang="{esc(lang)}" data-page="{page}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="description" content="{esc(UI[lang]["intro"])}">\n'
        f'<link rel="icon" href="{assets.url("icon.svg")}" type="image/svg+xml">\n'
        f'<link rel="stylesheet" href="{assets.url("app.css")}">\n'
        f'<script src="{assets.url("app.js")}" defer></script>\n'
        "</head>\n<body>\n"
        f'<a class="skip" href="#codes">{word(lang, "skip")}</a>\n'
        f'<header class="top"><p class="site"><a href="/">statuskit</a></p>\n'
        f'<nav class="langs" aria-label="{esc(UI[lang]["language"])}" data-t-label="language">'
        f"{' '.join(links)}</nav></header>\n"
        f'<main id="main">\n{main}\n</main>\n'
        f'<footer class="foot">{word(lang, "footer", "p")}</footer>\n'
        f'<script type="application/json" id="sk-data">{script_json(data)}</script>\n'
        "</body>\n</html>\n"
    )


# -- one code -------------------------------------------------------------------


def badges(status: Status, lang: str) -> str:
    """Standing (when not plain standard), owner of an unofficial code, flags."""
    items = []
    if status.standing is not Standing.STANDARD:
        items.append(f'<span class="badge b-{status.standing}">{word(lang, f"standing.{status.standing}")}</span>')
    if status.owner:
        # The owner reads "who: what they use it for"; the badge names who.
        who = status.owner.partition(":")[0]
        items.append(f'<span class="badge b-owner" lang="en">{esc(who)}</span>')
    for flag in sorted(status.flags):
        items.append(f'<span class="badge b-flag">{word(lang, f"flag.{flag}")}</span>')
    return f'<p class="badges">{" ".join(items)}</p>' if items else ""


def field_table(status: Status, lang: str) -> str:
    """The response fields `semantics.field_rules` names for this code."""
    rules = semantics.field_rules(status)
    if not rules:
        return word(lang, "no_fields")
    head = "".join(word(lang, key, "th", {"scope": "col"}) for key in ("level", "field", "value", "when", "section"))
    rows = []
    for i, rule in enumerate(rules):
        level = str(rule.level)
        value, when = semantics.rule_texts(rule, lang)
        # data-f names the key of data.code_entry's texts the script refills on a language switch.
        rows.append(
            f'<tr><td><span class="lvl lvl-{level.lower()}">{esc(level)}</span></td>'
            f"<td><code>{esc(rule.field)}</code></td>"
            f'<td data-f="field{i}.value">{esc(value)}</td><td data-f="field{i}.when">{esc(when)}</td>'
            f"<td>{cite(rule.section)}</td></tr>"
        )
    return (
        f'<div class="scroll"><table class="fields"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></tabl'
        f"e></div>"
    )


def facts(status: Status, lang: str, page: str) -> str:
    """Fields, content, caching, spec, names, fallback: each fact from its source."""
    rows: list[tuple[str, str]] = [("fields", field_table(status, lang))]

    content = []
    if semantics.is_interim(status):
        content.append(word(lang, "interim"))
    if semantics.allows_content(status):
        content.append(word(lang, "may_content"))
    else:
        content.append(f"{word(lang, 'no_content')} ({cite(semantics.no_content_reason(status))})")
    if not semantics.allows_content_length(status):
        content.append(word(lang, "no_length"))
    rows.append(("content", " ".join(content)))

    caching = semantics.cacheability(status)
    key = "heuristic" if caching.heuristic else "explicit" if caching.storable else "no_store"
    rows.append(("caching", f"{word(lang, key)} ({cite(caching.section)})"))

    if status.code in semantics.METHOD_CHANGE:
        rows.append(
            ("redirect", f'<span data-f="method_change">{esc(semantics.method_change_text(status, lang))}</span>')
        )

    spec = status.spec
    if spec is None:
        rows.append(("spec", word(lang, "no_spec")))
    elif spec.url:
        rows.append(("spec", f'<a href="{esc(spec.url)}">{esc(spec.citation)}</a>'))
    else:
        rows.append(("spec", esc(spec.citation)))
    if status.phrase != status.reason and status.is_registered:
        rows.append(("registered_as", esc(status.phrase)))
    if status.aliases:
        rows.append(("aliases", ", ".join(f'<span lang="en">{esc(a)}</span>' for a in status.aliases)))
    if status.owner:
        rows.append(("owner", f'<span lang="en">{esc(status.owner)}</span>'))
    understood = status.understood_as
    if understood is not status:
        href = f"#{understood.code}" if page == "index" else f"/docs/{understood.code}"
        rows.append(
            (
                "understood",
                f'<a href="{href}">{understood.code} {esc(understood.reason)}</a> {word(lang, "understood_note")}',
            )
        )
    items = "".join(f"<div>{word(lang, key, 'dt')}<dd>{value}</dd></div>" for key, value in rows)
    return f'<dl class="facts">{items}</dl>'


def compat_tables(status: Status, lang: str) -> str:
    """MDN's browser-compat data for the code: a table per feature, or a line saying MDN has none.

    Versions and conditions carry `data-f` keys of `data.code_entry`'s texts, so a language
    switch refills them; browser names are names and stay as MDN spells them.
    """
    source = compat.source()
    doc = compat.document(status.code, lang)
    if doc is None:
        return word(lang, "compat_none", "p", {"class": "compat-none"}, version=source["version"]) + measured_table(
            status, lang
        )
    parts = [
        word(
            lang, "compat_source", "p", {"class": "compat-src"}, version=source["version"], released=source["released"]
        )
    ]
    head = "".join(word(lang, key, "th", {"scope": "col"}) for key in ("browser", "version", "conditions"))
    for i, feature in enumerate(doc["features"]):
        caption = f"{status.code} {status.reason}" if not feature["feature"] else feature["label"]
        rows = "".join(
            f'<tr><th scope="row" lang="en">{esc(entry["name"])}</th>'
            f'<td data-f="compat{i}.{j}.version">{esc(entry["version"])}</td>'
            f'<td data-f="compat{i}.{j}.conditions">{esc("; ".join(entry["conditions"]))}</td></tr>'
            for j, entry in enumerate(feature["support"])
        )
        parts.append(
            f'<div class="scroll"><table class="fields compat" data-feature="{esc(feature["feature"])}">'
            '<caption lang="en"><a '
            f'href="{esc(feature["mdn_url"] or doc["features"][0]["mdn_url"])}">{esc(caption)}</a></caption>'
            f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
        )
    return "".join(parts) + measured_table(status, lang)


def measured_table(status: Status, lang: str) -> str:
    """What Chromium did with the code in the browser-behaviour suite (docs/browsers.md); "" when not measured."""
    doc = seen.measured_document(status.code, lang)
    if doc is None:
        return ""
    heads = ("behaviour", "via", "chromium", "agree", "firefox", "agree")
    head = "".join(word(lang, f"measured.{key}", "th", {"scope": "col"}) for key in heads)
    cells = ("behaviour", "via", "observed", "agree", "firefox", "firefox_agree")
    rows = "".join(
        "<tr>" + "".join(f'<td data-f="measured{k}.{key}">{esc(row["text"][key])}</td>' for key in cells) + "</tr>"
        for k, row in enumerate(doc["rows"])
    )
    caption = word(lang, "measured.measured", version=doc["version"], date=doc["date"])
    if doc["firefox"]:
        firefox = doc["firefox"]
        caption += ", " + word(lang, "measured.firefox_version", version=firefox["version"], date=firefox["date"])
    caption = f"<caption>{caption}</caption>"
    return (
        f'<div class="scroll"><table class="fields measured">{caption}'
        f"<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>"
    )


def see_also(lang: str) -> str:
    """The seed page's "see also": Wikipedia in the reader's language (the link follows a language switch) and IANA."""
    wiki: dict[str, str | None] = {
        "class": "wikipedia",
        "href": UI[lang]["wikipedia_url"],
        "hreflang": UI[lang]["wikipedia_lang"],
        "data-t-href": "wikipedia_url",
        "data-t-hreflang": "wikipedia_lang",
    }
    iana: dict[str, str | None] = {"class": "iana", "href": UI[lang]["iana_url"], "hreflang": "en"}
    return (
        '<div class="see-also">'
        f"{word(lang, 'see_also', 'h2', {'id': 'see-h'})}"
        f"<ul><li>{word(lang, 'wikipedia', 'a', wiki)}</li><li>{word(lang, 'iana', 'a', iana)}</li></ul></div>\n"
    )


def code_entry(status: Status, lang: str, *, level: int, page: str, extra: str = "") -> str:
    """One code: heading, badges, summary, Try it, and the detail view.

    On the index the detail is collapsed (`<details>`: opens in place, with
    the keyboard, and find-in-page opens it too); on a code's own page it is
    open and the code is the page's h1. `extra` goes between Try it and the
    detail: the exchange on a `/{code}` page.
    """
    text = status.describe(lang)
    code = status.code
    sub = level + 1
    title_hidden = " hidden" if text.title == status.reason else ""
    opened = " open" if page == "code" else ""
    try_attributes: dict[str, str | None] = {
        "type": "button",
        "class": "try",
        "data-try": str(code),
        "aria-describedby": f"h{code}",
    }
    return (
        f'<article class="code c{status.status_class.value}" id="{code}" data-code="{code}" '
        f'data-class="{status.status_class.value}" data-standing="{status.standing}" '
        f'data-flags="{esc(" ".join(sorted(status.flags)))}" aria-labelledby="h{code}" tabindex="-1">'
        f'<h{level} class="code-h" id="h{code}"><a class="num" href="#{code}">{code}</a> '
        f'<span class="phrase" lang="en">{esc(status.reason)}</span> '
        f'<span class="title" data-f="title"{title_hidden}>{esc(text.title)}</span></h{level}>'
        f"{badges(status, lang)}"
        f'<p class="sum" data-f="summary">{esc(text.summary)}</p>'
        f'<div class="actions">'
        f"{word(lang, 'try', 'button', try_attributes)}"
        f" "
        f'<a class="perma" href="/docs/{code}">/docs/{code}</a></div>'
        f'<div class="try-out" hidden></div>'
        f"{extra}"
        f'<details class="more"{opened}>{word(lang, "details", "summary", {"aria-describedby": f"h{code}"})}'
        f'<div class="detail">'
        f'{word(lang, "server", f"h{sub}")}<p data-f="server">{esc(text.server)}</p>'
        f'{word(lang, "client", f"h{sub}")}<p data-f="client">{esc(text.client)}</p>'
        f"{word(lang, 'facts', f'h{sub}')}{facts(status, lang, page)}"
        f"{word(lang, 'compat', f'h{sub}')}{compat_tables(status, lang)}"
        "</div></details></article>\n"
    )


# -- the pages ------------------------------------------------------------------


def class_section(status_class: StatusClass, codes: tuple[Status, ...], lang: str) -> str:
    """A class of RFC 9110 §15 as a section of the index: h2, its summary, its codes."""
    texts = describe_class(status_class, lang)
    digit = status_class.value
    label = status_class.label
    entries = "".join(code_entry(s, lang, level=3, page="index") for s in codes)
    return (
        f'<section class="cls c{digit}" id="{label}" data-class="{digit}" aria-labelledby="h{label}">\n'
        f'<h2 id="h{label}"><span class="num">{label}</span> <span '
        f'data-c="{digit}.title">{esc(texts["title"])}</span></h2>\n'
        f'<p class="cls-sum" data-c="{digit}.summary">{esc(texts["summary"])}</p>\n'
        f"{entries}</section>\n"
    )


def filters(lang: str, codes: list[Status]) -> str:
    """Search box, class and standing filters, and the live count."""
    classes = "".join(
        f'<label><input type="checkbox" name="class" value="{c.value}" checked> {c.label}</label>' for c in StatusClass
    )
    standings = [s for s in Standing if any(status.standing is s for status in codes)]
    flags = sorted({flag for status in codes for flag in status.flags})
    choices = (
        [("", "any")] + [(str(s), f"standing.{s}") for s in standings] + [(f"flag:{f}", f"flag.{f}") for f in flags]
    )
    options = [f'<option value="{value}" data-t="{key}">{esc(UI[lang][key])}</option>' for value, key in choices]
    return (
        '<form class="filters" role="search" action="/" method="get">\n'
        f'<div class="f-search">{word(lang, "search", "label", {"for": "q"})}'
        '<input id="q" name="q" type="search" autocomplete="off" spellcheck="false" aria-describedby="q-hint" '
        f'placeholder="{esc(catalogue.text("web", "search_placeholder", lang))}">'
        f"{word(lang, 'search_hint', 'small', {'id': 'q-hint'})}</div>\n"
        f'<fieldset class="f-class">{word(lang, "classes", "legend")}{classes}</fieldset>\n'
        f'<div class="f-standing">{word(lang, "standing", "label", {"for": "standing"})}'
        f'<select id="standing" name="standing">{"".join(options)}</select></div>\n'
        f'<p class="count" id="count" role="status">{word(lang, "count", shown=len(codes), total=len(codes))}</p>\n'
        "</form>\n"
    )


def index_main(lang: str, groups: list[tuple[StatusClass, tuple[Status, ...]]]) -> str:
    """The main element of `/`: title, filters, the five classes."""
    codes = [s for _, group in groups for s in group]
    toc = "".join(
        f'<li><a href="#{c.label}">{c.label} <span '
        f'data-c="{c.value}.title">{esc(describe_class(c, lang)["title"])}</span></a></li>'
        for c, _ in groups
    )
    sections = "".join(class_section(c, group, lang) for c, group in groups)
    return (
        f"{word(lang, 'site', 'h1')}\n"
        f"{word(lang, 'intro', 'p', {'class': 'intro'})}\n"
        f"{filters(lang, codes)}"
        f'<nav class="toc" aria-labelledby="toc-h">{word(lang, "classes", "h2", {"id": "toc-h", "class": "vh"})}<ul>'
        f"{toc}</ul></nav>\n"
        f'<div id="codes" tabindex="-1">\n{sections}</div>\n'
        f"{word(lang, 'none', 'p', {'class': 'none', 'hidden': None})}\n"
        f'<p class="unlisted">{word(lang, "unlisted")} <a href="/docs/471">/docs/471</a></p>\n'
        f"{see_also(lang)}"
    )


def code_main(status: Status, lang: str, exchange: str | None) -> str:
    """The main element of a code's page: the entry, open, with its class and exchange."""
    extra = ""
    if exchange:
        extra = (
            '<section class="exchange" aria-labelledby="xh">'
            f"{word(lang, 'this_response', 'h2', {'id': 'xh'})}"
            f"<pre><code>{esc(exchange)}</code></pre></section>\n"
        )
    cls = status.status_class
    texts = describe_class(cls, lang)
    return (
        f'<p class="crumbs"><a href="/#{status.code}">{word(lang, "all_codes")}</a> › '
        f'<a href="/#{cls.label}">{cls.label} <span data-c="{cls.value}.title">{esc(texts["title"])}</span></a></p>\n'
        f'<div id="codes" tabindex="-1">\n{code_entry(status, lang, level=1, page="code", extra=extra)}</div>\n'
        f'<p class="cls-sum" data-c="{cls.value}.summary">{esc(texts["summary"])}</p>\n'
        f"{see_also(lang)}"
    )


def render_index(lang: str, groups: list[tuple[StatusClass, tuple[Status, ...]]]) -> str:
    codes = [s for _, group in groups for s in group]
    data = page_data(lang, codes, [c for c, _ in groups], "index")
    return shell(lang, UI[lang]["site"], index_main(lang, groups), data, page="index")


def render_code(status: Status, lang: str, exchange: str | None) -> str:
    data = page_data(lang, [status], [status.status_class], "code")
    title = f"{status.code} {status.reason} – {UI[lang]['site']}"
    return shell(lang, title, code_main(status, lang, exchange), data, page="code")
