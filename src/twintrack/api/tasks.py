"""The import API's work as a job (`POST /imports/{kind}`), so that a job worker does it when
one is free while the request waits (`jobs.worker.finished_by_a_worker_or_here`).

The outcome has the upload's shape (`web.uploads.Preview`: counts, warnings, notes, problems
with the file's heading and the column's key), so the job pages show it as they show an
upload's; the request turns it into the API's answer (`answer`, `refusal`)."""
from __future__ import annotations

from django.utils.translation import gettext as _

from twintrack.api.problems import Rejected
from twintrack.jobs.services import JobGone, JobRefused, job_task
from twintrack.web import uploads

IMPORT = "api_import"


@job_task
def import_for_api(job, progress) -> dict:
    """One kept file through the importer as the token's user; the file is removed either way."""
    user = job.started_by
    upload = uploads.load_upload(job.subject, user) if user is not None else None
    if upload is None:
        raise JobGone(job.subject)
    try:
        outcome = uploads.confirm(upload, user, progress, dry_run=job.params["dry_run"], reason=job.params["reason"])
    finally:
        uploads.discard(upload)
    if not outcome.ok:
        raise JobRefused(outcome.as_outcome())
    return outcome.as_outcome()


def answer(outcome: dict) -> dict:
    """The 200 body (data contract section 6) of a job that succeeded."""
    return {**outcome["counts"], "warnings": outcome["warnings"], "dry_run": outcome["dry_run"],
            "notes": outcome["notes"]}


def refusal(outcome: dict) -> Rejected:
    """The 422 of a refused file: every row error by row and column key, or the file's own
    messages when no row is named."""
    problems = outcome.get("problems") or []
    errors = [(p["row"], p["key"], p["reason"]) for p in problems] or [
        (None, None, message) for message in outcome.get("messages", [])]
    lines = ([_("nothing was imported: %(count)d problems") % {"count": outcome["total"]}] if problems
             else list(outcome.get("messages", [])))
    return Rejected("\n".join(list(outcome.get("notes", [])) + lines), errors, outcome["total"])
