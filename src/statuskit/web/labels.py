"""The words of the page's own interface, in every language the registry has.

Only interface words live in the page's catalogue, `registry/locales/<lang>/web.json`
(buttons, headings, labels, the sentences that frame a fact). Every fact about
a code - its phrase, texts, fields, sections, cacheability - comes from the
registry and `statuskit.semantics`; a label never restates one. The same dict
is rendered into the HTML by the templates and embedded for `app.js`, so
switching language in the browser shows exactly the words the server would
have rendered.

Placeholders use `{name}` and are filled by the templates and by app.js alike.
"""

from __future__ import annotations

from statuskit.registry import LANGUAGES, behaviour as seen
from statuskit.registry.catalogue import words

# The catalogue's `language_name` is how the language calls itself, in the switcher, and
# `search_placeholder` is an example query that app.js never re-renders: both are read by the
# templates alone. The page's own words are the rest, with the headings of the measured table,
# which are the registry's (also used by docs/browsers.md).
_MEASURED = ("measured", "behaviour", "via", "chromium", "agree", "firefox", "firefox_version")
_SERVER_ONLY = ("language_name", "search_placeholder")


def _interface(lang: str) -> dict[str, str]:
    found = {key: value for key, value in words("web", lang).items() if key not in _SERVER_ONLY}
    found.update((f"measured.{key}", seen.table_word(key, lang)) for key in _MEASURED)
    return found


LANGUAGE_NAMES: dict[str, str] = {lang: words("web", lang)["language_name"] for lang in LANGUAGES}
UI: dict[str, dict[str, str]] = {lang: _interface(lang) for lang in LANGUAGES}


def ui(lang: str) -> dict[str, str]:
    """The interface words of `lang` (a language `statuskit.registry` supports)."""
    return UI[lang]
