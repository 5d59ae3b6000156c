"""The one check every uploaded file passes before any parser reads it.

`check_upload(uploaded, types, max_bytes)` accepts a file when:

- its extension names one of `types` and its first bytes say the same (JPEG FF D8 FF, PNG's
  signature, %PDF-, an OLE compound file for .doc, a ZIP package with the parts of a DOCX or
  XLSX, text for CSV and JSON): a renamed file is refused, and a workbook saved as .csv is
  told to be renamed;
- it is not empty and not larger than `max_bytes`;
- if it is a ZIP package (DOCX, XLSX), `check_package` finds it bounded: at most
  MAX_ENTRIES parts, at most TWINTRACK_MAX_UNCOMPRESSED_MB unpacked in all, no part packed
  more than MAX_RATIO times (a "zip bomb": 209 KB holding a 200 MB string), shared strings
  at most MAX_SHARED_STRINGS unpacked (openpyxl holds them all in memory), and no XML part
  declaring a DOCTYPE or entities.

The bounds are read from the ZIP's directory and the first bytes of each XML part, so the
check costs milliseconds whatever the file holds. The sizes it trusts are the ones the
directory declares: Python's zipfile, which openpyxl and python-docx read through, never
unpacks more than a part declares.
"""
from __future__ import annotations

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import BinaryIO, Iterable

from django.conf import settings
from django.utils.translation import gettext as _

EXTENSIONS = {".jpg": "jpg", ".jpeg": "jpg", ".png": "png", ".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx",
              ".doc": "doc", ".csv": "csv", ".json": "json"}
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "json": "application/json",
}
TYPE_NAMES = {"jpg": "JPEG", "png": "PNG", "pdf": "PDF", "doc": "DOC", "docx": "DOCX", "xlsx": "XLSX", "csv": "CSV",
              "json": "JSON"}
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")

MAX_ENTRIES = 10_000
MAX_RATIO = 200  # unpacked / packed, for parts over RATIO_FLOOR unpacked
RATIO_FLOOR = 1024 * 1024
MAX_SHARED_STRINGS = 64 * 1024 * 1024
PROLOG_BYTES = 4096


class FileRefused(ValueError):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DamagedFile(FileRefused):
    """The file cannot be read as what it claims to be (a truncated or broken ZIP package)."""


@dataclass(frozen=True)
class Checked:
    file_type: str
    size: int
    sha256: str
    name: str


def accept_attribute(types: Iterable[str]) -> str:
    """The `accept` attribute of a file input for these types."""
    types = set(types)
    extensions = sorted(ext for ext, kind in EXTENSIONS.items() if kind in types)
    return ",".join(extensions + sorted({CONTENT_TYPES[t] for t in types}))


def clean_name(name: str) -> str:
    """The file's own name, without any directory part or control characters."""
    base = PurePath((name or "").replace("\\", "/")).name
    base = "".join(ch for ch in base if ch.isprintable()).strip()
    return base[:200] or "file"


def max_uncompressed_bytes() -> int:
    return settings.TWINTRACK_MAX_UNCOMPRESSED_BYTES


def _package_type(names: set[str]) -> str | None:
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def _looks_like_text(head: bytes) -> bool:
    return head.startswith(TEXT_BOMS) or b"\x00" not in head


