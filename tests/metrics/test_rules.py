"""The contract's metric and period rules, without a database."""
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from twintrack.display.periods import parse_period
from twintrack.metrics.rules import (
    Totals, diff_contributions, expand_to_ancestors, is_ahead_of_schedule, metric_figures, metric_from_label,
    rate, schedule_rate, tce_to_micro, yuan_to_fen,
)


def test_the_schedule_rate_is_the_elapsed_share_of_the_year():
    assert schedule_rate(7) == 7 / 12
    assert schedule_rate(12) == 1


def test_a_completion_rate_is_an_unrounded_fraction():
    assert rate(1505, Decimal(1400)) == 1.075
    assert rate(Decimal("42965000000"), Decimal("40000000000")) == 1.074125


def test_a_missing_or_zero_target_gives_no_rate():
    assert rate(10, None) is None
    assert rate(10, Decimal(0)) is None


def test_a_unit_is_ahead_of_schedule_when_its_annual_rate_reaches_the_elapsed_share():
    assert is_ahead_of_schedule(7 / 12, 7) is True
    assert is_ahead_of_schedule(0.5, 7) is False
    assert is_ahead_of_schedule(None, 7) is None


def test_metric_figures_carry_every_field_of_the_contract():
    figures = metric_figures(1505, Decimal(1400), Decimal(2400), 7)
    assert figures == {"actual": 1505, "target": Decimal(1400), "completion_rate": 1.075,
                       "annual_target": Decimal(2400), "annual_rate": 1505 / 2400, "schedule_rate": 7 / 12}


def test_metrics_are_named_by_key_or_chinese_label():
    assert metric_from_label("项目数") == "projects"
    assert metric_from_label(" 技改投资 ") == "investment_yuan"
    assert metric_from_label("energy_saved_tce") == "energy_saved_tce"
    assert metric_from_label("产值") is None


@pytest.mark.parametrize("text, expected", [("2023-07", (2023, 7)), ("2023-7", (2023, 7)), ("2024-12", (2024, 12))])
def test_periods_parse(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2023-13", "2023-00", "23-07", "2023/07x", "", "1999-01"])
def test_bad_periods_are_refused_with_a_reason(text):
    with pytest.raises(ValueError):
        parse_period(text)


def test_a_fact_counts_for_its_unit_and_every_unit_above():
    ancestors = {3: [1, 2, 3], 4: [1, 4]}
    deltas = {(3, 2023, 1): Totals(1, 100, 0), (4, 2023, 1): Totals(0, 50, 7)}
    assert expand_to_ancestors(deltas, ancestors) == {
        (1, 2023, 1): Totals(1, 150, 7), (2, 2023, 1): Totals(1, 100, 0),
        (3, 2023, 1): Totals(1, 100, 0), (4, 2023, 1): Totals(0, 50, 7),
    }


def test_zero_deltas_write_nothing():
    assert expand_to_ancestors({(3, 2023, 1): Totals()}, {3: [1, 3]}) == {}


def test_moving_contributions_subtracts_the_old_and_adds_the_new():
    before = {(3, 2023, 1): Totals(1, 100, 0)}
    after = {(4, 2023, 1): Totals(1, 100, 0)}
    assert diff_contributions(before, after) == {(3, 2023, 1): Totals(-1, -100, 0), (4, 2023, 1): Totals(1, 100, 0)}


amounts = st.decimals(min_value=0, max_value=Decimal("1e12"), places=2, allow_nan=False, allow_infinity=False)


@given(st.lists(amounts, max_size=50))
def test_integer_units_add_up_exactly(values):
    assert sum(yuan_to_fen(v) for v in values) == yuan_to_fen(sum(values, Decimal(0)))


def test_empty_amounts_count_as_nothing():
    assert yuan_to_fen(None) == 0 and tce_to_micro(None) == 0
    assert tce_to_micro(Decimal("0.000001")) == 1
