"""Whole dashboard pages from the cache (web.pagecache) and the session's idle clock."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

YEAR = 2023
URL = "/?period=2023-07"


def warm(client, url=URL):
    """The first answer teaches the middleware the path, the second is stored."""
    for _ in range(2):
        assert client.get(url).status_code == 200


def test_a_repeated_page_is_answered_with_one_query(bureau_client, django_assert_num_queries):
    warm(bureau_client)
    first = bureau_client.get(URL)
    with django_assert_num_queries(1):  # the session row and the data version, together
        again = bureau_client.get(URL)
    assert again.status_code == 200 and again.content == first.content
    assert again["Content-Security-Policy"] and again["Cache-Control"] == "no-store"


def test_a_write_shows_at_once(bureau_client, jiaxing, django_assert_max_num_queries):
    from twintrack.programme.services import TargetValues, save_targets

    warm(bureau_client)
    assert "9,876" not in bureau_client.get("/?period=2023-07&org=330482").content.decode()
    save_targets([TargetValues(jiaxing["330482"].id, "projects", YEAR, 7, Decimal(9876))])
    page = bureau_client.get("/?period=2023-07&org=330482").content.decode()
    assert "9876个" in page  # the card's target, in the Chinese UI


def test_logging_out_ends_the_cached_page(bureau_client):
    warm(bureau_client)
    assert bureau_client.post(reverse("logout")).status_code == 302
    response = bureau_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_another_users_page_is_never_served(bureau_client, nanhu_user, jiaxing):
    warm(bureau_client)
    city = bureau_client.get(URL).content.decode()
    nanhu = Client()
    nanhu.force_login(nanhu_user)
    warm(nanhu)
    page = nanhu.get(URL).content.decode()
    assert page != city and "南湖区" in page and "平湖市" not in page
    assert nanhu.get("/?period=2023-07&org=330482").status_code == 404  # not even from a warm cache


def test_deactivating_an_account_ends_its_cached_pages(bureau_client, bureau_user):
    warm(bureau_client)
    bureau_user.is_active = False
    bureau_user.save()
    response = bureau_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_login_does_not_empty_the_cache(bureau_client, bureau_user, django_assert_num_queries):
    from django.contrib.auth.models import update_last_login

    warm(bureau_client)
    update_last_login(None, bureau_user)
    with django_assert_num_queries(1):
        assert bureau_client.get(URL).status_code == 200


def test_the_language_is_part_of_the_key(bureau_client):
    warm(bureau_client)
    zh = bureau_client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    en = bureau_client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "项目" in zh and "Projects launched" in en and "Projects launched" not in zh


# --- the idle clock ----------------------------------------------------------------------------

def session_expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_the_idle_clock_is_written_at_most_once_a_minute(bureau_client, settings):
    bureau_client.get(URL)
    touched = session_expiry(bureau_client)
    bureau_client.get(URL)
    bureau_client.get(reverse("orgunit_list"))
    assert session_expiry(bureau_client) == touched


def test_an_active_session_keeps_going_and_an_idle_one_ends(bureau_client, settings):
    settings.TWINTRACK_SESSION_TOUCH_SECONDS = 0  # every request is "a minute later"
    bureau_client.get(URL)
    first = session_expiry(bureau_client)
    bureau_client.get(URL)
    assert session_expiry(bureau_client) > first

    Session.objects.filter(session_key=bureau_client.session.session_key).update(
        expire_date=first - timedelta(hours=2))  # an hour and more without a request
    response = bureau_client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_restarting_the_idle_clock_keeps_the_cached_page(bureau_client, settings, django_assert_num_queries):
    """The clock lives in the row's expiry alone: the session data the page was stored with stays."""
    warm(bureau_client)
    before = Session.objects.get(session_key=bureau_client.session.session_key)
    settings.TWINTRACK_SESSION_TOUCH_SECONDS = 0  # a minute later
    with django_assert_num_queries(2):  # the session row and versions, then the new expiry: no render
        assert bureau_client.get(URL)["X-Page-Cache"] == "hit"
    after = Session.objects.get(session_key=bureau_client.session.session_key)
    assert after.session_data == before.session_data and after.expire_date > before.expire_date


