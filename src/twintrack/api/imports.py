"""POST /imports/{kind}: a file through the same kinds, rules, scope and upload check as the
command line and the upload page (`web.import_kinds.import_file`), as the token's user."""
from __future__ import annotations

import os
import tempfile

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import File, Router
from ninja.files import UploadedFile

from twintrack.api.auth import WriteTokenAuth, token_reason
from twintrack.api.problems import WRITE_ERRORS, Rejected
from twintrack.api.schemas import ImportOut, Text
from twintrack.approvals.services import ApprovalRefused
from twintrack.filecheck import FileRefused, check_upload, clean_name
from twintrack.imports.errors import ImportRejected
from twintrack.imports.reading import extension_of
from twintrack.web.import_kinds import IMPORT_KINDS, import_file
from twintrack.web.uploads import IMPORT_TYPES, quality_warn, upload_kinds

WRITE = WriteTokenAuth()
router = Router(tags=["imports"])


def _spooled(uploaded) -> str:
    """The upload as a file on disk (the importer reads it twice when it numbers warnings)."""
    handle, path = tempfile.mkstemp(suffix=extension_of(uploaded.name or ""), prefix="twintrack-api-")
    with os.fdopen(handle, "wb") as out:
        for chunk in uploaded.chunks():
            out.write(chunk)
    return path


def rows_rejected(rejected: ImportRejected) -> Rejected:
    errors = [(p.row, p.column, p.reason) for p in rejected.problems]
    if not errors:  # the file as a whole: no row to name
        errors = [(None, None, message) for message in rejected.messages]
    detail = "\n".join(list(rejected.notes) + (
        [_("nothing was imported: %(count)d problems") % {"count": rejected.total}] if rejected.problems
        else list(rejected.messages)))
    return Rejected(detail, errors, rejected.total)


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
    path = _spooled(file)
    try:
        result = import_file(kind, path, name=name, user=user, dry_run=dry_run, warn=quality_warn(kind),
                             reason=token_reason(f"api import {kind} {name}", request.auth))
    except ImportRejected as rejected:
        raise rows_rejected(rejected) from None
    except ApprovalRefused as refused:  # a month approved meanwhile: the service's own guard
        raise Rejected(refused.message, [(None, None, refused.message)]) from None
    finally:
        os.unlink(path)
    return {"read": result.rows_read, "created": result.created, "updated": result.updated,
            "unchanged": result.unchanged, "warnings": result.warnings, "dry_run": result.dry_run,
            "notes": result.notes}
