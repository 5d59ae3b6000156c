"""Helpers shared by the supervision tests (imported as a plain module: tests/ has no packages)."""
from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PASSWORD = "correct-horse-battery"


def uscc_for(seed: int, region: str = "330402") -> str:
    from stdnum.cn import uscc

    body = f"91{region}MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def make_user(username: str, role: str | None = None, org=None, enterprise=None, superuser: bool = False):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    else:
        user = User.objects.create_user(username, password=PASSWORD)
    if role is not None:
        Membership.objects.create(user=user, role=role, org=org, enterprise=enterprise)
    return user


# --- files -------------------------------------------------------------------------------------

PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4"
             b"\x89\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND"
             b"\xaeB`\x82")
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def office_bytes(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", "<x/>")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)

