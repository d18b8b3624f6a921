"""The machine-readable document of a status code.

One shape, used by `statuskit --json`, the server's JSON bodies and the
reference page, so that a script written against one works against all.
The shape is documented in the README ("JSON output"); change it only by
adding keys.
"""

from __future__ import annotations

from statuskit import semantics
from statuskit.registry import Status, StatusClass, behaviour as seen, compat, describe_class

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any


def status_document(status: Status, lang: str = "en") -> dict[str, Any]:
    """Everything statuskit knows about `status`, with texts in `lang`."""
    text = status.describe(lang)
    spec = status.spec
    return {
        "code": status.code,
        "phrase": status.phrase,
        "reason": status.reason,
        "aliases": list(status.aliases),
        "constant": status.constant,
        "class": status.status_class.label,
        "standing": str(status.standing),
        "registered": status.is_registered,
        "flags": sorted(status.flags),
        "owner": status.owner,
        "spec": None
        if spec is None
        else {"document": spec.document, "section": spec.section, "url": spec.url, "citation": spec.citation},
        "understood_as": status.understood_as.code,
        "lang": text.lang,
        "title": text.title,
        "summary": text.summary,
        "server": text.server,
        "client": text.client,
        "semantics": semantics.summary(status, lang=lang),
        "browsers": compat.document(status.code, lang),
        "browser_behaviour": seen.measured_document(status.code, lang),
    }


def class_document(status_class: StatusClass, lang: str = "en") -> dict[str, Any]:
    texts = describe_class(status_class, lang)
    return {
        "class": status_class.label,
        "title": texts["title"],
        "summary": texts["summary"],
        "section": f"RFC 9110 §{status_class.section}",
    }
