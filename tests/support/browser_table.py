"""docs/browsers.md, made from the committed table of the browser-behaviour suite.

The suite (tests/e2e/test_browser_behaviour.py) writes `registry/chromium_behaviour.json`
and this page when run with STATUSKIT_UPDATE_BROWSERS=1; tests/registry/test_compat.py
checks that the page still matches the table, so neither is edited by hand.
"""

from __future__ import annotations

import pathlib
from typing import Any

from statuskit.registry import behaviour as seen, compat, lookup

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "browsers.md"

INTRO = """\
# What browsers do with status codes

MDN's browser-compat data (`@mdn/browser-compat-data`, the snapshot in `src/statuskit/registry/mdn_compat.json`)
has entries for three status codes only: 103, 308 and 425. It says which version of each browser added
support; it does not say what a browser does with a redirect after a form, a 204, a 304, a challenge or a
Retry-After. The browser-behaviour suite (`tests/e2e/test_browser_behaviour.py`) finds out: it drives Debian's
Chromium through Playwright, and Debian's firefox-esr through WebDriver BiDi, against `statuskit serve` on a
loopback port and records, per behaviour, what each browser did. It runs with the rest of the tests (CI
included), in about 30 seconds.

- **Via** says what made the request: a navigation (a form submit, a typed address) or `fetch()` from a page on
  the same server. The two differ: a navigation that gets a 204 leaves the page alone, a fetch just gets a 204;
  in Chromium a 407 fails a navigation with its own error and a fetch with a plain network error, while Firefox
  shows or returns the 407.
- **MDN's data** is the claim for Chrome and Firefox in the snapshot; each **agree?** compares that browser's
  claim with what it did, where the claim says something about the row. A "no" is a finding for these docs,
  not a failing test.
- A change in what Chromium does between runs is a failing test: each probe compares what it saw with this
  table. If the change is real (a new Chromium), rerun with `STATUSKIT_UPDATE_BROWSERS=1` and commit this page
  and `src/statuskit/registry/chromium_behaviour.json` together.
- How each row is measured: the server's access log counts the requests (a sentinel request after each probe
  makes sure every retry has been logged), `/anything` echoes the method and content that arrived, and the
  page's own state shows whether a navigation replaced it.

The same rows are on the reference page, under "Browser compatibility" of each code.
"""

FIREFOX = """\
## Firefox

Playwright's own Firefox build is not used: `playwright install` downloads it, and the project takes its browsers
from apt only. Debian's `firefox-esr` needs no driver download either: started with `--remote-debugging-port` it
speaks WebDriver BiDi itself, and `tests/support/bidi.py` drives it with Python's `websockets` (a session,
navigation, script evaluation, the load event, and network interception where Playwright's context does the
work in Chromium: a field added to every request, credentials for a challenge) from a fresh profile whose
preferences keep it off the network. The Firefox column comes from that; 103 over HTTP/2 is measured in Chromium only
(`statuskit serve --tls`, h2 by ALPN; Firefox would need the server's CA in its profile).
Without firefox-esr the Firefox probes skip with the install hint (and fail in CI, whose `.ci/run` installs it).
"""


def observed_cell(row: dict[str, Any]) -> str:
    return seen.observation_text(row["observed"], "en")


def render(table: dict[str, Any]) -> str:
    """The whole page for a table as `seen.measured()` returns it."""
    word = seen.table_word
    firefox = table.get("firefox")
    title = word("measured", version=table["version"], date=table["date"])
    if firefox:
        title += ", " + word("firefox_version", version=firefox["version"], date=firefox["date"])
    head = (
        f"## {title}\n\n"
        f"Chromium {table['version']} (Debian) headless through Playwright"
        + (f"; Firefox ESR {firefox['version']} (Debian) headless through WebDriver BiDi" if firefox else "")
        + f"; `statuskit serve` over {table['protocol']} (and HTTP/2 over TLS for the 103 row that says so).\n\n"
        f"| code | {word('behaviour')} | {word('via')} | {word('mdn')} | {word('chromium')} | {word('agree')} "
        f"| {word('firefox')} | {word('agree')} |\n"
        "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
    )
    lines = []
    for row in table["rows"]:
        status = lookup(row["code"])
        cells = (
            f"{status.code} {status.reason}",
            seen.behaviour_text(row["behaviour"]),
            word(row["via"]),
            seen.claim_text(row["code"]),
            observed_cell(row),
            seen.agreement_text(row),
            seen.firefox_text(row.get("firefox")),
            seen.agreement_text(row.get("firefox")),
        )
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |\n")
    source = compat.source()
    footer = (
        f"\nMDN's data: {source['package']} {source['version']} (released {source['released']}, "
        f"snapshot taken {source['taken']}).\n"
    )
    return f"{INTRO}\n{head}{''.join(lines)}{footer}\n{FIREFOX}"
