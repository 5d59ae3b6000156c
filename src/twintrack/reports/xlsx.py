"""The bulletin as an Excel workbook of real tables.

Each sheet is one Excel table (a ListObject: header row, filter buttons, banded rows)
starting at A1, with the header row frozen. Figures are typed numbers in the units of
statistics tables (个, 万元, 吨标准煤), named in the header; rates are fractions shown
as percentages, so a district can sort, filter and sum without retyping anything. Every
text cell goes through `safe_cell`: a unit or project name starting with = + - @ stays
text. Every metric has its columns even when nobody reports it yet, so that the
columns of a bureau's monthly file never move.

Sheets: 主要指标 (the unit's metrics), 各地排名 (child units, ranked), 全年预测 (the
outlook, unit and children), 更正说明 (what changed, for a corrected version), 说明
(title, edition, narrative, method and notes).
"""
from __future__ import annotations

import io
import re
from datetime import datetime
from zipfile import ZIP_DEFLATED, ZipFile

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.writer.excel import ExcelWriter

from twintrack.display import amounts
from twintrack.display.labels import metric_keys, metric_label, org_name
from twintrack.display.periods import months_label
from twintrack.documents.blocks import Document, Paragraph
from twintrack.documents.blocks import Table as DocTable
from twintrack.documents.zipfix import normalise_zip
from twintrack.metrics.rules import is_ahead_of_schedule, schedule_rate
from twintrack.reports.content import METHOD_EN, METHOD_ZH
from twintrack.documents.xlsx_safe import safe_cell

RATE_FORMAT = "0.00%"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
RED_FONT = Font(color="C00000")

WORDS = {
    "zh": {
        "sheets": ("主要指标", "各地排名", "全年预测", "更正说明", "说明"),
        "metric": "指标", "unit": "计量单位", "actual": "{months}完成", "target": "{months}目标",
        "completion": "完成率", "annual_target": "年度目标", "annual_rate": "年度完成率", "schedule": "序时进度",
        "progress": "进度", "projected": "预计全年", "projected_rate": "预计年度完成率", "will_meet": "能否完成年度目标",
        "method": "预测方法", "needed": "后{n}个月需月均", "recent": "近{n}个月月均", "rank": "排名",
        "code": "地区代码", "org": "地区", "remark": "备注", "field": "项目", "old": "原值", "new": "新值",
        "ahead": "快于序时", "behind": "慢于序时", "no_annual": "无年度目标", "yes": "可完成", "no": "有缺口",
        "no_target_remark": "未下达{months}{metric}目标，不参与排名",
        "key": "项目", "value": "内容",
        "about": ("标题", "期别", "版本", "发布单位", "发布时间", "状态", "总体情况", "序时进度", "预测方法", "说明"),
        "f_actual": "{months}完成", "f_target": "{months}目标", "f_annual_target": "年度目标", "f_unit": "地区",
        "draft": "未发布稿", "published": "已发布", "version": "第{v}版",
    },
    "en": {
        "sheets": ("Summary", "Units", "Outlook", "Changes", "About"),
        "metric": "Metric", "unit": "Unit", "actual": "Actual {months}", "target": "Target {months}",
        "completion": "Completion rate", "annual_target": "Annual target", "annual_rate": "Annual rate",
        "schedule": "Schedule", "progress": "Progress", "projected": "Projected December",
        "projected_rate": "Projected annual rate", "will_meet": "Annual target met", "method": "Method",
        "needed": "Needed per month ({n} left)", "recent": "Average of last {n} months", "rank": "Rank",
        "code": "Code", "org": "Unit name", "remark": "Remark", "field": "Figure", "old": "Old", "new": "New",
        "ahead": "ahead", "behind": "behind", "no_annual": "no annual target", "yes": "yes", "no": "short",
        "no_target_remark": "no {metric} target for {months}: not ranked",
        "key": "Item", "value": "Content",
        "about": ("Title", "Issue", "Version", "Issuer", "Published", "Status", "Overview", "Schedule", "Method",
                  "Notes"),
        "f_actual": "actual {months}", "f_target": "target {months}", "f_annual_target": "annual target",
        "f_unit": "unit", "draft": "unpublished draft", "published": "published", "version": "version {v}",
    },
}


def _with_unit(text: str, unit: str, lang: str) -> str:
    return f"{text}（{unit}）" if lang == "zh" else f"{text} ({unit})"


