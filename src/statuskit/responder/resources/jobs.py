"""`/jobs`: a long job, for 202 Accepted and the 303 See Other that ends it.

    POST   /jobs?seconds=N     202 Accepted with Content-Location: /jobs/{id}, the status monitor
                               (RFC 9110 §15.3.3: "The representation sent with this response ought to
                               describe the request's current status and point to ... a status monitor")
    GET    /jobs/{id}          200 "running" until N seconds have passed, then 303 to /jobs/{id}/result
    GET    /jobs/{id}/result   200 with the result (404 while the job runs)
    DELETE /jobs/{id}          204: the job is cancelled, then 410 Gone
    GET    /jobs               200: the jobs and their states

Time is `request.now`, the engine's clock at the request: the responder
has none of its own. The jobs are in the store (responder/state.py), so a
job started on one worker or instance is watched on any other. At most
--max-jobs jobs and cancellation marks are kept (oldest forgotten);
--max-job-seconds bounds N.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import GET_ONLY, Methods, Resource, ask, json_content, query, whole_number
from statuskit.responder.state import ANY, Next, Read, Scan, Swap

SPACE = "jobs"
# What a cancelled job's key holds: 410 from then on.
CANCELLED = b'{"cancelled":true}'

DEFAULT_SECONDS = 2
_ID = re.compile(r"[0-9]{1,12}\Z")
# A status monitor changes while the client watches it: never store it (RFC 9111 §5.2.2.5).
NO_STORE = ("Cache-Control", "no-store")


@dataclass(frozen=True, slots=True)
class Job:
    id: str
    started: float
    seconds: int

    @property
    def url(self) -> str:
        return f"/jobs/{self.id}"

    @property
    def result_url(self) -> str:
        return f"/jobs/{self.id}/result"

    def done(self, now: float) -> bool:
        return now >= self.started + self.seconds

    def encode(self) -> bytes:
        return json.dumps({"started": self.started, "seconds": self.seconds}).encode()

    @classmethod
    def decode(cls, job_id: str, stored: bytes | None) -> Job | None:
        """The job a key holds; None when it holds nothing or a cancellation."""
        if stored is None or stored == CANCELLED:
            return None
        fields = json.loads(stored)
        return cls(job_id, float(fields["started"]), int(fields["seconds"]))

    def describe(self, now: float) -> dict[str, Any]:
        done = self.done(now)
        return {
            "id": self.id,
            "url": self.url,
            "status": "done" if done else "running",
            "seconds": self.seconds,
            "remaining": 0 if done else round(self.started + self.seconds - now, 3),
            "result": self.result_url,
        }


class JobsRoute(Resource):
    endpoints = (
        ("/jobs", "POST ?seconds=N (default 2): 202 with Content-Location of a status monitor; GET lists the jobs"),
        ("/jobs/{id}", "200 running until done, then 303 to /jobs/{id}/result; DELETE cancels (204, then 410)"),
        ("/jobs/{id}/result", "200 with the result of a finished job"),
    )

    # The collection, a job's monitor, and its result.
    collection_methods = Methods(("GET", "POST"))
    monitor_methods = Methods(("GET", "DELETE"))
    result_methods = GET_ONLY

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if not rest or not any(rest):
            return self._collection(request)
        if not _ID.match(rest[0]) or len(rest) > 2 or (len(rest) == 2 and rest[1] != "result"):
            raise RequestError(detail=f"ask for /jobs/ID or /jobs/ID/result, not {request.path[:80]!r}")
        if len(rest) == 2:
            return self._result(request, rest[0])
        return self._monitor(request, rest[0])

    def _collection(self, request: Request) -> Plan:
        self.collection_methods.check(request)
        now = request.now
        if request.method == "GET":
            return ask(request, (Scan(SPACE),), lambda results: self._listing(request, results[0]))
        params = query(request, ("seconds",))
        seconds = DEFAULT_SECONDS
        if "seconds" in params:
            seconds = whole_number("seconds", params["seconds"], 0, self.config.max_job_seconds)

        def started(results: tuple[Any, ...]) -> Plan:
            job = Job(str(results[0]), now, seconds)
            write = Swap(SPACE, job.id, job.encode(), ANY, self.config.max_jobs)
            return ask(request, (write,), lambda _: self._accepted(request, job))

        return ask(request, (Next(SPACE),), started)

    def _listing(self, request: Request, stored: tuple[tuple[str, bytes], ...]) -> Plan:
        jobs = [job for key, value in stored if (job := Job.decode(key, value)) is not None]
        listing = {"jobs": [job.describe(request.now) for job in jobs], "max_jobs": self.config.max_jobs}
        return compose(request, 200, content=json_content(listing), fields=(NO_STORE,))

    def _accepted(self, request: Request, job: Job) -> Plan:
        # §8.7: Content-Location says the content is a representation of /jobs/{id}, the
        # monitor. Location is not sent: §10.2.2 gives it no meaning on a 202.
        fields = (("Content-Location", job.url), NO_STORE)
        return compose(request, 202, content=json_content(job.describe(request.now)), fields=fields)

    def _missing(self, request: Request, job_id: str, stored: bytes | None) -> Plan:
        if stored == CANCELLED:
            return compose(request, 410, detail=f"/jobs/{job_id} was cancelled")
        return compose(request, 404, detail=f"there is no /jobs/{job_id} (never started, or forgotten: --max-jobs)")

    def _monitor(self, request: Request, job_id: str) -> Plan:
        self.monitor_methods.check(request)
        return ask(request, (Read(SPACE, job_id),), lambda results: self._watch(request, job_id, results[0]))

    def _watch(self, request: Request, job_id: str, stored: bytes | None) -> Plan:
        job = Job.decode(job_id, stored)
        if job is None:
            return self._missing(request, job_id, stored)
        if request.method == "DELETE":
            # Only the job read is cancelled: a job cancelled meanwhile is 410, as it would be after.
            cancel = Swap(SPACE, job_id, CANCELLED, stored, self.config.max_jobs)
            return ask(
                request,
                (cancel,),
                lambda results: (
                    compose(request, 204) if results[0].ok else self._watch(request, job_id, results[0].current)
                ),
            )
        if job.done(request.now):
            # §15.4.4: 303 "indicates that the server is redirecting the user agent to a different resource".
            return compose(
                request,
                303,
                fields=(("Location", job.result_url), NO_STORE),
                detail=f"the job is done; its result is at {job.result_url}",
            )
        return compose(request, 200, content=json_content(job.describe(request.now)), fields=(NO_STORE,))

    def _result(self, request: Request, job_id: str) -> Plan:
        self.result_methods.check(request)
        return ask(request, (Read(SPACE, job_id),), lambda results: self._finished(request, job_id, results[0]))

    def _finished(self, request: Request, job_id: str, stored: bytes | None) -> Plan:
        job = Job.decode(job_id, stored)
        if job is None:
            return self._missing(request, job_id, stored)
        if not job.done(request.now):
            return compose(request, 404, detail=f"the job is still running; watch {job.url}", fields=(NO_STORE,))
        result = {"id": job.id, "status": "done", "seconds": job.seconds, "result": f"job {job.id} finished"}
        return compose(request, 200, content=json_content(result))
