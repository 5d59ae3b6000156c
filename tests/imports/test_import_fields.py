"""The field parsers, without a database."""
from datetime import date, datetime
from decimal import Decimal

import pytest

from twintrack.imports import fields as f
from twintrack.imports.fields import FieldError
from twintrack.orgs.models import ORG_KIND_ZH
from twintrack.programme.importing import parse_metric

from import_helpers import valid_uscc as make_uscc


def reason(parser, *args, **kwargs) -> str:
    with pytest.raises(FieldError) as info:
        parser(*args, **kwargs)
    return info.value.reason


# --- numbers ---------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("1,234.5", Decimal("1234.5")),
    ("1234.5", Decimal("1234.5")),
    ("1,234,567", Decimal("1234567")),
    ("  42 ", Decimal("42")),
    ("１，２３４．５", Decimal("1234.5")),
    ("0.000001", Decimal("0.000001")),
    ("1.5e3", Decimal("1500")),
    ("¥1,000", Decimal("1000")),
])
def test_decimals_accept_thousands_separators_and_full_width_digits(text, expected):
    assert f.parse_decimal(text) == expected


def test_an_empty_optional_number_is_none_not_zero():
    assert f.parse_decimal("") is None
    assert f.parse_decimal("   ") is None
    assert f.parse_yuan("") is None
    assert f.parse_tce("\u3000") is None


@pytest.mark.parametrize("text", ["1,5", "12,34.5", "abc", "1.2.3", "--1", "NaN", "Infinity"])
def test_a_decimal_comma_or_text_is_not_a_number(text):
    assert reason(f.parse_decimal, text) == f'"{text}" is not a number'


def test_negative_amounts_are_refused():
    assert reason(f.parse_yuan, "-1") == '"-1": must not be negative'
    assert reason(f.parse_tce, "-0.5") == '"-0.5": must not be negative'


def test_a_target_value_must_be_greater_than_zero():
    assert reason(f.parse_target_value, "0") == '"0": must be greater than 0'
    assert reason(f.parse_target_value, "") == "a value is required"
    assert f.parse_target_value("2,400") == Decimal("2400")


def test_ten_thousand_yuan_become_yuan_exactly():
    assert f.parse_yuan("1.2345", ten_thousands=True) == Decimal("12345.00")
    assert f.parse_yuan("429,650.01", ten_thousands=True) == Decimal("4296500100")
    assert f.parse_yuan("0.000001", ten_thousands=True) == Decimal("0.01")


def test_amounts_are_rounded_half_up_to_the_stored_precision():
    assert f.parse_yuan("0.30000000000000004") == Decimal("0.30")
    assert f.parse_yuan("0.005") == Decimal("0.01")
    assert f.parse_tce("1.0000005") == Decimal("1.000001")


def test_a_required_amount_must_be_given():
    assert reason(f.parse_yuan, "", required=True) == "a value is required"


def test_an_absurdly_large_amount_is_refused():
    assert reason(f.parse_yuan, "1" + "0" * 18) == f'"1{"0" * 18}" is too large'


# --- years and months -------------------------------------------------------------------

def test_years_must_be_between_2000_and_2100():
    assert f.parse_year("2023") == 2023
    assert f.parse_year("2023年") == 2023
    assert reason(f.parse_year, "1999") == '"1999": the year must be between 2000 and 2100'
    assert reason(f.parse_year, "twenty") == '"twenty" is not a year'


def test_through_month_is_1_to_12():
    assert [f.parse_month_number(t) for t in ("1", "07", "12", "7月")] == [1, 7, 12, 7]
    assert reason(f.parse_month_number, "13") == '"13" is not a month number from 1 to 12'
    assert reason(f.parse_month_number, "0") == '"0" is not a month number from 1 to 12'


@pytest.mark.parametrize("text", ["2023-07", "2023-7", "2023/07", "2023年7月", "2023年07月", "202307", "2023.07",
                                  "２０２３－０７"])
def test_months_accept_the_usual_spellings(text):
    assert f.parse_month(text) == (2023, 7)


def test_a_month_cell_that_excel_turned_into_a_date_is_its_month():
    assert f.parse_month(datetime(2023, 7, 1)) == (2023, 7)
    assert f.parse_month(date(2023, 7, 1)) == (2023, 7)


def test_bad_months_are_explained():
    assert reason(f.parse_month, "2023-13") == '"2023-13": the month must be 01-12'
    assert reason(f.parse_month, "July 2023") == '"July 2023" is not a month in the form YYYY-MM'
    assert reason(f.parse_month, "1999-12") == '"1999-12": the year must be between 2000 and 2100'


