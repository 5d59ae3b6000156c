"""Attachments: JPEG, PNG, PDF, DOCX and XLSX up to TWINTRACK_MAX_ATTACHMENT_BYTES (10 MB by
default), checked by extension AND content with the one upload check every app uses
(`twintrack.filecheck`)."""
from __future__ import annotations

from django.conf import settings

from twintrack.filecheck import CONTENT_TYPES, Checked, FileRefused, accept_attribute, clean_name
from twintrack.filecheck import check_upload as check_file

TYPES = ("jpg", "png", "pdf", "docx", "xlsx")
ACCEPT = accept_attribute(TYPES)

__all__ = ["ACCEPT", "CONTENT_TYPES", "Checked", "FileRefused", "check_upload", "clean_name"]


def check_upload(uploaded) -> Checked:
    return check_file(uploaded, TYPES, settings.TWINTRACK_MAX_ATTACHMENT_BYTES)
