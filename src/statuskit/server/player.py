"""Playing a plan on one exchange, for every wire protocol: store steps, upstream, interim responses, waits, faults.

What a plan means is written here once. A wire protocol supplies a `Wire`
for each exchange it plays (an HTTP/1.x connection's current request, an
HTTP/2 stream) that only maps the pieces onto its own framing: an interim
head, a final head, content, the end of a response, a response cut off on
purpose, bytes that are no response at all. HTTP/1.x writes status lines
and closes the connection to cut; HTTP/2 sends HEADERS and DATA frames and
resets the stream.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from statuskit.responder import Fault, FaultKind, Plan, Request
from statuskit.responder.state import MAX_STEPS
from statuskit.server import upstream
from statuskit.server.store import StoreError

if TYPE_CHECKING:
    from statuskit.responder.plan import Interim
    from statuskit.server.server import ServerState

logger = logging.getLogger("statuskit.server")

# How long a dribbled body waits between writes, at least (seconds).
DRIBBLE_STEP = 0.02


class Message(Protocol):
    """A final response serialized for one wire: its status and the content it carries."""

    status: int
    body: bytes


M = TypeVar("M", bound=Message)


class Wire(Protocol[M]):
    """One exchange on one wire protocol, as the player drives it."""

    request: Request
    interims_allowed: bool

    def closing(self) -> bool:
        """Nothing more can be written (the connection or stream is gone)."""

    async def drain(self) -> None:
        """Wait until the client reads (or the wire's flow control lets more out)."""

    def interim(self, interim: Interim) -> None: ...

    def prepare(self, plan: Plan) -> M: ...

    def send(self, message: M, close: bool) -> None:
        """The whole final response; then log it, and close or wait for the next request."""

    def head(self, message: M, close: bool) -> None: ...

    def body(self, data: bytes) -> None: ...

    def done(self, label: str, size: int, close: bool) -> None:
        """The content sent piece by piece is complete: end it, log, then close or idle."""

    def cut(self, label: str, size: int) -> None:
        """Break the response off where it stands, and log it."""

    def garbage(self, label: str) -> None:
        """Send bytes that are no response of this protocol instead of the response, then close."""

    def switch(self, plan: Plan) -> None:
        """Change protocols as the plan's 101 says."""

    def abort(self) -> None:
        """Give up at once (a statuskit bug was logged)."""

    def finished(self) -> None:
        """The exchange is over, whichever way: the wire may go on to the next one."""


async def run(wire: Wire[Any], plan: Plan, close: bool, state: ServerState) -> None:
    """Play `plan` (after its store steps and upstream request, if it asks for them); ends with `wire.finished()`."""
    request = wire.request
    try:
        if plan.store is not None:
            plan = await through_store(state, plan, request)
            close = close or plan.close
            if wire.closing():
                return
        if plan.upstream is not None:
            plan = await through_upstream(state, plan, request)
            close = close or plan.close
            if wire.closing():
                return
        await play(wire, plan, close, state)
    except asyncio.CancelledError:
        pass  # the connection is gone; nothing is left to write to
    except Exception:
        logger.exception("playing the plan for %s failed", request.line)
        wire.abort()
    finally:
        wire.finished()


async def through_upstream(state: ServerState, plan: Plan, request: Request) -> Plan:
    """Make the plan's upstream request to this server's own address; the responder's answer to it."""
    assert plan.upstream is not None
    host, port = state.upstream_address
    outcome = await upstream.fetch(plan.upstream, host, port, tls=state.config.ssl is not None)
    try:
        answer = state.responder.after_upstream(request, outcome)
        if answer.upstream is not None:
            raise ValueError("a plan given after an upstream request asks for another one")
        return answer
    except Exception:
        logger.exception("the responder failed after the upstream request of %s", request.line)
        return state.responder.error(500, "the server failed to answer this request (a statuskit bug)")


def respond(state: ServerState, request: Request) -> tuple[Plan, bool]:
    """The responder's plan for `request`, settled now where it can be, and whether the responder failed.

    A failure is a statuskit bug: it is logged, and the plan is a 500 (after
    which HTTP/1.x closes the connection: nothing says what state it left).
    """
    try:
        return settle_now(state, request, state.responder.respond(request)), False
    except Exception:
        logger.exception("the responder failed on %s", request.line)
        return state.responder.error(500, "the server failed to answer this request (a statuskit bug)"), True


def settle_now(state: ServerState, request: Request, plan: Plan) -> Plan:
    """With the memory store, `plan` once its store steps are performed: at once, without a task.

    Any other store is asked by `through_store`, on a task (`run`).
    """
    memory = state.store.memory
    if plan.store is None or memory is None:
        return plan
    return state.responder.settle(request, plan, memory)


async def through_store(state: ServerState, plan: Plan, request: Request) -> Plan:
    """Perform the plan's store steps; the plan they end in, or 503 if the store fails or is too slow."""
    store, responder = state.store, state.responder
    timeout = state.config.store_timeout
    retry_after = math.ceil(timeout)
    for _ in range(MAX_STEPS):
        step = plan.store
        if step is None:
            return plan
        try:
            # Each store bounds itself by --store-timeout; this only backs that up (a hung disk).
            results = await asyncio.wait_for(store.run(step.ops), 2 * timeout + 1)
        except TimeoutError:
            logger.warning(
                "store: %s gave no answer in %g s (answered %s with 503)", store.name, 2 * timeout + 1, request.line
            )
            return responder.unavailable(
                request, f"{store.name} did not answer within {timeout:g} s (--store-timeout)", retry_after
            )
        except StoreError as exc:
            logger.warning("store: %s (answered %s with 503)", exc, request.line)
            return responder.unavailable(request, str(exc), retry_after)
        try:
            plan = responder.after_store(request, step, results)
        except Exception:
            logger.exception("the responder failed after a store step of %s", request.line)
            return responder.error(500, "the server failed to answer this request (a statuskit bug)")
    return plan if plan.store is None else responder.too_many_steps(request)


async def play(wire: Wire[Any], plan: Plan, close: bool, state: ServerState) -> None:
    for interim in plan.interims:
        if interim.delay:
            await asyncio.sleep(interim.delay)
        if wire.closing():
            return
        if wire.interims_allowed:
            wire.interim(interim)
            await wire.drain()
    if plan.delay:
        heartbeat = plan.heartbeat if wire.interims_allowed else None
        await wait(wire, plan.delay, heartbeat, plan.heartbeat_every)
    if wire.closing():
        return  # aborted by the shutdown grace or the client while waiting
    if state.stopping:
        close = True
    if plan.upgrade:
        wire.switch(plan)
        return
    message = wire.prepare(plan)
    fault = plan.fault
    if fault is None:
        wire.send(message, close)
        return
    await FAULTS[fault.kind](wire, message, fault, f"{plan.status}:{fault.kind}", close)


async def wait(wire: Wire[Any], delay: float, heartbeat: Interim | None, every: float) -> None:
    if heartbeat is None:
        await asyncio.sleep(delay)
        return
    # Beats at fixed times (every, 2 * every, ... before the end), so that
    # timers firing a little early can never add beats.
    loop = asyncio.get_running_loop()
    start = loop.time()
    beats = int((delay - 0.001) // every)
    for beat in range(1, beats + 1):
        await asyncio.sleep(max(0.0, start + beat * every - loop.time()))
        if wire.closing():
            return
        wire.interim(heartbeat)
        await wire.drain()
    await asyncio.sleep(max(0.0, start + delay - loop.time()))


# -- faults, in the order the response would have gone out -------------------------------


async def _drop(wire: Wire[Any], message: Message, fault: Fault, label: str, close: bool) -> None:
    wire.cut(label, 0)


async def _garbage(wire: Wire[Any], message: Message, fault: Fault, label: str, close: bool) -> None:
    wire.garbage(label)


async def _drop_after_headers(wire: Wire[Any], message: Message, fault: Fault, label: str, close: bool) -> None:
    wire.head(message, close)
    wire.cut(label, 0)


async def _drop_mid_body(wire: Wire[Any], message: Message, fault: Fault, label: str, close: bool) -> None:
    wire.head(message, close)
    body = message.body
    wire.body(body[: len(body) // 2])
    wire.cut(label, 0)


async def _stall(wire: Wire[Any], message: Message, fault: Fault, label: str, close: bool) -> None:
    wire.head(message, close)
    await asyncio.sleep(fault.duration)
    if not wire.closing():
        wire.cut(label, 0)


async def _dribble(wire: Wire[Any], message: Message, fault: Fault, label: str, close: bool) -> None:
    wire.head(message, close)
    body = message.body
    duration = fault.duration
    if not body:
        await asyncio.sleep(duration)
    else:
        steps = max(1, min(len(body), int(duration / DRIBBLE_STEP)))
        size = -(-len(body) // steps)
        pause = duration / steps
        for start in range(0, len(body), size):
            await asyncio.sleep(pause)
            if wire.closing():
                return
            wire.body(body[start : start + size])
            await wire.drain()
    if not wire.closing():
        wire.done(label, len(body), close)


FAULTS: dict[FaultKind, Callable[[Wire[Any], Message, Fault, str, bool], Awaitable[None]]] = {
    FaultKind.DROP: _drop,
    FaultKind.GARBAGE: _garbage,
    FaultKind.DROP_AFTER_HEADERS: _drop_after_headers,
    FaultKind.DROP_MID_BODY: _drop_mid_body,
    FaultKind.STALL: _stall,
    FaultKind.DRIBBLE: _dribble,
}
