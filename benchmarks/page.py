"""Size and render time of the reference page, against baselines from the same run.

    python benchmarks/page.py [--loads 15]

Prints:
- size: `index_page(lang)` compressed with gzip (level 6, what servers
  usually send, and 9), alone and with its static assets, against the
  150 KB budget of issue 5.
- render time in headless Chromium (Debian's, via Playwright): the page is
  served from a loopback server in this process, each load in a fresh browser
  context (nothing cached, as a first visit), and read from the browser's own
  clocks - Navigation Timing's `loadEventEnd` (HTML parsed, styles and the
  deferred script run) and Paint Timing's first-contentful-paint. The
  baseline is a blank page from the same server, loaded the same way; the
  median of the loads is reported with the ratio and the difference.
  Target: the page has loaded and painted in under 300 ms (the exit status
  is 1 otherwise).

Absolute figures on shared machines are noisy; the ratio and the difference
to the blank page are what to read.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from statuskit.registry import LANGUAGES
from statuskit.web import CONTENT_TYPE, asset, index_page

BUDGET_BYTES = 150 * 1024
BUDGET_MS = 300.0
ASSETS = ("app.css", "app.js", "icon.svg")
BLANK = b"<!doctype html><html lang=en><meta charset=utf-8><title>blank</title><p>blank</p></html>"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def do_GET(self) -> None:  # noqa: N802
        path, _, query = self.path.partition("?")
        status, body, kind = 200, BLANK, CONTENT_TYPE
        if path == "/":
            body = index_page(query.partition("lang=")[2] or "en").encode()
        elif path.startswith("/static/"):
            found = asset(path[len("/static/") :])
            status, (body, kind) = (200, found) if found else (404, (b"", "text/plain"))
        elif path != "/blank":
            status, body, kind = 404, b"", "text/plain"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def kb(n: float) -> str:
    return f"{n / 1024:7.1f} KB"


def sizes() -> None:
    print("size (gzip)                          level 6     level 9   of budget")
    assets6 = sum(len(gzip.compress(asset(n)[0], 6)) for n in ASSETS)  # type: ignore[index]
    assets9 = sum(len(gzip.compress(asset(n)[0], 9)) for n in ASSETS)  # type: ignore[index]
    for lang in LANGUAGES:
        raw = index_page(lang).encode()
        g6, g9 = len(gzip.compress(raw, 6)), len(gzip.compress(raw, 9))
        print(f"  index_page({lang!r:8}) {kb(len(raw))} raw  {kb(g6)}  {kb(g9)}   {g6 / BUDGET_BYTES:5.0%}")
        print(
            f"  + app.css, app.js, icon.svg       {kb(g6 + assets6)}  {kb(g9 + assets9)}   "
            f"{(g6 + assets6) / BUDGET_BYTES:5.0%}"
        )
    print(f"  budget                             {kb(BUDGET_BYTES)}")


def load(browser: Any, url: str) -> tuple[float, float]:
    """(loadEventEnd, first-contentful-paint) in ms of one cold load of `url`."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(url, wait_until="load")
        page.wait_for_function(
            "performance.getEntriesByName('first-contentful-paint').length > 0"
            " && performance.getEntriesByType('navigation')[0].loadEventEnd > 0"
        )
        nav, fcp = page.evaluate(
            "[performance.getEntriesByType('navigation')[0].loadEventEnd,"
            " performance.getEntriesByName('first-contentful-paint')[0].startTime]"
        )
        return float(nav), float(fcp)
    finally:
        context.close()


def render(loads: int) -> bool:
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("render: skipped, Chromium is not installed (apt-get install chromium)")
        return True
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    ok = True
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        targets = {"blank page (baseline)": f"{base}/blank"}
        targets.update({f"index_page({lang!r})": f"{base}/?lang={lang}" for lang in LANGUAGES})
        for url in targets.values():  # warm the server's caches and the browser
            load(browser, url)
        samples: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
        for _ in range(loads):  # interleaved, so drift hits every target alike
            for name, url in targets.items():
                samples[name].append(load(browser, url))
        browser.close()
    server.shutdown()
    print(f"\nrender in headless Chromium {loads} cold loads each, median   load end   first paint   vs blank")
    blank_load = statistics.median(s[0] for s in samples["blank page (baseline)"])
    blank_fcp = statistics.median(s[1] for s in samples["blank page (baseline)"])
    for name, rows in samples.items():
        load_ms = statistics.median(r[0] for r in rows)
        fcp_ms = statistics.median(r[1] for r in rows)
        versus = "" if name.startswith("blank") else f"   {load_ms / blank_load:4.1f}x, +{load_ms - blank_load:.0f} ms"
        print(f"  {name:44} {load_ms:7.1f} ms  {fcp_ms:7.1f} ms{versus}")
        if not name.startswith("blank") and max(load_ms, fcp_ms) >= BUDGET_MS:
            ok = False
    print(
        f"  budget                                       {BUDGET_MS:7.1f} ms   (blank first paint {blank_fcp:.0f} ms)"
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--loads", type=int, default=15, help="cold loads per page (default 15)")
    args = parser.parse_args()
    sizes()
    ok = render(args.loads)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
