"""MDN's browser-compat snapshot: its shape, its codes, our words for its notes, and the script that takes it."""

from __future__ import annotations

import datetime
import importlib.util
import json
import pathlib
import re
from importlib import resources
from typing import Any

import pytest

from statuskit.registry import LANGUAGES, compat, lookup, statuses

ROOT = pathlib.Path(__file__).resolve().parents[2]
SNAPSHOT = json.loads((resources.files("statuskit.registry") / "mdn_compat.json").read_text(encoding="utf-8"))
VERSION = re.compile(r"^(≤?\d+(\.\d+)*|preview)$")


def load_script() -> Any:
    spec = importlib.util.spec_from_file_location("mdn_compat_script", ROOT / "scripts" / "mdn_compat.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_source_is_recorded() -> None:
    src = SNAPSHOT["source"]
    assert src["package"] == "@mdn/browser-compat-data"
    assert re.fullmatch(r"\d+\.\d+\.\d+", src["version"])
    released = datetime.date.fromisoformat(src["released"])
    assert released <= datetime.date.fromisoformat(src["taken"])
    assert src["path"] == "http.status" and src["license"] == "CC0-1.0"


def test_every_code_is_in_the_registry() -> None:
    assert SNAPSHOT["codes"], "the snapshot names no code"
    for code in SNAPSHOT["codes"]:
        assert lookup(code).is_registered, code


def test_shape_of_every_feature() -> None:
    for code, features in SNAPSHOT["codes"].items():
        assert features[0]["feature"] == "", f"{code}: the code's own entry comes first"
        for feature in features:
            assert feature["mdn_url"].startswith("https://developer.mozilla.org/") or feature["feature"]
            assert all(url.startswith("https://") for url in feature["spec_url"])
            assert "<" not in feature["label"], "labels are plain text"
            assert feature["support"], (code, feature["feature"])
            for browser, entries in feature["support"].items():
                assert browser in SNAPSHOT["browsers"]
                for entry in entries:
                    for key in ("added", "removed"):
                        value = entry[key]
                        assert value in (True, False, None) or VERSION.match(value), (code, browser, key, value)
                    assert all(set(flag) == {"name", "type", "value"} for flag in entry["flags"])
                    assert all(re.fullmatch(r"[a-z0-9_]+", note) for note in entry["notes"])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_note_has_our_words(lang: str) -> None:
    used = {
        note
        for features in SNAPSHOT["codes"].values()
        for feature in features
        for entries in feature["support"].values()
        for entry in entries
        for note in entry["notes"]
    }
    assert used, "the snapshot has notes (103's HTTP/2 condition at least)"
    for note in used:
        assert compat.note_text(note, lang).strip()
    if lang == "zh-CN":
        assert re.search(r"[\u4e00-\u9fff]", compat.note_text("http2_only", lang))


def test_103_carries_the_http2_condition() -> None:
    own = compat.support(103)[0]
    chrome = next(e for e in own.entries if e.browser == "chrome")
    assert chrome.added == "103" and chrome.notes == ("http2_only",)
    assert "HTTP/2" in " ".join(compat.conditions(chrome, "en"))
    safari_425 = next(e for e in compat.support(425)[0].entries if e.browser == "safari")
    assert compat.version_text(safari_425, "en") == "no" and compat.version_text(safari_425, "zh-CN") == "不支持"


def test_codes_without_data_have_none() -> None:
    with_data = set(compat.codes())
    for status in statuses():
        assert (compat.document(status.code) is not None) == (status.code in with_data)


def test_the_script_keeps_facts_and_words_notes_by_id() -> None:
    script = load_script()
    data = {
        "__meta": {"version": "9.9.9", "timestamp": "2030-01-02T03:04:05.000Z"},
        "browsers": {
            "chrome": {"name": "Chrome", "type": "desktop"},
            "ie": {"name": "Internet Explorer", "type": "desktop"},
        },
        "http": {
            "status": {
                "308": {
                    "__compat": {
                        "mdn_url": "https://developer.mozilla.org/docs/Web/HTTP/Reference/Status/308",
                        "spec_url": "https://httpwg.org/specs/rfc9110.html#status.308",
                        "status": {"standard_track": True, "experimental": False, "deprecated": False},
                        "support": {
                            "chrome": {"version_added": "36"},
                            "ie": [{"version_added": "11", "notes": "Does not work below Windows 10."}],
                        },
                    },
                    "sub": {
                        "__compat": {"description": "<code>x</code>", "support": {"chrome": {"version_added": False}}}
                    },
                }
            }
        },
    }
    snap = script.snapshot(data, datetime.date(2030, 1, 3))
    assert snap["source"]["version"] == "9.9.9" and snap["source"]["released"] == "2030-01-02"
    own, sub = snap["codes"]["308"]
    assert own["support"]["ie"][0]["notes"] == ["windows10_only"]
    assert own["spec_url"] == ["https://httpwg.org/specs/rfc9110.html#status.308"]
    assert sub["feature"] == "sub" and sub["label"] == "x" and sub["support"]["chrome"][0]["added"] is False
    assert "Windows 10." not in json.dumps(snap), "MDN's sentence is not copied"


def test_the_script_stops_on_a_note_it_cannot_word() -> None:
    script = load_script()
    with pytest.raises(SystemExit, match="unknown note"):
        script.support_entry({"version_added": "1", "notes": "Something new."})


def test_preload_reads_the_snapshot() -> None:
    from statuskit.registry import texts

    texts.preload()
    assert compat._snapshot and set(compat._words) == set(LANGUAGES)
