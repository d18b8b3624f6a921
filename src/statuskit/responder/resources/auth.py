"""Authentication resources: Basic (RFC 7617), Bearer (RFC 6750), for the origin and for a proxy, and 403.

    /basic-auth/{user}/{pass}          401 with a Basic challenge until the credentials match, then 200
    /hidden-basic-auth/{user}/{pass}   404 instead of 401 (httpbin's: the resource does not admit it exists)
    /forbidden-auth/{user}/{pass}      401 for wrong credentials; the right ones get 403 (known, but not allowed)
    /proxy-auth/{user}/{pass}          407 with Proxy-Authenticate until Proxy-Authorization matches
    /bearer[/{token}]                  401 with a Bearer challenge until a token (that token) is sent

RFC 9110 §15.5.2: a 401 "MUST send a WWW-Authenticate header field
containing at least one challenge"; §15.5.8 the same of 407 and
Proxy-Authenticate. Credentials are compared in constant time.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import re

from statuskit.responder.codes import CHALLENGE
from statuskit.responder.compose import compose
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import Resource, json_content, segment

REALM = "statuskit"

# RFC 6750 §2.1: b64token = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
_B64TOKEN = re.compile(r"[A-Za-z0-9\-._~+/]+=*\Z")
BEARER_CHALLENGE = f'Bearer realm="{REALM}"'


def credentials(value: str | None, scheme: str) -> str | None:
    """The credentials after `scheme` in an Authorization value; the scheme is case-insensitive (RFC 9110 §11.1)."""
    if value is None:
        return None
    given, _, rest = value.strip().partition(" ")
    if given.lower() != scheme.lower():
        return None
    return rest.strip()


def basic_user(value: str | None) -> tuple[str, str] | None:
    """(user, password) of Basic credentials (RFC 7617 §2), decoded as UTF-8 as the challenge's charset says (§2.1)."""
    token = credentials(value, "Basic")
    if not token:
        return None
    try:
        decoded = base64.b64decode(token, validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    user, colon, password = decoded.partition(":")
    return (user, password) if colon else None


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def _user_and_password(rest: tuple[str, ...], name: str) -> tuple[str, str]:
    if len(rest) != 2 or not rest[0]:
        raise RequestError(detail=f"ask for /{name}/USER/PASSWORD (both in the path, percent-encoded)")
    return segment(rest[0], "user"), segment(rest[1], "password")


def _authenticated(request: Request, user: str) -> Plan:
    # Each user's answer differs by the credentials sent: no shared cache may reuse it (RFC 9111 §5.2.2.7).
    return compose(
        request,
        200,
        content=json_content({"authenticated": True, "user": user}),
        fields=(("Cache-Control", "private"),),
        reusable=True,
    )


class BasicAuthRoute(Resource):
    """Basic authentication, in the variants of the module docstring (`kind`)."""

    DESCRIPTIONS = {
        "basic-auth": "401 with a Basic challenge until these credentials are sent, then 200 JSON",
        "hidden-basic-auth": "the same, with 404 instead of 401 (httpbin's)",
        "forbidden-auth": "401 until the credentials are right; then 403: a known user without access",
        "proxy-auth": "407 with Proxy-Authenticate until Proxy-Authorization carries these credentials",
    }

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.endpoints = ((f"/{kind}/{{user}}/{{pass}}", self.DESCRIPTIONS[kind]),)

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        user, password = _user_and_password(rest, self.kind)
        proxy = self.kind == "proxy-auth"
        sent = basic_user(request.header("proxy-authorization" if proxy else "authorization"))
        if sent is not None and same(sent[0], user) and same(sent[1], password):
            if self.kind == "forbidden-auth":
                return compose(
                    request,
                    403,
                    detail=f"{user!r} is recognised but has no access here; other credentials will not help",
                    reusable=True,
                )
            return _authenticated(request, user)
        why = "no credentials" if sent is None else "the wrong credentials"
        if self.kind == "hidden-basic-auth":
            return compose(request, 404, detail=f"nothing here for {why}", reusable=True)
        if proxy:
            return compose(
                request,
                407,
                fields=(("Proxy-Authenticate", CHALLENGE),),
                detail=f"{why} in Proxy-Authorization; send Basic credentials (RFC 9110 §11.7.2)",
                reusable=True,
            )
        return compose(
            request,
            401,
            fields=(("WWW-Authenticate", CHALLENGE),),
            detail=f"{why}; send Basic credentials in Authorization (RFC 7617)",
            reusable=True,
        )


class BearerRoute(Resource):
    endpoints = (
        ("/bearer", "401 with WWW-Authenticate: Bearer until any token is sent, then 200 with the token"),
        ("/bearer/{token}", "the same, for that token only (another one is invalid_token)"),
    )

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if len(rest) > 1 or (rest and not rest[0]):
            raise RequestError(detail="ask for /bearer or /bearer/TOKEN")
        wanted = segment(rest[0], "token") if rest else None
        token = credentials(request.header("authorization"), "Bearer")
        if token is None:
            # RFC 6750 §3.1: "If the request lacks any authentication information ...,
            # the resource server SHOULD NOT include an error code".
            return compose(
                request,
                401,
                fields=(("WWW-Authenticate", BEARER_CHALLENGE),),
                detail="no Bearer token; send Authorization: Bearer TOKEN (RFC 6750 §2.1)",
                reusable=True,
            )
        if not _B64TOKEN.match(token):
            problem = "the token is malformed: it is not a b64token (RFC 6750 §2.1)"
        elif wanted is not None and not same(token, wanted):
            problem = "the token is not the one this resource takes"
        else:
            return compose(
                request,
                200,
                content=json_content({"authenticated": True, "token": token}),
                fields=(("Cache-Control", "private"),),
                reusable=True,
            )
        # RFC 6750 §3.1: invalid_token - "The access token provided is expired,
        # revoked, malformed, or invalid for other reasons ... respond with 401".
        challenge = f'{BEARER_CHALLENGE}, error="invalid_token", error_description="{problem.split(":")[0]}"'
        return compose(request, 401, fields=(("WWW-Authenticate", challenge),), detail=problem, reusable=True)
