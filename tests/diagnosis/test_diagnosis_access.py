"""Who reaches what: every diagnosis URL about a Nanhu enterprise is 404 for another district's
officer and for a provider not assigned to it (as for an id that does not exist); an assigned
provider records a diagnosis; an enterprise user reaches its own enterprise only."""
from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from diagnosis_helpers import uniform_answers

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


@pytest.fixture
def world(zhejiang, miit, make_enterprise, assess, make_user, provider_firm, other_provider_firm):
    from twintrack.diagnosis.models import Demonstration, ServiceProvider, Solution
    from twintrack.diagnosis.services import ReportFile, assign_provider, record_assessment

    nanhu_firm = make_enterprise("330402", "3311", name="南湖测试企业")
    pinghu_firm = make_enterprise("330482", "3311", name="平湖测试企业")
    today = timezone.localdate()
    assign_provider(provider_firm, nanhu_firm, today - timedelta(days=30))
    assign_provider(other_provider_firm, pinghu_firm, today - timedelta(days=30))  # assigned elsewhere
    ended_firm = ServiceProvider.objects.create(name_zh="合同已结束的服务商")
    assign_provider(ended_firm, nanhu_firm, date(2023, 1, 1), date(2023, 6, 30))
    self_assessment = assess(nanhu_firm, miit, uniform_answers(miit, 2), on=date(2023, 3, 1))
    offline = record_assessment(nanhu_firm, miit, uniform_answers(miit, 3), kind="offline", provider=provider_firm,
                                assessed_on=date(2023, 9, 1), pain_points="x", recommendations="y",
                                reports=[ReportFile("report.pdf", b"%PDF-1.4 x")])
    nomination = Demonstration.objects.create(enterprise=nanhu_firm, kind="digital_workshop", tier="city",
                                              title_zh="南湖数字化车间", industry_id="3311", year=2023)
    solution = Solution.objects.create(provider=other_provider_firm, name_zh="别家的方案", kind="saas",
                                       price_band="a_under_50k", dimensions=["operation"])
    assignment = nanhu_firm.provider_assignments.get(provider=provider_firm)
    return {
        "firm": nanhu_firm, "pinghu_firm": pinghu_firm, "self": self_assessment, "offline": offline,
        "nomination": nomination, "solution": solution, "assignment": assignment,
        "users": {
            "bureau": make_user("bureau", "bureau"),
            "nanhu": make_user("nanhu", "district", zhejiang["330402"]),
            "pinghu": make_user("pinghu", "district", zhejiang["330482"]),
            "assigned": make_user("provider-x", "provider", provider=provider_firm),
            "unassigned": make_user("provider-y", "provider", provider=other_provider_firm),
            "ended": make_user("provider-z", "provider", provider=ended_firm),
            "own": make_user("firm-user", "enterprise", enterprise=nanhu_firm),
            "other_firm": make_user("pinghu-firm-user", "enterprise", enterprise=pinghu_firm),
        },
    }


def nanhu_urls(w):
    """(method, url, data) of every diagnosis URL about the Nanhu enterprise and its records."""
    firm = w["firm"]
    return [
        ("GET", reverse("diagnosis:enterprise", args=[firm.pk]), None),
        ("GET", reverse("diagnosis:self_assess", args=[firm.pk]), None),
        ("POST", reverse("diagnosis:self_assess", args=[firm.pk]), {"framework": "miit_sme_digital_2022"}),
        ("GET", reverse("diagnosis:diagnose", args=[firm.pk]), None),
        ("POST", reverse("diagnosis:diagnose", args=[firm.pk]), {"framework": "miit_sme_digital_2022"}),
        ("POST", reverse("diagnosis:add_adoption", args=[firm.pk]), {"solution": w["solution"].pk}),
        ("GET", reverse("diagnosis:assessment", args=[w["self"].pk]), None),
        ("GET", reverse("diagnosis:assessment", args=[w["offline"].pk]), None),
        ("POST", reverse("diagnosis:assessment_delete", args=[w["self"].pk]), {}),
        ("GET", reverse("diagnosis:report_file", args=[w["offline"].reports.get().pk]), None),
        ("GET", reverse("diagnosis:demonstration", args=[w["nomination"].pk]), None),
        ("GET", reverse("diagnosis:demonstration_edit", args=[w["nomination"].pk]), None),
        ("POST", reverse("diagnosis:demonstration_status", args=[w["nomination"].pk]), {"status": "designated"}),
        ("POST", reverse("diagnosis:assignment_end", args=[w["assignment"].pk]), {}),
    ]


