"""Amounts in reporting units, chart scales and periods, as the dashboard shows them."""
from decimal import Decimal

import pytest
from django.utils import translation

from twintrack.display.amounts import chart_scale, format_amount, split_amount
from twintrack.display.periods import period_label, shift_month


@pytest.mark.parametrize("metric, value, lang, text", [
    ("projects", 1505, "zh", "1505个"),
    ("projects", 1505, "en", "1,505 projects"),
    ("projects", 1, "en", "1 project"),
    ("investment_yuan", 42965000000.0, "zh", "429.65亿元"),
    ("investment_yuan", 42965000000.0, "en", "42.965 billion yuan"),
    ("investment_yuan", 38000000.0, "zh", "3800万元"),
    ("energy_saved_tce", 319100.0, "zh", "31.91万吨标准煤"),
    ("energy_saved_tce", 319100.0, "en", "319,100 tonnes of standard coal"),
    ("energy_saved_tce", None, "en", "—"),
])
def test_amounts_are_written_as_a_bulletin_writes_them(metric, value, lang, text):
    assert format_amount(metric, value, lang) == text


def test_table_cells_abbreviate_tonnes_of_standard_coal_in_english():
    assert format_amount("energy_saved_tce", 319100.0, "en", short=True) == "319,100 tce"


def test_a_big_number_is_split_from_its_unit():
    assert split_amount("429.65亿元") == ("429.65", "亿元")
    assert split_amount("42.965 billion yuan") == ("42.965", "billion yuan")
    assert split_amount("1,505 projects") == ("1,505", "projects")
    assert split_amount("—") == ("—", "")


def test_chart_axes_use_reporting_units_for_the_language():
    with translation.override("zh-hans"):
        assert chart_scale("investment_yuan", Decimal("4.3e10"), "zh").unit("zh") == "亿元"
        assert chart_scale("investment_yuan", Decimal("3.8e7"), "zh").unit("zh") == "万元"
        assert chart_scale("energy_saved_tce", Decimal("319100"), "zh").unit("zh") == "万吨标准煤"
        assert chart_scale("projects", 1505, "zh").unit("zh") == "个"
    with translation.override("en"):
        assert chart_scale("investment_yuan", Decimal("4.3e10"), "en").unit("en") == "billion yuan"
        assert chart_scale("investment_yuan", Decimal("3.8e7"), "en").divisor == Decimal("1e6")
        assert chart_scale("energy_saved_tce", Decimal("319100"), "en").unit("en") == "tonnes of standard coal"


def test_period_labels_in_both_languages():
    with translation.override("zh-hans"):
        assert period_label(2023, 7) == "2023年1月至7月"
        assert period_label(2023, 1) == "2023年1月"
    with translation.override("en"):
        assert period_label(2023, 7) == "January to July 2023"
        assert period_label(2023, 1) == "January 2023"


def test_months_shift_across_years():
    assert shift_month(2023, 1, -1) == (2022, 12)
    assert shift_month(2023, 12, 1) == (2024, 1)
