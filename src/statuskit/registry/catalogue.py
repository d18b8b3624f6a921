"""Every user-facing text, one catalogue per language, keyed by id.

A language is a folder `locales/<tag>/` (`texts.LANGUAGES` lists them); adding one is adding that folder.
Besides the code texts (`texts.py`) each folder holds three catalogues of
flat `{"id": "template"}` objects, with `{name}` placeholders:

    cli.json    the words of `statuskit` (explain, check, probe), its usage errors and --help
    web.json    the reference page's interface words
    lint.json   the linter's messages, keyed by rule id (and `<rule>.<variant>`)

`text()` looks an id up in the reader's language and fills it. An id missing
from a language falls back to English, and a placeholder without a value stays
`{name}` in the output rather than raising: both are bugs that
`tests/registry/test_catalogue.py` finds, never a crash in front of a user.

Nothing here is read at import, and `import statuskit` does not import this
module: a catalogue is read the first time it is asked for.
"""

from __future__ import annotations

from statuskit.registry.texts import DEFAULT_LANGUAGE, LANGUAGES, LOCALES, locale_json

__all__ = ["LANGUAGES", "LOCALES", "ByLanguage", "RuleWords", "Text", "fill", "labels", "text", "words"]

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

_catalogues: dict[tuple[str, str], dict[str, str]] = {}


def words(domain: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The whole catalogue `domain` (cli, web, lint) of `lang`, English filling any id it lacks.

    The ids come in English's order, so that two languages give the same shape.
    """
    table = _catalogues.get((domain, lang))
    if table is None:
        english = _catalogues.get((domain, DEFAULT_LANGUAGE))
        if english is None:
            english = _catalogues[domain, DEFAULT_LANGUAGE] = locale_json(DEFAULT_LANGUAGE, f"{domain}.json")
        if lang == DEFAULT_LANGUAGE:
            return english
        own = locale_json(lang, f"{domain}.json")
        table = _catalogues[domain, lang] = {key: own.get(key, value) for key, value in english.items()}
    return table


def labels(domain: str, prefix: str, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The ids of `domain` that start with `prefix.`, without it: one command's words (`labels("cli", "check")`)."""
    start = prefix + "."
    return {key[len(start) :]: value for key, value in words(domain, lang).items() if key.startswith(start)}


class _Kept(dict):  # type: ignore[type-arg]
    """The values of a template; a name without one is written back as `{name}`."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, values: Mapping[str, Any], lang: str) -> str:
    """`template` with `values`, each value that is itself a text (`Text`, `RuleWords`) put in `lang` first."""
    if not values:
        return template
    kept = _Kept()
    for name, value in values.items():
        render = getattr(value, "render", None)
        kept[name] = render(lang) if callable(render) else value
    return template.format_map(kept)


def text(domain: str, key: str, lang: str = DEFAULT_LANGUAGE, /, **values: Any) -> str:
    """The text `key` of catalogue `domain` in `lang`, filled with `values`."""
    return fill(words(domain, lang)[key], values, lang)


class Text:
    """A text of a catalogue with its values, put into words only when a reader's language is known.

    A lint finding holds one as its message; a value of a `Text` may be
    another `Text` (a clause that has its own words in each language).
    """

    __slots__ = ("domain", "key", "values")

    def __init__(self, domain: str, key: str, values: Mapping[str, Any] | None = None) -> None:
        self.domain = domain
        self.key = key
        self.values: Mapping[str, Any] = dict(values or {})

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return text(self.domain, self.key, lang, **self.values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.domain, self.key, self.values) == (
            other.domain,
            other.key,
            other.values,
        )

    def __hash__(self) -> int:
        return hash((self.domain, self.key))

    def __repr__(self) -> str:
        return f"Text({self.domain!r}, {self.key!r}, {dict(self.values)!r})"


class RuleWords:
    """Words `statuskit.semantics` states in English (a condition, a field's value), translated when rendered.

    `flat` turns a parenthesised aside into a comma clause, for a text that
    is itself put in parentheses ("at least one challenge, §11.6.1").
    """

    __slots__ = ("english", "flat")

    def __init__(self, english: str, flat: bool = False) -> None:
        self.english = english
        self.flat = flat

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        from statuskit.registry.texts import rule_text

        said = rule_text(self.english, lang)
        if self.flat:
            import re

            said = re.sub(r" \(([^()]*)\)", r", \1", said)
            said = re.sub(r"（([^（）]*)）", r"，\1", said)
        return said

    def __eq__(self, other: object) -> bool:
        return isinstance(other, RuleWords) and (self.english, self.flat) == (other.english, other.flat)

    def __hash__(self) -> int:
        return hash(self.english)

    def __repr__(self) -> str:
        return f"RuleWords({self.english!r}, flat={self.flat})"


class ByLanguage:
    """A text someone else translated (httplint's notes): one string per language, English when one is missing."""

    __slots__ = ("said",)

    def __init__(self, said: Mapping[str, str]) -> None:
        self.said = dict(said)

    def render(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return self.said.get(lang) or self.said[DEFAULT_LANGUAGE]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ByLanguage) and self.said == other.said

    def __hash__(self) -> int:
        return hash(self.said.get(DEFAULT_LANGUAGE))

    def __repr__(self) -> str:
        return f"ByLanguage({self.said!r})"
