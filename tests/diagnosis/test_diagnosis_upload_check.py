"""The diagnosis uploads go through the one upload check (twintrack.filecheck.check_upload): the
report of an offline diagnosis (limit TWINTRACK_MAX_REPORT_BYTES, no longer 20 MB written in the
form) and a framework file."""
from __future__ import annotations

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from diagnosis_helpers import uniform_answers

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml", b"<x>" + b"A" * (8 << 20))
    return buffer.getvalue()


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield client


def form_answers(framework, level_index: int) -> dict:
    return {f"q_{code}": option for code, option in uniform_answers(framework, level_index).items()}


@pytest.mark.parametrize("name, content, reason", [
    ("report.pdf", b"%PDF-1.4 " + b"0" * 4096, "too large"),
    ("report.pdf", b"<html><script>", "not a PDF"),
    ("report.docx", bomb(), "packed in a way"),
])
def test_the_diagnosis_report_is_checked_like_every_upload(zhejiang, miit, make_enterprise, make_user, provider_firm,
                                                           english, settings, name, content, reason):
    from twintrack.diagnosis.models import Assessment
    from twintrack.diagnosis.services import assign_provider

    settings.TWINTRACK_MAX_REPORT_BYTES = 2048 if reason == "too large" else 20 * 1024 * 1024
    firm = make_enterprise()
    assign_provider(provider_firm, firm, date(2023, 1, 1))
    english.force_login(make_user("px", "provider", provider=provider_firm))
    response = english.post(reverse("diagnosis:diagnose", args=[firm.pk]), {
        "framework": miit.key, **form_answers(miit, 1), "assessed_on": "2023-04-10", "pain_points": "x",
        "recommendations": "y", "report": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and reason in " ".join(response.context["form"].errors["report"])
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("name, content, reason", [
    ("framework.json", b"{" + b" " * 4096 + b"}", "too large"),
    ("framework.json", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a JSON"),
])
def test_a_framework_file_is_checked_like_every_upload(zhejiang, make_user, english, settings, name, content, reason):
    settings.TWINTRACK_MAX_UPLOAD_BYTES = 1024 if reason == "too large" else 20 * 1024 * 1024
    english.force_login(make_user("bureau", "bureau"))
    response = english.post(reverse("diagnosis:frameworks"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200 and reason in " ".join(response.context["form"].errors["file"])
