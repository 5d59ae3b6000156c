"""The year-end outlook: this year's level, a year's shape from the best source there is."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from twintrack.reports.outlook import (
    choose_profile, last_year_profile, outlook_metric, run_rate_profile, target_profile,
)

SEASONAL_LAST_YEAR = [20, 30, 80, 90, 100, 110, 100, 100, 110, 120, 130, 210]  # slow spring, year-end push


def test_last_years_pattern_is_used_when_the_unit_reported_every_month():
    outlook = outlook_metric("investment_yuan", SEASONAL_LAST_YEAR[:7], 7, annual_target=1300,
                             cumulative_targets={7: 650, 12: 1300}, last_year_monthly=SEASONAL_LAST_YEAR)
    assert outlook["method"] == "last_year"
    assert outlook["share"] == pytest.approx(530 / 1200)
    # the same shape as last year: the same December figure
    assert outlook["projected"] == pytest.approx(1200)
    assert outlook["will_meet"] is False
    assert outlook["shortfall"] == pytest.approx(100)


def test_a_linear_run_rate_would_have_misread_that_seasonal_year():
    linear = outlook_metric("investment_yuan", SEASONAL_LAST_YEAR[:7], 7, annual_target=1300)
    assert linear["method"] == "run_rate"
    assert linear["projected"] == pytest.approx(530 * 12 / 7)  # 908.6, far below the 1200 the year gave
    assert abs(linear["projected"] - 1200) > 250


def test_an_incomplete_last_year_is_not_a_pattern():
    gaps = SEASONAL_LAST_YEAR[:]
    gaps[1] = 0
    assert last_year_profile(gaps) is None
    assert last_year_profile(None) is None
    assert last_year_profile([0] * 12) is None
    outlook = outlook_metric("projects", [10] * 7, 7, 200, {7: 100, 12: 200}, gaps)
    assert outlook["method"] == "target_phasing"


def test_without_last_year_the_bureaus_target_phasing_gives_the_shape():
    targets = {m: v for m, v in zip(range(1, 13), (5, 11, 20, 29, 38, 48, 58, 66, 75, 83, 91, 100))}
    outlook = outlook_metric("energy_saved_tce", [3, 3, 6, 6, 6, 6, 6], 7, annual_target=100,
                             cumulative_targets=targets)
    assert outlook["method"] == "target_phasing"
    assert outlook["share"] == pytest.approx(0.58)
    assert outlook["projected"] == pytest.approx(36 / 0.58, abs=1e-3)
    # the projected completion rate equals the period's completion rate: "at this year's rate"
    assert outlook["projected_rate"] == pytest.approx(36 / 58)
    assert outlook["will_meet"] is False
    # the path to December follows the phasing
    assert outlook["path"][0] == pytest.approx(36)
    assert outlook["path"][1] == pytest.approx(36 * 66 / 58, abs=1e-3)
    assert outlook["path"][-1] == outlook["projected"]


def test_target_phasing_interpolates_months_without_a_target():
    shares = target_profile({7: 60, 12: 120}, 7)
    assert shares[:6] == [None] * 6
    assert shares[6] == pytest.approx(0.5) and shares[11] == 1.0
    assert shares[8] == pytest.approx(0.5 + 0.5 * 2 / 5)
    assert target_profile({12: 100}, 7) is None
    assert target_profile({7: 120, 12: 100}, 7) is None  # a period target above the annual one is no shape


def test_without_either_the_linear_run_rate():
    outlook = outlook_metric("investment_yuan", [100] * 4, 4)
    assert outlook["method"] == "run_rate"
    assert outlook["projected"] == pytest.approx(1200)
    assert outlook["annual_target"] is None and outlook["will_meet"] is None and outlook["projected_rate"] is None
    assert choose_profile(4, None, {})[1] == run_rate_profile()


def test_in_december_the_outlook_is_the_actual():
    outlook = outlook_metric("projects", [10] * 12, 12, annual_target=100,
                             last_year_monthly=SEASONAL_LAST_YEAR)
    assert outlook["method"] == "actual"
    assert outlook["projected"] == 120 and outlook["will_meet"] is True
    assert outlook["remaining_months"] == 0 and outlook["needed_per_month"] is None


def test_it_says_what_the_remaining_months_need_and_the_recent_pace():
    outlook = outlook_metric("investment_yuan", [10, 10, 10, 20, 30, 40], 6, annual_target=300)
    assert outlook["needed_per_month"] == pytest.approx((300 - 120) / 6)
    assert outlook["recent_per_month"] == pytest.approx(30)
    met = outlook_metric("investment_yuan", [100] * 6, 6, annual_target=300)
    assert met["needed_per_month"] == 0.0


def test_project_counts_are_whole_numbers():
    outlook = outlook_metric("projects", [7, 8, 9], 3, annual_target=50)
    assert outlook["projected"] == 96.0
    assert all(p == int(p) for p in outlook["path"])


def test_the_monthly_figures_must_cover_the_period():
    with pytest.raises(ValueError):
        outlook_metric("projects", [1, 2], 3)


@settings(deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=11),
       st.lists(st.integers(min_value=1, max_value=10**6), min_size=12, max_size=12))
def test_the_projection_never_falls_below_the_actual(monthly, last_year):
    month = len(monthly)
    for ly in (None, last_year):
        outlook = outlook_metric("investment_yuan", monthly, month, annual_target=10**9, last_year_monthly=ly)
        assert outlook["projected"] >= outlook["actual"] - 1e-6
        assert 0 < outlook["share"] <= 1
