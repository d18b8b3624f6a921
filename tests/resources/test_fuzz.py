"""No input makes a resource fail: every answer is a plan with a status below 500 (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from statuskit.responder import Request, Responder, ResponderConfig
from statuskit.semantics import ORIGIN_METHODS

ROUTES = [
    "anything",
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "redirect",
    "relative-redirect",
    "absolute-redirect",
    "redirect-to",
    "basic-auth",
    "hidden-basic-auth",
    "forbidden-auth",
    "proxy-auth",
    "bearer",
    "digest-auth",
    "methods",
    "negotiate",
    "items",
    "jobs",
    "headers",
    "ip",
    "user-agent",
    "uuid",
    "cookies",
    "gzip",
    "deflate",
    "brotli",
    "html",
    "json",
    "xml",
    "robots.txt",
    "deny",
    "encoding",
    "forms",
    "image",
    "base64",
    "links",
    "bytes",
    "stream-bytes",
    "stream",
    "drip",
    "delay",
    "response-headers",
]
SEGMENT = st.text(alphabet=st.sampled_from("aA1-_.%2Ff,:=*~ "), max_size=12).map(lambda s: s.replace(" ", "%20"))
QUERY = st.lists(
    st.tuples(st.sampled_from(["status", "status_code", "url", "absolute", "seconds", "stale_after", "x"]), SEGMENT),
    max_size=4,
).map(lambda pairs: "&".join(f"{k}={v}" for k, v in pairs))
VALUE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=60)
FIELDS = st.lists(
    st.tuples(
        st.sampled_from(
            [
                "authorization",
                "proxy-authorization",
                "accept",
                "accept-language",
                "content-type",
                "content-encoding",
                "if-match",
                "if-none-match",
                "host",
            ]
        ),
        st.one_of(
            VALUE,
            st.sampled_from(
                [
                    "Basic dTpw",
                    'Digest username="u", realm=x',
                    "Bearer a",
                    "gzip",
                    "deflate, gzip",
                    "*",
                    "application/json",
                    "multipart/form-data; boundary=x",
                    "application/x-www-form-urlencoded",
                    "text/plain; charset=utf-8",
                ]
            ),
        ),
    ),
    max_size=5,
)

RESPONDER = Responder(ResponderConfig(max_items=3, max_jobs=3, max_body=4096))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(sorted(ORIGIN_METHODS)),
    route=st.sampled_from(ROUTES),
    segments=st.lists(SEGMENT, max_size=4),
    query=QUERY,
    fields=FIELDS,
    body=st.one_of(
        st.binary(max_size=64),
        st.lists(
            st.sampled_from(
                [
                    b"--x\r\n",
                    b"--x--",
                    b"\r\n",
                    b"Content-Disposition: form-data; name=a",
                    b'; filename="f"',
                    b"a=1&b",
                    b'{"version": 1}',
                    b"\x1f\x8b\x08\x00",
                ]
            ),
            max_size=8,
        ).map(b"".join),
    ),
    now=st.floats(min_value=0, max_value=4e9),
)
def test_every_answer_is_a_plan_below_500(
    method: str, route: str, segments: list[str], query: str, fields: list[tuple[str, str]], body: bytes, now: float
) -> None:
    target = "/" + "/".join([route, *segments]) + (f"?{query}" if query else "")
    request = Request.build(method, target, headers=fields, body=body, client=("127.0.0.1", 1), now=now)
    plan = RESPONDER.answer(request)
    assert 200 <= plan.status < 500
    for name, value in plan.headers:
        assert "\r" not in value and "\n" not in value, (name, value)
    RESPONDER.wants_body(request)
