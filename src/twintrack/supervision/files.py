"""Attachments: JPEG, PNG, PDF, DOCX and XLSX up to 10 MB, checked by extension AND content
with the one upload check every app uses (`twintrack.filecheck`)."""
from __future__ import annotations

from twintrack.filecheck import CONTENT_TYPES, Checked, FileRefused, accept_attribute, clean_name
from twintrack.filecheck import check_upload as check_file

MAX_BYTES = 10 * 1024 * 1024
TYPES = ("jpg", "png", "pdf", "docx", "xlsx")
ACCEPT = accept_attribute(TYPES)

__all__ = ["ACCEPT", "CONTENT_TYPES", "Checked", "FileRefused", "MAX_BYTES", "check_upload", "clean_name"]


def check_upload(uploaded, max_bytes: int = MAX_BYTES) -> Checked:
    return check_file(uploaded, TYPES, max_bytes)
