"""The monthly import upload goes through the one upload check (twintrack.filecheck.check_upload):
a file over the limit, a file whose content is not what its name says, and a zip bomb are each
refused before any parser opens them, with the reason on the monthly page in the user's language."""
from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from jobhelp import post_upload

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def bomb(kind: str) -> bytes:
    """A package whose one part unpacks to 8 MB from a few KB (far beyond any real ratio)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr("word/document.xml" if kind == "docx" else "xl/workbook.xml", b"<x>" + b"A" * (8 << 20))
    return buffer.getvalue()


def refusal(world, content: bytes, name: str) -> str:
    client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
    client.force_login(world.users["district"])
    response = post_upload(client, {"kind": "progress", "file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302 and response["Location"] == reverse("monthly")
    return client.get(reverse("monthly")).content.decode()


def test_an_import_over_the_limit_is_refused(world, settings):
    settings.TWINTRACK_MAX_UPLOAD_BYTES = 100 * 1024  # the body (120 KB) still passes the request guard
    page = refusal(world, b"project_code,month,investment_yuan\n" + b"P1,2023-08,5\n" * 10_000, "big.csv")
    assert "big.csv 过大" in page


def test_a_program_renamed_to_xlsx_is_refused(world):
    page = refusal(world, b"MZ\x90\x00" + b"\x00" * 100, "progress.xlsx")
    assert "文件内容不是 XLSX 格式" in page


def test_a_zip_bomb_named_xlsx_is_refused(world, monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("a parser opened the bomb"))
    assert "打包方式" in refusal(world, bomb("xlsx"), "progress.xlsx")
