"""Cached values die with the next write to what they show, and only then: data versions per subtree."""
from decimal import Decimal

import pytest

from twintrack.metrics import version
from twintrack.orgs.models import OrgUnit
from twintrack.programme.services import ProgressValues, TargetValues, save_progress, save_targets


@pytest.fixture
def units(city):
    return {o.code: o for o in OrgUnit.objects.all()}


def progress(project, month=3, amount="10"):
    return [ProgressValues(project.id, project.enterprise.org_id, 2023, month, Decimal(amount), None, "")]


def counters(*orgs):
    return version.versions([o.id for o in orgs])


def test_a_progress_write_moves_its_unit_and_the_units_above(units, project_factory):
    project = project_factory()  # an enterprise of Nanhu
    nanhu, pinghu, city = units["330402"], units["330482"], units["330400"]
    before = counters(nanhu, pinghu, city)
    save_progress(progress(project))
    after = counters(nanhu, pinghu, city)
    assert after[0] == before[0]  # the global version stays
    assert after[1] > before[1] and after[3] > before[3]  # Nanhu and the city
    assert after[2] == before[2]  # Pinghu, a sibling, stays


def test_an_unchanged_rewrite_keeps_the_cache(units, project_factory):
    project = project_factory()
    save_progress(progress(project))
    before = counters(*units.values())
    save_progress(progress(project))
    assert counters(*units.values()) == before


def test_a_target_write_moves_its_unit_only_and_above(units):
    pinghu, nanhu, city = units["330482"], units["330402"], units["330400"]
    before = counters(pinghu, nanhu, city)
    save_targets([TargetValues(pinghu.id, "projects", 2023, 12, Decimal(100))])
    after = counters(pinghu, nanhu, city)
    assert after[1] > before[1] and after[3] > before[3] and after[2] == before[2] and after[0] == before[0]


def test_an_org_unit_change_moves_the_global_version(units):
    before = version.current()
    pinghu = units["330482"]
    pinghu.name_en = "Pinghu"
    pinghu.save()
    assert version.current() > before


def test_a_user_account_change_moves_the_global_version(units, django_user_model):
    before = version.current()
    django_user_model.objects.create_user("someone", password="x")
    assert version.current() > before


def test_an_approval_moves_the_units_below_too(units, project_factory):
    from twintrack.approvals.models import MonthApproval, MonthState

    nanhu, city, port = units["330402"], units["330400"], units["JXGQ"]
    before = counters(nanhu, city, port)
    MonthApproval.objects.create(org=city, year=2023, month=3, state=MonthState.APPROVED)
    after = counters(nanhu, city, port)
    assert all(a > b for a, b in zip(after[1:], before[1:]))  # it locks the months of every unit below
    assert after[0] == before[0]


def test_two_bumps_in_one_transaction_lock_the_root_first(units):
    """Ancestors before descendants: the lock order that keeps concurrent writers from deadlocking."""
    nanhu, city = units["330402"], units["330400"]
    assert version._with_ancestors({nanhu.path}, False) == [city.id, nanhu.id]
    assert version._with_ancestors({city.path}, True)[0] == city.id


def test_cached_values_are_recomputed_after_a_write_below_them_only(units):
    calls = []

    def compute():
        calls.append(1)
        return len(calls)

    nanhu, pinghu = units["330402"], units["330482"]
    assert version.cached("test-key", compute, [nanhu]) == 1
    assert version.cached("test-key", compute, [nanhu]) == 1
    save_targets([TargetValues(pinghu.id, "projects", 2023, 12, Decimal(100))])
    assert version.cached("test-key", compute, [nanhu]) == 1  # Pinghu's write: Nanhu's value stays
    save_targets([TargetValues(nanhu.id, "projects", 2023, 12, Decimal(100))])
    assert version.cached("test-key", compute, [nanhu]) == 2
    version.bump()  # a global change
    assert version.cached("test-key", compute, [nanhu]) == 3


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql",
                    reason="row locks are a PostgreSQL matter: SQLite serialises every write")
