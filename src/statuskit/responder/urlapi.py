"""The URL API of `/{code}`: which codes a path asks for, and the query parameters.

    /404  /status/404  /404/any/thing    one code (anything after it is ignored)
    /200,503                             one of several, equally likely
    /200:0.9,503:0.1                     one of several, by weight
    /500-504  /200,500-504               a range, alone or in a list
    /random/200,503                      the same, under httpbin's name

Every mistake raises `RequestError` with a message that names the part that
is wrong; nothing here can fail any other way (the fuzz tests hold it to that).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import parse_qsl, unquote

from statuskit.registry import MAX_CODE, MIN_CODE
from statuskit.responder.errors import SHOWN, RequestError, shown
from statuskit.responder.plan import Fault, FaultKind
from statuskit.responder.request import Request

# A list longer than this is a mistake or an attack, not a test.
MAX_CHOICES = 100
# Characters of a code list (after percent-decoding), and query fields parsed.
MAX_SPEC = 2000
MAX_QUERY_FIELDS = 64

# A path segment that starts with a digit is a code list, right or wrong
# (so /99 and /200,abc are 400), anything else is a name (/foo is 404).
DIGITS = frozenset("0123456789")


@dataclass(frozen=True, slots=True)
class CodeSpec:
    """The codes a path names and their weights (None: all equally likely)."""

    codes: tuple[int, ...]
    weights: tuple[float, ...] | None = None

    @property
    def single(self) -> bool:
        return len(self.codes) == 1

    def pick(self, rng: random.Random) -> int:
        if len(self.codes) == 1:
            return self.codes[0]
        if self.weights is None:
            return self.codes[rng.randrange(len(self.codes))]
        return rng.choices(self.codes, weights=self.weights)[0]


def looks_like_spec(segment: str) -> bool:
    return bool(segment) and segment[0] in DIGITS


def _code(text: str, whole: str) -> int:
    text = text.strip()
    if not text.isascii() or not text.isdigit():
        raise RequestError(
            detail=f"{shown(text)} in {shown(whole)} is not a status code: use three digits, {MIN_CODE}-{MAX_CODE}"
        )
    if len(text) != 3 or not MIN_CODE <= int(text) <= MAX_CODE:
        named = text if len(text) <= SHOWN else shown(text)
        raise RequestError(detail=f"{named} is not a status code: codes are {MIN_CODE}-{MAX_CODE} (RFC 9110 §15)")
    value = int(text)
    return value


@lru_cache(maxsize=1024)
def parse_spec(text: str) -> CodeSpec:
    """Parse a code list such as `404`, `200,503`, `200:0.9,503:0.1` or `500-504` (memoized: it is pure)."""
    if "%" in text:
        try:
            text = unquote(text, errors="strict")
        except UnicodeDecodeError:
            raise RequestError(detail="the code list is not valid UTF-8 once percent-decoded") from None
    if len(text) > MAX_SPEC:
        raise RequestError(detail="the code list is too long")
    items = text.split(",")
    if len(items) > MAX_CHOICES:
        raise RequestError(detail=f"too many codes in the list (at most {MAX_CHOICES})")
    codes: list[int] = []
    weights: list[float] = []
    weighted = 0
    for item in items:
        item = item.strip()
        if not item:
            raise RequestError(detail=f"empty item in the code list {shown(text)}")
        code_text, colon, weight_text = item.partition(":")
        if "-" in code_text:
            if colon:
                raise RequestError(detail=f"{shown(item)}: a range of codes cannot have a weight")
            low_text, _, high_text = code_text.partition("-")
            low, high = _code(low_text, text), _code(high_text, text)
            if low > high:
                raise RequestError(detail=f"{shown(item)}: the range goes down ({low} > {high})")
            if len(codes) + high - low + 1 > MAX_CODE - MIN_CODE + 1:
                raise RequestError(detail=f"{shown(item)}: the list covers more than every code")
            codes.extend(range(low, high + 1))
            weights.extend([1.0] * (high - low + 1))
            continue
        codes.append(_code(code_text, text))
        if colon:
            weighted += 1
            weights.append(_weight(weight_text, item))
        else:
            weights.append(1.0)
    if weighted and weighted != len(items):
        raise RequestError(detail=f"{shown(text)}: give every code a weight, or none")
    if weighted:
        if sum(weights) <= 0.0:
            raise RequestError(detail=f"{shown(text)}: the weights add up to zero")
        return CodeSpec(tuple(codes), tuple(weights))
    return CodeSpec(tuple(codes))


# ASCII digits only: \d would also take "١" or "²", which int() and float() accept.
_WEIGHT = re.compile(r"([0-9]{1,9}(\.[0-9]{0,9})?|\.[0-9]{1,9})\Z")


def _weight(text: str, item: str) -> float:
    text = text.strip()
    if not _WEIGHT.match(text):
        raise RequestError(detail=f"{shown(item)}: the weight {shown(text)} is not a non-negative number")
    value = float(text)
    if not math.isfinite(value):
        raise RequestError(detail=f"{shown(item)}: the weight {shown(text)} is not finite")
    return value


# -- query parameters and their header forms -----------------------------------------

PARAMETERS = ("sleep", "then", "phrase", "location", "retry_after", "temporary", "lang", "fault", "seed")
_NAME_STEMS = ("sleep", "then", "phrase", "location", "retry", "temporary", "lang", "fault", "seed", "%")
_ANY_STEM = re.compile("|".join(re.escape(stem) for stem in _NAME_STEMS))

# Request fields that stand for a parameter; the query wins when both are given.
HEADER_PARAMETERS = {
    "x-statuskit-sleep": "sleep",
    "x-httpstatus-sleep": "sleep",  # httpstat.us
    "x-statuskit-fault": "fault",
}

MAX_PHRASE = 128
MAX_LOCATION = 2048

# ASCII digits only (\d matches any Unicode digit, which would reach a field value).
_DIGITS = re.compile(r"[0-9]{1,12}\Z")
# RFC 9110 §5.6.7: IMF-fixdate = day-name "," SP date1 SP time-of-day SP GMT
_IMF_FIXDATE = re.compile(
    r"(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} "
    r"\d\d:\d\d:\d\d GMT\Z"
)
# RFC 9112's reason-phrase: *( HTAB / SP / VCHAR / obs-text ); we keep to ASCII.
_PHRASE = re.compile(r"[\t\x20-\x7e]*\Z")
# An absolute path (and query) on this server: a single leading "/", then
# visible ASCII only. "//host" and "/\host" are read as another host by
# browsers, so they are refused: no open redirect.
_LOCATION = re.compile(r"/(?![/\\])[\x21-\x7e]*\Z")

_BOOLEAN = {"": True, "1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


@dataclass(frozen=True, slots=True)
class Params:
    """The validated parameters of one request (all optional)."""

    sleep: float = 0.0  # seconds
    then: int | None = None
    phrase: str | None = None
    location: str | None = None
    retry_after: str | None = None
    temporary: bool = False
    lang: str | None = None
    fault: Fault | None = None
    seed: int | None = None


def query_pairs(query: str) -> list[tuple[str, str]]:
    """`parse_qsl(query, keep_blank_values=True)`, quicker for the usual query with nothing percent-encoded.

    The split is parse_qsl's own (pieces between `&`, empty ones skipped, `+`
    for a space); only `unquote`, which changes nothing without a `%`, is left out.
    """
    if "%" in query:
        try:
            return parse_qsl(query, keep_blank_values=True, max_num_fields=MAX_QUERY_FIELDS)
        except ValueError:
            raise RequestError(detail=f"too many query parameters (at most {MAX_QUERY_FIELDS})") from None
    if query.count("&") >= MAX_QUERY_FIELDS:
        raise RequestError(detail=f"too many query parameters (at most {MAX_QUERY_FIELDS})")
    pairs = []
    for piece in query.replace("+", " ").split("&"):
        if piece:
            name, _, value = piece.partition("=")
            pairs.append((name, value))
    return pairs


def query_parameters(query: str) -> dict[str, str]:
    """The known parameters given in `query`, as text; a duplicate is an error."""
    found: dict[str, str] = {}
    # Most queries are cache busters or nothing: skip parsing when no parameter name occurs.
    if query and _ANY_STEM.search(query) is not None:
        for name, value in query_pairs(query):
            name = name.replace("-", "_")
            if name in PARAMETERS:
                if name in found:
                    raise RequestError(detail=f"{name} is given more than once")
                found[name] = value
    return found


def parameter_pieces(query: str) -> tuple[str, ...] | None:
    """The `&`-separated pieces of `query` that can hold a parameter, in order; None when too many to parse.

    `query_parameters(query)`, answer or error, is a function of these pieces
    alone: a piece without any name stem (nor `%`) names no parameter. So two
    queries with the same pieces mean the same parameters, which makes the
    pieces a memo key (`route.Inputs`) found without parsing: a cache-busting
    `n=123` drops out at the cost of one search.
    """
    if not query:
        return ()
    if query.count("&") >= MAX_QUERY_FIELDS:
        return None
    if _ANY_STEM.search(query) is None:
        return ()
    return tuple([piece for piece in query.split("&") if _ANY_STEM.search(piece) is not None])


def raw_parameters(request: Request) -> dict[str, str]:
    """The known parameters as text: query first, then their header forms; duplicates are an error."""
    found = query_parameters(request.query)
    for header, name in HEADER_PARAMETERS.items():
        sent = request.header(header)
        if sent is not None and name not in found:
            found[name] = sent.strip()
    return found


def parse_params(request: Request, max_sleep_ms: int) -> Params:
    raw = raw_parameters(request)
    if not raw:
        return Params()
    return Params(
        sleep=_sleep(raw["sleep"], max_sleep_ms) if "sleep" in raw else 0.0,
        then=_then(raw["then"]) if "then" in raw else None,
        phrase=_phrase(raw["phrase"]) if "phrase" in raw else None,
        location=_location(raw["location"]) if "location" in raw else None,
        retry_after=_retry_after(raw["retry_after"]) if "retry_after" in raw else None,
        temporary=_boolean("temporary", raw["temporary"]) if "temporary" in raw else False,
        lang=raw.get("lang"),
        fault=_fault(raw["fault"], max_sleep_ms) if "fault" in raw else None,
        seed=_seed(raw["seed"]) if "seed" in raw else None,
    )


def _milliseconds(name: str, text: str, max_ms: int) -> float:
    if not _DIGITS.match(text):
        raise RequestError(detail=f"{name}: {shown(text)} is not a whole number of milliseconds")
    value = int(text)
    if value > max_ms:
        raise RequestError(detail=f"{name}: {value} ms is over the server's limit of {max_ms} ms (--max-sleep)")
    return value / 1000.0


def _sleep(text: str, max_ms: int) -> float:
    return _milliseconds("sleep", text, max_ms)


def _then(text: str) -> int:
    if not _DIGITS.match(text) or len(text) != 3 or not 200 <= int(text) <= MAX_CODE:
        raise RequestError(detail=f"then: {shown(text)} is not a final status code (200-{MAX_CODE})")
    return int(text)


def _phrase(text: str) -> str:
    if len(text) > MAX_PHRASE:
        raise RequestError(detail=f"phrase: longer than {MAX_PHRASE} characters")
    if not _PHRASE.match(text):
        raise RequestError(
            detail="phrase: only visible ASCII characters, spaces and tabs may appear in a reason phrase"
        )
    return text


def _location(text: str) -> str:
    return local_path(text, "location")


def local_path(text: str, name: str) -> str:
    """`text` if it is an absolute path on this server (no host, no '//'), else RequestError naming `name`."""
    if len(text) > MAX_LOCATION:
        raise RequestError(detail=f"{name}: longer than {MAX_LOCATION} characters")
    if not _LOCATION.match(text):
        raise RequestError(
            detail=f"{name}: {shown(text)} is not a path on this server; give an absolute path such as /200 "
            "(no scheme, host, '//' or spaces: statuskit is not an open redirect)"
        )
    return text


def _retry_after(text: str) -> str:
    # RFC 9110 §10.2.3: Retry-After = HTTP-date / delay-seconds
    if _DIGITS.match(text) or _IMF_FIXDATE.match(text):
        return text
    raise RequestError(
        detail=f"retry_after: {shown(text)} is neither a number of seconds nor an HTTP-date "
        "such as 'Sun, 06 Nov 1994 08:49:37 GMT' (RFC 9110 §10.2.3)"
    )


def _boolean(name: str, text: str) -> bool:
    try:
        return _BOOLEAN[text.lower()]
    except KeyError:
        raise RequestError(detail=f"{name}: {shown(text)} is not 1/0, true/false or yes/no") from None


def _seed(text: str) -> int:
    if not _DIGITS.match(text):
        raise RequestError(detail=f"seed: {shown(text)} is not a whole number (up to 12 digits)")
    return int(text)


# How long a dribble lasts when the caller does not say.
DEFAULT_DRIBBLE_MS = 1000


def _fault(text: str, max_ms: int) -> Fault:
    name, colon, duration_text = text.strip().partition(":")
    try:
        kind = FaultKind(name.strip().lower())
    except ValueError:
        choices = ", ".join(kind.value for kind in FaultKind)
        raise RequestError(
            detail=f"fault: {shown(name)} is not a fault; use one of {choices} (optionally NAME:ms)"
        ) from None
    if colon:
        duration = _milliseconds("fault", duration_text.strip(), max_ms)
    elif kind is FaultKind.STALL:
        duration = max_ms / 1000.0  # stall as long as the server lets anything wait
    elif kind is FaultKind.DRIBBLE:
        duration = min(DEFAULT_DRIBBLE_MS, max_ms) / 1000.0
    else:
        duration = 0.0
    return Fault(kind=kind, duration=duration)
