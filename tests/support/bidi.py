"""Debian's firefox-esr driven through WebDriver BiDi, with nothing but `websockets`.

Firefox speaks BiDi itself when started with `--remote-debugging-port` (it prints
"WebDriver BiDi listening on ws://..."), so no geckodriver and no Playwright build of
Firefox is needed. This is the small part of the protocol the browser-behaviour suite
uses: a session, navigation, script evaluation and the load event.

The profile is a fresh temporary directory whose prefs keep Firefox off the network
(updates, telemetry, remote settings, captive portal checks) and show JSON as text.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from typing import Any

START_TIMEOUT_S = 30
COMMAND_TIMEOUT_S = 15
LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")

PREFS = {
    "app.update.enabled": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.safebrowsing.update.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "network.dns.disablePrefetch": True,
    "messaging-system.rsexperimentloader.enabled": False,
    "services.settings.server": "http://127.0.0.1:9/",
    "devtools.jsonview.enabled": False,  # /anything's JSON as plain text, as Chromium shows it
}


class BiDiError(Exception):
    """A command answered with an error (a failed navigation is one: its message names the cause)."""


class Firefox:
    """One headless firefox-esr and one BiDi session; `context` is its first tab."""

    def __init__(self, path: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="statuskit-firefox-")
        with open(f"{self.profile}/user.js", "w", encoding="utf-8") as prefs:
            prefs.writelines(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFS.items())
        self.process = subprocess.Popen(
            [path, "--headless", "--no-remote", "--profile", self.profile, "--remote-debugging-port", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            self._connect()
        except BaseException:
            self.close()  # never leave a Firefox behind when the session could not be set up
            raise

    def _connect(self) -> None:
        from websockets.sync.client import connect

        found: list[str] = []
        ready = threading.Event()
        # Read stderr to its end in a thread: the address, then Firefox's chatter (never a full pipe).
        self.reader = threading.Thread(target=self._drain, args=(found, ready), daemon=True)
        self.reader.start()
        if not ready.wait(START_TIMEOUT_S) or not found:
            raise RuntimeError(f"firefox-esr did not start WebDriver BiDi within {START_TIMEOUT_S} s")
        self.stack = contextlib.ExitStack()
        self.ws = self.stack.enter_context(connect(found[0] + "/session", max_size=None))
        self.ids = itertools.count(1)
        self.events: list[dict[str, Any]] = []
        self.handlers: dict[str, Callable[[dict[str, Any]], None]] = {}
        self.version = str(self.command("session.new", capabilities={})["capabilities"]["browserVersion"])
        self.command("session.subscribe", events=["browsingContext.load"])
        self.context = str(self.command("browsingContext.getTree")["contexts"][0]["context"])

    def _drain(self, found: list[str], ready: threading.Event) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            match = LISTENING.search(line)
            if match and not found:
                found.append(match[1])
                ready.set()
        ready.set()

    def send(self, method: str, **params: Any) -> int:
        """Send a command without waiting for its answer (answers to intercepted requests)."""
        number = next(self.ids)
        self.ws.send(json.dumps({"id": number, "method": method, "params": params}))
        return number

    def _event(self, message: dict[str, Any]) -> None:
        handler = self.handlers.get(message["method"])
        if handler is not None and message["params"].get("isBlocked"):
            handler(message["params"])
        else:
            self.events.append(message)

    def command(self, method: str, **params: Any) -> dict[str, Any]:
        number = self.send(method, **params)
        while True:
            message = json.loads(self.ws.recv(timeout=COMMAND_TIMEOUT_S))
            if message.get("type") == "event":
                self._event(message)
            elif message.get("id") == number:
                if message["type"] == "error":
                    raise BiDiError(f"{message['error']}: {message.get('message', '')}")
                return dict(message["result"])

    def new_tab(self) -> None:
        """A fresh tab becomes `context` (a failed navigation leaves the old one on an error page)."""
        self.context = str(self.command("browsingContext.create", type="tab")["context"])

    def navigate(self, url: str) -> None:
        self.command("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def evaluate(self, expression: str) -> Any:
        """The value of `expression` (awaited when it is a promise), as JSON-like Python."""
        result = self.command(
            "script.evaluate", expression=expression, target={"context": self.context}, awaitPromise=True
        )
        if result.get("type") == "exception":
            raise BiDiError(str(result["exceptionDetails"].get("text", "exception")))
        return deserialize(result["result"])

    def wait_for_load(self, suffix: str) -> str:
        """Wait for the load event of a page whose URL ends with `suffix`; its URL."""
        while True:
            for event in self.events:
                url = str(event["params"].get("url", ""))
                if event["method"] == "browsingContext.load" and url.endswith(suffix):
                    self.events.clear()
                    return url
            message = json.loads(self.ws.recv(timeout=COMMAND_TIMEOUT_S))
            if message.get("type") == "event":
                self._event(message)

    @contextlib.contextmanager
    def intercepting(self, phase: str, handler: Callable[[dict[str, Any]], None]) -> Iterator[None]:
        """Hold requests at `phase` ("beforeRequestSent", "authRequired") and let `handler` release each."""
        event = f"network.{phase}"
        self.command("session.subscribe", events=[event])
        intercept = self.command("network.addIntercept", phases=[phase])["intercept"]
        self.handlers[event] = handler
        try:
            yield
        finally:
            del self.handlers[event]
            self.command("network.removeIntercept", intercept=intercept)
            self.command("session.unsubscribe", events=[event])

    def add_field(self, name: str, value: str) -> contextlib.AbstractContextManager[None]:
        """Send `name: value` on every request (each hop of a redirect too), as Playwright's extra headers."""

        def release(params: dict[str, Any]) -> None:
            request = params["request"]
            fields = [f for f in request["headers"] if f["name"].lower() != name.lower()]
            fields.append({"name": name, "value": {"type": "string", "value": value}})
            self.send("network.continueRequest", request=request["request"], headers=fields)

        return self.intercepting("beforeRequestSent", release)

    def credentials(self, username: str, password: str) -> contextlib.AbstractContextManager[None]:
        """Answer every authentication challenge with these credentials, as Playwright's http_credentials."""

        def answer(params: dict[str, Any]) -> None:
            self.send(
                "network.continueWithAuth",
                request=params["request"]["request"],
                action="provideCredentials",
                credentials={"type": "password", "username": username, "password": password},
            )

        return self.intercepting("authRequired", answer)

    def close(self) -> None:
        try:
            if hasattr(self, "stack"):
                self.stack.close()
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
            self.reader.join(timeout=10)  # stderr at its end once Firefox has exited
            if self.process.stderr is not None:
                self.process.stderr.close()
            shutil.rmtree(self.profile, ignore_errors=True)


def deserialize(value: dict[str, Any]) -> Any:
    """BiDi's serialized script values (string, number, boolean, null, array) as Python."""
    kind = value["type"]
    if kind in ("undefined", "null"):
        return None
    if kind == "array":
        return [deserialize(item) for item in value["value"]]
    return value["value"]
