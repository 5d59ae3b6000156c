"""Field parsers for import files (data contract section 2), as plain functions.

Nothing here touches the database: where a rule needs reference data (industry codes),
the caller passes it in. Each parser takes a cell as the reader delivers it (a stripped
string, or a `date`/`datetime` from an .xlsx date cell) and returns the parsed value or
raises `FieldError` with a readable, translatable reason.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Container, Mapping

from django.utils.translation import gettext as _

from twintrack.display.periods import format_period

Cell = str | date | datetime | None
_INVISIBLE = "\ufeff\u200b\u200c\u200d\u2060"

MIN_YEAR, MAX_YEAR = 2000, 2100
YUAN_PLACES = Decimal("0.01")
TCE_PLACES = Decimal("0.000001")
TARGET_PLACES = Decimal("0.000001")
YUAN_LIMIT = Decimal(10) ** 18       # DecimalField(max_digits=20, decimal_places=2)
TCE_LIMIT = Decimal(10) ** 14        # DecimalField(max_digits=20, decimal_places=6)
TARGET_LIMIT = Decimal(10) ** 18     # DecimalField(max_digits=24, decimal_places=6)
TEN_THOUSAND = Decimal(10000)


class UnsavedFormula(str):
    """A formula cell of an .xlsx with no saved result (written by a program, never opened in
    Excel or WPS): empty text to every parser, but the importer refuses the row, naming the cell."""


UNSAVED_FORMULA = UnsavedFormula("")


class FieldError(ValueError):
    """A cell's value breaks a rule; `reason` is a whole sentence, already translated."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# --- text ---------------------------------------------------------------------

def as_text(value: Cell) -> str:
    """A cell as text, stripped of surrounding (also full-width) spaces."""
    if value.__class__ is str:
        text = value.strip()
        if text and (text[0] in _INVISIBLE or text[-1] in _INVISIBLE):
            text = text.strip(_INVISIBLE + " ").strip()
        return text
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return as_text(str(value))


def is_empty(value: Cell) -> bool:
    return as_text(value) == ""


def _fold(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text).strip()


def quoted(value: Cell) -> str:
    text = as_text(value)
    if len(text) > 60:
        text = text[:57] + "..."
    return f'"{text}"'


def parse_text(value: Cell, *, required: bool = False, max_length: int | None = None) -> str:
    """Free text; empty optional text is ''."""
    text = as_text(value)
    if not text:
        if required:
            raise FieldError(_("a value is required"))
        return ""
    if max_length is not None and len(text) > max_length:
        raise FieldError(_("too long: %(length)d characters, at most %(max)d allowed")
                         % {"length": len(text), "max": max_length})
    return text


def required(value: Cell) -> None:
    if is_empty(value):
        raise FieldError(_("a value is required"))


# --- numbers --------------------------------------------------------------------

_SIMPLE_DECIMAL = re.compile(r"^\d{1,30}(\.\d{1,30})?$", re.ASCII)
_GROUPED = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_PLAIN_DECIMAL = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u2009\u202f\u3000]+")


def parse_decimal(value: Cell) -> Decimal | None:
    """'1,234.5', '１，２３４．５', '1234.5' -> Decimal; empty -> None.

    Thousands separators must group by three, so that '1,5' (a decimal comma) is refused
    rather than read as 15.
    """
    if isinstance(value, (date, datetime)):
        raise FieldError(_("%(value)s is a date, not a number") % {"value": quoted(value)})
    text = as_text(value)
    if not text:
        return None
    if _SIMPLE_DECIMAL.match(text):
        return Decimal(text)
    folded = _SPACES.sub("", _fold(text)).lstrip("¥￥")
    if _GROUPED.match(folded):
        number = Decimal(folded.replace(",", ""))
    elif _PLAIN_DECIMAL.match(folded):
        try:
            number = Decimal(folded)
        except InvalidOperation:  # pragma: no cover - the pattern admits only valid decimals
            raise FieldError(_("%(value)s is not a number") % {"value": quoted(value)})
    else:
        raise FieldError(_("%(value)s is not a number") % {"value": quoted(value)})
    if number == 0:
        number = abs(number)  # no "-0"
    return number


