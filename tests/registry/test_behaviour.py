"""The browser-behaviour suite's committed table: its rows, their words, and docs/browsers.md made from it."""

from __future__ import annotations

import datetime
import re

import pytest

from statuskit.registry import LANGUAGES, behaviour as seen, lookup


def test_docs_browsers_md_is_made_from_the_committed_table() -> None:
    from tests.support.browser_table import DOC, render

    assert DOC.read_text(encoding="utf-8") == render(seen.measured()), (
        "docs/browsers.md differs from registry/chromium_behaviour.json: rerun the browser-behaviour suite "
        "with STATUSKIT_UPDATE_BROWSERS=1"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_measured_row_has_words(lang: str) -> None:
    table = seen.measured()
    assert table["browser"] == "Chromium" and re.fullmatch(r"\d+(\.\d+)+", table["version"])
    datetime.date.fromisoformat(table["date"])
    ids = [row["id"] for row in table["rows"]]
    assert len(ids) == len(set(ids))
    for row in table["rows"]:
        assert lookup(row["code"]).is_registered
        assert row["via"] in ("navigation", "fetch")
        assert seen.behaviour_text(row["behaviour"], lang) and seen.observation_text(row["observed"], lang)
        assert seen.agreement_text(row, lang) and seen.claim_text(row["code"], lang=lang)
        if row["mdn_expects"] is not None:
            assert row["agree"] == (row["mdn_expects"] == row["observed"])
        firefox = row["firefox"]
        assert seen.firefox_text(firefox, lang) and seen.agreement_text(firefox, lang)
        if firefox is not None and firefox["mdn_expects"] is not None:
            assert firefox["agree"] == (firefox["mdn_expects"] == firefox["observed"])
