"""The monthly submission: upload a file, see a preview and every row error, then confirm.

An upload is kept as a temporary file under VAR_DIR/uploads/ with a random name and a small
JSON note (who uploaded it, the kind, the original name); only its uploader may preview,
confirm or discard it, and files older than a day are swept. Files are parsed only by the
importer (`import_file`), first as a dry run (everything written and rolled back, so the
preview counts are exact), then for real.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from twintrack.approvals.services import ApprovalRefused
from twintrack.filecheck import FileRefused, check_upload
from twintrack.imports.errors import ImportRejected
from twintrack.imports.importer import ImportResult
from twintrack.imports.reading import extension_of, open_table
from twintrack.orgs.access import has_policy, may
from twintrack.web.import_kinds import IMPORT_KINDS, import_file

MAX_AGE_SECONDS = 24 * 3600
PREVIEW_ROWS = 100
TOKEN_LENGTH = 32
IMPORT_TYPES = ("csv", "xlsx")


class UploadRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / "uploads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def kind_model(kind: str):
    """The model whose Policy decides who may import a kind."""
    from twintrack.enterprises.models import Enterprise
    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Progress, Project, Target

    models = {"orgunits": OrgUnit, "enterprises": Enterprise, "targets": Target, "projects": Project,
              "progress": Progress}
    if kind in models:
        return models[kind]
    model = getattr(IMPORT_KINDS.get(kind), "model", None)  # a kind may name its model
    return model if model is not None and has_policy(model) else Progress


def upload_kinds(user) -> list[str]:
    """The import kinds this user may upload, in the importer's order."""
    return [kind for kind in IMPORT_KINDS if may(user, "create", kind_model(kind))]


@dataclass
class Upload:
    token: str
    kind: str
    name: str
    user_id: int
    created: float
    path: Path
    period: str = ""  # the month page it was uploaded from ("YYYY-MM"), to return to

    @property
    def note_path(self) -> Path:
        return self.path.with_suffix(".json")


def _valid_token(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and token.isalnum()


def store_upload(uploaded, kind: str, user, period: str = "") -> Upload:
    """Keep an uploaded file for its preview; checks the kind, the extension and the size."""
    if kind not in upload_kinds(user):
        raise UploadRefused(_("Choose what the file holds."))
    name = Path(uploaded.name or "upload").name[:200]
    ext = extension_of(name)
    try:
        check_upload(uploaded, IMPORT_TYPES, settings.TWINTRACK_MAX_UPLOAD_BYTES)
    except FileRefused as refused:
        raise UploadRefused(refused.message) from None
    sweep()
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    path = upload_dir() / f"{token}{ext}"
    with path.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    upload = Upload(token, kind, name, user.pk, time.time(), path, period)
    upload.note_path.write_text(json.dumps({"kind": kind, "name": name, "user_id": user.pk,
                                            "created": upload.created, "ext": ext, "period": period}), "utf-8")
    return upload


def load_upload(token: str, user) -> Upload | None:
    """The upload with this token if `user` made it and it has not expired; else None (a 404)."""
    if not _valid_token(token):
        return None
    note = upload_dir() / f"{token}.json"
    try:
        meta = json.loads(note.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    path = upload_dir() / f"{token}{meta.get('ext', '')}"
    if meta.get("user_id") != user.pk or not path.exists() or time.time() - meta["created"] > MAX_AGE_SECONDS:
        return None
    return Upload(token, meta["kind"], meta["name"], meta["user_id"], meta["created"], path, meta.get("period", ""))


def discard(upload: Upload) -> None:
    for path in (upload.path, upload.note_path):
        path.unlink(missing_ok=True)


def sweep(now: float | None = None) -> int:
    """Remove uploads older than a day. Returns how many files went."""
    now = now or time.time()
    removed = 0
    for path in upload_dir().iterdir():
        try:
            if now - path.stat().st_mtime > MAX_AGE_SECONDS:
                path.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def quality_warn(kind: str):
    """The data-quality checks for kinds whose rows the plausibility rules judge (else None)."""
    from twintrack.quality.warnings import import_warnings

    return import_warnings if kind == "progress" else None


# --- preview and confirm --------------------------------------------------------------------

@dataclass
class Preview:
    result: ImportResult | None = None
    problems: list = field(default_factory=list)   # Problem(row, position, column, reason)
    messages: list[str] = field(default_factory=list)  # lines for problems of the file as a whole
    total: int = 0
    notes: list[str] = field(default_factory=list)  # how the file was read: its sheet, header, skipped rows
    header: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # {"number", "cells": [{"text", "bad"}], "bad"}
    more_rows: bool = False

    @property
    def ok(self) -> bool:
        return self.result is not None


def _run(upload: Upload, user, dry_run: bool) -> tuple[ImportResult | None, ImportRejected | None]:
    try:
        result = import_file(upload.kind, upload.path, name=upload.name, user=user, dry_run=dry_run,
                             reason=f"web upload {upload.kind} {upload.name}"[:100], warn=quality_warn(upload.kind))
        return result, None
    except ImportRejected as rejected:
        return None, rejected
    except ApprovalRefused as refused:  # the service guard: a month approved meanwhile
        return None, ImportRejected([refused.message])


def preview(upload: Upload, user) -> Preview:
    result, rejected = _run(upload, user, dry_run=True)
    shown = Preview(result=result, notes=result.notes if result is not None else [])
    if rejected is not None:
        shown.notes = rejected.notes
        shown.problems = rejected.problems
        shown.messages = [] if rejected.problems else rejected.messages
        shown.total = rejected.total
    _table(upload, shown)
    return shown


def _table(upload: Upload, shown: Preview) -> None:
    from twintrack.imports.fields import as_text

    bad_cells = {(p.row, p.position) for p in shown.problems}
    bad_rows = {p.row for p in shown.problems}
    try:
        with open_table(upload.path, IMPORT_KINDS[upload.kind](), upload.name) as table:
            shown.header = [as_text(h) for h in table.header]
            width = len(shown.header)
            for number, cells in table.rows:
                if len(shown.rows) >= PREVIEW_ROWS:
                    shown.more_rows = True
                    break
                texts = [as_text(c) for c in cells] + [""] * (width - len(cells))
                shown.rows.append({
                    "number": number, "bad": number in bad_rows,
                    "cells": [{"text": text[:200], "bad": (number, i) in bad_cells} for i, text in enumerate(texts)],
                })
    except ImportRejected:
        pass  # the file as a whole is refused: its message is already in the problems


def confirm(upload: Upload, user) -> Preview:
    result, rejected = _run(upload, user, dry_run=False)
    outcome = Preview(result=result)
    if rejected is not None:
        outcome.problems, outcome.total = rejected.problems, rejected.total
        outcome.messages = [] if rejected.problems else rejected.messages
    return outcome