def test_units_then_global_and_global_then_units_at_once_do_not_deadlock(city):
    """One writer bumps a district and then the global version while another bumps the global
    version and then a district: both commit (every bump takes the root's row first)."""
    import threading
    import time

    from django.db import connections, transaction

    nanhu, pinghu = OrgUnit.objects.get(code="330402").id, OrgUnit.objects.get(code="330482").id
    units_held, errors = threading.Event(), []

    def units_then_global():
        try:
            with transaction.atomic():
                version.bump([nanhu])
                units_held.set()
                time.sleep(0.5)  # the other writer starts its global bump meanwhile
                version.bump()
        except Exception as error:  # a deadlock would land here
            errors.append(error)
        finally:
            connections.close_all()

    def global_then_units():
        try:
            units_held.wait(5)
            with transaction.atomic():
                version.bump()
                version.bump([pinghu])
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    before = version.current()
    threads = [threading.Thread(target=units_then_global), threading.Thread(target=global_then_units)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert version.current() == before + 2


def test_a_value_missing_for_many_requests_at_once_is_computed_once_and_waited_for():
    """Right after a write every user's page asks for the same parts: one request computes each,
    the others wait for its value instead of computing it again."""
    import threading
    import time

    from django.core.cache import cache

    calls = []

    def compute_many(ids):
        calls.append(sorted(ids))
        time.sleep(0.2)
        return {some_id: some_id * 10 for some_id in ids}

    keys = {1: "single-flight:a", 2: "single-flight:b", 3: "single-flight:none"}
    results = []
    threads = [threading.Thread(target=lambda: results.append(version._filled(keys, compute_many)))
               for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [{1: 10, 2: 20, 3: 30}] * 6
    assert sorted(some_id for ids in calls for some_id in ids) == [1, 2, 3]
    assert not any(cache.get(version.LOCK + key) for key in keys.values())  # the claims are gone


def test_a_failed_computation_leaves_no_claim_behind_and_none_is_a_value():
    from django.core.cache import cache

    def failing(ids):
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        version._filled({1: "single-flight:fails"}, failing)
    assert cache.get(version.LOCK + "single-flight:fails") is None
    calls = []
    assert version._filled({1: "single-flight:fails"}, lambda ids: calls.append(ids) or {1: None}) == {1: None}
    assert version._filled({1: "single-flight:fails"}, lambda ids: calls.append(ids) or {1: None}) == {1: None}
    assert calls == [[1]]


def test_a_lists_count_is_kept_until_a_write_below_its_unit(units, project_factory, enterprise,
                                                            django_user_model, django_assert_num_queries):
    from stdnum.cn import uscc

    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.orgs.models import Membership
    from twintrack.programme.models import Project

    project_factory("P001")
    in_unit = Project.objects.filter(enterprise__org__path__startswith=enterprise.org.path, is_active=True)
    officer = django_user_model.objects.create_user("nanhu-officer")  # Nanhu's district officer
    Membership.objects.create(user=officer, role="district", org=enterprise.org)
    assert version.cached_count(in_unit, officer) == 1
    with django_assert_num_queries(1):  # the versions only
        assert version.cached_count(in_unit, officer) == 1
    assert version.cached_count(in_unit.filter(kind="green"), officer) == 0  # another query, its own count
    project_factory("P002")
    assert version.cached_count(in_unit, officer) == 2
    pinghu = units["330482"]
    body = "91330482MA0000002"
    save_enterprises([EnterpriseValues(body + uscc.calc_check_digit(body), "平湖企业", "Pinghu firm", pinghu.id, "3311",
                                       "small", True)])
    project_factory("P003", ent=Enterprise.objects.get(org=pinghu))
    with django_assert_num_queries(1):  # a write in Pinghu leaves Nanhu's count valid
        assert version.cached_count(in_unit, officer) == 2
    assert version.cached_count(Project.objects.none(), officer) == 0


def test_a_page_shows_a_value_another_request_is_computing_as_it_stood_before():
    """A page asking for a part that another request is computing takes its last computed value
    instead of waiting, and says so; outside a page (the API, exports, writes) it waits."""
    from django.core.cache import cache

    assert version._filled({1: "w1.1:7:earlier"}, lambda ids: {1: "before"}) == {1: "before"}
    current = {1: "w1.2:7:earlier"}  # the unit's version moved on
    cache.add(version.LOCK + current[1], 1, 60)  # another request is computing it
    with version.earlier_while_computing() as earlier:
        assert version._filled(current, lambda ids: pytest.fail("computed twice")) == {1: "before"}
        assert version.earlier_values_shown()
    assert earlier.values == 1 and not version.earlier_values_shown()
    cache.delete(version.LOCK + current[1])
    assert version._filled(current, lambda ids: {1: "after"}) == {1: "after"}


def test_a_page_without_an_earlier_value_waits_for_the_computation(monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(version, "WAIT_SECONDS", 0.2)
    cache.add(version.LOCK + "w1.1:8:never-computed", 1, 60)
    with version.earlier_while_computing() as earlier:
        assert version._filled({1: "w1.1:8:never-computed"}, lambda ids: {1: "computed"}) == {1: "computed"}
    assert earlier.values == 0


def test_a_value_made_from_an_earlier_value_is_not_kept():
    """A unit's sum over its children's parts, one of which was shown as it stood before, is not
    stored: the next request computes it again from current parts."""
    from django.core.cache import cache

    version._filled({1: "w1.1:9:child"}, lambda ids: {1: 5})
    cache.add(version.LOCK + "w1.2:9:child", 1, 60)

    def parent_sum(ids):
        return {1: version._filled({1: "w1.2:9:child"}, lambda ids: {1: 6})[1] + 100}

    with version.earlier_while_computing() as earlier:
        assert version._filled({1: "w1.2:10:parent"}, parent_sum) == {1: 105}
    assert earlier.values == 1
    assert cache.get("w1.2:10:parent") is None and cache.get(version.LATEST + "10:parent") is None
    cache.delete(version.LOCK + "w1.2:9:child")
    assert version._filled({1: "w1.2:10:parent"}, parent_sum) == {1: 106}
    assert cache.get("w1.2:10:parent") == (106,)


def attention_of(org) -> int:
    return version.versions(version.attention([org]))[1]


def test_figures_in_a_month_with_figures_leave_the_top_bars_counter_and_a_later_month_moves_it(units, project_factory):
    """Every page carries its user's top bar (unread notices, the work queue), which depends on
    the user's unit's attention counter: progress and projects move it only when they move the
    unit's latest month with figures (the months to submit end there); the rest moves it too."""
    project = project_factory()  # launched in 2023-03, in Nanhu
    nanhu, city = units["330402"], units["330400"]
    save_progress(progress(project, month=3))
    attention_before, counters_before = [attention_of(o) for o in (nanhu, city)], counters(nanhu, city)
    save_progress(progress(project, month=3, amount="20"))
    assert [attention_of(o) for o in (nanhu, city)] == attention_before
    assert all(after > before for after, before in zip(counters(nanhu, city)[1:], counters_before[1:]))
    save_progress(progress(project, month=5))  # a later month: the months to submit grow
    moved = [attention_of(o) for o in (nanhu, city)]
    assert all(after > before for after, before in zip(moved, attention_before))
    save_targets([TargetValues(nanhu.id, "projects", 2023, 12, Decimal(100))])  # not figures alone
    assert all(after > before for after, before in zip([attention_of(o) for o in (nanhu, city)], moved))


def test_progress_of_one_month_moves_what_pages_of_that_month_and_later_show_and_nothing_earlier(
        units, project_factory):
    """A page of month (Y, M) depends on the unit's progress up to that month and on the rest of
    its data (`version.through`): a July import leaves the pages of January to June valid."""
    project = project_factory()  # Nanhu
    nanhu, city, pinghu = units["330402"], units["330400"], units["330482"]

    def shown(org, year, month):
        return version.versions(version.through([org], year, month))[1]

    months = [(2023, 6), (2023, 7), (2023, 12), (2024, 1)]
    before = {(o.code, p): shown(o, *p) for o in (nanhu, city, pinghu) for p in months}
    save_progress(progress(project, month=7))
    after = {(o.code, p): shown(o, *p) for o in (nanhu, city, pinghu) for p in months}
    moved = {key for key in before if after[key] != before[key]}
    assert moved == {(code, p) for code in ("330402", "330400") for p in months[1:]}
    save_targets([TargetValues(nanhu.id, "projects", 2023, 12, Decimal(100))])  # not progress: every month
    again = {(o.code, p): shown(o, *p) for o in (nanhu, city) for p in months}
    assert all(again[key] != after[key] for key in again)


def test_parts_of_a_month_stay_with_their_own_units_in_any_order(units):
    """cached_per_unit pairs each unit with its own version even when the units do not come in
    id order (a unit's children are listed by code): a write below Nanhu recomputes Nanhu's
    part of the month, not Pinghu's."""
    nanhu, pinghu = units["330402"], units["330482"]
    assert nanhu.id < pinghu.id
    calls = []

    def compute_many(missing):
        calls.append(sorted(unit.code for unit in missing))
        return {unit.pk: unit.code for unit in missing}

    def parts():
        return version.cached_per_unit("order-test", [pinghu, nanhu], compute_many, period=(2023, 6))

    assert parts() == {pinghu.id: "330482", nanhu.id: "330402"}
    version.bump([nanhu.id], top_bar=False, months=[(2023, 5)])
    assert parts() == {pinghu.id: "330482", nanhu.id: "330402"}
    assert calls == [["330402", "330482"], ["330402"]]
