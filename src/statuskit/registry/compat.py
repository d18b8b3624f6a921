"""What MDN's browser-compat data says about a code, from the snapshot in `mdn_compat.json`.

The snapshot is taken by `scripts/mdn_compat.py` from the npm package
`@mdn/browser-compat-data` (CC0) and committed, so nothing here needs npm or
the network. It holds only facts (versions, flags, links); a note is an id,
and its meaning is in our own words in `locales/<lang>/compat.json`.

MDN has entries for a few codes only (103, 308 and 425 in 8.1.9); for every
other code `support(status)` is empty, which means "no data", not "no support".
Like the texts, the file is read the first time it is asked for.
"""

from __future__ import annotations

from statuskit.registry.texts import language, locale_json

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any

_snapshot: dict[str, Any] = {}
_words: dict[str, dict[str, Any]] = {}


class Entry:
    """One browser's support of one feature (a browser may have several, say before and after a flag).

    `added` and `removed` are MDN's values: a version ("103", "≤79", "preview"), False (never),
    True or None (not known). `flags` are (name, type) pairs: off unless that flag is set. `notes`
    are note ids, worded by `note_text`.
    """

    __slots__ = ("browser", "name", "added", "removed", "partial", "flags", "notes", "impl_url")

    def __init__(
        self,
        browser: str,
        name: str,
        added: str | bool | None,
        removed: str | bool | None,
        partial: bool,
        flags: tuple[tuple[str, str], ...],
        notes: tuple[str, ...],
        impl_url: str,
    ) -> None:
        self.browser = browser
        self.name = name
        self.added = added
        self.removed = removed
        self.partial = partial
        self.flags = flags
        self.notes = notes
        self.impl_url = impl_url

    def __repr__(self) -> str:
        return f"<Entry {self.browser} {self.added!r}>"


class Feature:
    """An entry of `http.status`: the code itself (feature "") or a part of it (103's `preload`)."""

    __slots__ = ("feature", "label", "mdn_url", "spec_urls", "entries")

    def __init__(
        self, feature: str, label: str, mdn_url: str, spec_urls: tuple[str, ...], entries: tuple[Entry, ...]
    ) -> None:
        self.feature = feature
        self.label = label
        self.mdn_url = mdn_url
        self.spec_urls = spec_urls
        self.entries = entries

    def __repr__(self) -> str:
        return f"<Feature {self.feature or 'code'}: {len(self.entries)} entries>"


def data_file(name: str) -> Any:
    """A JSON file of the registry (`mdn_compat.json`, `chromium_behaviour.json`), read as texts reads locales."""
    import json
    import os

    try:
        with open(os.path.join(os.path.dirname(__file__), name), encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        from importlib import resources

        return json.loads((resources.files("statuskit.registry") / name).read_text(encoding="utf-8"))


def _data() -> dict[str, Any]:
    if not _snapshot:
        _snapshot.update(data_file("mdn_compat.json"))
    return _snapshot


def locale(lang: str) -> dict[str, Any]:
    """`locales/<lang>/compat.json`: our words for MDN's notes and flags, and for the measured table."""
    lang = language(lang)
    words = _words.get(lang)
    if words is None:
        words = _words[lang] = locale_json(lang, "compat.json")
    return words


def source() -> dict[str, str]:
    """Package, version, release date and the day the snapshot was taken."""
    return dict(_data()["source"])


def codes() -> tuple[int, ...]:
    """The codes MDN has an entry for."""
    return tuple(int(code) for code in _data()["codes"])


def support(code: int) -> tuple[Feature, ...]:
    """MDN's features for `code`, the code's own entry first; () when MDN has none."""
    data = _data()
    names = data["browsers"]
    found = []
    for raw in data["codes"].get(str(int(code)), ()):
        entries = tuple(
            Entry(
                browser,
                names[browser]["name"],
                item["added"],
                item["removed"],
                item["partial"],
                tuple((flag["name"], flag["type"]) for flag in item["flags"]),
                tuple(item["notes"]),
                item["impl_url"],
            )
            for browser, items in raw["support"].items()
            for item in items
        )
        found.append(Feature(raw["feature"], raw["label"], raw["mdn_url"], tuple(raw["spec_url"]), entries))
    return tuple(found)


def note_text(note: str, lang: str = "en") -> str:
    """What a note means, in `lang`."""
    return str(locale(lang)["notes"][note])


def version_text(entry: Entry, lang: str = "en") -> str:
    """`103`, `no`, `yes, version unknown`, `38 to 55`: the version cell of a table, in `lang`."""
    words = locale(lang)["words"]

    def one(value: str | bool | None) -> str:
        if value is False:
            return str(words["no"])
        if value is True:
            return str(words["yes"])
        if value is None:
            return str(words["unknown"])
        return str(words["preview"]) if value == "preview" else value

    text = one(entry.added)
    if entry.removed not in (None, False) and entry.added not in (None, False):
        text = str(words["removed"]).format(added=text, removed=one(entry.removed))
    return text


def conditions(entry: Entry, lang: str = "en") -> list[str]:
    """Everything that qualifies a version, in `lang`: partial, behind a flag, the notes."""
    texts = locale(lang)
    words = texts["words"]
    found = [str(words["partial"])] if entry.partial else []
    for name, kind in entry.flags:
        found.append(str(words["flag"]).format(flag=name, kind=texts["flag_types"].get(kind, kind)))
    found.extend(note_text(note, lang) for note in entry.notes)
    return found


def feature_label(feature: Feature, lang: str = "en") -> str:
    """The feature's name: `rel=preload`, or for the code's own entry the word for it."""
    return feature.label or str(locale(lang)["words"]["main"])


def document(code: int, lang: str = "en") -> dict[str, Any] | None:
    """The `browsers` key of a status document: MDN's data for `code`, texts in `lang`; None without data."""
    features = support(code)
    if not features:
        return None
    src = source()
    return {
        "source": {key: src[key] for key in ("package", "version", "released", "taken", "license")},
        "features": [
            {
                "feature": f.feature,
                "label": feature_label(f, lang),
                "mdn_url": f.mdn_url,
                "spec_url": list(f.spec_urls),
                "support": [
                    {
                        "browser": e.browser,
                        "name": e.name,
                        "version_added": e.added,
                        "version_removed": e.removed,
                        "version": version_text(e, lang),
                        "partial": e.partial,
                        "flags": [{"name": name, "type": kind} for name, kind in e.flags],
                        "notes": list(e.notes),
                        "conditions": conditions(e, lang),
                        "impl_url": e.impl_url,
                    }
                    for e in f.entries
                ],
            }
            for f in features
        ],
    }


def preload() -> None:
    """Read the snapshot and every language's words now (see texts.preload)."""
    from statuskit.registry import behaviour
    from statuskit.registry.texts import LANGUAGES

    _data()
    behaviour.measured()
    for lang in LANGUAGES:
        locale(lang)
