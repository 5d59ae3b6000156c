"""Plain-text rendering of a report, for the terminal."""
from __future__ import annotations

from decimal import Decimal

from twintrack.display.amounts import percent
from twintrack.metrics.rules import METRICS
from twintrack.reports.narrative import basis_sentence

LABELS = {
    "zh": {"metric": "指标", "actual": "完成", "target": "目标", "completion": "完成率", "annual_target": "年度目标",
           "annual_rate": "年度完成率", "schedule": "序时进度", "unit": "地区", "ahead": "超序时", "behind": "滞后",
           "none": "—", "title": "“两化”改造进展"},
    "en": {"metric": "Metric", "actual": "Actual", "target": "Target", "completion": "Completion",
           "annual_target": "Annual target", "annual_rate": "Annual rate", "schedule": "Schedule", "unit": "Unit",
           "ahead": "ahead", "behind": "behind", "none": "-", "title": "Two-modernisations progress"},
}


def _number(value, lang: str) -> str:
    if value is None:
        return LABELS[lang]["none"]
    return f"{Decimal(str(value)).quantize(Decimal('0.01')):,}".rstrip("0").rstrip(".")


def _rate(value, lang: str) -> str:
    return percent(value) or LABELS[lang]["none"]


def _table(rows: list[list[str]]) -> str:
    widths = [max(_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell + " " * (w - _width(cell)) for cell, w in zip(r, widths)).rstrip() for r in rows)


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def render_text(report: dict, lang: str = "zh") -> str:
    L = LABELS[lang]
    name = report["org"]["name_en"] if lang == "en" and report["org"]["name_en"] else report["org"]["name_zh"]
    lines = [f"{L['title']}: {name} ({report['org']['code']}) {report['period']}", "", report["narrative"][lang], ""]
    header = [L["metric"], L["actual"], L["target"], L["completion"], L["annual_target"], L["annual_rate"],
              L["schedule"]]
    rows = [header]
    for metric in METRICS:
        f = report["metrics"][metric.key]
        label = metric.label_zh if lang == "zh" else metric.label_en
        unit = metric.unit_zh if lang == "zh" else metric.unit_en
        rows.append([f"{label} ({unit})", _number(f["actual"], lang), _number(f["target"], lang),
                     _rate(f["completion_rate"], lang), _number(f["annual_target"], lang),
                     _rate(f["annual_rate"], lang), _rate(f["schedule_rate"], lang)])
    lines.append(_table(rows))
    if report["children"]:
        lines += ["", _children_table(report, lang)]
    basis = basis_sentence(report, lang)
    if basis:
        lines += ["", basis]
    return "\n".join(lines) + "\n"


def _children_table(report: dict, lang: str) -> str:
    L = LABELS[lang]
    header = [L["unit"]]
    for metric in METRICS:
        label = metric.label_zh if lang == "zh" else metric.key
        header += [label, L["completion"]]
    header.append(L["schedule"])
    rows = [header]
    for child in report["children"]:
        org = child["org"]
        row = [org["name_en"] if lang == "en" and org["name_en"] else org["name_zh"]]
        for metric in METRICS:
            f = child["metrics"][metric.key]
            row += [_number(f["actual"], lang), _rate(f["completion_rate"], lang)]
        annual = child["metrics"]["investment_yuan"]["annual_rate"]
        sched = child["metrics"]["investment_yuan"]["schedule_rate"]
        row.append(L["none"] if annual is None else (L["ahead"] if annual >= sched else L["behind"]))
        rows.append(row)
    return _table(rows)
