"""What browsers were seen doing with status codes: the browser-behaviour suite's committed table.

tests/e2e/test_browser_behaviour.py drives Chromium and Firefox against `statuskit serve` and
writes `chromium_behaviour.json` (with STATUSKIT_UPDATE_BROWSERS=1); docs/browsers.md, the
reference page's "measured" rows, the CLI and the JSON's `browser_behaviour` are made from it.
Observations are `{key, values}`; their words are in `locales/<lang>/compat.json`, beside MDN's.
"""

from __future__ import annotations

from statuskit.registry import compat

TYPE_CHECKING = False  # typing stays out of `statuskit 404`; type checkers read the block below
if TYPE_CHECKING:
    from typing import Any

MEASURED_FILE = "chromium_behaviour.json"

_measured: dict[str, Any] = {}


def measured() -> dict[str, Any]:
    """The committed table of the browser-behaviour suite: `browser`, `version`, `date`, `protocol`, `rows`.

    Each row: `id`, `code`, `via` (navigation or fetch), `behaviour` (an id), `observed` and
    `mdn_expects` (an observation: `{key, values}`, or None when MDN's data does not speak to the
    row), `agree` (True, False or None).
    """
    if not _measured:
        _measured.update(compat.data_file(MEASURED_FILE))
    return _measured


def measured_rows(code: int) -> list[dict[str, Any]]:
    """The measured rows about `code`, in the table's order."""
    return [row for row in measured()["rows"] if row["code"] == int(code)]


def observation_text(observation: dict[str, Any], lang: str = "en") -> str:
    """An observation (`{key, values}`) in words."""
    template = str(compat.locale(lang)["observed"][observation["key"]])
    return template.format(**observation.get("values", {}))


def behaviour_text(behaviour: str, lang: str = "en") -> str:
    return str(compat.locale(lang)["behaviours"][behaviour])


def table_word(key: str, lang: str = "en", **values: object) -> str:
    """A word of the measured table (headings, yes/no, navigation/fetch)."""
    text = str(compat.locale(lang)["table"][key])
    return text.format(**values) if values else text


def claim_text(code: int, browsers: tuple[str, ...] = ("chrome", "firefox"), lang: str = "en") -> str:
    """What MDN's data says about `code` in `browsers` (its own entry).

    For example `Chrome 103 (only on HTTP/2 ...); Firefox 120`.
    """
    features = compat.support(code)
    if not features:
        return table_word("no_entry", lang)
    parts = []
    for entry in features[0].entries:
        if entry.browser in browsers:
            found = compat.conditions(entry, lang)
            parts.append(
                f"{entry.name} {compat.version_text(entry, lang)}" + (f" ({'; '.join(found)})" if found else "")
            )
    return "; ".join(parts) or table_word("no_entry", lang)


def agreement_text(row: dict[str, Any] | None, lang: str = "en") -> str:
    """The "agree?" cell of a measured row (or of its Firefox cell; None: not measured)."""
    if row is None:
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
