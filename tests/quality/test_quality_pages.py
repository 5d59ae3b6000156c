"""The data quality pages: a district's month, confirming a finding, the export, the bureau's
rules, the warnings in the upload preview and after the progress form, the approval page."""
import io

import pytest
from django.urls import reverse
from jobhelp import post_upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def login(client, username, role, org_code):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership, OrgUnit

    user = get_user_model().objects.create_user(username, password="x-long-password-1")
    Membership.objects.create(user=user, role=role, org=OrgUnit.objects.get(code=org_code))
    client.force_login(user)
    return user


@pytest.fixture
def month(make_project, put):
    """Nanhu: a spike (P1) and a silent project (P2); Pinghu: a repeated figure (Q1)."""
    p1, p2 = make_project("P1"), make_project("P2")
    for period, amount in (("2023-04", 10), ("2023-05", 20), ("2023-06", 30), ("2023-07", 5000)):
        put(p1, period, amount)
    q1 = make_project("Q1", org="330482")
    for period in ("2023-05", "2023-06", "2023-07"):
        put(q1, period, 7)
    return p1, p2, q1


def page(client, **query):
    return client.get(reverse("quality"), {"period": "2023-07", **query})


def test_a_district_sees_its_own_completeness_missing_projects_and_findings(client, month):
    login(client, "nanhu", "district", "330402")
    html = page(client).content.decode()
    assert 'id="completeness-rate">50%' in html
    assert ">P2</a>" in html                        # the missing project, linked
    assert 'data-project="P1"' in html and 'data-rule="spike"' in html
    assert 'data-project="Q1"' not in html          # Pinghu's finding is not Nanhu's


def test_another_districts_unit_is_404(client, month):
    login(client, "pinghu", "district", "330482")
    assert page(client, org="330402").status_code == 404
    assert 'data-project="P1"' not in page(client).content.decode()


def test_the_bureau_sees_every_unit_and_can_drill_down(client, month):
    login(client, "bureau", "bureau", "330400")
    html = page(client).content.decode()
    assert 'data-unit="330402"' in html and 'data-unit="330482"' in html
    assert 'data-project="Q1"' in html and 'data-project="P1"' in html
    assert 'data-project="Q1"' not in page(client, rule="spike").content.decode()


def test_a_district_confirms_a_finding_with_a_comment(client, month):
    login(client, "nanhu", "district", "330402")
    response = client.post(reverse("quality_confirm"), {"project": "P1", "rule": "spike", "period": "2023-07",
                                                        "comment": "new line paid in July"})
    assert response.status_code == 302
    html = page(client).content.decode()
    assert "new line paid in July" in html and "nanhu" in html
    assert 'name="comment"' not in html  # nothing open is left to confirm


def test_a_supervisor_reads_but_cannot_confirm(client, month):
    login(client, "sup", "supervisor", "330402")
    assert page(client).status_code == 200
    assert 'name="comment"' not in page(client).content.decode()
    response = client.post(reverse("quality_confirm"), {"project": "P1", "rule": "spike", "period": "2023-07",
                                                        "comment": "x"})
    assert response.status_code == 403


def test_the_export_holds_the_units_missing_projects_and_findings(client, month):
    from openpyxl import load_workbook

    login(client, "bureau", "bureau", "330400")
    response = client.get(reverse("quality_export"), {"period": "2023-07"})
    book = load_workbook(io.BytesIO(response.content))
    completeness, missing, findings = book.worksheets
    assert [row[1] for row in completeness.iter_rows(min_row=2, values_only=True)] == [
        "330400", "330402", "330482", "JXGQ"]
    assert [row[0] for row in missing.iter_rows(min_row=2, values_only=True)] == ["P2"]
    assert [(r[0], r[1]) for r in findings.iter_rows(min_row=2, values_only=True)] == [
        ("repeated", "Q1"), ("spike", "P1")]


def test_the_bureau_changes_a_threshold_and_the_history_keeps_it(client, month):
    from twintrack.quality.models import QualityRule

    user = login(client, "bureau", "bureau", "330400")
    form = {f"threshold_{r.key}": str(r.threshold) for r in QualityRule.objects.all()}
    form.update({f"enabled_{r.key}": "on" for r in QualityRule.objects.all()})
    form.update({"threshold_spike": "1000", "deadline_day": "15"})
    assert client.post(reverse("quality_rules"), form).status_code == 302
    spike = QualityRule.objects.get(key="spike")
    assert spike.threshold == 1000 and spike.history.first().history_user == user
    assert 'data-rule="spike"' not in page(client).content.decode()


def test_a_district_cannot_change_the_rules(client, month):
    login(client, "nanhu", "district", "330402")
    assert client.get(reverse("quality_rules")).status_code == 403


def test_the_progress_form_shows_the_warning_after_saving(client, make_project, put):
    p = make_project("P1", planned=100)
    login(client, "nanhu", "district", "330402")
    response = client.post(reverse("progress_save", args=[p.pk]),
                           {"month": "2023-07", "investment_yuan": "151", "energy_saved_tce": "", "note": ""},
                           follow=True)
    assert "[over_plan]" in response.content.decode()


def test_the_upload_preview_lists_the_warnings_before_confirming(client, make_project, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.TWINTRACK_UPLOAD_DIR = tmp_path
    make_project("P1", planned=100)
    login(client, "nanhu", "district", "330402")
    upload = SimpleUploadedFile("progress.csv", b"project_code,month,investment_yuan\nP1,2023-07,151\n")
    response = client.get(post_upload(client, {"kind": "progress", "file": upload})["Location"])
    html = response.content.decode()
    assert 'id="quality-warnings"' in html and "row 2, column investment_yuan" in html
    assert 'id="confirm-import"' in html


def test_the_findings_are_listed_a_page_at_a_time(client, make_project, put, monkeypatch):
    from twintrack.web import listing

    monkeypatch.setattr(listing, "PAGE_SIZE", 2)
    for n in range(5):
        project = make_project(f"S{n}")
        for period, amount in (("2023-04", 10), ("2023-05", 20), ("2023-06", 30), ("2023-07", 5000)):
            put(project, period, amount)
    login(client, "bureau", "bureau", "330400")
    shown = []
    for number in (1, 2, 3):
        html = page(client, page=number).content.decode()
        assert "疑点：5条（待核实5条）" in html  # the heading counts every finding
        shown += [f"S{n}" for n in range(5) if f'data-project="S{n}"' in html]
    assert sorted(shown) == ["S0", "S1", "S2", "S3", "S4"] and len(shown) == 5
    first = page(client, page=1).content.decode()
    assert 'page=2' in first and "第 1 页，共 3 页" in first and "下一页" in first  # the lists' pagination, in Chinese
