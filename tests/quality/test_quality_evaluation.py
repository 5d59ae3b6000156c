"""Evaluating the rules and completeness in the database, as the contract defines them."""
from datetime import date
from decimal import Decimal

import pytest

pytestmark = pytest.mark.django_db


def set_threshold(key, value, enabled=True):
    from twintrack.quality.models import QualityRule

    QualityRule.objects.filter(key=key).update(threshold=Decimal(str(value)), enabled=enabled)


# --- over_plan ---------------------------------------------------------------------------------

@pytest.mark.parametrize("july, flagged", [(49.99, False), (50, False), (50.01, True)])
def test_over_plan_at_below_and_above_the_threshold(make_project, put, findings, july, flagged):
    p = make_project("P1", planned=100)
    put(p, "2023-06", 100)
    put(p, "2023-07", july)
    expected = [("over_plan", "P1", 100 + july, 150.0, "open")] if flagged else []
    assert [f for f in findings() if f[0] == "over_plan"] == expected


def test_over_plan_needs_investment_in_the_month_itself(make_project, put, findings):
    p = make_project("P1", planned=100)
    put(p, "2023-06", 200)
    put(p, "2023-07", 0)
    assert findings() == []
    assert [f[0] for f in findings(period="2023-06")] == ["over_plan"]


def test_over_plan_ignores_later_months(make_project, put, findings):
    p = make_project("P1", planned=100)
    put(p, "2023-07", 100)
    put(p, "2023-08", 500)
    assert findings() == []


# --- spike -------------------------------------------------------------------------------------

def spiky(make_project, put, july, history=(10, 20, 30)):
    p = make_project("P1")
    for month, amount in zip(("2023-01", "2023-03", "2023-05", "2023-06"), history):
        put(p, month, amount)
    put(p, "2023-07", july)
    return p


@pytest.mark.parametrize("july, flagged", [(199.99, False), (200, False), (200.01, True)])
def test_spike_at_below_and_above_the_threshold(make_project, put, findings, july, flagged):
    spiky(make_project, put, july)
    expected = [("spike", "P1", july, 200.0, "open")] if flagged else []
    assert findings() == expected


def test_spike_needs_three_non_zero_rows_in_the_twelve_months_before(make_project, put, findings):
    p = make_project("P1")
    put(p, "2022-06", 10)  # 13 months before: outside the window
    put(p, "2023-01", 10)
    put(p, "2023-02", 0)   # a zero is not history
    put(p, "2023-06", 20)
    put(p, "2023-07", 10**6)
    assert findings() == []
    put(p, "2022-07", 30)  # exactly 12 months before: inside
    assert findings() == [("spike", "P1", 1e6, 200.0, "open")]


def test_spike_median_of_an_even_count_is_the_mean_of_the_middle_two(make_project, put, findings):
    spiky(make_project, put, 251, history=(10, 20, 30, 1000))
    assert findings() == [("spike", "P1", 251.0, 250.0, "open")]


# --- repeated ----------------------------------------------------------------------------------

def test_repeated_flags_the_third_equal_month(make_project, put, findings):
    p = make_project("P1")
    for month in ("2023-05", "2023-06", "2023-07"):
        put(p, month, 12345)
    assert findings() == [("repeated", "P1", 12345.0, None, "open")]
    assert findings(period="2023-06") == []


def test_a_missing_month_breaks_a_repeated_run(make_project, put, findings):
    p = make_project("P1")
    for month in ("2023-04", "2023-05", "2023-07"):
        put(p, month, 12345)
    assert findings() == []


def test_zeros_never_form_a_repeated_run(make_project, put, findings):
    p = make_project("P1")
    for month in ("2023-05", "2023-06", "2023-07"):
        put(p, month, 0)
    assert findings() == []


def test_the_bureau_can_lengthen_the_run_or_switch_a_rule_off(make_project, put, findings):
    p = make_project("P1")
    for month in ("2023-05", "2023-06", "2023-07"):
        put(p, month, 12345)
    set_threshold("repeated", 4)
    assert findings() == []
    set_threshold("repeated", 3, enabled=False)
    assert findings() == []


# --- after_completion --------------------------------------------------------------------------

@pytest.mark.parametrize("end, flagged", [(date(2023, 1, 31), False), (date(2022, 12, 31), True)])
def test_after_completion(make_project, put, findings, end, flagged):
    p = make_project("P1", status="completed", end=end)
    put(p, "2023-07", 100)
    assert bool(findings()) is flagged


# --- completeness ------------------------------------------------------------------------------

def completeness(org="330400", period="2023-07"):
    from twintrack.orgs.models import OrgUnit
    from twintrack.quality.services import quality_report

    return quality_report(OrgUnit.objects.get(code=org), int(period[:4]), int(period[5:]))["completeness"]


def test_completeness_counts_in_progress_projects_started_by_the_month(make_project, put):
    reported = make_project("P1")
    make_project("P2")
    make_project("P3", start=date(2023, 8, 1))         # not yet started
    make_project("P4", status="cancelled")             # cancelled
    make_project("P5", status="planned")
    zero = make_project("P6", start=date(2023, 7, 31))  # starts in the month: expected
    put(reported, "2023-07", 10)
    put(zero, "2023-07", 0)                            # zeros count as reported
    assert completeness() == {"expected": 3, "reported": 2, "rate": 2 / 3, "missing": ["P2"]}


def test_rows_of_projects_not_expected_count_for_nothing(make_project, put):
    done = make_project("P1", status="completed")
    put(done, "2023-07", 10)
    assert completeness() == {"expected": 0, "reported": 0, "rate": None, "missing": []}


def test_an_energy_line_counts_as_reported(make_project):
    from twintrack.energy.models import CarrierCoefficient, EnergyLine
    from twintrack.energy.services import load_reference_data

    load_reference_data()
    p = make_project("P1")
    coefficient = CarrierCoefficient.objects.filter(key="electricity").first()
    EnergyLine.objects.create(project=p, year=2023, month=7, carrier="electricity", quantity_entered=1000,
                              unit_entered="kWh", quantity=1000, coefficient=coefficient, kgce_per_unit="0.1229",
                              kgce_basis="calorific", tce="0.1229", co2_kg=0)
    assert completeness()["reported"] == 1
