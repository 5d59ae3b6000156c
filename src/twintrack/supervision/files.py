"""Attachments: which files are accepted (by extension AND by content) and how big.

A file is accepted when its extension names one of the allowed types and its first bytes
say the same: JPEG (FF D8 FF), PNG (the 8-byte signature), PDF (%PDF-), DOCX and XLSX (a
zip package with [Content_Types].xml and word/document.xml or xl/workbook.xml). A renamed
file (an .exe called photo.jpg, a .docm called report.docx) is refused.
"""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.utils.translation import gettext as _

MAX_BYTES = 10 * 1024 * 1024

EXTENSIONS = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ACCEPT = ",".join(sorted(EXTENSIONS)) + "," + ",".join(sorted(set(CONTENT_TYPES.values())))


class FileRefused(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Checked:
    file_type: str
    size: int
    sha256: str
    name: str


def sniff(head: bytes, stream) -> str | None:
    """The type the content says, or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as package:
                names = set(package.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


def clean_name(name: str) -> str:
    """The file's own name, without any directory part or control characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:200] or "file"


def check_upload(uploaded, max_bytes: int = MAX_BYTES) -> Checked:
    """Check an uploaded file (Django UploadedFile or any object with .name, .size, .read,
    .seek); FileRefused with a translated reason if it is not accepted."""
    name = clean_name(getattr(uploaded, "name", ""))
    extension = PurePath(name).suffix.lower()
    declared = EXTENSIONS.get(extension)
    allowed = "JPEG, PNG, PDF, DOCX, XLSX"
    if declared is None:
        raise FileRefused(_("%(name)s: this type of file is not accepted; use one of %(types)s")
                          % {"name": name, "types": allowed})
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
    if size > max_bytes:
        raise FileRefused(_("%(name)s is too large: %(size)s MB, at most %(max)s MB")
                          % {"name": name, "size": f"{size / 1048576:.1f}", "max": f"{max_bytes / 1048576:g}"})
    if size == 0:
        raise FileRefused(_("%(name)s is empty") % {"name": name})
    uploaded.seek(0)
    head = uploaded.read(16)
    found = sniff(head, uploaded)
    if found != declared:
        raise FileRefused(_("%(name)s: the content is not a %(type)s file, whatever its name says")
                          % {"name": name, "type": declared.upper().replace("JPG", "JPEG")})
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: uploaded.read(1 << 16), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return Checked(declared, size, digest.hexdigest(), name)
