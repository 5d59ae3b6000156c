"""Enterprise and project forms (one-row imports) and the removal of a month of progress (issue 15)."""
from decimal import Decimal

import pytest
from django.urls import reverse

from twintrack.metrics.rollups import rollup_differences
from twintrack.web.views_edit import enterprise_values, project_values


def _project(code="P1"):
    from twintrack.programme.models import Project

    return Project.objects.select_related("enterprise").get(code=code)


def _city_totals(jiaxing, year=2023, month=None):
    from twintrack.metrics.models import Rollup

    rows = Rollup.objects.filter(org=jiaxing["330400"], year=year)
    if month is not None:
        rows = rows.filter(month=month)
    return {r.month: (r.investment_fen, r.energy_micro) for r in rows}


# --- projects ----------------------------------------------------------------------------------------

def test_a_district_officer_completes_a_project_and_the_history_says_who(nanhu_client, nanhu_user):
    project = _project()
    row = {**project_values(project), "status": "completed", "planned_investment_10k_yuan": "1,250.5",
           "planned_end_date": "2023-12-31"}
    response = nanhu_client.post(reverse("project_edit", args=[project.pk]), row)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == "completed"
    assert project.planned_investment_yuan == Decimal("12505000")
    last = project.history.order_by("-history_id").first()
    assert last.history_user == nanhu_user and last.history_type == "~"
    assert rollup_differences() == []


@pytest.mark.parametrize("language, word", [("zh-hans", "日期"), ("en", "date")])
def test_a_refused_value_is_named_beside_its_field_in_the_users_language(nanhu_client, nanhu_user, language, word):
    nanhu_user.membership.language = language
    nanhu_user.membership.save()
    project = _project()
    row = {**project_values(project), "start_date": "2023-13-40", "kind": "quantum", "status": "completed"}
    response = nanhu_client.post(reverse("project_edit", args=[project.pk]), row)
    assert response.status_code == 400
    fields = {item["field"].name: item["errors"] for item in response.context["fields"]}
    assert fields["kind"] and fields["title"] == []
    assert word in " ".join(fields["start_date"])
    assert _project().status == "in_progress"  # nothing written


def test_the_project_form_refuses_what_the_import_refuses_in_the_same_words(nanhu_client):
    from twintrack.web.formrows import write_rows

    project = _project()
    row = {**project_values(project), "planned_end_date": "2022-01-01"}
    response = nanhu_client.post(reverse("project_edit", args=[project.pk]), row)
    fields = {item["field"].name: item["errors"] for item in response.context["fields"]}
    as_import = write_rows("projects", [row], response.wsgi_request.user, "test")
    assert fields["planned_end_date"] == as_import.for_row(0)["planned_end_date"]


def test_another_units_project_is_404_and_nobody_moves_one_outside_their_scope(client, pinghu_user, nanhu_user):
    from twintrack.enterprises.models import Enterprise

    client.force_login(pinghu_user)
    nanhu_project = _project("P1")
    assert client.get(reverse("project_edit", args=[nanhu_project.pk])).status_code == 404
    assert client.post(reverse("project_edit", args=[nanhu_project.pk]), project_values(nanhu_project)).status_code == 404
    own = _project("P3")
    nanhu_enterprise = Enterprise.objects.get(org__code="330402")
    response = client.post(reverse("project_edit", args=[own.pk]), {**project_values(own), "uscc": nanhu_enterprise.uscc})
    assert response.status_code == 400
    assert _project("P3").enterprise_id == own.enterprise_id
    fields = {item["field"].name: item["errors"] for item in response.context["fields"]}
    assert fields["uscc"]


def test_a_new_project_is_created_for_an_enterprise_of_the_unit(nanhu_client):
    from twintrack.programme.models import Project

    row = {**project_values(_project()), "code": "NH-2023-099", "title": "新建产线数字化", "status": "planned"}
    response = nanhu_client.post(reverse("project_create"), row)
    assert response.status_code == 302
    created = Project.objects.get(code="NH-2023-099")
    assert response["Location"] == reverse("project_detail", args=[created.pk])
    assert rollup_differences() == []


def test_the_project_pages_link_to_the_forms(nanhu_client):
    project = _project()
    page = nanhu_client.get(reverse("project_detail", args=[project.pk])).content.decode()
    assert reverse("project_edit", args=[project.pk]) in page
    assert reverse("project_create") in nanhu_client.get(reverse("project_list")).content.decode()


# --- enterprises ----------------------------------------------------------------------------------

def test_an_enterprise_is_renamed_and_resized_through_the_enterprises_kind(nanhu_client, nanhu_user):
    from twintrack.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(org__code="330402")
    row = {**enterprise_values(enterprise), "name_zh": "德威新材料有限公司", "size": "large", "industry_code": "3312"}
    assert nanhu_client.post(reverse("enterprise_edit", args=[enterprise.pk]), row).status_code == 302
    enterprise.refresh_from_db()
    assert (enterprise.name_zh, enterprise.size, enterprise.industry_id) == ("德威新材料有限公司", "large", "3312")
    assert enterprise.history.order_by("-history_id").first().history_user == nanhu_user
    page = nanhu_client.get(reverse("enterprise_detail", args=[enterprise.pk])).content.decode()
    assert reverse("enterprise_edit", args=[enterprise.pk]) in page


