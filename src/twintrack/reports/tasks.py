"""A published bulletin's files, rendered by the worker from the version's frozen figures."""
from twintrack.jobs.services import JobGone, job_task

RENDER = "bulletin_render"


@job_task
def render_bulletin(job, progress) -> dict:
    from twintrack.reports.models import PublishedBulletin
    from twintrack.reports.publishing import render_files

    bulletin = PublishedBulletin.objects.filter(pk=job.subject).defer("data").first()
    if bulletin is None:
        raise JobGone(job.subject)
    progress.start("", None)
    stored = render_files(PublishedBulletin.objects.get(pk=bulletin.pk))
    return {"lines": [f"{f.name} ({f.size:,} B)" for f in stored]}
