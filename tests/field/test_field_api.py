"""The API extensions the field app relies on, without a browser: a repeated POST with the same
client id answers the record the first one made (200) and never makes a second; photos and
evidence are uploaded once per client id, through the upload check; another district's token
gets 404; a round closed meanwhile refuses the visit with the service's sentence; the download
endpoints (groups, their coverage, key tasks)."""
from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from field_helpers import jpeg_bytes
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


class Api:
    def __init__(self, value):
        self.client, self.auth = Client(), {"HTTP_AUTHORIZATION": f"Bearer {value}", "HTTP_ACCEPT_LANGUAGE": "en"}

    def get(self, path):
        return self.client.get("/api/v1" + path, **self.auth)

    def post(self, path, body):
        return self.client.post("/api/v1" + path, body, content_type="application/json", **self.auth)

    def upload(self, path, content=None, name="photo.jpg", **fields):
        data = {"file": SimpleUploadedFile(name, content or jpeg_bytes(400, 300), "image/jpeg"), **fields}
        return self.client.post("/api/v1" + path, data, **self.auth)


@pytest.fixture
def sup(field_world, token):
    return Api(token(field_world.users.sup))


def visit_body(w, client_id, **extra):
    return {"group": w.group.code, "org": "330402", "date": w.today.isoformat(), "enterprises": [w.ent["dewei"].uscc],
            "attendees": "南湖区经信局", "client_id": str(client_id), **extra}


def test_the_same_visit_twice_is_one_visit(field_world, sup):
    from twintrack.supervision.models import Visit

    client_id = uuid.uuid4()
    first = sup.post("/supervision/visits", visit_body(field_world, client_id))
    again = sup.post("/supervision/visits", visit_body(field_world, client_id))
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["code"] == again.json()["code"]
    assert again.json()["client_id"] == str(client_id)
    assert Visit.objects.filter(client_id=client_id).count() == 1
    assert Visit.objects.count() == 1
    other = sup.post("/supervision/visits", visit_body(field_world, uuid.uuid4()))
    assert other.status_code == 201 and Visit.objects.count() == 2  # another client id is another visit


def test_findings_requirements_and_responses_are_not_doubled(field_world, sup, token):
    from twintrack.supervision.models import Finding, Requirement, RequirementStep

    w = field_world
    visit = sup.post("/supervision/visits", visit_body(w, uuid.uuid4())).json()
    finding = {"visit": visit["code"], "kind": "problem", "text": "退火工序能耗偏高。", "enterprise": w.ent["dewei"].uscc,
               "project": "P1", "client_id": str(uuid.uuid4())}
    assert [sup.post("/supervision/findings", finding).status_code for _ in range(3)] == [201, 200, 200]
    assert Finding.objects.count() == 1
    requirement = {"round": w.round.code, "key_task": w.task.code, "text": "完成方案论证。", "org": "330402",
                   "due_date": (w.today + timedelta(days=30)).isoformat(), "visit": visit["code"],
                   "client_id": str(uuid.uuid4())}
    assert [sup.post("/supervision/requirements", requirement).status_code for _ in range(2)] == [201, 200]
    assert Requirement.objects.count() == 2  # the fixture's and this one

    nanhu = Api(token(w.users.nanhu))
    response = {"text": "已完成论证。", "client_id": str(uuid.uuid4())}
    path = f"/supervision/requirements/{w.requirement.code}/responses"
    first, again = nanhu.post(path, response), nanhu.post(path, response)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["status"] == "responded"
    assert RequirementStep.objects.filter(requirement=w.requirement).count() == 1


def test_a_photo_is_uploaded_once_per_client_id_with_its_position_only_when_sent(field_world, sup):
    from twintrack.supervision.models import Attachment

    w = field_world
    visit = sup.post("/supervision/visits", visit_body(w, uuid.uuid4())).json()
    finding = sup.post("/supervision/findings", {"visit": visit["code"], "kind": "progress", "text": "产线已投产。",
                                                 "client_id": str(uuid.uuid4())}).json()
    path = f"/supervision/findings/{finding['code']}/attachments"
    photo_id = str(uuid.uuid4())
    first = sup.upload(path, client_id=photo_id, latitude="30.750000", longitude="120.750000")
    again = sup.upload(path, client_id=photo_id, latitude="30.750000", longitude="120.750000")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Attachment.objects.count() == 1
    stored = Attachment.objects.get()
    assert (str(stored.latitude), str(stored.longitude), stored.file_type) == ("30.750000", "120.750000", "jpg")
    assert stored.finding.code == finding["code"] and stored.uploaded_by == w.users.sup

    without = sup.upload(path, client_id=str(uuid.uuid4()))
    assert without.status_code == 201 and without.json()["latitude"] is None

    refused = sup.upload(path, content=b"not a picture at all", client_id=str(uuid.uuid4()))
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["column"] == "file"
    assert Attachment.objects.count() == 2


def test_evidence_goes_with_the_response_once(field_world, token):
    from twintrack.supervision.models import Attachment

    w = field_world
    nanhu = Api(token(w.users.nanhu))
    evidence = f"/supervision/requirements/{w.requirement.code}/evidence"
    early = nanhu.upload(evidence, client_id=str(uuid.uuid4()))
    assert early.status_code == 422  # no response yet: the web page's rule
    nanhu.post(f"/supervision/requirements/{w.requirement.code}/responses", {"text": "已整改。"})
    photo_id = str(uuid.uuid4())
    assert [nanhu.upload(evidence, client_id=photo_id).status_code for _ in range(2)] == [201, 200]
    assert Attachment.objects.filter(step__requirement=w.requirement).count() == 1


