"""Figures as people read them: amounts in reporting units, percentages, scales.

Chinese reporting units (亿元/万元 for investment, 万吨标准煤 for energy, 万吨 for CO2);
English uses billion/million yuan and tonnes. Percentages: half-up, at most two decimals,
trailing zeros dropped in running text (contract section 3), fixed decimals in tables.

Documents (DOCX, PDF) use the narrative's reporting units; spreadsheets use the units
statistics tables use (万元, 吨标准煤) so that a district can sum and compare without losing
precision; charts choose their unit by the largest value shown. A metric not listed here
shows with its label's unit, or with its key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from babel.numbers import format_decimal

from twintrack.display.labels import metric_unit

DASH = "—"


# --- numbers ----------------------------------------------------------------------------------

def trim(value, places: int, rounding: str = ROUND_HALF_UP) -> str:
    """Round half-up to `places` decimals and drop trailing zeros: 107.50 -> '107.5'."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum, rounding=rounding):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def fixed(value, places: int, grouping: bool, rounding: str = ROUND_HALF_UP) -> str:
    """Round half-up to exactly `places` decimals: 1234.5 -> '1,234.50' (grouped) or '1234.50'."""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=rounding)
    return f"{number:,.{places}f}" if grouping else f"{number:.{places}f}"


def grouped(value, places: int, locale: str = "en") -> str:
    """Thousands separators with at most `places` decimals: 319100 -> '319,100'."""
    text = trim(value, places)
    integer, _, fraction = text.partition(".")
    body = format_decimal(int(integer), locale=locale)
    return body + ("." + fraction if fraction else "")


def percent(rate, places: int = 2, keep_zeros: bool = False, rounding: str = ROUND_HALF_UP) -> str | None:
    """A rate as a percentage: 1.075 -> '107.5%' (running text) or '107.50%' (keep_zeros, tables).
    None stays None: the caller says what an absent rate reads as. Bulletins round half-up (the
    contract); the quality, diagnosis and energy pages have always printed half-even and pass it."""
    if rate is None:
        return None
    value = Decimal(str(rate)) * 100
    if keep_zeros:
        return fixed(value, places, grouping=False, rounding=rounding) + "%"
    return trim(value, places, rounding) + "%"


ZH_DIGITS = "一二三四五六七八九"


