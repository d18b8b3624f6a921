"""HTML pages built from the registry: the reference page and per-code pages.

This layer only renders: it reads `statuskit.registry`, `statuskit.semantics`
and `statuskit.document` and returns documents; it never imports the
responder or the server. The server maps routes onto it:

    GET /                    index_page(lang)
    GET /docs/{code}         code_page(status, lang)
    GET /{code} (text/html)  code_page(status, lang, exchange=<wire text>)
    GET /static/{name}       asset(name)

Pieces: `templates` (the HTML), `labels` (the interface words in each
language), `data` (what the page embeds for its script, cut from
`status_document`), `assets` (the files in `static/`: app.css, app.js,
icon.svg). Pages are pure functions of the registry, so they are rendered once
per language or code and then served from memory.
"""

from __future__ import annotations

from functools import cache, lru_cache

from statuskit.registry import Status, StatusClass, by_class, lookup
from statuskit.registry.texts import language
from statuskit.web import assets, templates

__all__ = ["CONTENT_TYPE", "asset", "code_page", "index_page"]

CONTENT_TYPE = "text/html; charset=utf-8"


def code_page(status: Status, lang: str = "en", *, exchange: str | None = None) -> str:
    """The page that explains `status`, in `lang` ("en" or "zh-CN").

    `exchange` is the text the server wrote for the request this page answers
    (interim responses, status line, fields, body); when given, the page shows
    it, so a browser visiting `/404` sees the real 404 and what it means.
    """
    lang = language(lang)
    if exchange:
        return templates.render_code(status, lang, exchange)
    return _code_page(status.code, lang)


@lru_cache(maxsize=256)
def _code_page(code: int, lang: str) -> str:
    return templates.render_code(lookup(code), lang, None)


def index_page(lang: str = "en") -> str:
    """Every known code, by class, in `lang`, with search, filters and Try it."""
    return _index_page(language(lang))


@cache
def _index_page(lang: str) -> str:
    groups = [(status_class, by_class(status_class)) for status_class in StatusClass]
    return templates.render_index(lang, groups)


def asset(path: str) -> tuple[bytes, str] | None:
    """A static file under `/static/`, as (content, content type); None if there is none.

    `path` is the part after `/static/` without the query ("app.js"). Only
    the files shipped in `statuskit/web/static/` exist: anything else,
    including `../x` and absolute paths, is None.
    """
    return assets.get(path)
