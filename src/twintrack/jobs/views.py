"""The job pages: a user's jobs (a bureau officer's: also its units'), one job's state and outcome.

A job outside the user's reach is a 404, like one that does not exist. A running job whose
worker is gone is shown failed (`fail_lost_jobs` runs before the page is drawn)."""
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from twintrack.display.language import active_lang
from twintrack.jobs.labels import kind_label
from twintrack.jobs.models import Job, JobStatus
from twintrack.jobs.services import fail_lost_jobs, live_workers
from twintrack.orgs.access import get_visible_or_404, require, visible

LIST_LIMIT = 200


def _row(job: Job, lang: str) -> dict:
    return {"job": job, "kind": kind_label(job.kind), "org": job.org.display_name(lang) if job.org else "",
            "by": job.started_by.username if job.started_by else ""}


@require_GET
@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", Job)
    jobs = visible(request.user, Job)
    if jobs.filter(status=JobStatus.RUNNING).exists():
        fail_lost_jobs()
    lang = active_lang()
    shown = list(jobs.select_related("org", "started_by").order_by("-created_at", "-id")[:LIST_LIMIT])
    return render(request, "jobs/list.html", {
        "rows": [_row(job, lang) for job in shown], "limit": LIST_LIMIT, "more": len(shown) == LIST_LIMIT,
        "refresh": any(not job.finished for job in shown)})


@require_GET
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_visible_or_404(request.user, Job, pk=pk)
    if job.status == JobStatus.RUNNING and fail_lost_jobs():
        job.refresh_from_db()
    return render(request, "jobs/detail.html", {
        **_row(job, active_lang()), "outcome": job.outcome or {},
        "workers": live_workers() if job.status == JobStatus.QUEUED else None})
