"""The web's background work, run by `twintrack worker` (django-tasks through twintrack.jobs):
an upload's dry run (the preview) and its import (confirm), and the notice cycle.

The preview and the import never run in a request: a 500,000-row file takes longer than a web
worker may, and a reload of the preview page shows the stored outcome instead of reading the
file again."""
from __future__ import annotations

from django_tasks import task

from twintrack.jobs.services import JobGone, JobRefused, job_task
from twintrack.web import uploads

PREVIEW, IMPORT = "import_preview", "import"


def _upload_of(job) -> uploads.Upload:
    upload = uploads.load_upload(job.subject, job.started_by) if job.started_by is not None else None
    if upload is None:
        raise JobGone(job.subject)
    return upload


@job_task
def check_upload(job, progress) -> dict:
    """The dry run: what the import would write, or every problem; always a succeeded job."""
    return uploads.preview(_upload_of(job), job.started_by, progress).as_outcome()


@job_task
def import_upload(job, progress) -> dict:
    """The import in one transaction; a refused file fails the job with its problems."""
    outcome = uploads.confirm(_upload_of(job), job.started_by, progress)
    if not outcome.ok:
        raise JobRefused(outcome.as_outcome())
    return outcome.as_outcome()


@task()
def notice_cycle() -> None:
    """Reminders due today, the daily digests, then the outbox: what `twintrack remind` and
    `twintrack send-notices` do, run by the worker every --notices-every seconds."""
    from twintrack.notify.sending import queue_digests, send_due
    from twintrack.web.reminders import remind

    remind()
    queue_digests()
    send_due()
