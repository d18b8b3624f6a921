"""Chromium opens `new WebSocket("wss://…/101")` from a page loaded over h2: on the same HTTP/2 connection.

RFC 8441: a browser that has an h2 connection to the origin whose SETTINGS
enable extended CONNECT opens the WebSocket as a stream of it. The access
log says which it did: `CONNECT /101 HTTP/2` (over h2) or `GET /101 HTTP/1.1`
(a separate HTTP/1.1 connection).
"""

from __future__ import annotations

import time

from statuskit.server import ServerConfig, ServerThread

ECHO = """
async () => {
  const socket = new WebSocket(`wss://${location.host}/101?from=chromium`);
  const echoed = new Promise((resolve, reject) => {
    socket.onopen = () => socket.send("hello from chromium");
    socket.onmessage = (event) => resolve(event.data);
    socket.onerror = () => reject(new Error("websocket error"));
  });
  const message = await echoed;
  const closed = new Promise((resolve) => { socket.onclose = (event) => resolve([event.code, event.wasClean]); });
  socket.close(1000, "bye");
  const [code, clean] = await closed;
  return {message, code, clean};
}
"""


def test_chromium_opens_its_websocket_on_the_h2_connection(chromium, certificate, capfd) -> None:
    context, _ = certificate
    with ServerThread(ServerConfig.from_options(port=0, ssl=context)) as thread:
        page = chromium.new_page()
        try:
            page.goto(f"https://localhost:{thread.port}/200?from=chromium", timeout=10_000)
            assert page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol") == "h2"
            result = page.evaluate(ECHO)
        finally:
            page.close()
        deadline = time.monotonic() + 5
        lines: list[str] = []
        while not any("/101?from=chromium" in line for line in lines) and time.monotonic() < deadline:
            lines += capfd.readouterr().out.splitlines()
            time.sleep(0.05)
    assert result == {"message": "hello from chromium", "code": 1000, "clean": True}
    # The access log: the WebSocket is an extended CONNECT on the connection that carried the page.
    page_client = next(line.split()[1] for line in lines if '"GET /200?from=chromium HTTP/2" 200' in line)
    (socket_line,) = [line for line in lines if "/101?from=chromium" in line]
    assert '"CONNECT /101?from=chromium HTTP/2" 200' in socket_line
    assert socket_line.split()[1] == page_client, lines
