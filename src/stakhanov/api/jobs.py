"""Following long operations (imports, period closes) while they run."""

from __future__ import annotations

from fastapi import APIRouter, Request

from stakhanov.api import convert, models
from stakhanov.api.errors import problems_detail
from stakhanov.api.routing import PolicyRoute
from stakhanov.api.security import Authenticated
from stakhanov.domain.errors import Refusal, Refused
from stakhanov.domain.numbers import decimal_of
from stakhanov.services.jobs import Job, Jobs

router = APIRouter(route_class=PolicyRoute, tags=["jobs"])


def jobs_of(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def job_out(job: Job) -> models.JobOut:
    """A job's state; when it ends, its result, or every problem that stopped it."""
    fraction = decimal_of(job.fraction)
    out = models.JobOut(job_id=job.job_id, state=job.state, stage=job.stage, fraction=fraction)
    if job.state == "done":
        out.result = convert.job_result(job.result)
    elif job.error is not None:
        problems = getattr(job.error, "problems", None)
        if problems is None:
            out.problems = [f"-:0:-: {job.error}"]
        else:
            refused = isinstance(job.error, Refused) and job.error.kind is Refusal.FORBIDDEN
            out.state = "refused" if refused else "rejected"
            out.problems = problems_detail(problems, out.state)["problems"]
    return out


@router.get("/jobs/{job_id}", responses={404: {}})
def job(job_id: str, session: Authenticated, request: Request) -> models.JobOut:
    """How far a job you started has got, and its result or every problem when it ends."""
    found = jobs_of(request).get(job_id, session.account.user_id)
    if found is None:
        raise LookupError(f"job {job_id}")
    return job_out(found)
