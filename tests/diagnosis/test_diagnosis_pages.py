"""The diagnosis pages through the Django test client: the forms write what the services write."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from diagnosis_helpers import uniform_answers

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield client


def form_answers(framework, index):
    return {f"q_{code}": option for code, option in uniform_answers(framework, index).items()}


def test_a_self_assessment_posted_shows_the_level_on_the_enterprise_page(zhejiang, miit, make_enterprise,
                                                                         make_user, english):
    from twintrack.diagnosis.models import Assessment

    firm = make_enterprise("330402", "3311", size="small", name="南湖小微企业")
    english.force_login(make_user("firm", "enterprise", enterprise=firm))
    page = english.get(reverse("diagnosis:self_assess", args=[firm.pk]))
    assert page.status_code == 200 and page.content.decode().count('type="radio"') == 17 * 5
    incomplete = form_answers(miit, 2)
    del incomplete["q_R4"]
    response = english.post(reverse("diagnosis:self_assess", args=[firm.pk]), {"framework": miit.key, **incomplete})
    assert response.status_code == 200 and "Choose an answer to this question." in response.content.decode()
    assert not Assessment.objects.exists()

    response = english.post(reverse("diagnosis:self_assess", args=[firm.pk]),
                            {"framework": miit.key, **form_answers(miit, 2)})
    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("diagnosis:enterprise", args=[firm.pk]))
    assert (assessment.kind, assessment.overall_score, assessment.level) == ("self", 50, 2)
    assert assessment.created_by.username == "firm"
    page = english.get(response["Location"]).content.decode()
    assert 'id="level-name">Level 2<' in page and 'id="overall-score">50.00<' in page
    assert 'id="radar-data"' in page and 'id="radar-chart"' in page


def test_an_offline_diagnosis_with_its_report(zhejiang, miit, make_enterprise, make_user, provider_firm, client):
    from twintrack.diagnosis.models import Assessment
    from twintrack.diagnosis.services import assign_provider

    firm = make_enterprise("330402", "3311")
    assign_provider(provider_firm, firm, date(2023, 1, 1))
    client.force_login(make_user("px", "provider", provider=provider_firm))
    report = SimpleUploadedFile("诊断报告.pdf", b"%PDF-1.4 the report", content_type="application/pdf")
    response = client.post(reverse("diagnosis:diagnose", args=[firm.pk]), {
        "framework": miit.key, **form_answers(miit, 1), "assessed_on": "2023-04-10", "summary": "现场诊断",
        "pain_points": "设备未联网\n排产靠经验", "recommendations": "上线轻量化MES\n设备联网", "report": report})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("diagnosis:assessment",
                                                                           args=[assessment.pk])
    assert (assessment.kind, assessment.provider, assessment.assessed_on) == ("offline", provider_firm,
                                                                              date(2023, 4, 10))
    page = client.get(response["Location"]).content.decode()
    assert "<li>设备未联网</li>" in page and "<li>上线轻量化MES</li>" in page and "诊断报告.pdf" in page
    download = client.get(reverse("diagnosis:report_file", args=[assessment.reports.get().pk]))
    assert download.content == b"%PDF-1.4 the report" and download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


def test_an_offline_diagnosis_refuses_a_future_date_and_an_unknown_file_type(zhejiang, miit, make_enterprise,
                                                                            make_user, provider_firm, client):
    from twintrack.diagnosis.models import Assessment
    from twintrack.diagnosis.services import assign_provider

    firm = make_enterprise()
    assign_provider(provider_firm, firm, date(2023, 1, 1))
    client.force_login(make_user("px", "provider", provider=provider_firm))
    response = client.post(reverse("diagnosis:diagnose", args=[firm.pk]), {
        "framework": miit.key, **form_answers(miit, 1), "assessed_on": "2099-01-01", "pain_points": "x",
        "recommendations": "y", "report": SimpleUploadedFile("run.exe", b"MZ")})
    errors = response.context["form"].errors
    assert response.status_code == 200 and set(errors) == {"assessed_on", "report"}
    assert not Assessment.objects.exists()


def test_the_bureau_sub_industry_view(zhejiang, miit, make_enterprise, assess, make_user, english):
    firms = [make_enterprise("330402", "3311"), make_enterprise("330482", "3312"), make_enterprise("330402", "3311"),
             make_enterprise("330402", "2651")]
    assess(firms[0], miit, uniform_answers(miit, 2))
    assess(firms[1], miit, uniform_answers(miit, 3))
    english.force_login(make_user("bureau", "bureau"))
    response = english.get(reverse("diagnosis:subindustries") + "?org=330000")
    rows = {t["row"].code: t for t in response.context["table"]}
    assert set(rows) == {"331", "265"}
    assert (rows["331"]["row"].firms, rows["331"]["row"].assessed) == (3, 2)
    assert rows["331"]["levels"] == [0, 0, 1, 1, 0]  # below 1, levels 1-4
    assert rows["265"]["row"].assessed == 0
    assert 'id="levels-chart"' in response.content.decode()
    by_class = english.get(reverse("diagnosis:subindustries") + "?by=class")
    assert {t["row"].code for t in by_class.context["table"]} == {"3311", "3312", "2651"}
    detail = english.get(reverse("diagnosis:subindustry", args=["331"]))
    assert detail.status_code == 200 and len(detail.context["firms"]) == 3


def test_a_nomination_and_its_designation(zhejiang, make_enterprise, make_user, client):
    from twintrack.diagnosis.models import Demonstration

    firm = make_enterprise("330402", "3061")
    client.force_login(make_user("nanhu", "district", zhejiang["330402"]))
    response = client.post(reverse("diagnosis:demonstration_new"), {
        "uscc": firm.uscc, "kind": "smart_factory", "tier": "city", "title_zh": "南湖智能工厂", "title_en": "",
        "year": "2023", "criteria": "关键工序数控化率80%", "evidence": "验收报告", "open_for_visits": "on",
        "visit_contact": "办公室"})
    demonstration = Demonstration.objects.get()
    assert response.status_code == 302
    assert (demonstration.status, demonstration.industry_id, demonstration.nominated_by.username) == (
        "nominated", "3061", "nanhu")
    assert client.post(reverse("diagnosis:demonstration_status", args=[demonstration.pk]),
                       {"status": "designated"}).status_code == 403
    client.force_login(make_user("bureau", "bureau"))
    client.post(reverse("diagnosis:demonstration_status", args=[demonstration.pk]),
                {"status": "designated", "designated_on": "2023-12-01"})
    demonstration.refresh_from_db()
    assert demonstration.status == "designated" and demonstration.designated_on == date(2023, 12, 1)
    listing = client.get(reverse("diagnosis:demonstrations") + "?industry=306&visits=1").content.decode()
    assert "南湖智能工厂" in listing


def test_an_adoption_is_recorded_from_the_enterprise_page(zhejiang, make_enterprise, make_user, provider_firm, client):
    from twintrack.diagnosis.models import Solution, SolutionAdoption

    firm = make_enterprise()
    solution = Solution.objects.create(provider=provider_firm, name_zh="轻量化MES", kind="saas",
                                       price_band="a_under_50k", dimensions=["operation"])
    client.force_login(make_user("firm", "enterprise", enterprise=firm))
    response = client.post(reverse("diagnosis:add_adoption", args=[firm.pk]), {
        "solution": solution.pk, "status": "completed", "started_on": "2023-05-01"})
    assert response.status_code == 302 and not SolutionAdoption.objects.exists()  # completed without a date
    client.post(reverse("diagnosis:add_adoption", args=[firm.pk]), {
        "solution": solution.pk, "status": "completed", "started_on": "2023-05-01", "completed_on": "2023-07-01"})
    adoption = SolutionAdoption.objects.get()
    assert (adoption.enterprise, adoption.status, adoption.completed_on) == (firm, "completed", date(2023, 7, 1))


def test_the_bureau_sets_what_coverage_counts(zhejiang, frameworks, make_user, client):
    from twintrack.diagnosis.coverage import rule_for

    client.force_login(make_user("bureau", "bureau"))
    assert client.get(reverse("diagnosis:settings")).status_code == 200
    response = client.post(reverse("diagnosis:settings"), {"framework_key": "gbt39116_2020", "min_level": "3",
                                                           "valid_months": "24"})
    assert response.status_code == 302
    rule = rule_for(zhejiang["330402"])
    assert (rule.framework_key, rule.min_level, rule.valid_months) == ("gbt39116_2020", 3, 24)


def test_the_bureau_assigns_a_provider_and_ends_the_assignment(zhejiang, make_enterprise, make_user, provider_firm,
                                                              client):
    firm = make_enterprise()
    client.force_login(make_user("bureau", "bureau"))
    response = client.post(reverse("diagnosis:provider", args=[provider_firm.pk]),
                           {"uscc": firm.uscc.lower(), "start_date": "2023-05-01", "note": "试点"})
    assert response.status_code == 302
    assignment = firm.provider_assignments.get()
    assert assignment.end_date is None and assignment.note == "试点"
    client.post(reverse("diagnosis:assignment_end", args=[assignment.pk]))
    assignment.refresh_from_db()
    assert assignment.end_date is not None


def test_the_bureau_adds_a_solution_with_sub_industries(zhejiang, frameworks, make_user, provider_firm, client):
    from twintrack.diagnosis.models import Solution

    client.force_login(make_user("bureau", "bureau"))
    data = {"provider": provider_firm.pk, "name_zh": "玻纤能效方案", "kind": "retrofit", "price_band": "c_200k_1m",
            "industries_text": "306, 9999", "dimension_codes": ["results"], "size_codes": ["large"]}
    response = client.post(reverse("diagnosis:solution_new"), data)
    assert "Not GB/T 4754" in str(response.context["form"].errors) or "9999" in str(response.context["form"].errors)
    data["industries_text"] = "306，3061"
    response = client.post(reverse("diagnosis:solution_new"), data)
    solution = Solution.objects.get()
    assert response.status_code == 302
    assert (solution.industries, solution.dimensions, solution.sizes) == (["306", "3061"], ["results"], ["large"])


def test_the_dashboard_shows_the_coverage_of_the_unit(zhejiang, miit, make_enterprise, assess, make_user, english):
    firm = make_enterprise("330402", "3311", size="small", above_scale=True)
    make_enterprise("330482", "3311", size="medium", above_scale=True)
    assess(firm, miit, uniform_answers(miit, 2), on=date(2023, 3, 1))
    english.force_login(make_user("bureau", "bureau"))
    page = english.get(reverse("dashboard") + "?org=330400&period=2023-07").content.decode()
    assert "Digital transformation coverage" in page
    assert "1 of 2 firms assessed; 1 (50.0%) at the level counted" in page
    page = english.get(reverse("dashboard") + "?org=330400&period=2023-02").content.decode()
    assert "0 of 2 firms assessed" in page  # before the assessment