def _number_format(metric: str) -> str:
    places = amounts.spreadsheet_scale(metric).places
    return "#,##0" if places == 0 else "#,##0." + "0" * places


def _value(value, metric: str):
    return amounts.scaled(value, amounts.spreadsheet_scale(metric))


class _Sheet:
    """A worksheet holding one Excel table at A1."""

    def __init__(self, workbook: Workbook, title: str, table_name: str, first: bool = False):
        self.ws = workbook.active if first else workbook.create_sheet()
        self.ws.title = title
        self.table_name = table_name
        self.columns: list[tuple[str, str | None, float]] = []  # header, number format, width
        self.rows: list[list] = []
        self.alerts: list[tuple[int, int]] = []

    def column(self, header: str, number_format: str | None = None, width: float = 12):
        self.columns.append((header, number_format, width))

    def add(self, values: list, alert_columns: tuple[int, ...] = ()):
        self.rows.append(values)
        for c in alert_columns:
            self.alerts.append((len(self.rows) + 1, c + 1))

    def write(self, freeze_columns: int = 0):
        ws = self.ws
        ws.append([safe_cell(h, ws) for h, _, _ in self.columns])
        for row in self.rows:
            ws.append([safe_cell(v, ws) for v in row])
        for index, (_, number_format, width) in enumerate(self.columns, start=1):
            letter = get_column_letter(index)
            ws.column_dimensions[letter].width = width
            header = ws.cell(row=1, column=index)
            header.font = Font(bold=True)
            header.fill = HEADER_FILL
            header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if number_format:
                for r in range(2, len(self.rows) + 2):
                    ws.cell(row=r, column=index).number_format = number_format
        for r, c in self.alerts:
            ws.cell(row=r, column=c).font = RED_FONT
        ws.row_dimensions[1].height = 32
        ws.freeze_panes = ws.cell(row=2, column=freeze_columns + 1)
        ref = f"A1:{get_column_letter(len(self.columns))}{max(len(self.rows), 1) + 1}"
        if not self.rows:  # a table needs a data row; keep an empty one
            ws.append([None] * len(self.columns))
        table = Table(displayName=self.table_name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
        ws.auto_filter.ref = None  # the table carries its own filter


def _progress(annual_rate, month: int, W: dict) -> str:
    state = is_ahead_of_schedule(annual_rate, month)
    return W["no_annual"] if state is None else W["ahead"] if state else W["behind"]


def _summary(wb, data: dict, month: int, lang: str):
    W = WORDS[lang]
    months = months_label(month, lang)
    report, outlook = data["report"], data["outlook"]["unit"]
    sheet = _Sheet(wb, W["sheets"][0], "Summary", first=True)
    for header, fmt, width in (
        (W["metric"], None, 16), (W["unit"], None, 11), (W["actual"].format(months=months), "#,##0.00", 16),
        (W["target"].format(months=months), "#,##0.00", 16), (W["completion"], RATE_FORMAT, 11),
        (W["annual_target"], "#,##0.00", 16), (W["annual_rate"], RATE_FORMAT, 11), (W["schedule"], RATE_FORMAT, 11),
        (W["progress"], None, 12), (W["projected"], "#,##0.00", 16), (W["projected_rate"], RATE_FORMAT, 13),
        (W["will_meet"], None, 13), (W["method"], None, 18),
    ):
        sheet.column(header, fmt, width)
    for metric in metric_keys(report):
        f = report["metrics"][metric]
        o = outlook.get(metric)
        behind = is_ahead_of_schedule(f["annual_rate"], month) is False
        meet = None if o is None or o["will_meet"] is None else (W["yes"] if o["will_meet"] else W["no"])
        method = None if o is None else (METHOD_ZH if lang == "zh" else METHOD_EN)[o["method"]]
        sheet.add([metric_label(metric, lang, short=True), amounts.spreadsheet_scale(metric).unit(lang),
                   _value(f["actual"], metric), _value(f["target"], metric), f["completion_rate"],
                   _value(f["annual_target"], metric), f["annual_rate"], f["schedule_rate"],
                   _progress(f["annual_rate"], month, W), None if o is None else _value(o["projected"], metric),
                   None if o is None else o["projected_rate"], meet, method],
                  alert_columns=(8,) if behind else ())
    sheet.write(freeze_columns=1)
    for r, metric in enumerate(metric_keys(report), start=2):  # per-row formats: units differ by row
        for c in (3, 4, 6, 10):
            sheet.ws.cell(row=r, column=c).number_format = _number_format(metric)


def _units(wb, data: dict, month: int, lang: str):
    W = WORDS[lang]
    months = months_label(month, lang)
    report = data["report"]
    metrics = metric_keys(report)
    rank_metric = data["ranking"]["metric"]
    sheet = _Sheet(wb, W["sheets"][1], "Units")
    sheet.column(W["rank"], "0", 7)
    sheet.column(W["code"], None, 10)
    sheet.column(W["org"], None, 22)
    for metric in metrics:
        name = metric_label(metric, lang, short=True)
        unit = amounts.spreadsheet_scale(metric).unit(lang)
        fmt = _number_format(metric)
        if lang == "zh":
            sheet.column(_with_unit(f"{name}{W['actual'].format(months=months)}", unit, lang), fmt, 16)
            sheet.column(_with_unit(f"{name}{W['target'].format(months=months)}", unit, lang), fmt, 16)
            sheet.column(f"{name}{W['completion']}", RATE_FORMAT, 12)
            sheet.column(_with_unit(f"{name}{W['annual_target']}", unit, lang), fmt, 16)
            sheet.column(f"{name}{W['annual_rate']}", RATE_FORMAT, 12)
            sheet.column(f"{name}{W['progress']}", None, 11)
        else:
            sheet.column(_with_unit(f"{name}: {W['actual'].format(months=months).lower()}", unit, lang), fmt, 16)
            sheet.column(_with_unit(f"{name}: {W['target'].format(months=months).lower()}", unit, lang), fmt, 16)
            sheet.column(f"{name}: {W['completion'].lower()}", RATE_FORMAT, 12)
            sheet.column(_with_unit(f"{name}: {W['annual_target'].lower()}", unit, lang), fmt, 16)
            sheet.column(f"{name}: {W['annual_rate'].lower()}", RATE_FORMAT, 12)
            sheet.column(f"{name}: {W['progress'].lower()}", None, 11)
    sheet.column(W["remark"], None, 30)
    by_code = {c["org"]["code"]: c for c in report["children"]}
    ranked = data["ranking"]["ranked"]
    for position, code in enumerate(ranked + data["ranking"]["no_target"], start=1):
        child = by_code[code]
        row = [position if code in ranked else None, code, org_name(child["org"], lang)]
        alerts = []
        for metric in metrics:
            f = child["metrics"][metric]
            row += [_value(f["actual"], metric), _value(f["target"], metric), f["completion_rate"],
                    _value(f["annual_target"], metric), f["annual_rate"], _progress(f["annual_rate"], month, W)]
            if is_ahead_of_schedule(f["annual_rate"], month) is False:
                alerts += [len(row) - 2, len(row) - 1]
        remark = None
        if code not in ranked:
            remark = W["no_target_remark"].format(months=months, metric=metric_label(rank_metric, lang, short=True)
                                                  if lang == "zh" else
                                                  metric_label(rank_metric, lang, short=True).lower())
        row.append(remark)
        sheet.add(row, alert_columns=tuple(alerts))
    sheet.write(freeze_columns=3)


def _outlook(wb, data: dict, month: int, lang: str):
    W = WORDS[lang]
    months = months_label(month, lang)
    report = data["report"]
    remaining = 12 - month
    sheet = _Sheet(wb, W["sheets"][2], "Outlook")
    for header, fmt, width in (
        (W["code"], None, 10), (W["org"], None, 22), (W["metric"], None, 14), (W["unit"], None, 11),
        (W["actual"].format(months=months), None, 16), (W["projected"], None, 16), (W["annual_target"], None, 16),
        (W["projected_rate"], RATE_FORMAT, 13), (W["will_meet"], None, 12),
        (W["needed"].format(n=remaining), None, 16), (W["recent"].format(n=min(3, month)), None, 16),
        (W["method"], None, 18),
    ):
        sheet.column(header, fmt, width)
    units = [(report["org"], data["outlook"]["unit"])] + [
        (c["org"], data["outlook"]["children"].get(c["org"]["code"], {})) for c in report["children"]]
    formats = []
    for org, block in units:
        for metric in metric_keys(report):
            o = block.get(metric)
            if o is None:
                continue
            meet = None if o["will_meet"] is None else (W["yes"] if o["will_meet"] else W["no"])
            sheet.add([org["code"], org_name(org, lang), metric_label(metric, lang, short=True),
                       amounts.spreadsheet_scale(metric).unit(lang), _value(o["actual"], metric),
                       _value(o["projected"], metric), _value(o["annual_target"], metric), o["projected_rate"],
                       meet, _value(o["needed_per_month"], metric), _value(o["recent_per_month"], metric),
                       (METHOD_ZH if lang == "zh" else METHOD_EN)[o["method"]]],
                      alert_columns=(8,) if o["will_meet"] is False else ())
            formats.append(_number_format(metric))
    sheet.write(freeze_columns=2)
    for r, fmt in enumerate(formats, start=2):
        for c in (5, 6, 7, 10, 11):
            sheet.ws.cell(row=r, column=c).number_format = fmt


def _changes(wb, edition: dict, month: int, lang: str):
    W = WORDS[lang]
    months = months_label(month, lang)
    sheet = _Sheet(wb, W["sheets"][3], "Changes")
    for header, width in ((W["code"], 10), (W["org"], 22), (W["metric"], 14), (W["field"], 14), (W["unit"], 11),
                          (W["old"], 18), (W["new"], 18)):
        sheet.column(header, None, width)
    formats = []
    for change in edition.get("changes") or []:
        metric = change.get("metric")
        if change["field"] == "unit":
            sheet.add([change["org"]["code"], org_name(change["org"], lang), None, W["f_unit"], None,
                       None if change["old"] is None else org_name(change["old"], lang),
                       None if change["new"] is None else org_name(change["new"], lang)])
            formats.append(None)
            continue
        sheet.add([change["org"]["code"], org_name(change["org"], lang),
                   metric_label(metric, lang, short=True), W[f"f_{change['field']}"].format(months=months),
                   amounts.spreadsheet_scale(metric).unit(lang), _value(change["old"], metric),
                   _value(change["new"], metric)])
        formats.append(_number_format(metric))
    sheet.write(freeze_columns=2)
    for r, fmt in enumerate(formats, start=2):
        if fmt:
            for c in (6, 7):
                sheet.ws.cell(row=r, column=c).number_format = fmt


def _about(wb, doc: Document, data: dict, edition: dict | None, month: int, lang: str):
    W = WORDS[lang]
    labels = W["about"]
    sheet = _Sheet(wb, W["sheets"][4], "About")
    sheet.column(W["key"], None, 14)
    sheet.column(W["value"], None, 110)
    status = W["draft"] if edition is None else W["published"] + (doc.status or "")
    method = next((b.note for b in doc.blocks if isinstance(b, DocTable) and b.note and
                   ("同期占比" in b.note or "projected December" in b.note)), None)
    rows = [
        (labels[0], doc.title), (labels[1], f"{doc.masthead} {doc.issue}"),
        (labels[2], W["version"].format(v=edition["version"]) if edition else None),
        (labels[3], doc.issuer), (labels[4], edition["published_at"] if edition else None), (labels[5], status),
        (labels[6], data["report"]["narrative"][lang]),
        (labels[7], amounts.percent(schedule_rate(month))), (labels[8], method),
    ]
    notes = [b.text for b in doc.blocks if isinstance(b, Paragraph) and re.match(r"\d+\. ", b.text)]
    rows += [(labels[9], note) for note in notes]
    for key, value in rows:
        sheet.add([key, value])
    sheet.write(freeze_columns=1)
    for r in range(2, len(rows) + 2):
        sheet.ws.cell(row=r, column=2).alignment = Alignment(wrap_text=True, vertical="top")


def render_xlsx(doc: Document, data: dict, edition: dict | None = None) -> bytes:
    lang = doc.lang
    month = int(data["report"]["period"][5:7])
    wb = Workbook()
    _summary(wb, data, month, lang)
    _units(wb, data, month, lang)
    _outlook(wb, data, month, lang)
    if edition and edition.get("changes"):
        _changes(wb, edition, month, lang)
    _about(wb, doc, data, edition, month, lang)
    created = (doc.created or datetime(2000, 1, 1)).replace(tzinfo=None, microsecond=0)
    wb.properties.title = doc.title
    wb.properties.creator = doc.author
    wb.properties.lastModifiedBy = doc.author
    wb.properties.subject = doc.subject
    wb.properties.keywords = doc.keywords
    wb.properties.created = created
    wb.properties.modified = created
    buffer = io.BytesIO()
    with ZipFile(buffer, "w", ZIP_DEFLATED) as archive:  # ExcelWriter, not save(): save() stamps "now"
        ExcelWriter(wb, archive).save()
    return normalise_zip(buffer.getvalue(), created)