# --- versions per subtree: a write invalidates the pages of its unit and the units above -------

def logged_in(user):
    client = Client()
    client.force_login(user)
    warm(client)
    return client


def served_from_cache(client, url=URL) -> bool:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries) == 1  # the session row and the versions, nothing else


def pinghu_target(jiaxing, value=9876):
    from twintrack.programme.services import TargetValues, save_targets

    save_targets([TargetValues(jiaxing["330482"].id, "projects", YEAR, 7, Decimal(value))])


def test_a_pinghu_write_keeps_nanhus_page_and_renews_pinghus_and_the_citys(
        jiaxing, bureau_user, nanhu_user, pinghu_user):
    bureau, nanhu, pinghu = logged_in(bureau_user), logged_in(nanhu_user), logged_in(pinghu_user)
    pinghu_target(jiaxing)
    assert served_from_cache(nanhu)
    assert not served_from_cache(bureau)  # the city's figures include Pinghu's
    assert "9876个" in pinghu.get(URL).content.decode()


def test_a_pinghu_write_keeps_the_body_of_nanhus_dashboard_for_the_bureau(jiaxing, bureau_user, monkeypatch):
    from twintrack.web import dashboard

    bureau = logged_in(bureau_user)
    nanhu_url = "/?period=2023-07&org=330402"
    warm(bureau, nanhu_url)
    renders = []
    original = dashboard.dashboard_context
    monkeypatch.setattr(dashboard, "dashboard_context", lambda *a, **k: renders.append(1) or original(*a, **k))
    pinghu_target(jiaxing)
    assert not served_from_cache(bureau, nanhu_url)  # the bureau's work queue covers the whole city
    assert renders == []  # ...but Nanhu's body comes from the cache
    bureau.get(URL)
    assert renders == [1]  # the city's body is rendered again


def test_users_who_see_a_unit_share_its_dashboards_figures_but_each_has_their_own_breadcrumb(
        jiaxing, bureau_user, nanhu_user, monkeypatch):
    from twintrack.web import dashboard

    renders = []
    original = dashboard.dashboard_context
    monkeypatch.setattr(dashboard, "dashboard_context", lambda *a, **k: renders.append(1) or original(*a, **k))
    nanhu_url = "/?period=2023-07&org=330402"
    bureau, nanhu = logged_in(bureau_user), logged_in(nanhu_user)
    renders.clear()
    pinghu_target(jiaxing)  # renews every page (the target is the city's too) without touching Nanhu's figures
    as_bureau, as_officer = bureau.get(nanhu_url).content.decode(), nanhu.get(nanhu_url).content.decode()
    assert renders == []  # the officer's own dashboard rendered Nanhu's figures, before the write, for both
    crumbs = [page[page.index('class="breadcrumb"'):page.index("</nav>", page.index('class="breadcrumb"'))]
              for page in (as_bureau, as_officer)]
    assert "嘉兴市" in crumbs[0] and "嘉兴市" not in crumbs[1] and "南湖区" in crumbs[1]
    assert as_bureau[as_bureau.index('class="cards"'):] == as_officer[as_officer.index('class="cards"'):]


def test_an_org_unit_change_renews_every_page(jiaxing, nanhu_user, pinghu_user):
    nanhu, pinghu = logged_in(nanhu_user), logged_in(pinghu_user)
    unit = jiaxing["330482"]
    unit.name_zh = "平湖"
    unit.save()
    assert not served_from_cache(nanhu) and not served_from_cache(pinghu)


def test_a_user_account_change_renews_every_page(jiaxing, nanhu_user, make_user):
    nanhu = logged_in(nanhu_user)
    make_user("newcomer")
    assert not served_from_cache(nanhu)


