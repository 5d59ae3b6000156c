"""Amounts in reporting units, percentages, scales and labels. No database."""
from decimal import ROUND_HALF_EVEN, Decimal

import pytest
from django.utils import translation

from twintrack.display.amounts import (
    Scale, amount, amount_with_unit, chart_number, chart_scale, document_scale, format_amount, percent,
    percent_number, precise_amount, scaled, spreadsheet_scale, tce_en, tce_zh, trim, yuan_en, yuan_zh, zh_number,
)
from twintrack.display.labels import metric_label, metric_unit
from twintrack.display.language import active_lang, lang_of


def test_yuan_in_chinese_reporting_units():
    assert yuan_zh(Decimal("42965000000")) == "429.65亿元"
    assert yuan_zh(Decimal("38000000")) == "3800万元"
    assert yuan_zh(Decimal("12345")) == "1.23万元"


def test_yuan_in_english():
    assert yuan_en(Decimal("42965000000")) == "42.965 billion yuan"
    assert yuan_en(Decimal("38000000")) == "38 million yuan"
    assert yuan_en(Decimal("12345.5")) == "12,345.5 yuan"


def test_energy_in_both_languages():
    assert tce_zh(Decimal("319100")) == "31.91万吨标准煤"
    assert tce_zh(Decimal("9999.5")) == "9999.5吨标准煤"
    assert tce_en(Decimal("319100")) == "319,100 tonnes of standard coal"


@pytest.mark.parametrize("metric, value, lang, text", [
    ("investment_yuan", 42965000000, "zh", "429.65亿元"),
    ("investment_yuan", 42965000000, "en", "42.965 billion yuan"),
    ("co2_reduced_t", 25000, "zh", "2.5万吨"),
    ("co2_reduced_t", 25000, "en", "25,000 tonnes of CO2"),
    ("projects", None, "zh", "—"),
])
def test_one_amount_formatter_for_every_metric(metric, value, lang, text):
    assert format_amount(metric, value, lang) == text


def test_percentages_round_half_up_and_drop_trailing_zeros():
    assert percent(1.075) == "107.5%"
    assert percent(0.123456) == "12.35%"
    assert percent(Decimal("0.03125")) == "3.13%"
    assert percent(1) == "100%"
    assert percent(None) is None


def test_percentages_in_tables_keep_their_places():
    assert percent(1.075, keep_zeros=True) == "107.50%"
    assert percent(Decimal("0.625"), 1, keep_zeros=True) == "62.5%"


def test_pages_that_always_rounded_half_even_still_do():
    assert percent(Decimal("0.03125"), rounding=ROUND_HALF_EVEN) == "3.12%"
    assert percent(Decimal("0.0625"), 1, keep_zeros=True, rounding=ROUND_HALF_EVEN) == "6.2%"


def test_percentage_numbers_for_charts():
    assert percent_number(1.07512) == 107.51
    assert percent_number(None) is None


def test_trim():
    assert trim(Decimal("107.50"), 2) == "107.5"
    assert trim(Decimal("2.005"), 2) == "2.01"


def test_one_scale_for_documents_spreadsheets_and_charts():
    assert document_scale("investment_yuan", "zh") == Scale(Decimal("1e8"), "亿元", "100 million yuan", 2)
    assert amount(42965000000, "investment_yuan", "zh") == "429.65"
    assert amount_with_unit(42965000000, "investment_yuan", "en") == "42,965.0 million yuan"
    assert spreadsheet_scale("investment_yuan").unit("zh") == "万元"
    assert scaled(42965000000, spreadsheet_scale("investment_yuan")) == 4296500.0
    assert precise_amount(Decimal("12345.67"), "investment_yuan") == "1.234567"
    scale = chart_scale("investment_yuan", Decimal("4.3e10"), "zh")
    assert scale.unit("zh") == "亿元" and chart_number(42965000000, scale) == 429.65


def test_an_unknown_metric_shows_with_its_key():
    assert metric_label("water_saved_m3", "en") == "water_saved_m3"
    assert document_scale("water_saved_m3", "zh").divisor == 1


def test_metric_labels_in_both_languages():
    assert metric_label("investment_yuan", "zh") == "技改投资"
    assert metric_label("investment_yuan", "en") == "Technological-transformation investment"
    assert metric_label("investment_yuan", "en", short=True) == "Investment"
    assert metric_label("investment_yuan", "zh", short=True) == "技改投资"
    assert metric_unit("energy_saved_tce", "zh") == "吨标准煤"


def test_the_metric_rules_name_metrics_with_the_display_labels():
    from twintrack.metrics.rules import METRIC_BY_KEY, metric_from_label

    assert METRIC_BY_KEY["energy_saved_tce"].label_zh == metric_label("energy_saved_tce", "zh")
    assert metric_from_label("节能量") == "energy_saved_tce"


@pytest.mark.parametrize("code, lang", [("en", "en"), ("en-gb", "en"), ("zh-hans", "zh"), ("", "zh"), (None, "zh")])
def test_the_language_decision(code, lang):
    assert lang_of(code) == lang


def test_the_active_language():
    with translation.override("en"):
        assert active_lang() == "en"
    with translation.override("zh-hans"):
        assert active_lang() == "zh"


def test_chinese_numerals_for_sections_and_rankings():
    assert [zh_number(n) for n in (1, 9, 10, 12, 20, 21)] == ["一", "九", "十", "十二", "二十", "二十一"]
