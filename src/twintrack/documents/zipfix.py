"""Zip packages (DOCX, XLSX) with the same bytes for the same content.

python-docx and openpyxl stamp every zip entry with the time of writing; rewriting the
package with one fixed timestamp (the publication time) and a fixed entry order makes a
rendering reproducible, which is what lets a test say "this file is that file".
"""
from __future__ import annotations

import io
import zipfile
from datetime import datetime

EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can carry


def normalise_zip(data: bytes, when: datetime | None = None) -> bytes:
    stamp = EPOCH if when is None or when.year < 1980 else \
        (when.year, when.month, when.day, when.hour, when.minute, when.second - when.second % 2)
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():  # keep the order: [Content_Types].xml must stay first
            entry = zipfile.ZipInfo(info.filename, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()
