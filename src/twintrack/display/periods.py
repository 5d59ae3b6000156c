"""Periods: a reporting month "YYYY-MM" (the bulletin covers January..that month of its year).

One parser (`parse_period`) and one failure behaviour on the web: a period that does not parse,
in a path (`<period:...>`) or in a query (`period_from_query`), answers 400 with a translated
page (`BadPeriod`, shown by the project's handler400). What month to show by default (the latest
with figures) is a metrics question and is passed in by the caller.
"""
from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Callable, NamedTuple

from django.core.exceptions import BadRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

PERIOD_RE = re.compile(r"^(\d{4})-(\d{1,2})$")
FIRST_YEAR, LAST_YEAR = 2000, 2100


class Period(NamedTuple):
    year: int
    month: int

    def __str__(self) -> str:
        return format_period(self.year, self.month)


class BadPeriod(BadRequest):
    """A period in a URL that does not parse: the request is answered 400."""

    def __init__(self, value: str):
        super().__init__(f"invalid period {value[:20]!r}")
        self.value = value


def parse_period(text: str) -> Period:
    """'2023-07' -> (2023, 7). Raises ValueError with a readable reason."""
    match = PERIOD_RE.match(text.strip())
    if not match:
        raise ValueError(f"{text!r} is not a month in the form YYYY-MM")
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"{text!r}: month must be 01-12")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{text!r}: year must be 2000-2100")
    return Period(year, month)


def format_period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def parse_year(text: str) -> int:
    """'2023' -> 2023. Raises ValueError outside 2000-2100."""
    text = text.strip()
    if not re.fullmatch(r"\d{4}", text) or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ValueError(f"{text!r} is not a year between 2000 and 2100")
    return int(text)


def shift_month(year: int, month: int, delta: int) -> Period:
    index = year * 12 + (month - 1) + delta
    return Period(index // 12, index % 12 + 1)


def current_month() -> Period:
    today = timezone.localdate()
    return Period(today.year, today.month)


# --- on the web ---------------------------------------------------------------------------

def _query_text(request, name: str) -> str:
    return (request.GET.get(name) or request.POST.get(name) or "").strip()


def period_from_query(request, default: Period | tuple[int, int] | Callable[[], tuple[int, int]]) -> Period:
    """The `period` of the query (or the posted form); `default` (a month, or a function giving
    one) when none is given; BadPeriod (400) when it does not parse."""
    text = _query_text(request, "period")
    if not text:
        return Period(*(default() if callable(default) else default))
    try:
        return parse_period(text)
    except ValueError:
        raise BadPeriod(text) from None


def period_in_query(request) -> Period | None:
    """The `period` the query (or the posted form) names, or None; BadPeriod (400) when it does
    not parse."""
    return period_from_query(request, (0, 0)) if _query_text(request, "period") else None


def year_from_query(request, default: int | Callable[[], int]) -> int:
    """The `year` of the query; `default` when none is given; BadPeriod (400) when it does not parse."""
    text = _query_text(request, "year")
    if not text:
        return default() if callable(default) else default
    try:
        return parse_year(text)
    except ValueError:
        raise BadPeriod(text) from None


class PeriodConverter:
    """`<period:name>` in a URL pattern: the view receives a Period; a malformed one is a 400,
    not a 404 (a converter's ValueError would make Django try the next pattern and answer 404)."""

    regex = r"[^/]+"

    @staticmethod
    def parse(text: str) -> Period:
        return parse_period(text)

    def to_python(self, value: str):
        try:
            return self.parse(value)
        except ValueError:
            raise BadPeriod(value) from None

    def to_url(self, value) -> str:
        if isinstance(value, str):
            value = self.parse(value)
        return format_period(*value)


class YearConverter(PeriodConverter):
    """`<year:name>`: a year 2000-2100, as an int."""

    @staticmethod
    def parse(text: str) -> int:
        return parse_year(text)

    def to_url(self, value) -> str:
        return str(parse_year(str(value)))


# --- labels ---------------------------------------------------------------------------------

MONTH_NAMES = {
    1: pgettext_lazy("month name", "January"), 2: pgettext_lazy("month name", "February"),
    3: pgettext_lazy("month name", "March"), 4: pgettext_lazy("month name", "April"),
    5: pgettext_lazy("month name", "May"), 6: pgettext_lazy("month name", "June"),
    7: pgettext_lazy("month name", "July"), 8: pgettext_lazy("month name", "August"),
    9: pgettext_lazy("month name", "September"), 10: pgettext_lazy("month name", "October"),
    11: pgettext_lazy("month name", "November"), 12: pgettext_lazy("month name", "December"),
}

MONTH_ABBREVIATIONS = {
    1: pgettext_lazy("month abbreviation", "Jan"), 2: pgettext_lazy("month abbreviation", "Feb"),
    3: pgettext_lazy("month abbreviation", "Mar"), 4: pgettext_lazy("month abbreviation", "Apr"),
    5: pgettext_lazy("month abbreviation", "May"), 6: pgettext_lazy("month abbreviation", "Jun"),
    7: pgettext_lazy("month abbreviation", "Jul"), 8: pgettext_lazy("month abbreviation", "Aug"),
    9: pgettext_lazy("month abbreviation", "Sep"), 10: pgettext_lazy("month abbreviation", "Oct"),
    11: pgettext_lazy("month abbreviation", "Nov"), 12: pgettext_lazy("month abbreviation", "Dec"),
}


def period_label(year: int, month: int) -> str:
    """The cumulative range a report covers, in the active language: 'January to July 2023' /
    '2023年1月至7月'."""
    if month == 1:
        return _("January %(year)s") % {"year": year}
    return _("January to %(month)s %(year)s") % {"month": MONTH_NAMES[month], "year": year}


def month_label(year: int, month: int) -> str:
    """One month in the active language: 'July 2023' / '2023年7月'."""
    return pgettext("one month", "%(month)s %(year)s") % {"month": MONTH_NAMES[month], "year": year}


def months_zh(month: int) -> str:
    """The months January..month as a bulletin writes them: '1月', '1-7月'."""
    return "1月" if month == 1 else f"1-{month}月"


def months_en(year: int, month: int) -> str:
    """The opening of an English bulletin sentence: 'In January 2023', 'From January to July 2023'."""
    if month == 1:
        return f"In January {year}"
    return f"From January to {calendar.month_name[month]} {year}"


def months_label(month: int, lang: str) -> str:
    """The months January..month in a heading or a column: '1-7月' / 'January-July'."""
    if lang == "zh":
        return months_zh(month)
    if month == 1:
        return "January"
    return f"January-{calendar.month_name[month]}"


# --- days -----------------------------------------------------------------------------------------

def date_zh(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def date_en(day: date) -> str:
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def format_date(day: date, lang: str) -> str:
    """A day as a document writes it: '2023年9月15日' / '15 September 2023'."""
    return date_zh(day) if lang == "zh" else date_en(day)
