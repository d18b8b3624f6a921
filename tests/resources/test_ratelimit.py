"""/ratelimit and /unstable without a network: the counter store, the fields, the sequences.

Time is the request's (`Request.now`), so windows are tested by choosing it.
"""

from __future__ import annotations

import random

import pytest

from statuskit.responder import Plan, Request, Responder, ResponderConfig
from statuskit.responder.state import MemoryStore, Window


def make(**config: int) -> Responder:
    return Responder(ResponderConfig(**config))  # type: ignore[arg-type]


def ask(responder: Responder, target: str, now: float, client: str = "192.0.2.1", method: str = "GET") -> Plan:
    return responder.answer(Request.build(method, target, now=now, client=(client, 40000)))


def test_memory_store_counts_in_fixed_windows() -> None:
    store = MemoryStore(10)
    assert store.hit("k", 100.0, 10) == Window(1, 110.0)
    assert store.hit("k", 105.0, 10) == Window(2, 110.0)
    assert store.hit("k", 109.999, 10) == Window(3, 110.0)
    assert store.hit("k", 110.0, 10) == Window(1, 120.0)  # the window ended: a new one
    assert store.hit("other", 110.0, 10) == Window(1, 120.0)


def test_memory_store_is_bounded() -> None:
    store = MemoryStore(8)
    for index in range(100):
        store.hit(str(index), 100.0, 60)
        assert len(store) <= 8
    # Ended windows go first.
    store = MemoryStore(2)
    store.hit("old", 0.0, 1)
    store.hit("live", 0.0, 100)
    store.hit("new", 50.0, 100)
    assert store.hit("live", 51.0, 100) == Window(2, 100.0)
    with pytest.raises(ValueError):
        MemoryStore(0)


def test_ratelimit_fields_and_honest_retry_after() -> None:
    responder = make()
    first = ask(responder, "/ratelimit/2/10", 1000.0)
    assert first.status == 200
    assert first.header("RateLimit-Policy") == '"statuskit";q=2;w=10'
    assert first.header("RateLimit") == '"statuskit";r=1;t=10'
    assert first.header("Cache-Control") == "no-store"
    second = ask(responder, "/ratelimit/2/10", 1003.5)
    assert second.status == 200 and second.header("RateLimit") == '"statuskit";r=0;t=7'
    refused = ask(responder, "/ratelimit/2/10", 1004.2)
    assert refused.status == 429
    # 5.8 s remain: Retry-After rounds up, so waiting that long reaches the next window.
    assert refused.header("Retry-After") == "6"
    assert refused.header("RateLimit") == '"statuskit";r=0;t=6'
    assert refused.header("Cache-Control") is None  # 429 is never stored (RFC 6585 §4)
    assert "more than 2 requests in 10 s" in refused.body.decode()
    # Other clients and other policies count apart.
    assert ask(responder, "/ratelimit/2/10", 1004.3, client="192.0.2.2").status == 200
    assert ask(responder, "/ratelimit/3/10", 1004.3).status == 200
    # After Retry-After seconds, the request succeeds.
    assert ask(responder, "/ratelimit/2/10", 1004.2 + 6).status == 200


def test_ratelimit_methods() -> None:
    responder = make()
    assert ask(responder, "/ratelimit/1/60", 0.0, method="POST").status == 200
    assert ask(responder, "/ratelimit/1/60", 1.0, method="DELETE").status == 429
    assert ask(responder, "/ratelimit/1/60", 1.0, method="OPTIONS").status == 204


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("/ratelimit/0/10", "limit: 0 is out of range"),
        ("/ratelimit/x/10", "limit: 'x' is not a whole number"),
        ("/ratelimit/5/0", "window: 0 is out of range"),
        ("/ratelimit/5/100000", "window: 100000 is out of range"),
        ("/ratelimit/5", "ask for /ratelimit/{limit}/{window}"),
        ("/unstable?failure_rate=1.5", "failure_rate: '1.5' is not a number from 0 to 1"),
        ("/unstable?failure_rate=abc", "failure_rate: 'abc'"),
        ("/unstable?failure_rate=-0.1", "failure_rate"),
        ("/unstable?seed=x", "seed: 'x'"),
        ("/unstable?retry_after=soon", "retry_after: 'soon'"),
        ("/unstable?seed=1&seed=2", "seed is given more than once"),
    ],
)
def test_bad_parameters_are_400(target: str, words: str) -> None:
    plan = ask(make(), target, 0.0)
    assert plan.status == 400
    assert words in plan.body.decode()


def test_unstable_rates() -> None:
    responder = make(seed=5)
    assert all(ask(responder, "/unstable?failure_rate=0", float(i)).status == 200 for i in range(20))
    failing = [ask(responder, "/unstable?failure_rate=1&retry_after=3", float(i)) for i in range(5)]
    assert {plan.status for plan in failing} == {503}
    assert failing[0].header("Retry-After") == "3"
    assert failing[0].header("Cache-Control") == "no-store"


def test_unstable_sequence_is_reproducible_with_a_seed() -> None:
    # The documented rule: request k of seed N fails when Random(f"N:k").random() < rate.
    expected = [503 if random.Random(f"42:{k}").random() < 0.3 else 200 for k in range(1, 41)]
    assert 503 in expected and 200 in expected
    for responder in (make(), make(seed=9)):
        seen = [ask(responder, "/unstable?failure_rate=0.3&seed=42", 10.0 + k).status for k in range(40)]
        assert seen == expected
    # Another seed, another sequence; the sequence restarts after its window.
    responder = make()
    other = [ask(responder, "/unstable?failure_rate=0.3&seed=43", 10.0 + k).status for k in range(40)]
    assert other != expected
    again = [ask(responder, "/unstable?failure_rate=0.3&seed=43", 10_000.0 + k).status for k in range(40)]
    assert again == other


def test_the_exchange_view_counts_and_shows_the_stored_answer() -> None:
    # The reference page's view of /ratelimit asks the store as the resource does, then shows the bytes.
    responder = make()
    shown = [ask(responder, "/_statuskit/exchange/ratelimit/2/60", 1000.0).body.decode() for _ in range(3)]
    assert [text.split("\r\n", 1)[0] for text in shown] == [
        "HTTP/1.1 200 OK",
        "HTTP/1.1 200 OK",
        "HTTP/1.1 429 Too Many Requests",
    ]
    assert 'RateLimit: "statuskit";r=1;t=60' in shown[0]
    assert ask(responder, "/ratelimit/2/60", 1000.0).status == 429  # the view counted against the same window
