"""gzip of the rendered documents (the page, code pages, assets), and never of a status code's own body."""

from __future__ import annotations

import gzip

import pytest

from statuskit import web
from statuskit.responder import Request, Responder
from statuskit.responder.encoding import accepts_gzip

RESPONDER = Responder()


def respond(target: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    fields = tuple((name.replace("_", "-"), value) for name, value in headers.items())
    plan = RESPONDER.respond(Request.build("GET", target, headers=fields))
    return plan.status, dict(plan.headers), plan.body


@pytest.mark.parametrize(
    "value,expected",
    [
        ("gzip", True),
        ("gzip, deflate, br", True),
        ("br;q=1, gzip;q=0", False),
        ("x-gzip", True),
        ("*", True),
        ("*, gzip;q=0", False),
        ("identity", False),
        ("", False),
        ("gzip;q=abc", False),  # broken field: read as asking for nothing, the page still loads
    ],
)
def test_accepts_gzip(value: str, expected: bool) -> None:
    assert accepts_gzip(Request.build("GET", "/", headers=(("accept-encoding", value),))) is expected


def test_the_reference_page_is_sent_gzipped_when_asked() -> None:
    status, fields, body = respond("/?lang=en", accept="text/html", accept_encoding="gzip, deflate")
    assert status == 200 and fields["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in fields["Vary"]
    assert gzip.decompress(body).decode("utf-8") == web.index_page("en")
    assert len(body) < 150 * 1024  # the page's budget (issue 5), as sent


def test_without_accept_encoding_the_page_is_plain_but_varies() -> None:
    status, fields, body = respond("/?lang=en", accept="text/html")
    assert "Content-Encoding" not in fields and "Accept-Encoding" in fields["Vary"]
    assert body.decode("utf-8") == web.index_page("en")


def test_code_pages_and_assets_are_gzipped_too() -> None:
    _, fields, body = respond("/docs/404", accept_encoding="gzip")
    assert fields["Content-Encoding"] == "gzip" and gzip.decompress(body).startswith(b"<!doctype html>")
    _, fields, body = respond("/static/app.js", accept_encoding="gzip")
    assert fields["Content-Encoding"] == "gzip"
    found = web.asset("app.js")
    assert found is not None and gzip.decompress(body) == found[0]


def test_a_status_codes_own_body_is_never_coded() -> None:
    # What /{code} sends must be exactly what a client under test expects.
    for target in ("/200", "/404", "/503"):
        for accept in ("text/plain", "application/json", "text/html"):
            _, fields, _ = respond(target, accept=accept, accept_encoding="gzip")
            assert "Content-Encoding" not in fields, (target, accept)