def _bounded(number: Decimal, value: Cell, places: Decimal, limit: Decimal) -> Decimal:
    if abs(number) >= limit:
        raise FieldError(_("%(value)s is too large") % {"value": quoted(value)})
    return number.quantize(places, rounding=ROUND_HALF_UP)


def parse_amount(value: Cell, *, places: Decimal, limit: Decimal, minimum: str = ">=0",
                 multiplier: Decimal | None = None, required: bool = False) -> Decimal | None:
    """A decimal with a lower bound (`>=0` or `>0`), optionally scaled (万元 -> 元) and rounded
    half up to the stored precision (fen for yuan, micro-tce for energy)."""
    number = parse_decimal(value)
    if number is None:
        if required:
            raise FieldError(_("a value is required"))
        return None
    if minimum == ">0" and number <= 0:
        raise FieldError(_("%(value)s: must be greater than 0") % {"value": quoted(value)})
    if minimum == ">=0" and number < 0:
        raise FieldError(_("%(value)s: must not be negative") % {"value": quoted(value)})
    if multiplier is not None:
        number = number * multiplier
    result = _bounded(number, value, places, limit)
    if minimum == ">0" and result <= 0:
        raise FieldError(_("%(value)s: must be greater than 0") % {"value": quoted(value)})
    return result


_YUAN_UNIT = re.compile(r"^(.*?)\s*(万元|万|元)$")


def parse_yuan(value: Cell, *, ten_thousands: bool = False, required: bool = False) -> Decimal | None:
    """An amount in yuan (>= 0), or in units of 10,000 yuan (万元) converted exactly to yuan.
    A unit written in the cell wins over the column's: '12.5万' is 125,000 yuan, '800元' 800."""
    match = _YUAN_UNIT.match(as_text(value)) if isinstance(value, str) else None
    if match and match.group(1):
        value, ten_thousands = match.group(1), match.group(2) != "元"
    return parse_amount(value, places=YUAN_PLACES, limit=YUAN_LIMIT, minimum=">=0",
                        multiplier=TEN_THOUSAND if ten_thousands else None, required=required)


def parse_tce(value: Cell) -> Decimal | None:
    return parse_amount(value, places=TCE_PLACES, limit=TCE_LIMIT, minimum=">=0")


def parse_target_value(value: Cell) -> Decimal:
    return parse_amount(value, places=TARGET_PLACES, limit=TARGET_LIMIT, minimum=">0", required=True)


def _parse_int(value: Cell, suffixes: str = "") -> int | None:
    text = as_text(value)
    if not text:
        return None
    folded = _fold(text).rstrip(suffixes).strip() if suffixes else _fold(text)
    if re.fullmatch(r"\d+(\.0+)?", folded):
        return int(folded.split(".")[0])
    return None


def parse_year(value: Cell) -> int:
    """2000-2100; '2023', '2023年'."""
    if is_empty(value):
        raise FieldError(_("a value is required"))
    year = _parse_int(value, "年")
    if year is None:
        raise FieldError(_("%(value)s is not a year") % {"value": quoted(value)})
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(_("%(value)s: the year must be between %(min)d and %(max)d")
                         % {"value": quoted(value), "min": MIN_YEAR, "max": MAX_YEAR})
    return year


def parse_month_number(value: Cell) -> int:
    """1-12; '7', '07', '7月'."""
    if is_empty(value):
        raise FieldError(_("a value is required"))
    month = _parse_int(value, "月")
    if month is None or not 1 <= month <= 12:
        raise FieldError(_("%(value)s is not a month number from 1 to 12") % {"value": quoted(value)})
    return month


# --- dates and months -------------------------------------------------------------

_DATE_RE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$")
_DATE_ZH_RE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_DATE_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_ISO_RE = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)
_MONTH_RE = re.compile(r"^(\d{4})[-/](\d{1,2})$")
_MONTH_DOT_RE = re.compile(r"^(\d{4})\.(\d{2})$")
_MONTH_ZH_RE = re.compile(r"^(\d{4})年(\d{1,2})月?$")
_MONTH_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})$")


def _check_year(year: int, value: Cell) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise FieldError(_("%(value)s: the year must be between %(min)d and %(max)d")
                         % {"value": quoted(value), "min": MIN_YEAR, "max": MAX_YEAR})


