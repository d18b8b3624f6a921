"""httplint's "request field in a response" note yields to the fields RFC 9110 asks of the status."""

from __future__ import annotations

from statuskit.lint import check


def _rules(status: int, fields: dict[str, str]) -> list[str]:
    request = {"method": "POST", "url": "http://127.0.0.1/upload", "headers": {"Content-Type": "application/x-nothing"}}
    response = {
        "status": status,
        "headers": {"Content-Type": "text/plain", "Content-Length": "2", **fields},
        "body": b"no",
    }
    return [f.rule for f in check(request, response)]


def test_415_may_name_what_it_accepts() -> None:
    # RFC 9110 §15.5.16: Accept-Encoding and Accept are response fields on a 415.
    assert "httplint:REQUEST_HDR_IN_RESPONSE" not in _rules(
        415, {"Accept": "text/plain", "Accept-Encoding": "identity"}
    )


def test_other_statuses_still_get_the_note() -> None:
    assert "httplint:REQUEST_HDR_IN_RESPONSE" in _rules(200, {"Accept": "text/plain"})
