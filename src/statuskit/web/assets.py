"""The page's static files: what exists, what type it is, and its versioned URL.

The files live in `statuskit/web/static/` inside the package, so the page
works offline and from an installed wheel. Only the names found there are
served, matched exactly: a request path is never joined to a directory, so
`../x`, absolute paths and anything else outside the list get None without
touching the file system.

The HTML links each file with `?v=<hash of its content>`: a server may then
let browsers keep `/static/` responses for long (the query changes whenever
the file does), and the page never runs a stale script against new HTML.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

# Extension -> Content-Type. Text types carry their charset (RFC 9110 §8.3.1).
CONTENT_TYPES: dict[str, str] = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}

STATIC_PREFIX = "/static/"


@cache
def files() -> dict[str, tuple[bytes, str]]:
    """Every static file as name -> (content, content type), read once."""
    found: dict[str, tuple[bytes, str]] = {}
    for entry in (resources.files("statuskit.web") / "static").iterdir():
        name = entry.name
        dot = name.rfind(".")
        content_type = CONTENT_TYPES.get(name[dot:]) if dot > 0 else None
        if content_type is not None and entry.is_file():
            found[name] = (entry.read_bytes(), content_type)
    return found


def get(path: str) -> tuple[bytes, str] | None:
    """The file served at `/static/{path}`, or None when there is no such file."""
    return files().get(path)


@cache
def url(name: str) -> str:
    """`/static/app.js?v=1a2b3c4d5e`: the file's path, versioned by its content."""
    content, _ = files()[name]
    return f"{STATIC_PREFIX}{name}?v={hashlib.sha256(content).hexdigest()[:10]}"
