"""The plausibility rules as plain functions: at, just below and just above each threshold."""
from decimal import Decimal as D

import pytest

from twintrack.quality import rules as R


def test_median_of_an_odd_count_is_the_middle_value():
    assert R.median([D(5), D(1), D(3)]) == D(3)


def test_median_of_an_even_count_is_the_mean_of_the_middle_two():
    assert R.median([D(1), D(2), D(4), D(100)]) == D(3)


@pytest.mark.parametrize("total, flagged", [(D("149.99"), False), (D("150"), False), (D("150.01"), True)])
def test_over_plan_flags_only_strictly_above_factor_times_plan(total, flagged):
    result = R.over_plan(D(10), total, D(100), D("1.5"))
    assert (result is not None) is flagged
    if flagged:
        assert result == (total, D("150.0"))


def test_over_plan_needs_investment_this_month_and_a_plan():
    assert R.over_plan(D(0), D(1000), D(100), D("1.5")) is None
    assert R.over_plan(D(10), D(1000), None, D("1.5")) is None
    assert R.over_plan(D(10), D(1000), D(0), D("1.5")) is None


@pytest.mark.parametrize("value, flagged", [(D("199.99"), False), (D("200"), False), (D("200.01"), True)])
def test_spike_flags_only_strictly_above_factor_times_median(value, flagged):
    assert (R.spike(value, [D(10), D(20), D(30)], D(10)) is not None) is flagged


def test_spike_needs_three_non_zero_months_of_history():
    assert R.spike(D(10**9), [D(10), D(20), D(0), D(0)], D(10)) is None
    assert R.spike(D(10**9), [D(10), D(20), D(30)], D(10)) == (D(10**9), D(200))


def test_spike_uses_the_mean_of_the_middle_two_for_an_even_history():
    assert R.spike(D(251), [D(10), D(20), D(30), D(1000)], D(10)) == (D(251), D(250))
    assert R.spike(D(250), [D(10), D(20), D(30), D(1000)], D(10)) is None


def test_repeated_needs_the_whole_run_of_equal_figures():
    index = R.month_index(2023, 7)
    run = {index - 1: D(5), index - 2: D(5)}
    assert R.repeated(D(5), run, index, 3) == (D(5), None)
    assert R.repeated(D(5), {index - 1: D(5)}, index, 3) is None  # a month without a row breaks it
    assert R.repeated(D(5), {index - 1: D(5), index - 2: D(6)}, index, 3) is None
    assert R.repeated(D(5), {index - 1: D(5)}, index, 2) == (D(5), None)


def test_zeros_never_form_a_repeated_run():
    index = R.month_index(2023, 7)
    assert R.repeated(D(0), {index - 1: D(0), index - 2: D(0)}, index, 3) is None


@pytest.mark.parametrize("months_late, flagged", [(5, False), (6, False), (7, True)])
def test_after_completion_flags_only_beyond_the_allowed_months(months_late, flagged):
    index = R.month_index(2023, 7)
    result = R.after_completion(D(1), "completed", index - months_late, index, D(6))
    assert (result is not None) is flagged


def test_after_completion_ignores_projects_not_completed():
    index = R.month_index(2023, 7)
    assert R.after_completion(D(1), "in_progress", index - 12, index, D(6)) is None


def test_month_index_makes_december_and_january_neighbours():
    assert R.month_index(2024, 1) - R.month_index(2023, 12) == 1


def test_completeness_rate_is_unrounded_and_null_when_nothing_expected():
    assert R.completeness_rate(3, 2) == 2 / 3
    assert R.completeness_rate(0, 0) is None