def test_an_enterprise_cannot_be_moved_to_a_unit_outside_the_officers_scope(nanhu_client):
    from twintrack.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(org__code="330402")
    row = {**enterprise_values(enterprise), "org_code": "330482", "industry_code": "9999"}
    response = nanhu_client.post(reverse("enterprise_edit", args=[enterprise.pk]), row)
    assert response.status_code == 400
    fields = {item["field"].name: item["errors"] for item in response.context["fields"]}
    assert fields["org_code"] and fields["industry_code"]
    enterprise.refresh_from_db()
    assert enterprise.org.code == "330402"


def test_the_bureau_moves_an_enterprise_and_the_rollups_stay_exact(bureau_client, jiaxing):
    from twintrack.enterprises.models import Enterprise

    enterprise = Enterprise.objects.get(org__code="330402")
    row = {**enterprise_values(enterprise), "org_code": "330482"}
    assert bureau_client.post(reverse("enterprise_edit", args=[enterprise.pk]), row).status_code == 302
    assert Enterprise.objects.get(pk=enterprise.pk).org.code == "330482"
    assert rollup_differences() == []


# --- removing a month of progress ---------------------------------------------------------------------

def test_removing_a_month_keeps_the_rollups_exact_and_the_old_values_in_the_history(nanhu_client, nanhu_user, jiaxing):
    from twintrack.programme.models import Progress

    project = _project()
    before = _city_totals(jiaxing)
    row = Progress.objects.get(project=project, year=2023, month=4)
    response = nanhu_client.post(reverse("progress_remove", args=[project.pk, "2023-04"]), {"reason": "entered twice"})
    assert response.status_code == 302
    assert not Progress.objects.filter(pk=row.pk).exists()
    after = _city_totals(jiaxing)
    assert before[4][0] - after[4][0] == 600_000_000  # 6,000,000 yuan in fen
    assert before[4][1] - after[4][1] == 120_250_000  # 120.25 tce in micro-tce
    assert {m: v for m, v in after.items() if m != 4} == {m: v for m, v in before.items() if m != 4}
    assert rollup_differences() == []
    removed = Progress.history.get(id=row.pk, history_type="-")
    assert removed.history_user == nanhu_user
    assert removed.history_change_reason == "entered twice"
    assert removed.investment_yuan == Decimal("6000000")
    page = nanhu_client.get(reverse("history", args=["project", project.pk])).content.decode()
    assert "2023-04" in page and "entered twice" in page


def test_a_removed_month_can_be_reported_again(nanhu_client):
    from twintrack.programme.models import Progress

    project = _project()
    nanhu_client.post(reverse("progress_remove", args=[project.pk, "2023-04"]), {"reason": "wrong month"})
    nanhu_client.post(reverse("progress_save", args=[project.pk]), {"month": "2023-04", "investment_yuan": "5"})
    assert Progress.objects.get(project=project, year=2023, month=4).investment_yuan == Decimal("5")
    assert rollup_differences() == []


def test_an_approved_month_is_refused_as_the_import_refuses_it(nanhu_client, bureau_user, jiaxing):
    from twintrack.approvals.services import approve, submit
    from twintrack.programme.models import Progress
    from twintrack.web.formrows import write_rows

    for org in (jiaxing["NHGX"], jiaxing["330402"]):
        submit(org, 2023, 4, bureau_user)
        approve(org, 2023, 4, bureau_user)
    project = _project()
    response = nanhu_client.post(reverse("progress_remove", args=[project.pk, "2023-04"]), {"reason": "x"},
                                 follow=True)
    assert Progress.objects.filter(project=project, year=2023, month=4).exists()
    shown = [str(m) for m in response.context["messages"]]
    assert any("2023-04" in m and "南湖区" in m for m in shown), shown
    refused = write_rows("progress", [{"project_code": "P1", "month": "2023-04", "investment_yuan": "1"}],
                         bureau_user, "t")
    assert refused.for_row(0)["month"]  # the import refuses the same month
    assert rollup_differences() == []


def test_removal_needs_a_reason_and_is_404_outside_the_scope(client, pinghu_user, nanhu_client):
    from twintrack.programme.models import Progress

    project = _project()
    nanhu_client.post(reverse("progress_remove", args=[project.pk, "2023-04"]), {"reason": " "})
    assert Progress.objects.filter(project=project, year=2023, month=4).exists()
    assert nanhu_client.post(reverse("progress_remove", args=[project.pk, "2023-05"]),
                             {"reason": "x"}).status_code == 404  # no figures that month
    client.force_login(pinghu_user)
    assert client.post(reverse("progress_remove", args=[project.pk, "2023-04"]), {"reason": "x"}).status_code == 404


def test_a_change_that_alters_an_approved_months_figures_is_refused_beside_its_field(nanhu_client, bureau_user,
                                                                                    jiaxing):
    """P1 counts as launched in February 2023: once February is approved, cancelling it or moving its
    start to another month is refused, as a progress row for February is; completing it is not."""
    from twintrack.approvals.services import approve, submit

    for org in (jiaxing["NHGX"], jiaxing["330402"]):
        submit(org, 2023, 2, bureau_user)
        approve(org, 2023, 2, bureau_user)
    project = _project()
    url = reverse("project_edit", args=[project.pk])
    for change, column in (({"status": "cancelled"}, "status"), ({"start_date": "2023-01-20"}, "start_date")):
        response = nanhu_client.post(url, {**project_values(project), **change})
        assert response.status_code == 400, change
        fields = {item["field"].name: item["errors"] for item in response.context["fields"]}
        assert any("2023-02" in e for e in fields[column]), fields
    assert nanhu_client.post(url, {**project_values(project), "status": "completed",
                                   "start_date": "2023-02-01"}).status_code == 302
    assert _project().status == "completed"
    assert rollup_differences() == []
