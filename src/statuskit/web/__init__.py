"""HTML pages built from the registry: the reference page and per-code pages.

This layer only renders: it reads `statuskit.registry` and
`statuskit.semantics` and returns documents. The responder serves them:
`GET /` to a browser is `index_page`, `/docs/{code}` and the HTML body of
`/{code}` are `code_page`, `/static/...` is `asset`.

The interface is stable; the rendering behind it is kept deliberately plain
until the full reference page lands.
"""

from __future__ import annotations

from html import escape

from statuskit.registry import Status, StatusClass, by_class, describe_class

CONTENT_TYPE = "text/html; charset=utf-8"


def _document(title: str, lang: str, body: str) -> str:
    return (
        f'<!doctype html>\n<html lang="{escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )


def code_page(status: Status, lang: str = "en", *, exchange: str | None = None) -> str:
    """A page that explains `status`; `exchange` is the wire text of the response it comes with."""
    text = status.describe(lang)
    spec = status.spec
    parts = [
        f"<h1>{status.code} {escape(status.reason)}</h1>",
        f"<p>{escape(text.summary)}</p>",
        f"<p>{escape(text.server)}</p>",
        f"<p>{escape(text.client)}</p>",
    ]
    if spec is not None:
        parts.append(f'<p><a href="{escape(spec.url)}">{escape(spec.citation)}</a></p>')
    if exchange:
        parts.append(f"<pre>{escape(exchange)}</pre>")
    return _document(f"{status.code} {status.reason}", lang, "\n".join(parts))


def index_page(lang: str = "en") -> str:
    """Every code, by class."""
    parts = ["<h1>HTTP status codes</h1>"]
    for status_class in StatusClass:
        texts = describe_class(status_class, lang)
        parts.append(f"<h2>{status_class.label} {escape(texts['title'])}</h2>\n<ul>")
        for status in by_class(status_class):
            summary = status.describe(lang).summary
            parts.append(
                f'<li id="{status.code}"><a href="/docs/{status.code}">{status.code} {escape(status.reason)}</a>'
                f" {escape(summary)}</li>"
            )
        parts.append("</ul>")
    return _document("HTTP status codes", lang, "\n".join(parts))


def asset(path: str) -> tuple[bytes, str] | None:
    """A static file under /static/, as (content, content type); None if there is none."""
    return None