def parse_date(value: Cell, *, required: bool = True) -> date | None:
    """YYYY-MM-DD (also YYYY/MM/DD, YYYY.MM.DD, YYYY年M月D日, YYYYMMDD, an Excel date cell)."""
    if isinstance(value, datetime):
        result = value.date()
    elif isinstance(value, date):
        result = value
    else:
        text = as_text(value)
        if not text:
            if required:
                raise FieldError(_("a value is required"))
            return None
        folded = _fold(text)
        match = _DATE_RE.match(folded) or _DATE_ZH_RE.match(folded) or _DATE_COMPACT_RE.match(folded)
        if not match:
            raise FieldError(_("%(value)s is not a date in the form YYYY-MM-DD") % {"value": quoted(value)})
        try:
            result = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            raise FieldError(_("%(value)s is not a valid date") % {"value": quoted(value)})
    _check_year(result.year, value)
    return result


# --- the plain fast path --------------------------------------------------------------------
#
# Most cells of a month-end file are plain ASCII ('2023-07', '43157.92'). These read them
# exactly as the general parsers would, and return NOT_PLAIN for anything else, which then
# goes the general way (and gets its error message there). Tested against the general
# parsers in tests/imports/test_plain_fast_path.py.

NOT_PLAIN = object()
_PLAIN_TEXT = re.compile(r"^[0-9A-Za-z_./-]+$", re.ASCII)


def plain_text(value: Cell):
    if value.__class__ is not str or not _PLAIN_TEXT.match(value):
        return NOT_PLAIN
    return value


def plain_amount(value: Cell, places: Decimal, limit: Decimal):
    """'' -> None; a plain non-negative decimal -> rounded Decimal; else NOT_PLAIN."""
    if value.__class__ is not str:
        return NOT_PLAIN
    if value == "":
        return None
    if not _SIMPLE_DECIMAL.match(value):
        return NOT_PLAIN
    number = Decimal(value)
    if number >= limit:
        return NOT_PLAIN
    return number.quantize(places, rounding=ROUND_HALF_UP)


def plain_month(value: Cell):
    if value.__class__ is not str:
        return NOT_PLAIN
    match = _MONTH_ISO_RE.match(value)
    if not match:
        return NOT_PLAIN
    year, month = int(match.group(1)), int(match.group(2))
    if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR:
        return year, month
    return NOT_PLAIN


def _month_of_date(text: str):
    """A date typed as text ('2023-11-01', '2023/11/1', '2023年11月1日'): its match, when the date is valid."""
    match = _DATE_RE.match(text) or _DATE_ZH_RE.match(text)
    if match:
        try:
            date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            return None
    return match


def parse_month(value: Cell) -> tuple[int, int]:
    """YYYY-MM (also YYYY/MM, YYYY.MM, YYYY年M月, YYYYMM, a date such as 2023/11/1 as text or an
    Excel date cell) -> (year, month)."""
    if isinstance(value, (date, datetime)):
        year, month = value.year, value.month
    else:
        text = as_text(value)
        if not text:
            raise FieldError(_("a value is required"))
        match = _MONTH_ISO_RE.match(text)
        if match:
            year, month = int(match.group(1)), int(match.group(2))
            if 1 <= month <= 12 and MIN_YEAR <= year <= MAX_YEAR:
                return year, month
        folded = _fold(text)
        match = (_MONTH_RE.match(folded) or _MONTH_DOT_RE.match(folded) or _MONTH_ZH_RE.match(folded)
                 or _MONTH_COMPACT_RE.match(folded) or _month_of_date(folded))
        if not match:
            raise FieldError(_("%(value)s is not a month in the form YYYY-MM") % {"value": quoted(value)})
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise FieldError(_("%(value)s: the month must be 01-12") % {"value": quoted(value)})
    _check_year(year, value)
    return year, month


def format_month(year: int, month: int) -> str:
    return format_period(year, month)


# --- booleans and enumerations ----------------------------------------------------------

TRUE_WORDS = {"true", "是", "1", "yes", "y", "t"}
FALSE_WORDS = {"false", "否", "0", "no", "n", "f"}


