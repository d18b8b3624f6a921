"""docs/browsers.md, made from the committed table of the browser-behaviour suite.

The suite (tests/e2e/test_browser_behaviour.py) writes `registry/chromium_behaviour.json`
and this page when run with STATUSKIT_UPDATE_BROWSERS=1; tests/registry/test_compat.py
checks that the page still matches the table, so neither is edited by hand.
"""

from __future__ import annotations

import pathlib
from typing import Any

from statuskit.registry import compat, lookup

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "browsers.md"

INTRO = """\
# What browsers do with status codes

MDN's browser-compat data (`@mdn/browser-compat-data`, the snapshot in `src/statuskit/registry/mdn_compat.json`)
has entries for three status codes only: 103, 308 and 425. It says which version of each browser added
support; it does not say what a browser does with a redirect after a form, a 204, a 304, a challenge or a
Retry-After. The browser-behaviour suite (`tests/e2e/test_browser_behaviour.py`) finds out: it drives Debian's
Chromium through Playwright against `statuskit serve` on a loopback port and records, per behaviour, what
Chromium did. It runs with the rest of the tests (CI included).

- **Via** says what made the request: a navigation (a form submit, `page.goto`, a link) or `fetch()` from a page
  on the same server. The two differ: a navigation that gets a 204 leaves the page alone, a fetch just gets a
  204; a 407 fails a navigation with its own error and a fetch with a plain network error.
- **MDN's data** is the claim for Chrome in the snapshot; **agree?** compares it with what Chromium did, where
  the claim says something about the row. A "no" is a finding for these docs, not a failing test.
- A change in what Chromium does between runs is a failing test: each probe compares what it saw with this
  table. If the change is real (a new Chromium), rerun with `STATUSKIT_UPDATE_BROWSERS=1` and commit this page
  and `src/statuskit/registry/chromium_behaviour.json` together.
- How each row is measured: the server's access log counts the requests (a sentinel request after each probe
  makes sure every retry has been logged), `/anything` echoes the method and content that arrived, and the
  page's own state shows whether a navigation replaced it.

The same rows are on the reference page, under "Browser compatibility" of each code.
"""

FIREFOX = """\
## Only Chromium is measured

Playwright's own Firefox build cannot be used: `playwright install` downloads it, and the project takes its
browsers from apt only. Debian's `firefox-esr` (153 ESR in bookworm-security) is another matter: it speaks
WebDriver BiDi itself when started with `--remote-debugging-port`, so no geckodriver download is needed, and
Python's `websockets` can drive that protocol (`session.new`, `browsingContext.navigate`, `script.evaluate`).
A Firefox column is therefore possible, but it is not built yet: firefox-esr is not installed by `.ci/run`,
and the probes above use Playwright's API, which would need a BiDi counterpart for each. Until then every row
is Chromium's.
"""


def observed_cell(row: dict[str, Any]) -> str:
    return compat.observation_text(row["observed"], "en")


def render(table: dict[str, Any]) -> str:
    """The whole page for a table as `compat.measured()` returns it."""
    word = compat.table_word
    head = (
        f"## {word('measured', version=table['version'], date=table['date'])}\n\n"
        f"Chromium {table['version']} (Debian), headless, through Playwright; `statuskit serve` over {table['protocol']}.\n\n"
        f"| code | {word('behaviour')} | {word('via')} | {word('mdn')} | {word('chromium')} | {word('agree')} |\n"
        "| --- | --- | --- | --- | --- | --- |\n"
    )
    lines = []
    for row in table["rows"]:
        status = lookup(row["code"])
        cells = (
            f"{status.code} {status.reason}",
            compat.behaviour_text(row["behaviour"]),
            word(row["via"]),
            compat.claim_text(row["code"]),
            observed_cell(row),
            compat.agreement_text(row),
        )
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |\n")
    source = compat.source()
    footer = (
        f"\nMDN's data: {source['package']} {source['version']} (released {source['released']}, "
        f"snapshot taken {source['taken']}).\n"
    )
    return f"{INTRO}\n{head}{''.join(lines)}{footer}\n{FIREFOX}"
