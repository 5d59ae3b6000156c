"""POST /imports/{kind}: a file through the same kinds, rules, scope and upload check as the
command line and the upload page (`web.import_kinds.import_file`), as the token's user.

The answer is synchronous (data contract section 6), but the work is a job (`api.tasks`): a job
worker does it when one takes it within two seconds, while this request sleeps; without a free
worker the request does it itself. So an import's Python runs in the worker's process, not in
the web process whose other threads serve pages meanwhile."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.errors import HttpError
from ninja.files import UploadedFile

from twintrack.api.auth import WriteTokenAuth, token_reason
from twintrack.api.problems import WRITE_ERRORS, Rejected
from twintrack.api.schemas import ImportOut, Text
from twintrack.api.tasks import IMPORT, answer, import_for_api, refusal
from twintrack.filecheck import FileRefused, check_upload, clean_name
from twintrack.jobs.models import Failure, JobStatus
from twintrack.jobs.services import start_job
from twintrack.jobs.worker import finished_by_a_worker_or_here
from twintrack.orgs.access import scope_root
from twintrack.web.import_kinds import IMPORT_KINDS
from twintrack.web.uploads import IMPORT_TYPES, keep_upload, upload_kinds

WRITE = WriteTokenAuth()
router = Router(tags=["imports"])


@router.post("/imports/{kind}", auth=WRITE,
             response={200: ImportOut, **WRITE_ERRORS},
             summary="Import one .csv or .xlsx file of a section 2 or 4 kind (multipart field `file`)")
def import_kind(request, kind: Text, file: File[UploadedFile], dry_run: bool = False):
    user = request.user
    if kind not in IMPORT_KINDS:
        raise Http404
    if kind not in upload_kinds(user):
        raise PermissionDenied(_("this token's user may not import %(kind)s") % {"kind": kind})
    name = clean_name(file.name or "upload")
    try:
        check_upload(file, IMPORT_TYPES, settings.TWINTRACK_MAX_UPLOAD_BYTES)
    except FileRefused as refused:
        raise Rejected(refused.message, [(None, "file", refused.message)]) from None
    kept = keep_upload(file, kind, name, user)
    job = start_job(import_for_api, kind=IMPORT, user=user, org=scope_root(user), title=name, subject=kept.token,
                    params={"dry_run": dry_run, "reason": token_reason(f"api import {kind} {name}", request.auth)},
                    on_pages=False)
    return _answer(finished_by_a_worker_or_here(job))


def _answer(job) -> dict:
    if job.status == JobStatus.SUCCEEDED:
        return answer(job.outcome)
    if job.failure == Failure.REFUSED:
        raise refusal(job.outcome)
    status = 503 if job.failure == Failure.DATABASE_BUSY else 500
    raise HttpError(status, str(Failure(job.failure or Failure.INTERNAL).label))