@pytest.mark.parametrize("value", ["2023-03-01", "2023/3/1", "2023.03.01", "2023年3月1日", "20230301",
                                   "2023-03-01 00:00:00", datetime(2023, 3, 1), date(2023, 3, 1)])
def test_dates_accept_iso_slashes_chinese_and_excel_date_cells(value):
    assert f.parse_date(value) == date(2023, 3, 1)


def test_bad_dates_are_explained():
    assert reason(f.parse_date, "2023-02-30") == '"2023-02-30" is not a valid date'
    assert reason(f.parse_date, "03/01/2023") == '"03/01/2023" is not a date in the form YYYY-MM-DD'
    assert reason(f.parse_date, "") == "a value is required"
    assert f.parse_date("", required=False) is None


# --- booleans, enumerations, codes ----------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("true", True), ("TRUE", True), ("是", True), ("1", True), ("yes", True),
    ("false", False), ("否", False), ("0", False), ("No", False), ("", None),
])
def test_booleans_accept_true_false_and_chinese(text, expected):
    assert f.parse_bool(text) is expected


def test_a_bad_boolean_is_explained():
    assert reason(f.parse_bool, "maybe") == '"maybe" is not a yes/no value: use true or false (是 or 否)'


def test_enumerations_accept_the_key_or_the_chinese_label():
    assert f.parse_enum("county_city", ORG_KIND_ZH) == "county_city"
    assert f.parse_enum("县级市", ORG_KIND_ZH) == "county_city"
    assert f.parse_enum("市", ORG_KIND_ZH) == "city"
    assert f.parse_enum(" City ", ORG_KIND_ZH) == "city"
    assert f.parse_enum("", ORG_KIND_ZH, required=False) == ""


def test_a_bad_enumeration_lists_the_choices():
    assert reason(f.parse_enum, "town", ORG_KIND_ZH) == (
        '"town" is not one of: province (省), city (市), district (区), county (县), county_city (县级市), '
        "zone (功能区)")


def test_org_codes_are_2_to_32_letters_digits_underscores_or_hyphens():
    assert f.parse_org_code("330402") == "330402"
    assert f.parse_org_code("JX_GQ-1") == "JX_GQ-1"
    for bad in ("3", "33 04", "嘉兴", "x" * 33):
        assert reason(f.parse_org_code, bad) == f'"{bad}" is not an org unit code: use 2-32 letters, digits, _ or -'


def test_a_valid_uscc_is_accepted_in_its_compact_upper_case_form():
    code = make_uscc(7)
    assert f.parse_uscc(code) == code
    assert f.parse_uscc(code.lower()) == code
    assert f.parse_uscc(f" {code[:6]} {code[6:]} ") == code


def test_a_uscc_with_a_wrong_check_digit_says_which_digit_it_should_be():
    code = make_uscc(7)
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert reason(f.parse_uscc, wrong) == (
        f'"{wrong}" is not a valid unified social credit code: the check digit should be {code[17]}')


def test_a_uscc_of_the_wrong_length_or_alphabet_is_explained():
    assert reason(f.parse_uscc, "91330402") == (
        '"91330402" is not a unified social credit code: it has 8 characters, not 18')
    assert reason(f.parse_uscc, "9133040IMA0000001X") == (
        '"9133040IMA0000001X" is not a unified social credit code: the first 8 characters must be digits and '
        "the others digits or capital letters other than I, O, S, V and Z")


def test_industry_codes_must_be_known_manufacturing_codes():
    known = {"13", "131", "1311", "33", "3311", "12"}
    assert f.parse_industry_code("3311", known) == "3311"
    assert f.parse_industry_code("C3311", known) == "3311"
    assert f.parse_industry_code("13", known) == "13"
    for bad in ("12", "9999", "A0111", "C", ""):
        message = reason(f.parse_industry_code, bad, known)
        assert message == "a value is required" if not bad else message.endswith(
            "is not a GB/T 4754-2017 manufacturing industry code (division 13-43, group or class)")


def test_metrics_are_named_by_key_or_chinese_label():
    assert parse_metric("investment_yuan") == "investment_yuan"
    assert parse_metric("技改投资") == "investment_yuan"
    assert parse_metric("Projects") == "projects"
    assert reason(parse_metric, "产值").startswith('"产值" is not a metric: use one of projects (项目数)')


def test_text_longer_than_the_field_is_refused():
    assert reason(f.parse_text, "x" * 101, max_length=100) == "too long: 101 characters, at most 100 allowed"
    assert f.parse_text("  名称  ", required=True) == "名称"
