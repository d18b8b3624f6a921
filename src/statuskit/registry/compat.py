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

import json
from importlib import resources
from typing import Any, NamedTuple

from statuskit.registry.texts import language

_snapshot: dict[str, Any] = {}
_measured: dict[str, Any] = {}
_words: dict[str, dict[str, Any]] = {}

# What tests/e2e/test_browser_behaviour.py last observed Chromium doing (docs/browsers.md is made from it).
MEASURED_FILE = "chromium_behaviour.json"


class Entry(NamedTuple):
    """One browser's support of one feature (a browser may have several, say before and after a flag)."""

    browser: str
    name: str
    added: str | bool | None  # a version ("103", "≤79", "preview"), False (never), True or None (not known)
    removed: str | bool | None
    partial: bool
    flags: tuple[tuple[str, str], ...]  # (name, type): off unless that flag is set
    notes: tuple[str, ...]  # note ids, worded by note_text()
    impl_url: str


class Feature(NamedTuple):
    """An entry of `http.status`: the code itself (feature "") or a part of it (103's `preload`)."""

    feature: str
    label: str
    mdn_url: str
    spec_urls: tuple[str, ...]
    entries: tuple[Entry, ...]


def _data() -> dict[str, Any]:
    if not _snapshot:
        path = resources.files("statuskit.registry") / "mdn_compat.json"
        _snapshot.update(json.loads(path.read_text(encoding="utf-8")))
    return _snapshot


def _locale(lang: str) -> dict[str, Any]:
    lang = language(lang)
    words = _words.get(lang)
    if words is None:
        path = resources.files("statuskit.registry") / "locales" / lang / "compat.json"
        words = _words[lang] = json.loads(path.read_text(encoding="utf-8"))
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
    return str(_locale(lang)["notes"][note])


def version_text(entry: Entry, lang: str = "en") -> str:
    """`103`, `no`, `yes, version unknown`, `38 to 55`: the version cell of a table, in `lang`."""
    words = _locale(lang)["words"]

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
    locale = _locale(lang)
    words = locale["words"]
    found = [str(words["partial"])] if entry.partial else []
    for name, kind in entry.flags:
        found.append(str(words["flag"]).format(flag=name, kind=locale["flag_types"].get(kind, kind)))
    found.extend(note_text(note, lang) for note in entry.notes)
    return found


def feature_label(feature: Feature, lang: str = "en") -> str:
    """The feature's name: `rel=preload`, or for the code's own entry the word for it."""
    return feature.label or str(_locale(lang)["words"]["main"])


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


def measured() -> dict[str, Any]:
    """The committed table of the browser-behaviour suite: `browser`, `version`, `date`, `protocol`, `rows`.

    Each row: `id`, `code`, `via` (navigation or fetch), `behaviour` (an id), `observed` and
    `mdn_expects` (an observation: `{key, values}`, or None when MDN's data does not speak to the
    row), `agree` (True, False or None).
    """
    if not _measured:
        path = resources.files("statuskit.registry") / MEASURED_FILE
        _measured.update(json.loads(path.read_text(encoding="utf-8")))
    return _measured


def measured_rows(code: int) -> list[dict[str, Any]]:
    """The measured rows about `code`, in the table's order."""
    return [row for row in measured()["rows"] if row["code"] == int(code)]


def observation_text(observation: dict[str, Any], lang: str = "en") -> str:
    """An observation (`{key, values}`) in words."""
    template = str(_locale(lang)["observed"][observation["key"]])
    return template.format(**observation.get("values", {}))


def behaviour_text(behaviour: str, lang: str = "en") -> str:
    return str(_locale(lang)["behaviours"][behaviour])


def table_word(key: str, lang: str = "en", **values: object) -> str:
    """A word of the measured table (headings, yes/no, navigation/fetch)."""
    text = str(_locale(lang)["table"][key])
    return text.format(**values) if values else text


def claim_text(code: int, browsers: tuple[str, ...] = ("chrome", "firefox"), lang: str = "en") -> str:
    """What MDN's data says about `code` in `browsers` (its own entry): `Chrome 103 (only on HTTP/2 ...); Firefox 120`."""
    features = support(code)
    if not features:
        return table_word("no_entry", lang)
    parts = []
    for entry in features[0].entries:
        if entry.browser in browsers:
            found = conditions(entry, lang)
            parts.append(f"{entry.name} {version_text(entry, lang)}" + (f" ({'; '.join(found)})" if found else ""))
    return "; ".join(parts) or table_word("no_entry", lang)


def agreement_text(row: dict[str, Any] | None, lang: str = "en") -> str:
    """The "agree?" cell of a measured row (or of its Firefox cell; None: not measured)."""
    if row is None or row["observed"]["key"] == "needs_h2":
        return table_word("not_measured", lang)
    agree = row["agree"]
    return table_word("na" if agree is None else "yes" if agree else "no", lang)


def measured_document(code: int, lang: str = "en") -> dict[str, Any] | None:
    """The `browser_behaviour` key of a status document: what Chromium did with `code`; None when not measured."""
    rows = measured_rows(code)
    if not rows:
        return None
    table = measured()
    return {
        "browser": table["browser"],
        "version": table["version"],
        "date": table["date"],
        "protocol": table["protocol"],
        "rows": [
            {
                "id": row["id"],
                "via": row["via"],
                "behaviour": row["behaviour"],
                "observed": row["observed"],
                "mdn_expects": row["mdn_expects"],
                "agree": row["agree"],
                "firefox": row.get("firefox"),
                "text": {
                    "behaviour": behaviour_text(row["behaviour"], lang),
                    "via": table_word(row["via"], lang),
                    "observed": observation_text(row["observed"], lang),
                    "agree": agreement_text(row, lang),
                    "firefox": firefox_text(row.get("firefox"), lang),
                    "firefox_agree": agreement_text(row.get("firefox"), lang),
                },
            }
            for row in rows
        ],
        "firefox": table.get("firefox"),
    }


def firefox_text(cell: dict[str, Any] | None, lang: str = "en") -> str:
    """What Firefox did in a row, or "not measured"."""
    return table_word("not_measured", lang) if cell is None else observation_text(cell["observed"], lang)


def preload() -> None:
    """Read the snapshot and every language's words now (see texts.preload)."""
    from statuskit.registry.texts import LANGUAGES

    _data()
    measured()
    for lang in LANGUAGES:
        _locale(lang)
