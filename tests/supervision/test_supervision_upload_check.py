"""The attachment page goes through the one upload check (twintrack.filecheck.check_upload) with
the attachments' limit from the settings: over the limit, a disguised file and a zip bomb are
refused on the form, nothing is stored."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from supervision_helpers import PDF_BYTES, upload

from twintrack.supervision.models import Attachment

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<x>" + b"A" * (8 << 20))
    return buffer.getvalue()


def attach(client, world, records, file):
    client.force_login(world.users.sup1)
    client.cookies["django_language"] = "en"
    return client.post(reverse("supervision:attachment_create", args=[records.nanhu_finding.pk]), {"file": file})


@pytest.mark.parametrize("name, content, reason", [
    ("big.pdf", PDF_BYTES + b"0" * 2048, "too large"),
    ("photo.jpg", b"MZ\x90\x00\x03", "not a JPEG"),
    ("plan.docx", bomb(), "packed in a way"),
])
def test_the_attachment_page_refuses_what_the_upload_check_refuses(client, world, records, settings, name, content,
                                                                  reason):
    settings.TWINTRACK_MAX_ATTACHMENT_BYTES = 1024 if name == "big.pdf" else 10 * 1024 * 1024
    response = attach(client, world, records, upload(name, content))
    assert response.status_code == 400 and reason in response.content.decode()
    assert not Attachment.objects.filter(name=name).exists()


def test_the_attachment_form_states_the_limit_of_the_settings_in_the_users_language(client, world, records,
                                                                                    settings):
    settings.TWINTRACK_MAX_ATTACHMENT_BYTES = 5 * 1024 * 1024
    client.force_login(world.users.sup1)
    client.cookies["django_language"] = "zh-hans"
    page = client.get(reverse("supervision:attachment_create", args=[records.nanhu_finding.pk])).content.decode()
    assert "JPEG、PNG、PDF、DOCX 或 XLSX，不超过 5 MB" in page
