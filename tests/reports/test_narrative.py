"""The bulletin's opening sentence, in Chinese reporting units and in English."""
from decimal import Decimal

import pytest

from twintrack.display.amounts import percent, tce_zh, trim, yuan_en, yuan_zh
from twintrack.reports.narrative import narrative_en, narrative_zh


def bulletin_metrics(with_targets=True):
    def block(actual, rate):
        return {"actual": actual, "completion_rate": rate if with_targets else None}

    return {"projects": block(1505, 1.075), "investment_yuan": block(42965000000.0, 1.074125),
            "energy_saved_tce": block(319100.0, 319100 / 300000)}


def test_the_chinese_sentence_reads_like_the_bulletin():
    assert narrative_zh(bulletin_metrics(), 7, "city") == (
        "1-7月，全市累计启动“两化”改造项目1505个，完成率107.5%；完成技改投资429.65亿元，完成率107.41%；"
        "实现节能量31.91万吨标准煤，完成率106.37%。")


def test_the_english_sentence_reads_like_the_bulletin():
    assert narrative_en(bulletin_metrics(), 2023, 7) == (
        "From January to July 2023, 1,505 transformation projects were launched, 107.5% of the target; "
        "technological-transformation investment reached 42.965 billion yuan, 107.41% of the target; "
        "energy savings reached 319,100 tonnes of standard coal, 106.37% of the target.")


def test_without_targets_the_sentence_leaves_out_the_rates():
    zh = narrative_zh(bulletin_metrics(with_targets=False), 7, "district")
    assert "完成率" not in zh and zh.startswith("1-7月，全区")
    assert "of the target" not in narrative_en(bulletin_metrics(with_targets=False), 2023, 7)


def test_january_alone_is_named_as_one_month():
    assert narrative_zh(bulletin_metrics(), 1, "county").startswith("1月，全县")
    assert narrative_en(bulletin_metrics(), 2023, 1).startswith("In January 2023, ")


@pytest.mark.parametrize("rate, text", [(1.075, "107.5%"), (1.074125, "107.41%"), (1.0, "100%"),
                                        (0.58333333, "58.33%"), (1.0636666, "106.37%"), (None, None)])
def test_percentages_carry_at_most_two_decimals(rate, text):
    assert percent(rate) == text


@pytest.mark.parametrize("yuan, zh, en", [
    (Decimal("42965000000"), "429.65亿元", "42.965 billion yuan"),
    (Decimal("350000000"), "3.5亿元", "350 million yuan"),
    (Decimal("56780000"), "5678万元", "56.78 million yuan"),
    (Decimal("12345"), "1.23万元", "12,345 yuan"),
])
def test_investment_uses_chinese_reporting_units(yuan, zh, en):
    assert yuan_zh(yuan) == zh
    assert yuan_en(yuan) == en


def test_energy_uses_ten_thousand_tonnes_in_chinese():
    assert tce_zh(Decimal("319100")) == "31.91万吨标准煤"
    assert tce_zh(Decimal("8520.456")) == "8520.46吨标准煤"


def test_rounding_is_half_up_as_statisticians_expect():
    assert trim(Decimal("0.125"), 2) == "0.13"
