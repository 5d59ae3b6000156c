"""How each metric is shown in documents and spreadsheets: label, reporting unit, scale.

Documents (DOCX, PDF) use the reporting units of the narrative (亿元, 万吨标准煤 in Chinese;
million yuan and tonnes in English). Spreadsheets use the units statistics tables use
(万元, 吨标准煤) so that a district can sum and compare without losing precision.
A metric added later (such as co2_reduced_t) shows with its registered label and unit,
or with its key, without any change here.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from twintrack.metrics.rules import METRIC_BY_KEY, METRICS
from twintrack.reports.narrative import trim


@dataclass(frozen=True)
class Scale:
    divisor: Decimal
    unit_zh: str
    unit_en: str
    places: int

    def unit(self, lang: str) -> str:
        return self.unit_zh if lang == "zh" else self.unit_en


# metric -> (document scale zh, document scale en, spreadsheet scale)
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

SHORT_LABEL_EN = {
    "projects": "Projects",
    "investment_yuan": "Investment",
    "energy_saved_tce": "Energy saved",
    "co2_reduced_t": "CO2 reduced",
}


def metric_keys(report: dict) -> list[str]:
    """The report's metrics: the registered ones in their order, then any others."""
    present = list(report["metrics"])
    known = [m.key for m in METRICS if m.key in present]
    return known + [k for k in present if k not in known]


def metrics_in_use(report: dict) -> list[str]:
    """The metrics a document shows: those with a figure or a target in the unit or one of
    its children. A metric nobody reports yet (CO2 before any carrier line is entered)
    would fill the tables with zeros and "no target"; documents leave it out, while
    spreadsheets keep every metric so that their columns never move."""
    blocks = [report["metrics"]] + [c["metrics"] for c in report.get("children", [])]

    def used(metric):
        return any((b[metric].get("actual") or b[metric].get("target") or b[metric].get("annual_target"))
                   for b in blocks if metric in b)

    return [m for m in metric_keys(report) if used(m)]


def label(metric: str, lang: str, short: bool = False) -> str:
    m = METRIC_BY_KEY.get(metric)
    if lang == "zh":
        return m.label_zh if m else metric
    if short and metric in SHORT_LABEL_EN:
        return SHORT_LABEL_EN[metric]
    return m.label_en if m else metric


def _default_scale(metric: str) -> Scale:
    m = METRIC_BY_KEY.get(metric)
    return Scale(Decimal(1), m.unit_zh if m else "", m.unit_en if m else "", 2)


def document_scale(metric: str, lang: str) -> Scale:
    table = DOCUMENT_ZH if lang == "zh" else DOCUMENT_EN
    return table.get(metric) or _default_scale(metric)


def spreadsheet_scale(metric: str) -> Scale:
    return SPREADSHEET.get(metric) or _default_scale(metric)


def scaled(value, scale: Scale) -> float | None:
    """The figure in the scale's unit, as a number (for spreadsheets and charts)."""
    if value is None:
        return None
    result = Decimal(str(value)) / scale.divisor
    return int(result) if scale.places == 0 and result == int(result) else float(result)


def fixed(value, places: int, grouping: bool) -> str:
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    return f"{number:,.{places}f}" if grouping else f"{number:.{places}f}"


def amount(value, metric: str, lang: str) -> str | None:
    """A figure in the document's reporting unit, fixed decimals: 42965000000 -> '429.65'."""
    if value is None:
        return None
    scale = document_scale(metric, lang)
    return fixed(Decimal(str(value)) / scale.divisor, scale.places, grouping=(lang == "en"))


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


def amount_with_unit(value, metric: str, lang: str) -> str | None:
    text = amount(value, metric, lang)
    if text is None:
        return None
    unit = document_scale(metric, lang).unit(lang)
    return f"{text}{unit}" if lang == "zh" else f"{text} {unit}"


def rate(value) -> str | None:
    """A rate in a table: two fixed decimals, '107.50%'."""
    if value is None:
        return None
    return fixed(Decimal(str(value)) * 100, 2, grouping=False) + "%"


def rate_text(value) -> str | None:
    """A rate in running text: at most two decimals, trailing zeros dropped (contract)."""
    if value is None:
        return None
    return trim(Decimal(str(value)) * 100, 2) + "%"


def org_name(org: dict, lang: str) -> str:
    return org["name_en"] if lang == "en" and org.get("name_en") else org["name_zh"]