def parse_bool(value: Cell) -> bool | None:
    """true/false, 是/否, 1/0, yes/no; empty -> None."""
    text = as_text(value)
    if not text:
        return None
    folded = _fold(text).lower()
    if folded in TRUE_WORDS:
        return True
    if folded in FALSE_WORDS:
        return False
    raise FieldError(_("%(value)s is not a yes/no value: use true or false (是 or 否)") % {"value": quoted(value)})


class Choices:
    """An enumeration's accepted spellings: key (any case), Chinese label, English label."""

    def __init__(self, labels_zh: Mapping[str, str], labels_en: Mapping[str, str] | None = None):
        self.labels_zh = dict(labels_zh)
        self.lookup: dict[str, str] = {}
        for key, label in (labels_en or {}).items():
            self.lookup[str(label).lower()] = key
        for key, label in self.labels_zh.items():
            self.lookup[key.lower()] = key
            self.lookup[label] = key
            self.lookup[_fold(label)] = key

    def parse(self, value: Cell, required: bool = True) -> str:
        text = as_text(value)
        if not text:
            if required:
                raise FieldError(_("a value is required"))
            return ""
        key = self.lookup.get(text) or self.lookup.get(text.lower()) or self.lookup.get(_fold(text).lower())
        if key is None:
            choices = ", ".join(f"{key} ({label})" for key, label in self.labels_zh.items())
            raise FieldError(_("%(value)s is not one of: %(choices)s") % {"value": quoted(value), "choices": choices})
        return key


def parse_enum(value: Cell, labels_zh: Mapping[str, str] | Choices, *, required: bool = True,
               labels_en: Mapping[str, str] | None = None) -> str:
    """An enumeration by key or Chinese label (or English label); returns the key."""
    choices = labels_zh if isinstance(labels_zh, Choices) else Choices(labels_zh, labels_en)
    return choices.parse(value, required)


# --- codes ----------------------------------------------------------------------------

ORG_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{2,32}$")


def parse_org_code(value: Cell) -> str:
    """2-32 characters of A-Z a-z 0-9 _ - (administrative units: their GB/T 2260 code)."""
    text = as_text(value)
    if not text:
        raise FieldError(_("a value is required"))
    if not ORG_CODE_RE.match(text):
        raise FieldError(_("%(value)s is not an org unit code: use 2-32 letters, digits, _ or -")
                         % {"value": quoted(value)})
    return text


def parse_uscc(value: Cell) -> str:
    """An 18-character unified social credit code (GB 32100-2015) with a verified check digit;
    returned in its compact upper-case form."""
    from stdnum.cn import uscc
    from stdnum.exceptions import InvalidChecksum, InvalidLength, ValidationError

    text = as_text(value)
    if not text:
        raise FieldError(_("a value is required"))
    compact = uscc.compact(_fold(text))
    try:
        return uscc.validate(compact)
    except InvalidLength:
        raise FieldError(_("%(value)s is not a unified social credit code: it has %(length)d characters, "
                           "not 18") % {"value": quoted(value), "length": len(compact)})
    except InvalidChecksum:
        raise FieldError(_("%(value)s is not a valid unified social credit code: the check digit should be "
                           "%(digit)s") % {"value": quoted(value), "digit": uscc.calc_check_digit(compact[:17])})
    except ValidationError:
        raise FieldError(_("%(value)s is not a unified social credit code: the first 8 characters must be "
                           "digits and the others digits or capital letters other than I, O, S, V and Z")
                         % {"value": quoted(value)})


def parse_industry_code(value: Cell, known: Container[str]) -> str:
    """A GB/T 4754-2017 manufacturing code (division 13-43, group or class) among `known`.
    A leading section letter is accepted (C3311 -> 3311)."""
    text = as_text(value)
    if not text:
        raise FieldError(_("a value is required"))
    code = _fold(text)
    if len(code) > 2 and code[0] in "Cc" and code[1:].isdigit():
        code = code[1:]
    if not (code.isascii() and code.isdigit() and 2 <= len(code) <= 4 and "13" <= code[:2] <= "43"
            and code in known):
        raise FieldError(_("%(value)s is not a GB/T 4754-2017 manufacturing industry code "
                           "(division 13-43, group or class)") % {"value": quoted(value)})
    return code
