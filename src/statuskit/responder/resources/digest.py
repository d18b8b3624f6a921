"""`/digest-auth/{qop}/{user}/{pass}[/{algorithm}[/{stale_after}]]`: HTTP Digest Access Authentication (RFC 7616).

qop is `auth`, `auth-int` or both (`auth,auth-int`); the algorithm is MD5
(the default), SHA-256 or SHA-512-256, each also as `-sess` (§3.2, §3.4.2),
or SHA-512, which is not in the IANA registry but which httpbin offers and
requests' HTTPDigestAuth answers.

httpbin's cookies are kept, so that its clients' suites pass: every answer
sets `fake=fake_value` (with `?require-cookie=1`, credentials sent without
that cookie get 403, to test that a client keeps the cookies of a 401), and
`{stale_after}` (a number, or `never`, the default) counts the successes a
client may have before its nonce is called stale: the count travels in a
`stale_after` cookie, set by the challenge and lowered by each success, and
when it reaches 0 a correct answer gets 401 with `stale=true`.


Nonces are signed rather than remembered: `issued.random.signature`, the
signature an HMAC of the issue time, random digits and the path under a
secret kept in the store (the first server to ask puts its own
`ResponderConfig.secret` there), so that every worker and instance sharing
the store knows the others' nonces, as RFC
7616 §3.3 suggests ("a nonce might, for example, be constructed as the base
64 encoding of time-stamp H(time-stamp ":" ETag ":" secret-data)"). A nonce
older than --nonce-lifetime (or `?stale_after=S`) is stale: a correct answer
to it gets 401 with `stale=true`, so the client retries without asking its
user again (§3.3). The time is `request.now`; the responder has no clock.

What is remembered is each nonce count used (nc, §3.4): a correct answer
is counted in the store (`Hit`, for a nonce's lifetime), and a second
request with the same nonce and nc is a replay, refused with 401 and a new
challenge. The store is shared by the workers and instances, so a request
replayed to another one is refused too.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, replace
from urllib.parse import unquote

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.auth import REALM, credentials, same
from statuskit.responder.resources.base import Resource, ask, boolean, json_content, query, segment, whole_number
from statuskit.responder.resources.cookies import cookie_header, request_cookies
from statuskit.responder.state import Hit, Swap

# RFC 7616 §3.2 and the IANA "HTTP Digest Hash Algorithms" registry: name -> hashlib name.
HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256", "SHA-512": "sha512"}
ALGORITHMS = {name: name.removesuffix("-sess") for base in HASHES for name in (base, f"{base}-sess")}
QOPS = ("auth", "auth-int")

# RFC 9110 §11.2: auth-param = token BWS "=" BWS ( token / quoted-string )
_TOKEN = r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
_AUTH_PARAM = re.compile(rf'[ \t]*({_TOKEN})[ \t]*=[ \t]*({_TOKEN}|"(?:[^"\\]|\\.)*")[ \t]*(?:,|\Z)')
_NC = re.compile(r"[0-9A-Fa-f]{8}\Z")

# The store's space of the signing secret.
SPACE = "digest"

REQUIRED = ("realm", "nonce", "uri", "response", "qop", "nc", "cnonce")

# httpbin's cookie that a digest client is expected to keep and send back.
FAKE_COOKIE = cookie_header("fake", "fake_value")
NEVER = "never"
MAX_STALE_AFTER = 10**6


def parse_auth_params(text: str, field: str = "Authorization") -> dict[str, str]:
    """The auth-params of credentials or a challenge (RFC 9110 §11.2), names lower-cased, quotes removed."""
    params: dict[str, str] = {}
    position = 0
    text = text.strip()
    while position < len(text):
        if text[position] in ", \t":
            position += 1  # empty list elements (§5.6.1)
            continue
        found = _AUTH_PARAM.match(text, position)
        if found is None:
            raise RequestError(detail=f"{field}: the Digest credentials are not a list of name=value (RFC 9110 §11.2)")
        name, value = found.group(1).lower(), found.group(2)
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        if name in params:
            raise RequestError(detail=f"{field}: {name} is given twice")
        params[name] = value
        position = found.end()
    return params


def _username(params: dict[str, str]) -> str:
    if "username*" in params:
        # RFC 7616 §3.4: username* carries an RFC 8187 ext-value: charset'language'percent-encoded.
        charset, _, rest = params["username*"].partition("'")
        _, _, encoded = rest.partition("'")
        if charset.lower() != "utf-8":
            raise RequestError(detail="Authorization: username* must be UTF-8 (RFC 7616 §3.4)")
        try:
            return unquote(encoded, errors="strict")
        except UnicodeDecodeError:
            raise RequestError(detail="Authorization: username* is not UTF-8 once percent-decoded") from None
    if "username" not in params:
        raise RequestError(detail="Authorization: the Digest credentials have no username (RFC 7616 §3.4)")
    return params["username"]


@dataclass(frozen=True, slots=True)
class Challenge:
    qops: tuple[str, ...]
    algorithm: str
    user: str
    password: str
    lifetime: int
    stale_after: str  # successes before the nonce is stale, or "never"
    require_cookie: bool
    # Signs nonces and opaque: the store's, so that every instance sharing it knows the others' nonces.
    secret: bytes = b""

    def hash(self, data: bytes) -> str:
        return hashlib.new(HASHES[ALGORITHMS[self.algorithm]], data).hexdigest()

    def h(self, text: str) -> str:
        return self.hash(text.encode("utf-8"))


class DigestRoute(Resource):
    endpoints = (
        (
            "/digest-auth/{qop}/{user}/{pass}[/{algorithm}[/{stale_after}]]",
            (
                "Digest (RFC 7616): qop auth|auth-int|auth,auth-int; MD5 (default), SHA-256, SHA-512-256, "
                "each also -sess, or SHA-512; stale after that many successes (or never); "
                "?stale_after=S seconds; ?require-cookie=1"
            ),
        ),
    )

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    # -- the URL ---------------------------------------------------------------------

    def _challenge(self, request: Request, rest: tuple[str, ...]) -> Challenge:
        if len(rest) not in (3, 4, 5) or not all(rest):
            raise RequestError(
                detail="ask for /digest-auth/QOP/USER/PASSWORD[/ALGORITHM[/STALE_AFTER]], "
                "e.g. /digest-auth/auth/user/pass/SHA-256/never"
            )
        qops = tuple(q.strip().lower() for q in segment(rest[0], "qop").split(","))
        if not qops or any(q not in QOPS for q in qops):
            raise RequestError(detail=f"qop: {rest[0][:40]!r} is not auth, auth-int or auth,auth-int (RFC 7616 §3.3)")
        algorithm = "MD5"
        if len(rest) >= 4:
            by_upper = {name.upper(): name for name in ALGORITHMS}
            algorithm = by_upper.get(segment(rest[3], "algorithm").upper(), "")
            if not algorithm:
                raise RequestError(
                    detail=f"algorithm: {rest[3][:40]!r} is not one of {', '.join(ALGORITHMS)} (RFC 7616 §3.2)"
                )
        stale_after = NEVER
        if len(rest) == 5 and rest[4].lower() != NEVER:
            stale_after = str(whole_number("stale_after", rest[4], 0, MAX_STALE_AFTER))
        params = query(request, ("stale_after", "require-cookie"))
        lifetime = self.config.nonce_lifetime
        if "stale_after" in params:
            lifetime = whole_number("stale_after", params["stale_after"], 1, self.config.nonce_lifetime)
        require_cookie = boolean("require-cookie", params["require-cookie"]) if "require-cookie" in params else False
        user, password = segment(rest[1], "user"), segment(rest[2], "password")
        return Challenge(qops, algorithm, user, password, lifetime, stale_after, require_cookie)

    # -- nonces ----------------------------------------------------------------------

    def _sign(self, request: Request, challenge: Challenge, text: str) -> str:
        return hmac.new(challenge.secret, f"{text}|{request.path}".encode(), hashlib.sha256).hexdigest()[:32]

    def _nonce(self, request: Request, challenge: Challenge) -> str:
        stem = f"{int(request.now * 1000):x}.{secrets.token_hex(6)}"
        return f"{stem}.{self._sign(request, challenge, stem)}"

    def _opaque(self, request: Request, challenge: Challenge) -> str:
        return self._sign(request, challenge, "opaque")

    def _nonce_state(self, request: Request, challenge: Challenge, nonce: str) -> str:
        """ "fresh", "stale" or "invalid" (not ours, or for another path)."""
        lifetime = challenge.lifetime
        stem, _, signature = nonce.rpartition(".")
        if not stem or not hmac.compare_digest(signature, self._sign(request, challenge, stem)):
            return "invalid"
        issued = int(stem.split(".")[0], 16) / 1000
        if issued > request.now + 1:
            return "invalid"
        return "stale" if request.now - issued > lifetime else "fresh"

    def _unauthorized(self, request: Request, challenge: Challenge, detail: str, stale: bool = False) -> Plan:
        """401 with a new challenge; the `stale_after` count starts again from the path's."""
        qop = ",".join(challenge.qops)
        value = (
            f'Digest realm="{REALM}", qop="{qop}", algorithm={challenge.algorithm}, '
            f'nonce="{self._nonce(request, challenge)}", opaque="{self._opaque(request, challenge)}"'
        )
        if stale:
            value += ", stale=true"
        # §15.5.2: every 401 carries a challenge; a new nonce each time.
        cookies = (("Set-Cookie", cookie_header("stale_after", challenge.stale_after)), ("Set-Cookie", FAKE_COOKIE))
        return compose(request, 401, fields=(("WWW-Authenticate", value), *cookies), detail=detail)

    # -- answering -------------------------------------------------------------------

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        challenge = self._challenge(request, rest)
        sent = credentials(request.header("authorization"), "Digest")
        # httpbin's ?require-cookie=1 is checked before the credentials are read, as httpbin does.
        missing = "no Digest credentials; answer the challenge (RFC 7616 §3.4)"
        if sent is not None and challenge.require_cookie:
            if not request.has_header("cookie"):
                sent, missing = None, "?require-cookie=1: no Cookie field; send the challenge's cookies back"
            elif request_cookies(request).get("fake") != "fake_value":
                return compose(
                    request,
                    403,
                    fields=(("Set-Cookie", FAKE_COOKIE),),
                    detail="?require-cookie=1: the cookie fake=fake_value set with the challenge was not sent back",
                )
        params = self._params(request, sent) if sent is not None else None
        # The first instance to ask sets the secret; every other one reads it.
        secret = Swap(SPACE, "secret", self.config.secret, None, 1)
        return ask(
            request,
            (secret,),
            lambda results: self._verify(request, replace(challenge, secret=results[0].current), params, missing),
        )

    def _params(self, request: Request, sent: str) -> dict[str, str]:
        """The credentials' parameters, checked for what makes a request malformed (400)."""
        params = parse_auth_params(sent)
        _username(params)
        missing = [name for name in REQUIRED if name not in params]
        if missing:
            raise RequestError(
                detail=f"Authorization: the Digest credentials lack {', '.join(missing)} (RFC 7616 §3.4)"
            )
        # RFC 7616 §3.4.6: "The authenticating server MUST assure that the resource designated by
        # the "uri" parameter is the same as the resource specified in the Request-Line; if they
        # are not, the server SHOULD return a 400 (Bad Request) error."
        if params["uri"] not in (request.target, request.path + (f"?{request.query}" if request.query else "")):
            raise RequestError(
                detail=f"Authorization: uri={params['uri'][:100]!r} is not the request target (RFC 7616 §3.4.6)"
            )
        if not _NC.match(params["nc"]):
            raise RequestError(detail="Authorization: nc is not 8 hexadecimal digits (RFC 7616 §3.4)")
        return params

    def _verify(self, request: Request, challenge: Challenge, params: dict[str, str] | None, missing: str) -> Plan:
        if params is None:
            return self._unauthorized(request, challenge, missing)
        cookies = request_cookies(request)
        user = _username(params)
        algorithm = params.get("algorithm", "MD5")
        qop = params["qop"].lower()
        problems = (
            (params["realm"] != REALM, f"realm {params['realm'][:40]!r} is not {REALM!r}"),
            (
                algorithm.upper() != challenge.algorithm.upper(),
                f"algorithm {algorithm[:20]} is not {challenge.algorithm}",
            ),
            (qop not in challenge.qops, f"qop {qop[:20]} was not offered"),
            (params.get("opaque", "") != self._opaque(request, challenge), "opaque is not the one sent"),
        )
        for failed, problem in problems:
            if failed:
                return self._unauthorized(request, challenge, f"the credentials do not answer the challenge: {problem}")
        state = self._nonce_state(request, challenge, params["nonce"])
        if state == "invalid":
            return self._unauthorized(request, challenge, "the nonce is not one this server issued for this resource")
        expected_user = (
            challenge.h(f"{challenge.user}:{REALM}") if params.get("userhash", "").lower() == "true" else challenge.user
        )
        expected = self._response(request, challenge, params, qop, request.body)
        if not (same(user, expected_user) and same(params["response"].lower(), expected)):
            return self._unauthorized(request, challenge, "wrong user name or password")
        left = cookies.get("stale_after", NEVER)
        if state == "stale" or left == "0":
            # §3.3: stale is set "if it receives a request for which the nonce is invalid but with a valid digest".
            return self._unauthorized(request, challenge, "the nonce is stale; answer the new one", stale=True)
        # §3.4: nc lets "the server ... detect request replays by maintaining its own copy of this count".
        used = Hit(f"digest-nc:{params['nonce']}:{params['nc'].lower()}", request.now, self.config.nonce_lifetime + 1)
        return ask(
            request, (used,), lambda results: self._granted(request, challenge, params, qop, left, results[0].count)
        )

    def _granted(
        self, request: Request, challenge: Challenge, params: dict[str, str], qop: str, left: str, uses: int
    ) -> Plan:
        if uses > 1:
            detail = f"nc={params['nc'][:8]} of this nonce was used already: a replayed request (RFC 7616 §3.4)"
            return self._unauthorized(request, challenge, detail)
        fields: list[tuple[str, str]] = [("Set-Cookie", FAKE_COOKIE)]
        if left.isascii() and left.isdigit():
            fields.append(("Set-Cookie", cookie_header("stale_after", str(int(left) - 1))))
        document = json_content({"authenticated": True, "user": challenge.user})
        info = self._authentication_info(challenge, params, qop, document[0])
        return compose(
            request,
            200,
            content=document,
            fields=(("Authentication-Info", info), ("Cache-Control", "private"), *fields),
        )

    def wants_body(self, request: Request, rest: tuple[str, ...]) -> bool:
        # auth-int digests the content (RFC 7616 §3.4.3); plain auth is decided from the head.
        return bool(rest) and "auth-int" in rest[0].lower()

    def _ha1(self, challenge: Challenge, params: dict[str, str]) -> str:
        # RFC 7616 §3.4.2: A1 = unq(username) ":" unq(realm) ":" passwd, and for -sess
        # A1 = H( unq(username) ":" unq(realm) ":" passwd ) ":" unq(nonce) ":" unq(cnonce)
        ha1 = challenge.h(f"{challenge.user}:{REALM}:{challenge.password}")
        if challenge.algorithm.endswith("-sess"):
            ha1 = challenge.h(f"{ha1}:{params['nonce']}:{params['cnonce']}")
        return ha1

    def _response(self, request: Request, challenge: Challenge, params: dict[str, str], qop: str, body: bytes) -> str:
        # RFC 7616 §3.4.3: A2 = Method ":" request-uri, or for auth-int
        # A2 = Method ":" request-uri ":" H(entity-body); §3.4.1: response =
        # KD(H(A1), unq(nonce) ":" nc ":" unq(cnonce) ":" unq(qop) ":" H(A2)).
        a2 = f"{request.method}:{params['uri']}"
        if qop == "auth-int":
            a2 += f":{challenge.hash(body)}"
        ha1 = self._ha1(challenge, params)
        return challenge.h(f"{ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:{qop}:{challenge.h(a2)}")

    def _authentication_info(self, challenge: Challenge, params: dict[str, str], qop: str, content: bytes) -> str:
        # RFC 7616 §3.5: rspauth is computed as the response, with A2 lacking the method.
        a2 = f":{params['uri']}" + (f":{challenge.hash(content)}" if qop == "auth-int" else "")
        ha1 = self._ha1(challenge, params)
        rspauth = challenge.h(f"{ha1}:{params['nonce']}:{params['nc']}:{params['cnonce']}:{qop}:{challenge.h(a2)}")
        return f'rspauth="{rspauth}", qop={qop}, nc={params["nc"]}, cnonce={quoted(params["cnonce"])}'


def quoted(text: str) -> str:
    """A quoted-string (RFC 9110 §5.6.4): backslash before '"' and '\\'."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
