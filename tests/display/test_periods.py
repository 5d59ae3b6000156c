"""Periods: one parser, one converter, one query parser; labels in both languages. No database."""
from datetime import date

import pytest
from django.core.exceptions import BadRequest
from django.test import RequestFactory
from django.utils import translation

from twintrack.display.periods import (
    BadPeriod, Period, PeriodConverter, format_date, format_period, months_label, months_zh, parse_period,
    YearConverter, parse_year, period_from_query, period_label, shift_month, year_from_query,
)

requests = RequestFactory()


@pytest.mark.parametrize("text, expected", [("2023-07", (2023, 7)), ("2023-7", (2023, 7)), (" 2000-01 ", (2000, 1)),
                                            ("2100-12", (2100, 12))])
def test_a_period_parses_to_year_and_month(text, expected):
    assert parse_period(text) == expected
    assert str(parse_period(text)) == format_period(*expected)


@pytest.mark.parametrize("text", ["", "2023", "2023-13", "2023-00", "1999-12", "2101-01", "2023/07", "2023-07-01",
                                  "abc", "2023-7a"])
def test_a_malformed_period_is_refused_with_a_reason(text):
    with pytest.raises(ValueError, match="2023|YYYY-MM|month|year|''"):
        parse_period(text)


def test_years_parse_between_2000_and_2100():
    assert parse_year(" 2023 ") == 2023
    for text in ("1999", "2101", "20x3", "23", ""):
        with pytest.raises(ValueError):
            parse_year(text)


def test_months_shift_across_years():
    assert shift_month(2023, 1, -1) == Period(2022, 12)
    assert shift_month(2023, 12, 1) == Period(2024, 1)
    assert shift_month(2023, 7, -19) == Period(2021, 12)


def test_the_query_gives_the_period_or_the_default():
    assert period_from_query(requests.get("/", {"period": "2023-7"}), (2020, 1)) == (2023, 7)
    assert period_from_query(requests.get("/"), (2020, 1)) == (2020, 1)
    assert period_from_query(requests.get("/", {"period": " "}), lambda: (2021, 3)) == (2021, 3)
    assert period_from_query(requests.post("/", {"period": "2023-08"}), (2020, 1)) == (2023, 8)


def test_a_bad_period_in_the_query_is_a_bad_request_naming_it():
    with pytest.raises(BadRequest) as refused:
        period_from_query(requests.get("/", {"period": "2023-13"}), (2020, 1))
    assert isinstance(refused.value, BadPeriod) and refused.value.value == "2023-13"


def test_the_default_is_not_computed_when_a_period_is_given():
    def default():
        raise AssertionError("the default month was looked up")
    assert period_from_query(requests.get("/", {"period": "2023-07"}), default) == (2023, 7)


def test_the_query_year():
    assert year_from_query(requests.get("/", {"year": "2022"}), 2023) == 2022
    assert year_from_query(requests.get("/"), lambda: 2023) == 2023
    with pytest.raises(BadPeriod):
        year_from_query(requests.get("/", {"year": "20x3"}), 2023)


def test_the_path_converter_answers_400_not_404_for_a_bad_period():
    converter = PeriodConverter()
    assert converter.to_python("2023-7") == Period(2023, 7)
    assert converter.to_url("2023-7") == "2023-07"
    assert converter.to_url(Period(2023, 7)) == "2023-07"
    with pytest.raises(BadPeriod) as refused:
        converter.to_python("2023-13")
    assert not isinstance(refused.value, ValueError)  # a ValueError would make Django answer 404


def test_period_labels_in_both_languages():
    with translation.override("zh-hans"):
        assert period_label(2023, 7) == "2023年1月至7月"
        assert period_label(2023, 1) == "2023年1月"
    with translation.override("en"):
        assert period_label(2023, 7) == "January to July 2023"
        assert period_label(2023, 1) == "January 2023"


def test_the_months_a_bulletin_covers():
    assert months_zh(7) == "1-7月" and months_zh(1) == "1月"
    assert months_label(7, "zh") == "1-7月"
    assert months_label(7, "en") == "January-July"
    assert months_label(1, "en") == "January"


def test_days_as_documents_write_them():
    assert format_date(date(2023, 9, 15), "zh") == "2023年9月15日"
    assert format_date(date(2023, 9, 15), "en") == "15 September 2023"


def test_the_year_converter():
    converter = YearConverter()
    assert converter.to_python("2023") == 2023 and converter.to_url(2023) == "2023"
    with pytest.raises(BadPeriod):
        converter.to_python("1999")
