"""The one table of metric labels and units, in Chinese and English.

Metric keys and their arithmetic belong to `twintrack.figures` and `twintrack.metrics.rules`; how a metric is named
on a page, in a document or in an import header is decided here only.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MetricLabel:
    zh: str
    en: str
    short_en: str  # table headings and chart titles in English
    unit_zh: str
    unit_en: str


METRIC_LABELS: dict[str, MetricLabel] = {
    "projects": MetricLabel("项目数", "Projects launched", "Projects", "个", "projects"),
    "investment_yuan": MetricLabel("技改投资", "Technological-transformation investment", "Investment", "元", "yuan"),
    "energy_saved_tce": MetricLabel("节能量", "Energy saved", "Energy saved", "吨标准煤", "tce"),
    "co2_reduced_t": MetricLabel("二氧化碳减排量", "CO2 reduced", "CO2 reduced", "吨", "tonnes"),
}


def metric_label(key: str, lang: str, short: bool = False) -> str:
    """The metric's name in `lang` ('en' or 'zh'); an unknown key shows as itself."""
    label = METRIC_LABELS.get(key)
    if label is None:
        return key
    if lang == "zh":
        return label.zh
    return label.short_en if short else label.en


def metric_unit(key: str, lang: str) -> str:
    label = METRIC_LABELS.get(key)
    if label is None:
        return ""
    return label.unit_zh if lang == "zh" else label.unit_en


# --- which metrics a report shows; a unit's name ---------------------------------------------------

def metric_keys(report: dict) -> list[str]:
    """The report's metrics: the labelled ones in their order, then any others."""
    present = list(report["metrics"])
    known = [key for key in METRIC_LABELS if key in present]
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


def org_name(org: dict, lang: str) -> str:
    """A unit's name from a report's org summary, English where it has one."""
    return org["name_en"] if lang == "en" and org.get("name_en") else org["name_zh"]