def zh_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一 (section numbers, rankings; 1..99)."""
    if n <= 10:
        return (ZH_DIGITS + "十")[n - 1]
    tens, ones = divmod(n, 10)
    return (ZH_DIGITS[tens - 1] if tens > 1 else "") + "十" + (ZH_DIGITS[ones - 1] if ones else "")


def percent_number(rate) -> float | None:
    """A rate as a percentage number for charts: 1.07512 -> 107.51."""
    return None if rate is None else round(rate * 100, 2)


# --- amounts in reporting units -----------------------------------------------------------------

def yuan_zh(yuan) -> str:
    yuan = Decimal(yuan)
    if abs(yuan) >= Decimal("1e8"):
        return trim(yuan / Decimal("1e8"), 2) + "亿元"
    return trim(yuan / Decimal("1e4"), 2) + "万元"


def yuan_en(yuan) -> str:
    yuan = Decimal(yuan)
    if abs(yuan) >= Decimal("1e9"):
        return trim(yuan / Decimal("1e9"), 3) + " billion yuan"
    if abs(yuan) >= Decimal("1e6"):
        return trim(yuan / Decimal("1e6"), 2) + " million yuan"
    return grouped(yuan, 2) + " yuan"


def _tonnes_zh(tonnes, unit: str) -> str:
    """From 10,000 up in 万<unit>, else in <unit>; two decimals at most."""
    tonnes = Decimal(tonnes)
    if abs(tonnes) >= Decimal("1e4"):
        return trim(tonnes / Decimal("1e4"), 2) + "万" + unit
    return trim(tonnes, 2) + unit


def _tonnes_en(tonnes, unit: str) -> str:
    """Whole tonnes from 100 up, else two decimals; thousands grouped."""
    return grouped(Decimal(tonnes), 0 if abs(Decimal(tonnes)) >= 100 else 2) + unit


def tce_zh(tce) -> str:
    return _tonnes_zh(tce, "吨标准煤")


def tce_en(tce) -> str:
    return _tonnes_en(tce, " tonnes of standard coal")


def co2_zh(tonnes) -> str:
    return _tonnes_zh(tonnes, "吨")


def co2_en(tonnes) -> str:
    return _tonnes_en(tonnes, " tonnes")


def format_amount(metric: str, value, lang: str, short: bool = False) -> str:
    """An actual or a target as a bulletin writes it: '429.65亿元', '42.965 billion yuan', '1505个'.

    `short` writes 'tce' for 'tonnes of standard coal' in English (for table cells)."""
    if value is None:
        return DASH
    if metric == "projects":
        count = int(value)
        if lang == "zh":
            return f"{count}个"
        return f"{format_decimal(count, locale='en')} {'project' if count == 1 else 'projects'}"
    amount = Decimal(str(value))
    if metric == "investment_yuan":
        return yuan_zh(amount) if lang == "zh" else yuan_en(amount)
    if metric == "energy_saved_tce":
        if lang == "zh":
            return tce_zh(amount)
        text = tce_en(amount)
        return text.replace("tonnes of standard coal", "tce") if short else text
    if metric == "co2_reduced_t":
        if lang == "zh":
            return co2_zh(amount)
        return grouped(amount, 0 if abs(amount) >= 100 else 2) + (" t CO2" if short else " tonnes of CO2")
    unit = metric_unit(metric, "zh") if lang == "zh" else " " + metric_unit(metric, "en")
    return grouped(amount, 2) + unit


_NUMBER = re.compile(r"^(-?[\d,]+(?:\.\d+)?)\s*(.*)$")


def split_amount(text: str) -> tuple[str, str]:
    """'429.65亿元' -> ('429.65', '亿元'), for a big number with a small unit beside it."""
    match = _NUMBER.match(text)
    if not match:
        return text, ""
    return match.group(1), match.group(2)


# --- scales ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scale:
    """A unit a column or an axis shows a metric in: the figure divided by `divisor`."""

    divisor: Decimal
    unit_zh: str
    unit_en: str
    places: int = 2

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en


DOCUMENT_ZH = {
    "projects": Scale(Decimal(1), "个", "number", 0),
    "investment_yuan": Scale(Decimal("1e8"), "亿元", "100 million yuan", 2),
    "energy_saved_tce": Scale(Decimal("1e4"), "万吨标准煤", "10k tce", 2),
    "co2_reduced_t": Scale(Decimal("1e4"), "万吨", "10k t", 2),
}
DOCUMENT_EN = {
    "projects": Scale(Decimal(1), "个", "number", 0),
    "investment_yuan": Scale(Decimal("1e6"), "百万元", "million yuan", 1),
    "energy_saved_tce": Scale(Decimal(1), "吨标准煤", "tce", 0),
    "co2_reduced_t": Scale(Decimal(1), "吨", "t", 0),
}
SPREADSHEET = {
    "projects": Scale(Decimal(1), "个", "number", 0),
    "investment_yuan": Scale(Decimal("1e4"), "万元", "10,000 yuan", 2),
    "energy_saved_tce": Scale(Decimal(1), "吨标准煤", "tce", 2),
    "co2_reduced_t": Scale(Decimal(1), "吨", "t", 2),
}

# Chart axes: the largest step the largest value reaches, else the last one.
CHART_STEPS = {
    "projects": {"zh": [Scale(Decimal(1), "个", "projects")], "en": [Scale(Decimal(1), "个", "projects")]},
    "investment_yuan": {
        "zh": [Scale(Decimal("1e8"), "亿元", "100 million yuan"), Scale(Decimal("1e4"), "万元", "10,000 yuan"),
               Scale(Decimal(1), "元", "yuan")],
        "en": [Scale(Decimal("1e9"), "十亿元", "billion yuan"), Scale(Decimal("1e6"), "百万元", "million yuan"),
               Scale(Decimal(1), "元", "yuan")],
    },
    "energy_saved_tce": {
        "zh": [Scale(Decimal("1e4"), "万吨标准煤", "10,000 tonnes of standard coal"),
               Scale(Decimal(1), "吨标准煤", "tonnes of standard coal")],
        "en": [Scale(Decimal(1), "吨标准煤", "tonnes of standard coal")],
    },
    "co2_reduced_t": {
        "zh": [Scale(Decimal("1e4"), "万吨", "10,000 tonnes of CO2"), Scale(Decimal(1), "吨", "tonnes of CO2")],
        "en": [Scale(Decimal(1), "吨", "tonnes of CO2")],
    },
}


def _unit_scale(metric: str) -> Scale:
    return Scale(Decimal(1), metric_unit(metric, "zh"), metric_unit(metric, "en"), 2)


def document_scale(metric: str, lang: str) -> Scale:
    table = DOCUMENT_ZH if lang == "zh" else DOCUMENT_EN
    return table.get(metric) or _unit_scale(metric)


def spreadsheet_scale(metric: str) -> Scale:
    return SPREADSHEET.get(metric) or _unit_scale(metric)


def chart_scale(metric: str, largest, lang: str) -> Scale:
    """The unit a chart axis uses, chosen by the largest value shown."""
    largest = abs(Decimal(str(largest or 0)))
    steps = CHART_STEPS.get(metric, {}).get(lang)
    if not steps:
        return _unit_scale(metric)
    return next((step for step in steps if largest >= step.divisor), steps[-1])


def scaled(value, scale: Scale) -> float | None:
    """The figure in the scale's unit, as a number (for spreadsheets)."""
    if value is None:
        return None
    result = Decimal(str(value)) / scale.divisor
    return int(result) if scale.places == 0 and result == int(result) else float(result)


def chart_number(value, scale: Scale) -> float | None:
    """The figure in the scale's unit, rounded for a chart."""
    if value is None:
        return None
    return round(float(Decimal(str(value)) / scale.divisor), 4)


def amount(value, metric: str, lang: str) -> str | None:
    """A figure in the document's reporting unit, fixed decimals: 42965000000 -> '429.65'."""
    if value is None:
        return None
    scale = document_scale(metric, lang)
    return fixed(Decimal(str(value)) / scale.divisor, scale.places, grouping=(lang == "en"))


def amount_with_unit(value, metric: str, lang: str) -> str | None:
    text = amount(value, metric, lang)
    if text is None:
        return None
    unit = document_scale(metric, lang).unit(lang)
    return f"{text}{unit}" if lang == "zh" else f"{text} {unit}"


def precise_amount(value, metric: str) -> str | None:
    """A figure in the spreadsheet unit with its full precision (万元 to the fen's hundredth,
    tce to the kilogram's tenth), for change lists where a small correction must show."""
    if value is None:
        return None
    scale = spreadsheet_scale(metric)
    number = Decimal(str(value)) / scale.divisor
    text = f"{number.normalize():,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text
