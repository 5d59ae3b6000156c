"""Attachments: accepted by extension AND content, at most 10 MB, served only through an
access-checked view."""
from __future__ import annotations

import pytest
from django.urls import reverse
from supervision_helpers import JPEG_BYTES, PDF_BYTES, PNG_BYTES, office_bytes, upload

from twintrack.supervision import services
from twintrack.supervision.files import FileRefused, check_upload, clean_name
from twintrack.supervision.models import Attachment

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.mark.parametrize("name, content, kind", [
    ("现场照片.jpg", JPEG_BYTES, "jpg"), ("photo.JPEG", JPEG_BYTES, "jpg"), ("图.png", PNG_BYTES, "png"),
    ("报告.pdf", PDF_BYTES, "pdf"), ("方案.docx", office_bytes("docx"), "docx"), ("台账.xlsx", office_bytes("xlsx"), "xlsx"),
])
def test_the_five_types_are_accepted_by_name_and_content(name, content, kind):
    checked = check_upload(upload(name, content))
    assert (checked.file_type, checked.size, checked.name) == (kind, len(content), name)
    assert len(checked.sha256) == 64


@pytest.mark.parametrize("name, content, reason", [
    ("tool.exe", b"MZ\x90\x00", "not accepted"),
    ("photo.jpg", b"MZ\x90\x00\x03", "not a JPEG"),           # a program renamed
    ("photo.png", JPEG_BYTES, "not a PNG"),                   # the wrong image type
    ("report.pdf", b"<html><script>", "not a PDF"),
    ("plan.docx", office_bytes("xlsx"), "not a DOCX"),        # a workbook called a document
    ("sheet.xlsx", b"PK\x03\x04garbage", "not a XLSX"),       # a broken zip
    ("macro.docm", office_bytes("docx"), "not accepted"),
    ("empty.pdf", b"", "empty"),
    ("noextension", PDF_BYTES, "not accepted"),
])
def test_anything_else_is_refused_with_a_reason(name, content, reason):
    with pytest.raises(FileRefused) as refused:
        check_upload(upload(name, content))
    assert reason in refused.value.message


def test_files_over_ten_megabytes_are_refused(settings):
    MAX_BYTES = settings.TWINTRACK_MAX_ATTACHMENT_BYTES
    assert MAX_BYTES == 10 * 1024 * 1024
    big = upload("big.pdf", PDF_BYTES + b"0" * MAX_BYTES)
    with pytest.raises(FileRefused, match="too large"):
        check_upload(big)
    check_upload(upload("small.pdf", PDF_BYTES + b"0" * (MAX_BYTES - len(PDF_BYTES))))


def test_a_file_name_loses_its_directories():
    assert clean_name("../../etc/passwd.png") == "passwd.png"
    assert clean_name("C:\\Users\\王\\现场.jpg") == "现场.jpg"


def test_the_stored_file_lives_under_the_media_root_with_a_random_name(world, records, media_root):
    attachment = services.add_attachment(world.users.sup1, upload("../现场.png", PNG_BYTES), finding=records.nanhu_finding)
    path = media_root / attachment.file.name
    assert path.read_bytes() == PNG_BYTES and path.suffix == ".png" and "现场" not in path.name


def test_an_attachment_is_served_to_those_who_see_it_and_404_to_others(client, world, records):
    attachment = services.add_attachment(world.users.sup1, upload("现场.png", PNG_BYTES), finding=records.nanhu_finding)
    url = reverse("supervision:attachment", args=[attachment.pk])
    client.force_login(world.users.nanhu)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]
    download = client.get(url + "?download=1")
    assert download["Content-Disposition"].startswith("attachment")
    for outsider in (world.users.pinghu, world.users.sup2, world.users.meiyi, world.users.provider):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


def test_documents_download_as_attachments(client, world, records):
    attachment = services.add_attachment(world.users.sup1, upload("方案.docx", office_bytes("docx")),
                                         finding=records.nanhu_finding)
    client.force_login(world.users.bureau)
    response = client.get(reverse("supervision:attachment", args=[attachment.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "wordprocessingml" in response["Content-Type"]


def test_media_files_are_not_served_as_static_files(client, world, records, settings):
    attachment = services.add_attachment(world.users.sup1, upload("现场.png", PNG_BYTES), finding=records.nanhu_finding)
    client.force_login(world.users.pinghu)
    for url in ("/media/" + attachment.file.name, "/static/" + attachment.file.name, "/" + attachment.file.name):
        assert client.get(url).status_code == 404


def test_uploading_through_the_finding_form_checks_the_file(client, world, records):
    client.force_login(world.users.sup1)
    url = reverse("supervision:finding_create", args=[records.nanhu_visit.pk])
    response = client.post(url, {"kind": "highlight", "text": "智能产线", "file": upload("photo.jpg", b"MZ\x90\x00")},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and "not a JPEG" in response.content.decode()
    assert not records.nanhu_visit.findings.filter(text="智能产线").exists()  # nothing half-written
    response = client.post(url, {"kind": "highlight", "text": "智能产线", "file": upload("photo.png", PNG_BYTES)})
    assert response.status_code == 302
    finding = records.nanhu_visit.findings.get(text="智能产线")
    assert finding.attachments.get().name == "photo.png"


def test_a_withdrawn_photo_is_hidden_but_kept(client, world, records):
    attachment = services.add_attachment(world.users.sup1, upload("现场.png", PNG_BYTES), finding=records.nanhu_finding)
    client.force_login(world.users.nanhu)
    assert client.post(reverse("supervision:attachment_delete", args=[attachment.pk])).status_code == 403
    client.force_login(world.users.sup1)
    assert client.post(reverse("supervision:attachment_delete", args=[attachment.pk])).status_code == 302
    assert client.get(reverse("supervision:attachment", args=[attachment.pk])).status_code == 404
    kept = Attachment.all_objects.get(pk=attachment.pk)
    assert kept.deleted_by == world.users.sup1 and kept.file.storage.exists(kept.file.name)
