"""Every supervision URL as every kind of user, from this app's own fixtures: the table of
tests/access_tables/supervision.py (also walked by tests/web/test_url_access.py), plus
the scope rules a table cannot show: a group's supervisor records and verifies only in what
the group covers, and a district officer never sees another district's findings."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from supervision_helpers import at, make_user

from access_tables.supervision import URLS
from access_tables.url_access import VIEWERS, cases_of

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def supervision_url_names() -> set[str]:
    resolver = get_resolver()
    namespace = resolver.namespace_dict["supervision"][1]
    return {f"supervision:{p.name}" for p in namespace.url_patterns}


def test_every_supervision_url_is_classified():
    assert supervision_url_names() == set(URLS)


@pytest.fixture
def viewers(world):
    u = world.users
    return SimpleNamespace(
        org=world.orgs["330402"], other_org=world.orgs["330482"], orgs=world.orgs,
        enterprise=world.ent["Dewei Stainless Steel"], other_enterprise=world.ent["Meiyi Intelligent Sensing"],
        users={"anonymous": None, "bureau": u.bureau, "district": u.nanhu, "other_district": u.pinghu,
               "supervisor": make_user("nanhu-supervisor", "supervisor", world.orgs["330402"]),
               "enterprise": u.dewei, "provider": u.provider},
    )


@pytest.mark.parametrize("name", sorted(URLS))
def test_who_gets_what(name, viewers):
    wrong = []
    for number, case in enumerate(cases_of(URLS[name])):
        for viewer in VIEWERS:
            user = viewers.users[viewer]
            with transaction.atomic():
                client = Client()
                if user is not None:
                    client.force_login(user)
                url = reverse(name, kwargs=case.kwargs(viewers))
                query = case.query(viewers) if callable(case.query) else case.query
                if query:
                    url += "?" + query
                data = case.data(viewers) if case.data else {}
                response = client.get(url, data) if case.method == "GET" else client.post(url, data)
                transaction.set_rollback(True)
            if response.status_code != case.expect[viewer]:
                wrong.append(f"case {number} {case.method} {url} as {viewer}: got {response.status_code}, "
                             f"expected {case.expect[viewer]}")
    assert wrong == [], "\n".join(wrong)


def get(client, user, name, **kwargs):
    client.force_login(user)
    return client.get(reverse(name, kwargs=kwargs))


def test_a_district_officer_cannot_see_another_districts_findings(client, world, records):
    u = world.users
    pinghu_finding = records.pinghu_finding
    assert get(client, u.nanhu, "supervision:visit", pk=records.pinghu_visit.pk).status_code == 404
    assert get(client, u.nanhu, "supervision:finding_edit", pk=pinghu_finding.pk).status_code == 404
    assert get(client, u.nanhu, "supervision:requirement", pk=records.pinghu_req.pk).status_code == 404
    assert get(client, u.nanhu, "supervision:unit", code="330482").status_code == 404
    page = get(client, u.nanhu, "supervision:round", pk=world.round.pk).content.decode()
    assert "退火工序能耗偏高" in page and pinghu_finding.text not in page and "平湖市" not in page
    export = get(client, u.nanhu, "supervision:export", kind="findings")
    from io import BytesIO

    from openpyxl import load_workbook

    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [records.nanhu_finding.code]
    listing = get(client, u.nanhu, "supervision:requirements").content.decode()
    assert records.nanhu_req.code in listing and records.pinghu_req.code not in listing


def test_a_group_supervisor_works_in_what_the_group_covers_only(client, world, records):
    u = world.users
    client.force_login(u.sup1)  # first group: Nanhu
    assert client.get(reverse("supervision:visit", args=[records.nanhu_visit.pk])).status_code == 200
    assert client.get(reverse("supervision:visit", args=[records.pinghu_visit.pk])).status_code == 404
    assert client.get(reverse("supervision:visit_create", args=[world.g1.pk])).status_code == 200
    assert client.get(reverse("supervision:visit_create", args=[world.g2.pk])).status_code == 403  # sees the roster
    assert client.get(reverse("supervision:unit", args=["NHGX"])).status_code == 200  # the subtree of Nanhu
    assert client.get(reverse("supervision:unit", args=["330482"])).status_code == 404
    response = client.post(reverse("supervision:requirement_verify", args=[records.pinghu_req.pk]))
    assert response.status_code == 404
    # a requirement to a unit the group covers: the supervisor may send it back and verify it
    from twintrack.supervision import services

    services.respond(u.nanhu, records.nanhu_req, "done")
    assert client.post(reverse("supervision:requirement_send_back", args=[records.nanhu_req.pk]),
                       {"text": "补充"}).status_code == 302
    records.nanhu_req.refresh_from_db()
    assert records.nanhu_req.status == "returned"
    # the second group's supervisor does not see Nanhu at all
    client.force_login(u.sup2)
    assert client.get(reverse("supervision:requirement", args=[records.nanhu_req.pk])).status_code == 404


def test_what_a_supervisor_recorded_stays_visible_to_them(client, world):
    from twintrack.supervision import services

    u = world.users
    visit = services.record_visit(u.sup1, world.g1, world.orgs["330402"], date(2023, 9, 12))
    world.g1.members.remove(u.sup1)
    world.g1.leader = None
    world.g1.save()
    client.force_login(u.sup1)
    assert client.get(reverse("supervision:visit", args=[visit.pk])).status_code == 200
    assert client.get(reverse("supervision:visit_edit", args=[visit.pk])).status_code == 403


def test_an_enterprise_user_sees_only_their_enterprises_requirements(client, world, records):
    u = world.users
    client.force_login(u.dewei)
    assert client.get(reverse("supervision:requirement", args=[records.nanhu_req.pk])).status_code == 200
    assert client.get(reverse("supervision:visit", args=[records.nanhu_visit.pk])).status_code == 404
    assert client.get(reverse("supervision:round", args=[world.round.pk])).status_code == 404
    home = client.get(reverse("supervision:home")).content.decode()
    assert records.nanhu_req.code in home  # to answer
    client.force_login(u.meiyi)
    assert client.get(reverse("supervision:requirement", args=[records.nanhu_req.pk])).status_code == 404


def test_a_zone_officer_sees_the_zones_requirements_but_not_the_districts(client, world, records):
    from twintrack.supervision import services

    u = world.users
    zone_req = services.issue_requirement(u.sup1, world.round, world.tasks[2], "轻量化改造", date(2099, 1, 1),
                                          enterprise=world.ent["Fengchuan Electronics"], visit=records.nanhu_visit,
                                          when=at(date(2023, 9, 12)))
    client.force_login(u.nhgx)
    assert client.get(reverse("supervision:requirement", args=[zone_req.pk])).status_code == 200
    assert client.get(reverse("supervision:requirement", args=[records.nanhu_req.pk])).status_code == 404
    assert client.post(reverse("supervision:requirement_respond", args=[zone_req.pk]),
                       {"text": "已完成"}).status_code == 302
    client.force_login(u.nanhu)  # the district above may answer for an enterprise in its subtree too
    assert client.get(reverse("supervision:requirement", args=[zone_req.pk])).status_code == 200


def test_the_pages_speak_both_languages(client, world, records):
    client.force_login(world.users.bureau)
    url = reverse("supervision:round", args=[world.round.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Summary by unit" in english and "Overdue requirements" in english and "2023 Q3 supervision service" in english
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "分地区汇总" in chinese and "逾期整改要求" in chinese and "2023年第三季度" in chinese
    detail = client.get(reverse("supervision:requirement", args=[records.nanhu_req.pk]),
                        HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "已下达" in detail and "已逾期" in detail


def test_the_menu_offers_supervision_to_the_roles_that_use_it(client, world):
    for user, shown in ((world.users.bureau, True), (world.users.nanhu, True), (world.users.sup1, True),
                        (world.users.dewei, True), (world.users.provider, False)):
        client.force_login(user)
        page = client.get(reverse("supervision:requirements")).content.decode()
        menu = page.split('class="mainnav"', 1)[1].split("</nav>", 1)[0] if 'class="mainnav"' in page else ""
        assert ('href="/supervision/"' in menu) == shown, user
    client.force_login(world.users.sup1)
    assert client.get("/").url == reverse("supervision:home")  # a supervisor without a unit starts at the rounds


def test_the_round_page_names_only_the_units_of_a_group_the_reader_may_see(client, world):
    """Issue 12 finding 9: Pinghu's officer read the second group's coverage of the port zone."""
    from django.urls import reverse

    client.force_login(world.users.pinghu)
    page = client.get(reverse("supervision:round", args=[world.round.pk])).content.decode()
    assert "平湖市" in page and world.orgs["JXGQ"].name_zh not in page and "南湖区" not in page
    client.force_login(world.users.bureau)
    page = client.get(reverse("supervision:round", args=[world.round.pk])).content.decode()
    assert world.orgs["JXGQ"].name_zh in page


def test_a_visit_form_outside_its_rounds_dates_does_not_fill_in_today_and_refuses_it(client, world):
    """Issue 15: a visit recorded today silently attached to the 2023 round."""
    from django.urls import reverse

    from twintrack.supervision.models import Visit

    client.force_login(world.users.sup1)
    url = reverse("supervision:visit_create", args=[world.g1.pk])
    form = client.get(url)
    assert form.context["form"].initial.get("date") is None  # today (2026) is outside 2023-09-11..15
    page = form.content.decode()
    assert "---------" not in page and "2023-09-11" in page
    nanhu = world.orgs["330402"]
    refused = client.post(url, {"org": nanhu.pk, "date": "2026-12-01"})
    assert refused.status_code == 200 and not Visit.objects.exists()
    assert "2023Q3" in refused.content.decode()
    accepted = client.post(url, {"org": nanhu.pk, "date": "2023-09-12"})
    assert accepted.status_code == 302 and Visit.objects.count() == 1


def test_the_visit_forms_enterprises_carry_their_unit_so_the_page_can_narrow_them(client, world):
    from django.urls import reverse

    client.force_login(world.users.sup2)  # the second group covers Pinghu and the port zone
    page = client.get(reverse("supervision:visit_create", args=[world.g2.pk])).content.decode()
    assert 'data-narrows="id_enterprises"' in page and 'type="checkbox"' in page
    assert f'data-path="{world.orgs["330482"].path}' in page


def test_an_imported_visit_outside_its_round_names_the_row_and_date(world, tmp_path):
    import pytest

    from twintrack.imports.errors import ImportRejected
    from twintrack.web.import_kinds import import_file

    path = tmp_path / "visits.csv"
    path.write_text("code,round_code,group,org_code,date\nV1,2023Q3,2023Q3-G1,330402,2024-01-05\n", "utf-8")
    with pytest.raises(ImportRejected) as rejected:
        import_file("visits", path)
    assert any("row 2, column date" in m and "2023Q3" in m for m in rejected.value.messages)
