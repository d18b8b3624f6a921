"""`/jobs`: a long job, for 202 Accepted and the 303 See Other that ends it.

    POST   /jobs?seconds=N     202 Accepted with Content-Location: /jobs/{id}, the status monitor
                               (RFC 9110 §15.3.3: "The representation sent with this response ought to
                               describe the request's current status and point to ... a status monitor")
    GET    /jobs/{id}          200 "running" until N seconds have passed, then 303 to /jobs/{id}/result
    GET    /jobs/{id}/result   200 with the result (404 while the job runs)
    DELETE /jobs/{id}          204: the job is cancelled, then 410 Gone
    GET    /jobs               200: the jobs and their states

Time is `request.now`, the engine's clock at the request: the responder
has none of its own. At most --max-jobs jobs are kept (oldest forgotten);
--max-job-seconds bounds N.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from statuskit.responder.compose import compose
from statuskit.responder.config import ResponderConfig
from statuskit.responder.errors import RequestError
from statuskit.responder.plan import Plan
from statuskit.responder.request import Request
from statuskit.responder.resources.base import Resource, json_content, method_check, query, whole_number
from statuskit.responder.resources.store import Bounded

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

    def __init__(self, config: ResponderConfig) -> None:
        self.config = config
        self.jobs: Bounded[Job] = Bounded(config.max_jobs)
        self.gone: Bounded[bool] = Bounded(config.max_jobs)
        self.next_id = 1

    def handle(self, request: Request, rest: tuple[str, ...]) -> Plan:
        if not rest or not any(rest):
            return self._collection(request)
        if not _ID.match(rest[0]) or len(rest) > 2 or (len(rest) == 2 and rest[1] != "result"):
            raise RequestError(detail=f"ask for /jobs/ID or /jobs/ID/result, not {request.path[:80]!r}")
        if len(rest) == 2:
            return self._result(request, rest[0])
        return self._monitor(request, rest[0])

    def _collection(self, request: Request) -> Plan:
        refused = method_check(request, ("GET", "POST"))
        if refused is not None:
            return refused
        now = request.now
        if request.method == "GET":
            listing = {"jobs": [job.describe(now) for _, job in self.jobs.items()], "max_jobs": self.jobs.limit}
            return compose(request, 200, content=json_content(listing), fields=(NO_STORE,))
        params = query(request, ("seconds",))
        seconds = DEFAULT_SECONDS
        if "seconds" in params:
            seconds = whole_number("seconds", params["seconds"], 0, self.config.max_job_seconds)
        job = Job(str(self.next_id), now, seconds)
        self.next_id += 1
        self.jobs.put(job.id, job)
        # §8.7: Content-Location says the content is a representation of /jobs/{id}, the
        # monitor. Location is not sent: §10.2.2 gives it no meaning on a 202.
        fields = (("Content-Location", job.url), NO_STORE)
        return compose(request, 202, content=json_content(job.describe(now)), fields=fields)

    def _missing(self, request: Request, job_id: str) -> Plan:
        if job_id in self.gone:
            return compose(request, 410, detail=f"/jobs/{job_id} was cancelled")
        return compose(request, 404, detail=f"there is no /jobs/{job_id} (never started, or forgotten: --max-jobs)")

    def _monitor(self, request: Request, job_id: str) -> Plan:
        refused = method_check(request, ("GET", "DELETE"))
        if refused is not None:
            return refused
        job = self.jobs.get(job_id)
        if job is None:
            return self._missing(request, job_id)
        if request.method == "DELETE":
            self.jobs.pop(job_id)
            self.gone.put(job_id, True)
            return compose(request, 204)
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
        refused = method_check(request, ("GET",))
        if refused is not None:
            return refused
        job = self.jobs.get(job_id)
        if job is None:
            return self._missing(request, job_id)
        if not job.done(request.now):
            return compose(request, 404, detail=f"the job is still running; watch {job.url}", fields=(NO_STORE,))
        result = {"id": job.id, "status": "done", "seconds": job.seconds, "result": f"job {job.id} finished"}
        return compose(request, 200, content=json_content(result))