def status(client, method, url, data):
    return (client.get(url) if method == "GET" else client.post(url, data or {})).status_code


@pytest.mark.parametrize("who", ["pinghu", "unassigned", "ended", "other_firm"])
def test_nothing_of_a_nanhu_enterprise_is_found_by_outsiders(world, client, who):
    client.force_login(world["users"][who])
    got = {(m, url): status(client, m, url, data) for m, url, data in nanhu_urls(world)}
    assert {k: v for k, v in got.items() if v != 404} == {}


def test_units_pages_are_refused_to_enterprise_users_and_providers(world, client):
    urls = [reverse("diagnosis:subindustries"), reverse("diagnosis:subindustry", args=["331"]),
            reverse("diagnosis:providers"), reverse("diagnosis:provider", args=[world["solution"].provider.pk]),
            reverse("diagnosis:settings")]
    for who in ("assigned", "own"):
        client.force_login(world["users"][who])
        assert [client.get(u).status_code for u in urls] == [403] * len(urls), who


def test_another_district_cannot_look_into_nanhu_through_a_unit_parameter(world, client):
    client.force_login(world["users"]["pinghu"])
    for name in ("diagnosis:subindustries", "diagnosis:home"):
        assert client.get(reverse(name) + "?org=330402").status_code == 404
    assert client.get(reverse("diagnosis:subindustry", args=["331"]) + "?org=330402").status_code == 404
    listing = client.get(reverse("diagnosis:home")).content.decode()
    assert "平湖测试企业" in listing and "南湖测试企业" not in listing
    # an assignment naming a Nanhu firm cannot be made from Pinghu either
    response = client.post(reverse("diagnosis:provider", args=[world["solution"].provider.pk]),
                           {"uscc": world["firm"].uscc, "start_date": "2023-05-01"})
    assert response.status_code == 200 and not world["firm"].provider_assignments.filter(
        provider=world["solution"].provider).exists()


def test_the_assigned_provider_sees_and_diagnoses_its_enterprise_only(world, client):
    client.force_login(world["users"]["assigned"])
    firm = world["firm"]
    assert client.get(reverse("diagnosis:enterprise", args=[firm.pk])).status_code == 200
    assert client.get(reverse("diagnosis:diagnose", args=[firm.pk])).status_code == 200
    assert client.get(reverse("diagnosis:assessment", args=[world["self"].pk])).status_code == 200
    assert client.get(reverse("diagnosis:self_assess", args=[firm.pk])).status_code == 403
    home = client.get(reverse("diagnosis:home")).content.decode()
    assert "南湖测试企业" in home and "平湖测试企业" not in home
    assert client.get(reverse("diagnosis:enterprise", args=[world["pinghu_firm"].pk])).status_code == 404


def test_a_provider_can_delete_its_own_diagnosis_but_not_the_enterprise_self_assessment(world, client):
    client.force_login(world["users"]["assigned"])
    assert client.post(reverse("diagnosis:assessment_delete", args=[world["self"].pk])).status_code == 403
    assert client.post(reverse("diagnosis:assessment_delete", args=[world["offline"].pk])).status_code == 302


