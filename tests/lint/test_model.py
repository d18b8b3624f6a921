"""The linter's values: immutable, validated, and readable from what callers have."""

from __future__ import annotations

import dataclasses
import json

import httpx
import pytest
import requests

from statuskit.lint import Exchange, Fields, Finding, Request, Response, Severity, check
from statuskit.lint.adapters import to_request, to_response
from statuskit.lint.model import section_url


def test_finding_is_frozen_slotted_data() -> None:
    values = {"code": 401, "reason": "Unauthorized", "field": "WWW-Authenticate", "detail": ""}
    f = Finding("required-field-missing", "error", "RFC 9110 §15.5.2", section_url("RFC 9110 §15.5.2"), values, 401)
    assert f.severity is Severity.ERROR
    assert not hasattr(f, "__dict__")
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.rule = "x"  # type: ignore[misc]
    assert f == Finding("required-field-missing", Severity.ERROR, "RFC 9110 §15.5.2", f.url, dict(values), 401)
    assert hash(f) == hash(Finding(*dataclasses.astuple(f)))
    # The sentence is made when it is read, in the reader's language.
    english = "401 Unauthorized must carry WWW-Authenticate; this response does not."
    chinese = "401 Unauthorized 响应必须带 WWW-Authenticate 字段，但这个响应没有。"
    assert f.message("en") == f.message_en == english and f.message("fr") == english
    assert f.message("zh-CN") == f.message("zh") == f.message_zh == chinese
    assert json.loads(json.dumps(f.as_dict("zh-CN")))["message"] == chinese
    with pytest.raises(ValueError):
        Finding("x", "fatal", "", "")
    with pytest.raises(TypeError):
        Finding("", "error", "", "")


def test_section_url() -> None:
    assert section_url("RFC 9110 §15.5.2") == "https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2"
    assert section_url("RFC 6585 §4") == "https://www.rfc-editor.org/rfc/rfc6585.html#section-4"
    assert section_url("") == ""


def test_severity_order() -> None:
    assert Severity.ERROR.at_least("warning") and Severity.WARNING.at_least(Severity.WARNING)
    assert not Severity.INFO.at_least("warning")
    assert [s.rank for s in Severity] == [3, 2, 1]


def test_fields_are_case_insensitive_and_ordered() -> None:
    fields = Fields([("Vary", "Accept"), ("content-type", "text/html; charset=utf-8"), ("vary", "Origin")])
    assert "Content-Type" in fields and "content-TYPE" in fields and "ETag" not in fields
    assert fields.get("VARY") == "Accept, Origin" and fields.get_all("vary") == ["Accept", "Origin"]
    assert fields.tokens("Vary") == ["accept", "origin"]
    assert fields.media_type() == "text/html"
    assert Fields({"Content-Length": "12"}).content_length() == 12
    assert Fields([("Content-Length", "1"), ("Content-Length", "2")]).content_length() is None
    assert Fields([(b"X", b"\xff")]).get("x") == "\xff"  # octets kept (latin-1)
    with pytest.raises(AttributeError):
        fields.x = 1  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        Fields(["no-colon"])


def test_request_and_response_validate() -> None:
    assert Request(method="get").method == "GET"
    assert Request(body="é").body_length == 2
    assert Response(status="404").status == 404
    assert Response(status=200, body=b"abc").content_length == 3
    assert Response(status=200, version="HTTP/2").version == "2"
    for bad in ({"status": 1000}, {"status": "abc"}, {"status": True}, {"status": 200, "content_length": -1}):
        with pytest.raises(ValueError):
            Response(**bad)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Response(status=200, body=12)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Exchange(request="GET /", response=Response(status=200))  # type: ignore[arg-type]


def test_plain_shapes() -> None:
    assert to_request(("post", "/x", {"A": "b"}, b"hi")) == Request(
        method="POST", target="/x", fields={"A": "b"}, body=b"hi"
    )
    assert to_request({"method": "GET", "url": "http://h/"}).target == "http://h/"
    assert to_response(404).status == 404
    assert to_response((204, [("Content-Length", "0")])).fields.get("content-length") == "0"
    assert to_response({"status_code": 200, "reason": "OK", "content": b"x"}).body == b"x"
    with pytest.raises(TypeError, match="unknown response key"):
        to_response({"status": 200, "hedaers": {}})
    with pytest.raises(TypeError):
        to_response(object())
    # A tuple and a dict give the same findings.
    assert check(("GET", "/"), (401,)) == check({"method": "GET", "url": "/"}, {"status": 401})


def test_httpx_and_requests_objects(bad_server: str) -> None:
    with httpx.Client() as client:
        response = client.get(bad_server + "/401")
    ours = to_response(response)
    assert ours.status == 401 and ours.body == b"who?" and "Date" in ours.fields
    assert to_request(response.request).target == bad_server + "/401"
    assert "required-field-missing" in [f.rule for f in check(None, response)]

    response2 = requests.get(bad_server + "/401", timeout=10)
    assert to_response(response2).body == b"who?"
    assert to_request(response2.request).method == "GET"
    assert "required-field-missing" in [f.rule for f in check(None, response2)]


def test_coded_content_is_not_judged_decoded() -> None:
    # httpx and requests undo gzip; the octets as sent are unknown, so none are passed on.
    import gzip

    raw = gzip.compress(b"hello")
    response = httpx.Response(200, headers={"Content-Encoding": "gzip", "Content-Length": str(len(raw))}, content=raw)
    assert to_response(response).body is None
    assert "httplint:CL_INCORRECT" not in [f.rule for f in check(None, response)]
