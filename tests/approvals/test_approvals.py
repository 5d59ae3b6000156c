"""A district submits a month, the level above approves it, an approved month is locked
until the bureau reopens it with a reason; every step is a history row."""
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from twintrack.approvals.models import MonthApproval, MonthState
from twintrack.approvals.services import (
    ApprovalRefused, MonthLocked, approve, is_locked, locked_months_for, refuse_locked, reopen, state_of, submit,
)

YEAR = 2023


def approve_all(units, people, month, codes=("330402", "330482", "JXGQ")):
    for code in codes:
        submit(units[code], YEAR, month, people["bureau"])
        approve(units[code], YEAR, month, people["bureau"])


def test_a_month_without_a_record_is_open_and_unlocked(units):
    assert state_of(units["330402"], YEAR, 3) == MonthState.OPEN
    assert not is_locked(units["330402"], YEAR, 3)


def test_a_district_submits_and_the_bureau_approves_which_locks_the_month(units, people):
    nanhu = units["330402"]
    submit(nanhu, YEAR, 3, people["nanhu"])
    assert state_of(nanhu, YEAR, 3) == MonthState.SUBMITTED
    assert not is_locked(nanhu, YEAR, 3)  # submitted is not yet locked
    approval = approve(nanhu, YEAR, 3, people["bureau"])
    assert approval.state == MonthState.APPROVED and approval.approved_by == people["bureau"]
    assert is_locked(nanhu, YEAR, 3)
    assert not is_locked(nanhu, YEAR, 4) and not is_locked(units["330482"], YEAR, 3)


def test_a_district_cannot_approve_its_own_month_nor_act_on_another_district(units, people):
    submit(units["330402"], YEAR, 3, people["nanhu"])
    with pytest.raises(PermissionDenied):
        approve(units["330402"], YEAR, 3, people["nanhu"])
    with pytest.raises(PermissionDenied):
        submit(units["330482"], YEAR, 3, people["nanhu"])
    with pytest.raises(PermissionDenied):
        submit(units["330402"], YEAR, 4, people["supervisor"])  # supervisors read only


def test_a_district_officer_approves_a_unit_below_their_own(units, people, make_user_below):
    zone_officer, zone = make_user_below
    submit(zone, YEAR, 3, zone_officer)
    approve(zone, YEAR, 3, people["nanhu"])
    assert is_locked(zone, YEAR, 3)


@pytest.fixture
def make_user_below(units, people):
    """A functional zone below Nanhu, with its own officer."""
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership, OrgUnit
    from twintrack.orgs.services import OrgValues, save_orgunits

    save_orgunits([OrgValues("NHGX", "南湖高新区", "Nanhu Hi-tech Zone", "zone", "330402")])
    zone = OrgUnit.objects.get(code="NHGX")
    user = get_user_model().objects.create_user("zone", password="x-not-used")
    Membership.objects.create(user=user, role="district", org=zone)
    return user, zone


def test_a_unit_is_approved_only_once_every_unit_below_it_is(units, people, make_user_below):
    _officer, zone = make_user_below
    submit(units["330402"], YEAR, 3, people["nanhu"])
    with pytest.raises(ApprovalRefused) as refused:
        approve(units["330402"], YEAR, 3, people["bureau"])
    assert "南湖高新区" in refused.value.message
    submit(zone, YEAR, 3, people["nanhu"])
    approve(zone, YEAR, 3, people["nanhu"])
    approve(units["330402"], YEAR, 3, people["bureau"])
    assert is_locked(units["330402"], YEAR, 3)


def test_approving_needs_a_submission_and_happens_once(units, people):
    with pytest.raises(ApprovalRefused):
        approve(units["330402"], YEAR, 3, people["bureau"])
    submit(units["330402"], YEAR, 3, people["nanhu"])
    with pytest.raises(ApprovalRefused):
        submit(units["330402"], YEAR, 3, people["nanhu"])
    approve(units["330402"], YEAR, 3, people["bureau"])
    with pytest.raises(ApprovalRefused):
        approve(units["330402"], YEAR, 3, people["bureau"])


def test_a_future_month_cannot_be_submitted(units, people):
    with pytest.raises(ApprovalRefused):
        submit(units["330402"], 2100, 12, people["nanhu"])


def test_the_city_month_locks_every_unit_below(units, people):
    approve_all(units, people, 5)
    city = units["330400"]
    submit(city, YEAR, 5, people["bureau"])
    approve(city, YEAR, 5, people["bureau"])
    assert locked_months_for([u.id for u in units.values()], [YEAR]) == {
        (u.id, YEAR, 5) for u in units.values()}


def test_reopening_needs_the_bureau_and_a_reason_and_unlocks(units, people):
    nanhu = units["330402"]
    submit(nanhu, YEAR, 3, people["nanhu"])
    approve(nanhu, YEAR, 3, people["bureau"])
    with pytest.raises(PermissionDenied):
        reopen(nanhu, YEAR, 3, people["nanhu"], "typo")
    with pytest.raises(ApprovalRefused):
        reopen(nanhu, YEAR, 3, people["bureau"], "  ")
    reopen(nanhu, YEAR, 3, people["bureau"], "P1 investment was entered twice")
    assert not is_locked(nanhu, YEAR, 3)
    history = list(MonthApproval.objects.get(org=nanhu, year=YEAR, month=3).history.order_by("history_date"))
    assert [(h.state, h.history_user.username) for h in history] == [
        ("submitted", "nanhu"), ("approved", "bureau"), ("open", "bureau")]
    assert history[-1].history_change_reason == "P1 investment was entered twice"


def test_a_unit_under_an_approved_unit_is_reopened_from_the_top(units, people):
    approve_all(units, people, 6)
    submit(units["330400"], YEAR, 6, people["bureau"])
    approve(units["330400"], YEAR, 6, people["bureau"])
    with pytest.raises(ApprovalRefused) as refused:
        reopen(units["330402"], YEAR, 6, people["bureau"], "correction")
    assert "嘉兴市" in refused.value.message
    reopen(units["330400"], YEAR, 6, people["bureau"], "correction")
    reopen(units["330402"], YEAR, 6, people["bureau"], "correction")
    assert not is_locked(units["330402"], YEAR, 6)
    assert is_locked(units["330482"], YEAR, 6)


def test_the_progress_service_refuses_a_locked_month_and_writes_nothing(units, people, progress):
    from twintrack.metrics.rollups import rollup_differences
    from twintrack.programme.models import Progress

    submit(units["330402"], YEAR, 3, people["nanhu"])
    approve(units["330402"], YEAR, 3, people["bureau"])
    with pytest.raises(MonthLocked) as locked:
        progress(3, "5000000")
    assert "2023-03" in locked.value.message and "南湖区" in locked.value.message
    assert Progress.objects.get(month=3).investment_yuan == Decimal("1000000")
    progress(4, "2500000")  # April is open
    assert rollup_differences() == []


def test_the_guard_names_locked_keys_only(units, people):
    submit(units["330402"], YEAR, 3, people["nanhu"])
    approve(units["330402"], YEAR, 3, people["bureau"])
    refuse_locked([(units["330482"].id, YEAR, 3), (units["330402"].id, YEAR, 4)])  # not locked: no error
    with pytest.raises(MonthLocked) as locked:
        refuse_locked([(units["330402"].id, YEAR, 3), (units["330482"].id, YEAR, 3)])
    assert locked.value.keys == [(units["330402"].id, YEAR, 3)]
