"""The monthly submission: upload a file, see a preview and every row error, then confirm.

An upload is kept as a temporary file under VAR_DIR/uploads/ with a random name and a small
JSON note (who uploaded it, the kind, the original name); only its uploader may preview,
confirm or discard it, and files older than a day are swept. Files are parsed only by the
importer (`import_file`), first as a dry run (everything written and rolled back, so the
preview counts are exact), then for real: both in background jobs (`web/tasks.py`), never in
a request.
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
    org: str = ""  # that page's unit, when it was not the user's own (a unit code in their scope)

    @property
    def note_path(self) -> Path:
        return self.path.with_suffix(".json")


def _valid_token(token: str) -> bool:
    return len(token) == TOKEN_LENGTH and token.isalnum()


def store_upload(uploaded, kind: str, user, period: str = "", org: str = "") -> Upload:
    """Keep an uploaded file for its preview; checks the kind, the extension and the size."""
    if kind not in upload_kinds(user):
        raise UploadRefused(_("Choose what the file holds."))
    name = Path(uploaded.name or "upload").name[:200]
    try:
        check_upload(uploaded, IMPORT_TYPES, settings.TWINTRACK_MAX_UPLOAD_BYTES)
    except FileRefused as refused:
        raise UploadRefused(refused.message) from None
    return keep_upload(uploaded, kind, name, user, period, org)


def keep_upload(uploaded, kind: str, name: str, user, period: str = "", org: str = "") -> Upload:
    """Keep a file already checked (store_upload, the import API) under a new token, for a job."""
    sweep()
    ext = extension_of(name)
    token = secrets.token_hex(TOKEN_LENGTH // 2)
    path = upload_dir() / f"{token}{ext}"
    with path.open("wb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    upload = Upload(token, kind, name, user.pk, time.time(), path, period, org)
    upload.note_path.write_text(json.dumps({"kind": kind, "name": name, "user_id": user.pk, "created": upload.created,
                                            "ext": ext, "period": period, "org": org}), "utf-8")
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
    return Upload(token, meta["kind"], meta["name"], meta["user_id"], meta["created"], path, meta.get("period", ""),
                  meta.get("org", ""))


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


# --- preview and confirm: the work of the two jobs (web/tasks.py) -----------------------------
#
# Both run in the worker, never in a request. Their outcome is a JSON object kept on the job,
# so the preview page shows it again on every reload without reading the file again:
#   {"ok", "counts": {"read", "created", "updated", "unchanged"}, "dry_run", "warnings", "notes",
#    "messages", "problems": [{"row", "column", "key", "reason"}], "total", "header", "rows", "more_rows"}
# A problem's column is the file's own header (项目编号), not the column's key (project_code).

@dataclass
class Preview:
    """An outcome as the pages read it."""

    ok: bool = False
    counts: dict = field(default_factory=dict)
    dry_run: bool = True
    warnings: list[str] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)   # {"row", "column" (as the file heads it), "key", "reason"}
    messages: list[str] = field(default_factory=list)  # lines for problems of the file as a whole
    total: int = 0
    notes: list[str] = field(default_factory=list)  # how the file was read: its sheet, header, skipped rows
    header: list[str] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)  # {"number", "cells": [{"text", "bad"}], "bad"}
    more_rows: bool = False

    @classmethod
    def from_outcome(cls, outcome: dict) -> "Preview":
        known = set(cls.__dataclass_fields__)
        return cls(**{key: value for key, value in (outcome or {}).items() if key in known})

    def as_outcome(self) -> dict:
        return dict(self.__dict__)

    @property
    def problem_count(self) -> int:
        return self.total or len(self.problems) or len(self.messages)


def _run(upload: Upload, user, dry_run: bool, progress=None,
         reason: str = "") -> tuple[ImportResult | None, ImportRejected | None]:
    try:
        result = import_file(upload.kind, upload.path, name=upload.name, user=user, dry_run=dry_run, progress=progress,
                             reason=reason or f"web upload {upload.kind} {upload.name}"[:100],
                             warn=quality_warn(upload.kind))
        return result, None
    except ImportRejected as rejected:
        return None, rejected
    except ApprovalRefused as refused:  # the service guard: a month approved meanwhile
        return None, ImportRejected([refused.message])


def _outcome(upload: Upload, result: ImportResult | None, rejected: ImportRejected | None,
             dry_run: bool, header: list[str]) -> Preview:
    shown = Preview(ok=result is not None, dry_run=dry_run)
    if result is not None:
        shown.counts = {"read": result.rows_read, "created": result.created, "updated": result.updated,
                        "unchanged": result.unchanged}
        shown.warnings, shown.notes = list(result.warnings), list(result.notes)
    else:
        shown.notes = list(rejected.notes)
        shown.problems = [{"row": p.row, "column": column_heading(p, header, upload.kind), "key": p.column,
                           "reason": p.reason} for p in rejected.problems]
        shown.messages = [] if rejected.problems else list(rejected.messages)
        shown.total = rejected.total
    return shown


def column_heading(problem, header: list[str], kind: str) -> str:
    """The column as the file names it: its own header; for a column missing from the file, the
    Chinese label the templates use; a column without a header keeps its letter."""
    position = problem.position
    if 0 <= position < len(header) and header[position].strip():
        return header[position].strip()
    labels = {c.key: c.label_zh for c in IMPORT_KINDS[kind].columns} if kind in IMPORT_KINDS else {}
    return labels.get(problem.column, problem.column)


def preview(upload: Upload, user, progress=None) -> Preview:
    """The dry run: what the import would write, or every problem, and the file's first rows."""
    result, rejected = _run(upload, user, dry_run=True, progress=progress)
    shown = Preview()
    _table(upload, shown)
    found = _outcome(upload, result, rejected, True, shown.header)
    found.header, found.rows, found.more_rows = shown.header, shown.rows, shown.more_rows
    _mark_bad_cells(found, rejected)
    return found