def test_when_the_assignment_ends_the_provider_loses_the_enterprise(world, client):
    from twintrack.diagnosis.services import end_assignment

    client.force_login(world["users"]["assigned"])
    url = reverse("diagnosis:enterprise", args=[world["firm"].pk])
    assert client.get(url).status_code == 200
    end_assignment(world["assignment"], timezone.localdate() - timedelta(days=1))
    assert client.get(url).status_code == 404


def test_the_enterprise_user_reaches_its_own_page_from_the_home_page(world, client):
    client.force_login(world["users"]["own"])
    response = client.get(reverse("diagnosis:home"))
    assert response.status_code == 302 and response["Location"] == reverse("diagnosis:enterprise",
                                                                           args=[world["firm"].pk])
    assert client.get(reverse("diagnosis:self_assess", args=[world["firm"].pk])).status_code == 200
    assert client.get(reverse("diagnosis:diagnose", args=[world["firm"].pk])).status_code == 403
    # its own enterprise's nomination: readable, not changeable
    assert client.get(reverse("diagnosis:demonstration", args=[world["nomination"].pk])).status_code == 200
    assert client.get(reverse("diagnosis:demonstration_edit", args=[world["nomination"].pk])).status_code == 403


def test_a_designated_demonstration_is_there_for_every_firm_to_visit(world, client):
    from twintrack.diagnosis.services import set_demonstration_status

    set_demonstration_status(world["nomination"], "designated")
    client.force_login(world["users"]["other_firm"])
    assert client.get(reverse("diagnosis:demonstration", args=[world["nomination"].pk])).status_code == 200
    assert "南湖数字化车间" in client.get(reverse("diagnosis:demonstrations")).content.decode()


def test_the_policies_follow_the_enterprises_a_user_sees(world):
    from twintrack.diagnosis.models import Assessment, Demonstration, ProviderAssignment
    from twintrack.orgs.access import visible

    users = world["users"]
    mine = {world["self"].pk, world["offline"].pk}
    assert set(visible(users["bureau"], Assessment).values_list("pk", flat=True)) == mine
    assert set(visible(users["nanhu"], Assessment).values_list("pk", flat=True)) == mine
    assert set(visible(users["assigned"], Assessment).values_list("pk", flat=True)) == mine
    for who in ("pinghu", "unassigned", "ended", "other_firm"):
        assert not visible(users[who], Assessment).exists(), who
        assert not visible(users[who], Demonstration).exists(), who
    assert set(visible(users["assigned"], ProviderAssignment)) == {world["assignment"]}
    assert not visible(users["unassigned"], ProviderAssignment).filter(enterprise=world["firm"]).exists()


def test_a_provider_adds_solutions_to_its_own_catalogue_only(world, client, provider_firm, frameworks):
    client.force_login(world["users"]["assigned"])
    data = {"provider": world["solution"].provider.pk, "name_zh": "冒名方案", "kind": "saas", "price_band": "a_under_50k",
            "dimension_codes": ["operation"], "lightweight": "on"}
    response = client.post(reverse("diagnosis:solution_new"), data)
    assert response.status_code == 200 and "provider" in response.context["form"].errors
    data["provider"] = provider_firm.pk
    response = client.post(reverse("diagnosis:solution_new"), data)
    assert response.status_code == 302
    assert client.get(reverse("diagnosis:solution_edit", args=[world["solution"].pk])).status_code == 403


def test_an_assignment_ended_on_the_page_stops_access_at_once_not_at_midnight(world, client):
    """Issue 12 finding 6: ending an assignment today left the provider in until the day was over."""
    bureau = Client()
    bureau.force_login(world["users"]["bureau"])
    provider = client
    provider.force_login(world["users"]["assigned"])
    page = reverse("diagnosis:enterprise", args=[world["firm"].pk])
    assert provider.get(page).status_code == 200
    assert bureau.post(reverse("diagnosis:assignment_end", args=[world["assignment"].pk])).status_code == 302
    assert provider.get(page).status_code == 404
    delete = reverse("diagnosis:assessment_delete", args=[world["offline"].pk])
    assert provider.post(delete).status_code == 404