def sniff(head: bytes, stream: BinaryIO) -> str | None:
    """The type the content says (text says "csv"), or None."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(OLE_MAGIC):
        return "doc"
    if head.startswith(ZIP_MAGIC):
        try:
            stream.seek(0)
            with zipfile.ZipFile(stream) as package:
                return _package_type(set(package.namelist()))
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    return "csv" if _looks_like_text(head) else None


def _refuse_package(name: str) -> FileRefused:
    return FileRefused(_("%(name)s is packed in a way twintrack does not open (too many parts, too large "
                         "unpacked, or XML with entity declarations); save it again from Excel, WPS or Word")
                       % {"name": name})


def check_package(stream: BinaryIO, name: str) -> None:
    """FileRefused unless the ZIP package in `stream` is bounded (see the module's text)."""
    try:
        stream.seek(0)
        with zipfile.ZipFile(stream) as package:
            entries = package.infolist()
            if len(entries) > MAX_ENTRIES:
                raise _refuse_package(name)
            total = 0
            for entry in entries:
                total += entry.file_size
                packed = max(entry.compress_size, 1)
                if total > max_uncompressed_bytes() or (
                        entry.file_size > RATIO_FLOOR and entry.file_size / packed > MAX_RATIO) or (
                        entry.filename.endswith("sharedStrings.xml") and entry.file_size > MAX_SHARED_STRINGS):
                    raise _refuse_package(name)
                if entry.filename.endswith((".xml", ".rels")) and _declares_entities(package, entry):
                    raise _refuse_package(name)
    except FileRefused:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise DamagedFile(_("%(name)s is damaged or not a complete file; save it again and upload the copy")
                          % {"name": name}) from None
    finally:
        stream.seek(0)


def _declares_entities(package: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """A DOCTYPE can only stand before the root element: the prolog tells."""
    with package.open(entry) as part:
        prolog = part.read(PROLOG_BYTES).upper()
    return b"<!DOCTYPE" in prolog or b"<!ENTITY" in prolog


def _size_of(uploaded) -> int:
    size = getattr(uploaded, "size", None)
    if size is None:
        uploaded.seek(0, 2)
        size = uploaded.tell()
    return size


def _refuse_type(name: str, types: set[str]) -> FileRefused:
    if types == {"csv", "xlsx"}:  # an import: the words the importer uses for the same refusal
        return FileRefused(_("%(file)s: only .csv and .xlsx files can be imported; save the workbook as "
                             ".xlsx (Excel Workbook) first") % {"file": name})
    allowed = ", ".join(sorted({TYPE_NAMES[t] for t in types}))
    return FileRefused(_("%(name)s: this type of file is not accepted; use one of %(types)s")
                       % {"name": name, "types": allowed})


def _refuse_content(name: str, declared: str, found: str | None) -> FileRefused:
    if declared == "csv" and found == "xlsx":
        return FileRefused(_("%(name)s is an Excel workbook, not a CSV file: rename it to .xlsx, or save it "
                             "as CSV (UTF-8) in Excel or WPS") % {"name": name})
    return FileRefused(_("%(name)s: the content is not a %(type)s file, whatever its name says")
                       % {"name": name, "type": TYPE_NAMES[declared]})


def check_upload(uploaded, types: Iterable[str], max_bytes: int) -> Checked:
    """Check an uploaded file (a Django UploadedFile or anything with .name, .read and .seek)
    against the accepted `types` and `max_bytes`; FileRefused with a translated reason."""
    types = set(types)
    name = clean_name(getattr(uploaded, "name", ""))
    declared = EXTENSIONS.get(PurePath(name).suffix.lower())
    if declared not in types:
        raise _refuse_type(name, types)
    size = _size_of(uploaded)
    if size > max_bytes:
        raise FileRefused(_("%(name)s is too large: %(size)s MB, at most %(max)s MB")
                          % {"name": name, "size": f"{size / 1048576:.1f}", "max": f"{max_bytes / 1048576:g}"})
    if size == 0:
        raise FileRefused(_("%(name)s is empty") % {"name": name})
    uploaded.seek(0)
    head = uploaded.read(65536)
    found = sniff(head, uploaded)
    if found != ("csv" if declared == "json" else declared):
        raise _refuse_content(name, declared, found)
    if head.startswith(ZIP_MAGIC):
        check_package(uploaded, name)
    uploaded.seek(0)
    digest = hashlib.sha256()
    for chunk in iter(lambda: uploaded.read(1 << 16), b""):
        digest.update(chunk)
    uploaded.seek(0)
    return Checked(declared, size, digest.hexdigest(), name)
