"""Full-text search over codes, names and texts in every language.

A query matches a code when every one of its words occurs (case folded) in
what is known of that code: the number, phrase, reason, aliases, and the
title, summary and paragraphs in each language. Chinese is written without
spaces, so words are matched as substrings: `超时` finds 408 and 504.
Results are ranked: a word found in a name counts more than one found only in
a paragraph.
"""

from __future__ import annotations

from statuskit.registry.lookup import statuses
from statuskit.registry.status import Status, normalize_name
from statuskit.registry.texts import LANGUAGES, describe

_index: list[tuple[Status, str, str, str]] | None = None


def _build_index() -> list[tuple[Status, str, str, str]]:
    rows = []
    for status in statuses():
        names = [str(status.code), status.phrase, status.reason, *status.aliases]
        summaries: list[str] = []
        bodies: list[str] = []
        for lang in LANGUAGES:
            text = describe(status, lang)
            names.append(text.title)
            summaries.append(text.summary)
            bodies.extend((text.server, text.client, status.owner))
        fold = str.casefold
        name_text = fold(" | ".join(names)) + " | " + " | ".join(normalize_name(n) for n in names)
        rows.append((status, name_text, fold(" | ".join(summaries)), fold(" | ".join(bodies))))
    return rows


def search(query: str) -> list[Status]:
    """Codes matching every word of `query`, best matches first."""
    global _index
    words = [w.casefold() for w in query.split() if w.strip()]
    if not words:
        return []
    if _index is None:
        _index = _build_index()
    scored = []
    for status, names, summaries, bodies in _index:
        score = 0
        for word in words:
            if word in names:
                score += 100
            elif word in summaries:
                score += 10
            elif word in bodies:
                score += 1
            else:
                break
        else:
            scored.append((-score, status.code, status))
    scored.sort(key=lambda row: (row[0], row[1]))
    return [row[2] for row in scored]