def test_a_notice_renews_its_recipients_pages_only(jiaxing, nanhu_user, pinghu_user):
    from twintrack.notify.services import notify
    from twintrack.orgs.models import Role

    nanhu, pinghu = logged_in(nanhu_user), logged_in(pinghu_user)
    notify("bulletin_published", jiaxing["330482"], roles=(Role.DISTRICT,), params={"period": "2023-07"})
    assert served_from_cache(nanhu)
    assert not served_from_cache(pinghu)  # the unread count in Pinghu's top bar


def test_an_approval_above_renews_the_pages_below(jiaxing, nanhu_user, pinghu_user, bureau_user):
    from twintrack.approvals.models import MonthApproval, MonthState

    nanhu, pinghu = logged_in(nanhu_user), logged_in(pinghu_user)
    MonthApproval.objects.create(org=jiaxing["330400"], year=YEAR, month=7, state=MonthState.APPROVED)
    assert not served_from_cache(nanhu) and not served_from_cache(pinghu)  # their month 7 is locked now


@pytest.mark.parametrize("page", ["/projects/", "/quality/?period=2023-07", "/monthly/?period=2023-07"])
def test_the_list_quality_and_month_pages_are_cached_per_subtree_too(page, jiaxing, nanhu_user, pinghu_user):
    nanhu, pinghu = Client(), Client()
    nanhu.force_login(nanhu_user)
    pinghu.force_login(pinghu_user)
    warm(nanhu, page)
    warm(pinghu, page)
    assert served_from_cache(nanhu, page) and served_from_cache(pinghu, page)
    pinghu_target(jiaxing)
    assert served_from_cache(nanhu, page)  # Pinghu's write shows nowhere on Nanhu's pages
    assert not served_from_cache(pinghu, page)


def test_a_supervisors_pages_follow_their_groups_units_not_the_whole_tree(jiaxing, make_user, bureau_user):
    """Their work queue reads what their groups reach: a write there renews their pages, a write
    elsewhere (here Nanhu's own, above their unit) keeps them."""
    from datetime import date

    from twintrack.programme.services import TargetValues, save_targets
    from twintrack.supervision.services import create_group, create_round

    supervisor = make_user("inspector", "supervisor", jiaxing["NHGX"])
    round_ = create_round(bureau_user, code="R2023", name_zh="第一轮督查", start_date=date(2023, 7, 1))
    create_group(bureau_user, round_, name_zh="第一组", leader=supervisor, units=[jiaxing["330482"]])
    client = logged_in(supervisor)
    save_targets([TargetValues(jiaxing["330402"].id, "projects", YEAR, 7, Decimal(5))])
    assert served_from_cache(client)
    pinghu_target(jiaxing)
    assert not served_from_cache(client)


def test_once_one_projects_page_was_cached_every_projects_page_is_stored_at_its_first_answer(jiaxing, nanhu_user):
    """The middleware learns which views may be cached by view, not by path: a worker that has
    served one project's page stores another's the first time it renders it."""
    from twintrack.programme.models import Project

    first, second = Project.objects.filter(enterprise__org__code="330402").order_by("pk")[:2]
    nanhu = logged_in(nanhu_user)
    warm(nanhu, f"/projects/{first.pk}/")
    assert nanhu.get(f"/projects/{second.pk}/").status_code == 200
    assert served_from_cache(nanhu, f"/projects/{second.pk}/")