def test_another_districts_token_gets_404(field_world, sup, token):
    from twintrack.supervision.models import Attachment, RequirementStep

    w = field_world
    visit = sup.post("/supervision/visits", visit_body(w, uuid.uuid4())).json()
    finding = sup.post("/supervision/findings", {"visit": visit["code"], "kind": "problem", "text": "问题。"}).json()
    pinghu = Api(token(w.users.pinghu))
    code = w.requirement.code
    answers = [pinghu.post(f"/supervision/requirements/{code}/responses", {"text": "x", "client_id": str(uuid.uuid4())}),
               pinghu.upload(f"/supervision/requirements/{code}/evidence", client_id=str(uuid.uuid4())),
               pinghu.upload(f"/supervision/findings/{finding['code']}/attachments", client_id=str(uuid.uuid4()))]
    assert [a.status_code for a in answers] == [404, 404, 404]
    assert {a.json()["detail"] for a in answers} == {"no such object"}
    assert RequirementStep.objects.count() == 0 and Attachment.objects.count() == 0
    assert pinghu.get(f"/supervision/groups/{w.group.code}/coverage").status_code == 404


def test_a_client_id_of_someone_elses_record_is_not_answered_with_it(field_world, sup, token):
    w = field_world
    client_id = uuid.uuid4()
    assert sup.post("/supervision/visits", visit_body(w, client_id)).status_code == 201
    pinghu = Api(token(w.users.pinghu))
    answer = pinghu.post("/supervision/visits", visit_body(w, client_id))
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["column"] == "client_id"
    assert "code" not in answer.json()


def test_a_round_closed_meanwhile_refuses_the_visit_with_the_reason(field_world, sup):
    from twintrack.supervision import services
    from twintrack.supervision.models import Visit

    w = field_world
    services.update_round(w.users.bureau, w.round, end_date=w.today - timedelta(days=1))
    answer = sup.post("/supervision/visits", visit_body(w, uuid.uuid4()))
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(f"{w.today.isoformat()} is outside round {w.round.code}")
    assert Visit.objects.count() == 0


def test_the_download_a_supervisor_without_a_unit_gets(field_world, sup):
    w = field_world
    groups = sup.get("/supervision/groups").json()
    assert [(g["code"], g["round"], g["units"]) for g in groups] == [(w.group.code, "R2026", ["330402"])]
    coverage = sup.get(f"/supervision/groups/{w.group.code}/coverage").json()
    assert [u["code"] for u in coverage["units"]] == ["330402", "NHGX"]
    assert sorted(e["name_en"] for e in coverage["enterprises"]) == ["Dewei Stainless Steel", "Fengchuan Electronics"]
    assert [p["code"] for p in coverage["projects"]] == ["P1"]
    assert sup.get("/orgunits").json()["count"] == 0  # no unit of their own: the registry lists are empty
    assert len(sup.get("/supervision/key-tasks").json()) >= 1


def test_the_device_token_is_a_30_day_write_token_of_the_user_behind_csrf(field_world):
    from django.utils import timezone

    from twintrack.orgs.models import AccessToken

    w = field_world
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(w.users.nanhu)
    assert browser.post("/field/device-token").status_code == 403  # no CSRF token
    page = browser.get("/field/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    csrf = page.context["csrf_token"]
    issued = browser.post("/field/device-token", HTTP_X_CSRFTOKEN=str(csrf)).json()
    token = AccessToken.objects.get(pk=issued["id"])
    assert token.user == w.users.nanhu and token.can_write
    assert 29 <= (token.expires_at - timezone.now()).days <= 30
    assert token.name.endswith(timezone.localdate().isoformat())
    api = Api(issued["token"])
    assert api.get("/supervision/requirements").json()["count"] == 1  # Nanhu's, with the user's own scope
    assert api.post("/supervision/visits", visit_body(w, uuid.uuid4())).status_code in (403, 404)


def test_the_page_the_worker_and_the_manifest(field_world):
    import json

    browser = Client()
    assert browser.get("/field/").status_code == 302  # behind the login
    browser.force_login(field_world.users.sup)
    page = browser.get("/field/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert "geolocation=(self)" in page["Permissions-Policy"]
    assert page["Cache-Control"] == "no-store"  # the service worker's copy is not the HTTP cache
    strings = json.loads(text.split('id="field-strings" type="application/json">')[1].split("</script>")[0])
    assert strings["waiting"] == "%(n)s 条记录待同步"
    worker = Client().get("/field/sw.js")
    assert worker["Content-Type"].startswith("text/javascript")
    assert '"/field/"' in worker.content.decode() and "/static/field/app.js" in worker.content.decode()
    manifest = json.loads(Client().get("/field/manifest.webmanifest", HTTP_ACCEPT_LANGUAGE="zh-hans").content)
    assert manifest["display"] == "standalone" and manifest["start_url"] == "/field/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    assert manifest["short_name"] == "现场端"
