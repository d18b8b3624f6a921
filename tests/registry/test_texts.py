"""Texts: every known code in both languages, complete, and written by us."""

from __future__ import annotations

import hashlib
import pathlib
import re

import pytest

from statuskit import LANGUAGES, StatusClass, UnsupportedLanguage, lookup, statuses
from statuskit.registry import describe_class, resolve_language

SEED_RUNS = pathlib.Path(__file__).resolve().parent.parent / "data" / "seed-runs.sha256"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_known_code_has_every_text(lang: str) -> None:
    for status in statuses():
        d = status.describe(lang)
        assert d.lang == lang
        for part in (d.title, d.summary, d.server, d.client):
            assert part.strip(), (int(status), lang)
        assert "\n" not in d.summary
        assert len(d.summary) <= (140 if lang == "en" else 70), (int(status), lang, d.summary)


def test_english_titles_are_the_reason_phrases() -> None:
    for status in statuses():
        assert status.describe("en").title == status.reason


def test_chinese_is_chinese() -> None:
    han = re.compile(r"[\u4e00-\u9fff]")
    for status in statuses():
        d = status.describe("zh-CN")
        assert han.search(d.title) and han.search(d.summary) and han.search(d.server), int(status)


def test_classes_in_both_languages() -> None:
    for lang in LANGUAGES:
        for c in StatusClass:
            texts = describe_class(c, lang)
            assert texts["title"] and texts["summary"]


def test_unassigned_template() -> None:
    en = lookup(471).describe("en")
    assert "471" in en.summary + en.server + en.client
    assert "400 Bad Request" in en.summary + en.server + en.client
    zh = lookup(599 - 1).describe("zh-CN")  # 598 is known: check a real unassigned one too
    assert zh.title
    zh = lookup(333).describe("zh-CN")
    assert "333" in zh.summary + zh.server + zh.client and "300" in zh.summary + zh.server + zh.client


def test_language_tags() -> None:
    assert resolve_language("zh_CN.UTF-8") == "zh-CN"
    assert resolve_language("zh-Hans-CN") == "zh-CN"
    assert resolve_language("zh") == "zh-CN"
    assert resolve_language("zh-TW") == "en"
    assert resolve_language("en_GB") == "en"
    assert resolve_language("C") == "en"
    assert resolve_language("fr", default=None) is None
    assert lookup(404).describe("zh_CN").lang == "zh-CN"
    with pytest.raises(UnsupportedLanguage):
        lookup(404).describe("fr")


def _runs(text: str, size: int = 12) -> set[str]:
    compact = re.sub(r"\s+", "", text)
    runs = (compact[i : i + size] for i in range(len(compact) - size + 1))
    # Identifiers such as Content-Length are facts, not wording: skip runs with Latin letters or digits.
    return {
        hashlib.sha256(run.encode()).hexdigest()[:16]
        for run in runs
        if not any(ch.isascii() and ch.isalnum() for ch in run)
    }


def test_no_sentence_of_the_seed_is_copied() -> None:
    # Facts carry over, wording does not: no run of 12 characters of the seed
    # page's descriptions may appear in our Chinese texts. The seed is kept as
    # hashes of its runs (tests/data/seed-runs.sha256), not as text.
    lines = SEED_RUNS.read_text(encoding="utf-8").splitlines()
    seed_runs = {ln for ln in lines if ln and not ln.startswith("#")}
    assert len(seed_runs) > 1000
    for status in statuses():
        d = status.describe("zh-CN")
        ours = _runs(d.summary + d.server + d.client)
        assert not (ours & seed_runs), (int(status), sorted(ours & seed_runs)[:3])