def _table(upload: Upload, shown: Preview) -> None:
    from twintrack.imports.fields import as_text

    try:
        with open_table(upload.path, IMPORT_KINDS[upload.kind](), upload.name) as table:
            shown.header = [as_text(h) for h in table.header]
            width = len(shown.header)
            for number, cells in table.rows:
                if len(shown.rows) >= PREVIEW_ROWS:
                    shown.more_rows = True
                    break
                texts = [as_text(c) for c in cells] + [""] * (width - len(cells))
                shown.rows.append({"number": number, "bad": False,
                                   "cells": [{"text": text[:200], "bad": False} for text in texts]})
    except ImportRejected:
        pass  # the file as a whole is refused: its message is already in the problems


def _mark_bad_cells(shown: Preview, rejected: ImportRejected | None) -> None:
    if rejected is None:
        return
    bad_cells = {(p.row, p.position) for p in rejected.problems}
    bad_rows = {p.row for p in rejected.problems}
    for row in shown.rows:
        row["bad"] = row["number"] in bad_rows
        for index, cell in enumerate(row["cells"]):
            cell["bad"] = (row["number"], index) in bad_cells


def confirm(upload: Upload, user, progress=None, dry_run: bool = False, reason: str = "") -> Preview:
    """The import itself, in one transaction: everything written, or nothing and every problem
    (a dry run, for the import API, only counts)."""
    result, rejected = _run(upload, user, dry_run=dry_run, progress=progress, reason=reason)
    header = []
    if rejected is not None:
        probe = Preview()
        _table(upload, probe)
        header = probe.header
    return _outcome(upload, result, rejected, dry_run, header)


def summary(counts: dict, label: str) -> str:
    """The line a page says once an import is written."""
    return ImportResult(label, "", counts.get("read", 0), counts.get("created", 0), counts.get("updated", 0),
                        counts.get("unchanged", 0)).summary(label)