def test_a_page_shown_with_figures_another_request_is_computing_says_so_and_is_not_kept(
        bureau_client, jiaxing, monkeypatch):
    """Right after a write, a page whose parts another request is computing shows them as they
    stood just before, with a note, and is not stored: the next request shows the new figures."""
    from django.core.cache import cache

    from twintrack.metrics import version
    from twintrack.programme.services import TargetValues, save_targets

    page_url = "/?period=2023-07&org=330482"
    warm(bureau_client, page_url)
    save_targets([TargetValues(jiaxing["330482"].id, "projects", YEAR, 7, Decimal(9876))])
    claimed_elsewhere = cache.add
    monkeypatch.setattr(cache, "add", lambda key, *args, **kwargs: False if key.startswith(version.LOCK)
                        else claimed_elsewhere(key, *args, **kwargs))
    monkeypatch.setattr(version, "WAIT_SECONDS", 0.1)  # parts with no earlier value are computed
    during = bureau_client.get(page_url)
    assert "9876个" not in during.content.decode()
    assert "本页部分数字正在按最新变更更新" in during.content.decode()
    monkeypatch.undo()
    after = bureau_client.get(page_url)
    assert after.get("X-Page-Cache") != "hit"  # the page shown during the computation was not kept
    assert "9876个" in after.content.decode() and "正在按最新变更更新" not in after.content.decode()


def test_figures_written_in_one_district_leave_the_bureaus_page_of_another_cached(bureau_client, jiaxing):
    """The top bar on every page depends on the bureau's unit, the province's root, but only on
    what the top bar shows: progress in Pinghu within its months with figures ends the pages
    that show Pinghu or the city, not the bureau's page of Nanhu."""
    from stdnum.cn import uscc

    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.programme.models import Project
    from twintrack.programme.services import ProgressValues, ProjectValues, save_progress, save_projects

    body = "91330482MA0000009"
    save_enterprises([EnterpriseValues(body + uscc.calc_check_digit(body), "平湖测试企业", "Pinghu test firm",
                                       jiaxing["330482"].id, "3311", "small", True)])
    firm = Enterprise.objects.get(uscc=body + uscc.calc_check_digit(body))
    save_projects([ProjectValues("PH-CACHE", firm.id, firm.org_id, "平湖项目", "digital", "", date(2023, 3, 1),
                                 None, None, "in_progress")])
    project = Project.objects.get(code="PH-CACHE")
    nanhu_page, pinghu_page = "/?period=2023-07&org=330402", "/?period=2023-07&org=330482"
    for url in (nanhu_page, pinghu_page):
        warm(bureau_client, url)
    assert "6500万元" in bureau_client.get(pinghu_page).content.decode()
    save_progress([ProgressValues(project.id, firm.org_id, YEAR, 3, Decimal("4321000"), None, "")])
    assert bureau_client.get(nanhu_page).get("X-Page-Cache") == "hit"
    pinghu = bureau_client.get(pinghu_page)
    assert pinghu.get("X-Page-Cache") != "hit" and "6932.1万元" in pinghu.content.decode()


def test_progress_of_a_later_month_leaves_a_page_of_an_earlier_month_cached(bureau_client, jiaxing, project_factory):
    from twintrack.programme.services import ProgressValues, save_progress

    project = project_factory("P-LATER")  # Nanhu, launched 2023-03
    march, july = "/?period=2023-03&org=330402", "/?period=2023-07&org=330402"
    march_bulletins = "/bulletins/?org=330402&period=2023-03"
    for url in (march, july, march_bulletins):
        warm(bureau_client, url)
    july_before = bureau_client.get(july).content
    save_progress([ProgressValues(project.id, project.enterprise.org_id, YEAR, 7, Decimal("98765000"), None, "")])
    assert bureau_client.get(march).get("X-Page-Cache") == "hit"
    assert bureau_client.get(march_bulletins).get("X-Page-Cache") == "hit"
    page = bureau_client.get(july)
    assert page.get("X-Page-Cache") != "hit" and page.content != july_before
    quality = "/quality/?org=330402&period=2023-03"
    warm(bureau_client, quality)
    save_progress([ProgressValues(project.id, project.enterprise.org_id, YEAR, 3, Decimal("1000"), None, "")])
    assert bureau_client.get(quality).get("X-Page-Cache") != "hit"  # its own month moved
    assert bureau_client.get(july).get("X-Page-Cache") != "hit"  # and every later one
