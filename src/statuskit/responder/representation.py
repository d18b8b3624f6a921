"""The content of a response about a status code, in the negotiated media type and language.

One shape everywhere: text/plain is the code and title on the first line and
one line after it (the summary, or what was wrong); JSON is
`statuskit.document.status_document` (plus `detail` for errors); HTML is the
page `statuskit.web.code_page` renders. Rendering is memoized because the
same few documents are asked for over and over.
"""

from __future__ import annotations

import json
from functools import lru_cache

from statuskit import web
from statuskit.document import status_document
from statuskit.registry import Status, lookup
from statuskit.responder.negotiate import CONTENT_TYPES, HTML, JSON
from statuskit.responder.plan import Interim


@lru_cache(maxsize=1024)
def render(code: int, media: str, lang: str, detail: str | None = None, exchange: str | None = None) -> bytes:
    """The content for `code` in `media` and `lang`; `detail` replaces the summary (errors)."""
    status = lookup(code)
    if media == JSON:
        document = status_document(status, lang)
        if detail is not None:
            document["detail"] = detail
        return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8") + b"\n"
    if media == HTML:
        return web.code_page(status, lang, exchange=exchange).encode("utf-8")
    text = status.describe(lang)
    second = detail if detail is not None else text.summary
    return f"{status.code} {text.title}\n{second}\n".encode()


def content_type(media: str) -> str:
    return CONTENT_TYPES[media]


def exchange_text(
    status: Status | int,
    reason: str,
    fields: list[tuple[str, str]],
    interims: tuple[Interim, ...] = (),
) -> str:
    """The interim responses and the final head, as the page shows them.

    Date, Server and the framing fields are the engine's, and the content is
    the page itself, so they are not shown.
    """
    lines: list[str] = []
    for interim in interims:
        lines.append(f"HTTP/1.1 {interim.status} {interim.reason}")
        lines.extend(f"{name}: {value}" for name, value in interim.headers)
        lines.append("")
    lines.append(f"HTTP/1.1 {int(status)} {reason}")
    lines.extend(f"{name}: {value}" for name, value in fields)
    return "\n".join(lines)
