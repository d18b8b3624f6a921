"""The languages (the folders of `locales/`) and the descriptions of every code in each, loaded on demand.

The texts live in `locales/<lang>/<n>xx.json` (one file per class) and
`locales/<lang>/classes.json` (the classes, and the template used for
unassigned codes). They are read the first time a language is asked for, so
importing statuskit or looking up a code never touches them.

Each code entry has:
    title    the name in that language (English may omit it: the reason phrase)
    summary  one line
    server   when a server sends it
    client   what a client should do with it
"""

from __future__ import annotations

import os

from statuskit.errors import UnsupportedLanguage

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below

if TYPE_CHECKING:
    from typing import Any

    from statuskit.registry.status import Status, StatusClass


DEFAULT_LANGUAGE = "en"
LOCALES = os.path.join(os.path.dirname(__file__), "locales")


def _languages() -> tuple[str, ...]:
    """The folders of `locales/`, English first (a listing, not a read: cheap enough for import)."""
    try:
        found = sorted(name for name in os.listdir(LOCALES) if not name.startswith(("_", ".")))
    except OSError:  # not on disk (a zip): the languages shipped
        found = ["en", "zh-CN"]
    return (DEFAULT_LANGUAGE, *(name for name in found if name != DEFAULT_LANGUAGE))


LANGUAGES = _languages()


def locale_file(lang: str, name: str) -> str:
    """One file of `locales/`, read as a plain file beside this module.

    importlib.resources would bring pathlib, zipfile, tempfile and shutil into
    every `statuskit 404` (about a third of its start-up on a bare
    interpreter); it is only the way in when the package is not on disk (a zip).
    """
    try:
        with open(os.path.join(LOCALES, lang, name), encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        from importlib import resources

        return (resources.files("statuskit.registry") / "locales" / lang / name).read_text(encoding="utf-8")


def locale_json(lang: str, name: str) -> Any:
    """A JSON file of `lang`, or English's when the language does not have that file."""
    import json

    try:
        return json.loads(locale_file(lang, name))
    except FileNotFoundError:
        if lang == DEFAULT_LANGUAGE:
            raise
        return json.loads(locale_file(DEFAULT_LANGUAGE, name))


_loaded: dict[str, dict[str, dict[str, str]]] = {}
_classes: dict[str, dict[str, dict[str, str]]] = {}
_rule_words: dict[str, dict[str, str]] = {}


class Description:
    """The texts of one code in one language."""

    __slots__ = ("code", "lang", "title", "summary", "server", "client")

    def __init__(self, code: int, lang: str, title: str, summary: str, server: str, client: str) -> None:
        self.code = code
        self.lang = lang
        self.title = title
        self.summary = summary
        self.server = server
        self.client = client

    @property
    def text(self) -> str:
        """Server and client paragraphs together, for places that show one block."""
        return f"{self.server}\n\n{self.client}" if self.client else self.server

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "summary": self.summary, "server": self.server, "client": self.client}

    def __repr__(self) -> str:
        return f"<Description {self.code} {self.lang}: {self.summary!r}>"


def resolve_language(tag: str | None, default: str | None = DEFAULT_LANGUAGE) -> str | None:
    """Map a language tag or locale name to a supported language.

    Accepts BCP 47 tags and POSIX locale names: "zh", "zh-CN", "zh_CN.UTF-8",
    "zh-Hans", "zh-SG" all mean Simplified Chinese; "en_GB", "C", "POSIX"
    mean English. Traditional Chinese ("zh-TW", "zh-Hant", "zh-HK") is not
    Simplified Chinese, so it gives `default`.
    """
    if not tag:
        return default
    norm = tag.split(".", 1)[0].split("@", 1)[0].replace("_", "-").strip().lower()
    if norm in ("c", "posix"):
        return "en"
    parts = norm.split("-")
    if parts[0] == "en":
        return "en"
    if parts[0] == "zh":
        rest = set(parts[1:])
        if rest & {"tw", "hk", "mo", "hant"}:
            return default
        return "zh-CN"
    for lang in LANGUAGES:  # a language added as a folder: its tag, or its primary subtag
        if norm == lang.lower() or parts[0] == lang.lower():
            return lang
    return default


def language(tag: str) -> str:
    """`resolve_language` for explicit choices: an unsupported tag is an error."""
    found = resolve_language(tag, default=None)
    if found is None:
        raise UnsupportedLanguage(tag, LANGUAGES)
    return found


def _load(lang: str) -> dict[str, dict[str, str]]:
    table = _loaded.get(lang)
    if table is None:
        # A code a language has no words for is described in English.
        table = {} if lang == DEFAULT_LANGUAGE else dict(_load(DEFAULT_LANGUAGE))
        for digit in "12345":
            table.update(locale_json(lang, f"{digit}xx.json"))
        _classes[lang] = locale_json(lang, "classes.json")
        _loaded[lang] = table
    return table


def describe(status: Status, lang: str = DEFAULT_LANGUAGE) -> Description:
    """The description of `status` in `lang`."""
    lang = language(lang)
    entry = _load(lang).get(str(int(status)))
    if entry is None:
        template = _classes[lang]["unassigned"]
        understood = status.understood_as
        values = {
            "code": str(int(status)),
            "understood": f"{int(understood)} {describe(understood, lang).title}",
        }
        return Description(
            int(status),
            lang,
            template["title"].format(**values),
            template["summary"].format(**values),
            template["server"].format(**values),
            template["client"].format(**values),
        )
    return Description(
        int(status),
        lang,
        entry.get("title") or status.reason,
        entry["summary"],
        entry["server"],
        entry["client"],
    )


def describe_class(status_class: StatusClass, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """Title and summary of a class in `lang`."""
    lang = language(lang)
    _load(lang)
    return dict(_classes[lang][str(int(status_class))])


def texts_of(status: Status) -> dict[str, Description]:
    """Every language's description of `status`, keyed by language."""
    return {lang: describe(status, lang) for lang in LANGUAGES}


def rule_text(text: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The words `statuskit.semantics` states a rule in (a condition, a field value), in `lang`.

    semantics states them in English; `locales/<lang>/semantics.json` maps
    each English text to its translation. Tokens and anything without a
    translation stay as they are.
    """
    lang = language(lang)
    if lang == DEFAULT_LANGUAGE or not text:
        return text
    words = _rule_words.get(lang)
    if words is None:
        import json

        try:
            words = json.loads(locale_file(lang, "semantics.json"))
        except FileNotFoundError:  # a language without these words says them in English
            words = {}
        _rule_words[lang] = words
    return words.get(text, text)


def preload() -> None:
    """Read every locale file now, so that nothing is opened later (a server under a file-descriptor flood)."""
    from statuskit.registry import compat

    for lang in LANGUAGES:
        _load(lang)
        rule_text("the condition is temporary", lang)
    compat.preload()
