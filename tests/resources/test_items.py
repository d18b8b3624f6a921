"""/items and /jobs: 201, 200, 409, 412, 204, 410, 404 and 202 then 303, from what the client does.

The job clock is `request.now`, so the responder tests move time by hand;
the end-to-end tests use jobs of 0 and 1 second and poll (bounded).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
import pytest
import requests

from statuskit.responder import Request, Responder, ResponderConfig
from statuskit.server import ServerThread

from .conftest import CurlResult, Raw


def test_item_lifecycle_on_the_wire(raw: Callable[..., Raw]) -> None:
    created = raw("/items", method="POST", headers={"Content-Type": "application/json"}, body=b'{"name": "first"}')
    assert created.status == 201
    location = created.header("Location")
    assert location is not None and location.startswith("/items/")
    etag = created.header("ETag")
    assert etag == f'"{location.rsplit("/", 1)[1]}-v1"'
    got = raw(location)
    assert (got.status, got.body, got.header("ETag")) == (200, b'{"name": "first"}', etag)
    assert got.header("Content-Type") == "application/json"
    listing = json.loads(raw("/items").body)
    assert location in [item["url"] for item in listing["items"]]
    deleted = raw(location, method="DELETE")
    assert deleted.status == 204 and deleted.body == b"" and deleted.header("Content-Length") is None
    assert raw(location).status == 410
    assert raw(location, method="DELETE").status == 410
    assert raw("/items/never-made").status == 404


def test_put_updates_creates_and_conflicts(server: ServerThread) -> None:
    url = server.url_for("/items/doc-a")
    with httpx.Client(timeout=5) as client:
        made = client.put(url, json={"version": 0, "text": "one"})
        assert made.status_code == 201 and made.headers["location"] == "/items/doc-a"
        assert made.headers["etag"] == '"doc-a-v1"'
        updated = client.put(url, json={"version": 1, "text": "two"}, headers={"If-Match": '"doc-a-v1"'})
        assert updated.status_code == 200 and updated.json()["version"] == 2
        # 412: the precondition names a version that is no longer current (a lost update prevented).
        stale = client.put(url, json={"text": "three"}, headers={"If-Match": '"doc-a-v1"'})
        assert stale.status_code == 412 and '"doc-a-v2"' in stale.text
        # 409: no precondition, but the content says it edits version 1 and the item is at 2.
        conflict = client.put(url, json={"version": 1, "text": "three"})
        assert conflict.status_code == 409 and "version 2" in conflict.text
        assert client.get(url).json() == {"version": 1, "text": "two"}
        # If-None-Match: * creates only if new (§13.1.2): it exists, so 412.
        assert client.put(url, json={}, headers={"If-None-Match": "*"}).status_code == 412
        assert client.put(server.url_for("/items/doc-b"), json={}, headers={"If-None-Match": "*"}).status_code == 201
        # If-Match on an item that does not exist is false (§13.1.1).
        assert client.put(server.url_for("/items/doc-c"), json={}, headers={"If-Match": "*"}).status_code == 412
        assert client.put(url, json={"version": True}).status_code == 400
        # DELETE takes preconditions too.
        assert client.delete(url, headers={"If-Match": '"doc-a-v1"'}).status_code == 412
        assert client.delete(url, headers={"If-Match": '"doc-a-v2"'}).status_code == 204
        assert client.get(url).status_code == 410
        assert client.put(url, content=b"back", headers={"Content-Type": "text/plain"}).status_code == 201


def test_items_refuse_what_they_cannot_store(raw: Callable[..., Raw]) -> None:
    xml = raw("/items", method="POST", headers={"Content-Type": "application/xml"}, body=b"<a/>")
    assert xml.status == 415
    assert xml.header("Accept-Post") == "application/json, text/plain" and xml.header("Accept-Encoding") is None
    assert raw("/items", method="POST", headers={"Content-Type": "application/json"}, body=b"{nope").status == 400
    assert raw("/items", method="DELETE").header("Allow") == "GET, HEAD, POST, OPTIONS"
    assert raw("/items/1", method="POST").header("Allow") == "GET, HEAD, PUT, DELETE, OPTIONS"
    assert raw("/items/a%20b").status == 400
    assert raw("/items/x/y").status == 400


def test_items_are_bounded_oldest_first(make_server: Callable[..., ServerThread]) -> None:
    server = make_server(max_items=2)
    urls = [requests.post(server.url_for("/items"), json={"n": n}, timeout=5).headers["Location"] for n in range(3)]
    statuses = [requests.get(server.url_for(url), timeout=5).status_code for url in urls]
    assert statuses == [404, 200, 200]
    assert len(requests.get(server.url_for("/items"), timeout=5).json()["items"]) == 2


def test_items_with_curl(server: ServerThread, curl: Callable[..., CurlResult]) -> None:
    made = curl("-H", "Content-Type: text/plain", "-d", "hello", "-D", "-", server.url_for("/items"))
    assert made.status == 201
    location = next(
        line.split(":", 1)[1].strip() for line in made.body.splitlines() if line.lower().startswith("location:")
    )
    assert curl(server.url_for(location)).body == "hello"
    assert curl("-X", "DELETE", server.url_for(location)).status == 204
    assert curl(server.url_for(location)).status == 410


# -- jobs -----------------------------------------------------------------------------


def _at(responder: Responder, now: float, method: str, target: str) -> tuple[int, dict[str, str], bytes]:
    plan = responder.respond(Request.build(method, target, headers=[("Host", "t")], now=now))
    return plan.status, dict(plan.headers), plan.body


def test_job_runs_then_303_to_its_result_by_the_request_clock() -> None:
    responder = Responder(ResponderConfig())
    status, fields, body = _at(responder, 100.0, "POST", "/jobs?seconds=10")
    assert status == 202
    monitor = fields["Content-Location"]
    assert "Location" not in fields and json.loads(body)["status"] == "running"
    status, fields, body = _at(responder, 109.5, "GET", monitor)
    assert status == 200 and json.loads(body)["remaining"] == 0.5
    assert _at(responder, 109.5, "GET", monitor + "/result")[0] == 404
    status, fields, _ = _at(responder, 110.0, "GET", monitor)
    assert status == 303 and fields["Location"] == monitor + "/result"
    status, _, body = _at(responder, 110.0, "GET", monitor + "/result")
    assert status == 200 and json.loads(body)["status"] == "done"


def test_jobs_end_to_end_with_polling(server: ServerThread) -> None:
    started = requests.post(server.url_for("/jobs?seconds=1"), timeout=5)
    assert started.status_code == 202
    monitor = server.url_for(started.headers["Content-Location"])
    first = requests.get(monitor, allow_redirects=False, timeout=5)
    assert first.status_code == 200 and first.json()["status"] == "running"
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        polled = requests.get(monitor, allow_redirects=False, timeout=5)
        if polled.status_code != 200:
            break
        time.sleep(0.2)
    assert polled.status_code == 303
    # Following the 303 lands on the result: requests does it with a GET.
    final = requests.get(monitor, timeout=5)
    assert [r.status_code for r in final.history] == [303] and final.json()["status"] == "done"


def test_cancelled_job_is_gone_and_bad_input_is_400(server: ServerThread, raw: Callable[..., Raw]) -> None:
    started = httpx.post(server.url_for("/jobs?seconds=0"), timeout=5)
    monitor = started.headers["content-location"]
    assert httpx.get(server.url_for(monitor), timeout=5).status_code == 303
    assert httpx.delete(server.url_for(monitor), timeout=5).status_code == 204
    assert httpx.get(server.url_for(monitor), timeout=5).status_code == 410
    assert raw("/jobs/999999").status == 404
    for target, words in (
        ("/jobs?seconds=abc", b"seconds: 'abc' is not a whole number"),
        ("/jobs?seconds=999999", b"seconds: 999999 is out of range"),
    ):
        response = raw(target, method="POST")
        assert response.status == 400 and words in response.body
    assert raw("/jobs/abc").status == 400
    assert raw("/jobs/1/other").status == 400
    assert raw("/jobs", method="PUT").header("Allow") == "GET, HEAD, POST, OPTIONS"


def test_jobs_are_bounded(make_server: Callable[..., ServerThread]) -> None:
    server = make_server(max_jobs=2)
    monitors = [
        requests.post(server.url_for("/jobs?seconds=60"), timeout=5).headers["Content-Location"] for _ in range(3)
    ]
    assert [requests.get(server.url_for(m), timeout=5).status_code for m in monitors] == [404, 200, 200]


@pytest.mark.parametrize("value", [0, -1])
def test_store_limits_are_checked(value: int) -> None:
    with pytest.raises(ValueError, match="--max-items must be at least 1"):
        ResponderConfig(max_items=value)
