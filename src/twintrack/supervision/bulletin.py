"""The supervision bulletin (督查通报) of a round, as a Word document.

Generated from the records (what the user may see) in the style a bureau circulates:
a red masthead, a title in 方正小标宋简体, headings in 黑体, body in 仿宋, numbered
sections 一、二、三、四、, sub-sections （一）（二）, items 1. 2. For each visited unit it
quotes the unit's progress figures for the round's report period (from `build_report`, in
亿元/万元 and 万吨标准煤), the findings by kind, and every requirement with its state;
overdue requirements are marked in red. Chinese by default, English on request.

Fonts are named as a Chinese government office's Windows machine has them; the font table
gives each an alternative name (w:altName: Noto Serif CJK SC / Noto Sans CJK SC) for
machines without them, and the document's East Asian language is zh-CN so that
LibreOffice's fallback takes the Simplified Chinese Noto faces.

The same records and the same `on` date give the same bytes: core properties carry the
round's start date and the zip entries a fixed timestamp.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from twintrack.display.amounts import percent, tce_en, tce_zh, yuan_en, yuan_zh, zh_number
from twintrack.display.language import lang_of
from twintrack.display.periods import date_en, date_zh, format_date, months_zh
from twintrack.documents import docx as word
from twintrack.documents.docx import BODY_FONT, HEADING_FONT, RED, TABLE_FONT, TITLE_FONT
from twintrack.orgs.access import tree_root
from twintrack.reports.build import build_report
from twintrack.supervision.models import FINDING_KIND_ZH, STATUS_ZH, FindingKind, Status
from twintrack.supervision.summary import RoundSummary, UnitSummary, round_summary

SUBHEADING_FONT = "楷体"
# Alternative names for machines without the Windows fonts (w:altName in the font table).
ALTERNATIVES = {
    TITLE_FONT: "Noto Serif CJK SC",
    HEADING_FONT: "Noto Sans CJK SC",
    SUBHEADING_FONT: "Noto Serif CJK SC",
    BODY_FONT: "Noto Serif CJK SC",
    TABLE_FONT: "Noto Serif CJK SC",
}
TEXT_WIDTH_CM = 21.0 - 2.8 - 2.6
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EN_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")

KIND_EN = {"progress": "Progress", "highlight": "Highlights", "problem": "Problems", "plan": "Plans"}
STATUS_EN = {"issued": "issued, no response yet", "responded": "responded, awaiting verification",
             "returned": "sent back for more work", "verified": "verified and closed"}


def section_label(n: int, lang: str) -> str:
    return f"{zh_number(n)}、" if lang == "zh" else f"{EN_ROMAN[n - 1]}. "


def sub_label(n: int, lang: str) -> str:
    return f"（{zh_number(n)}）" if lang == "zh" else f"({chr(ord('a') + n - 1)}) "


def name(obj, lang: str) -> str:
    return obj.display_name(lang) if obj is not None else ""


def round_title(round_, lang: str) -> str:
    return name(round_, lang)


# --- the unit's progress figures --------------------------------------------------------------

def progress_sentence(org, year: int, month: int, lang: str) -> str:
    """January..month of the unit's progress, as a bulletin writes it."""
    metrics = build_report(org, year, month)["metrics"]
    projects, invest, energy = (metrics["projects"], metrics["investment_yuan"], metrics["energy_saved_tce"])

    def rate(figures: dict) -> str | None:
        if figures.get("completion_rate") is not None:
            return percent(figures["completion_rate"])
        return None

    if lang == "zh":
        scope = name(org, "zh")
        parts = [f"{months_zh(month)}，{scope}累计启动“两化”改造项目{int(projects['actual'])}个"
                 + (f"，完成率{rate(projects)}" if rate(projects) else ""),
                 f"完成技改投资{yuan_zh(Decimal(str(invest['actual'])))}"
                 + (f"，完成率{rate(invest)}" if rate(invest) else ""),
                 f"实现节能量{tce_zh(Decimal(str(energy['actual'])))}"
                 + (f"，完成率{rate(energy)}" if rate(energy) else "")]
        text = "；".join(parts) + "。"
        if invest.get("annual_rate") is not None:
            ahead = invest["annual_rate"] >= invest["schedule_rate"]
            text += (f"技改投资完成年度目标的{percent(invest['annual_rate'])}，"
                     f"{'快于' if ahead else '慢于'}序时进度（{percent(invest['schedule_rate'])}）。")
        return text
    months = "January" if month == 1 else f"January to {calendar.month_name[month]}"
    count = int(projects["actual"])
    text = (f"{months} {year}: {count} transformation project{'s' if count != 1 else ''} launched"
            + (f" ({rate(projects)} of the target)" if rate(projects) else "")
            + f"; technological-transformation investment {yuan_en(Decimal(str(invest['actual'])))}"
            + (f" ({rate(invest)} of the target)" if rate(invest) else "")
            + f"; energy savings {tce_en(Decimal(str(energy['actual'])))}"
            + (f" ({rate(energy)} of the target)" if rate(energy) else "") + ".")
    if invest.get("annual_rate") is not None:
        ahead = invest["annual_rate"] >= invest["schedule_rate"]
        text += (f" Investment reached {percent(invest['annual_rate'])} of the annual target, "
                 f"{'ahead of' if ahead else 'behind'} the time elapsed ({percent(invest['schedule_rate'])}).")
    return text


# --- words -----------------------------------------------------------------------------------

def status_text(requirement, lang: str, on: date) -> str:
    if lang == "zh":
        text = STATUS_ZH[requirement.status]
        if requirement.status == Status.VERIFIED and requirement.verified_at:
            text += f"（{date_zh(requirement.verified_at.date())}）"
        return text
    text = STATUS_EN[requirement.status]
    if requirement.status == Status.VERIFIED and requirement.verified_at:
        text += f" ({date_en(requirement.verified_at.date())})"
    return text


def overdue_mark(requirement, lang: str, on: date) -> str | None:
    if not requirement.is_overdue(on):
        return None
    days = requirement.days_overdue(on)
    return f"【逾期{days}天】" if lang == "zh" else f"[OVERDUE by {days} day{'s' if days != 1 else ''}] "


def _list(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def opening(summary: RoundSummary, lang: str, issuer: str) -> str:
    r = summary.round
    t = summary.totals
    units = [name(u.org, lang) for u in summary.units if u.visits]
    enterprises = [name(e, lang) for u in summary.units for e in u.enterprises]
    groups = len(summary.groups)
    period = (date_zh(r.start_date) + ("至" + date_zh(r.end_date) if r.end_date else "") if lang == "zh" else
              date_en(r.start_date) + (" to " + date_en(r.end_date) if r.end_date else ""))
    if lang == "zh":
        text = (f"根据“两化”改造工作安排，{period}，{issuer}组织{groups}个督查服务组开展{r.name_zh}，"
                f"分赴{_list(units, 'zh') or '各地'}听取工作进展、存在问题和下步计划汇报")
        if enterprises:
            text += f"，实地走访{_list(enterprises[:8], 'zh')}{'等' if len(enterprises) > 1 else ''}{len(enterprises)}家企业"
        text += (f"，梳理工作进展{t.get('finding_progress', 0)}条、亮点做法{t.get('finding_highlight', 0)}条、"
                 f"存在问题{t.get('finding_problem', 0)}条、下步计划{t.get('finding_plan', 0)}条，"
                 f"下达整改要求{t.get('total', 0)}项。截至{date_zh(summary.on)}，已核实销号{t.get('verified', 0)}项，"
                 f"已反馈待核实{t.get('responded', 0)}项，退回重新整改{t.get('returned', 0)}项，"
                 f"尚未反馈{t.get('issued', 0)}项；其中逾期未完成{t.get('overdue', 0)}项。现将有关情况通报如下。")
        return text
    text = (f"From {period}, the {issuer} sent {groups} supervision and service group{'s' if groups != 1 else ''} "
            f"for the {name(r, 'en')} to {_list(units, 'en') or 'the units'}, to hear their progress, problems and "
            f"plans")
    if enterprises:
        text += f" and to investigate {len(enterprises)} enterprise{'s' if len(enterprises) != 1 else ''} "
        text += f"({_list(enterprises[:8], 'en')})"
    verified, responded, returned, issued, overdue = (t.get(k, 0) for k in (
        "verified", "responded", "returned", "issued", "overdue"))
    text += (f". The groups recorded {plural(t.get('finding_progress', 0), 'point')} of progress, "
             f"{plural(t.get('finding_highlight', 0), 'highlight')}, {plural(t.get('finding_problem', 0), 'problem')} "
             f"and {plural(t.get('finding_plan', 0), 'plan')}, and issued {plural(t.get('total', 0), 'requirement')}. "
             f"As of {date_en(summary.on)}, {verified} {'has' if verified == 1 else 'have'} been verified, "
             f"{responded} {'awaits' if responded == 1 else 'await'} verification, {returned} "
             f"{'was' if returned == 1 else 'were'} sent back and {issued} {'has' if issued == 1 else 'have'} no "
             f"response yet; {overdue} {'is' if overdue == 1 else 'are'} overdue.")
    return text


# --- document writing ---------------------------------------------------------------------------

@dataclass
class Writer:
    document: object
    lang: str

    def font(self, run, east: str, size: float, bold: bool = False, color: RGBColor | None = None):
        return word.font(run, east, size, bold=bold, color=color)

    def paragraph(self, before: float = 0, after: float = 0, line: float | None = 28, indent: bool = True,
                  align=WD_ALIGN_PARAGRAPH.JUSTIFY):
        p = self.document.add_paragraph()
        p.alignment = align
        word.spacing(p, before, after, line, exact=True)
        if indent:
            word.first_line_indent(p, 2, 16)
        return p

    def body(self, text: str, lead: str | None = None, red: str | None = None, prefix: str = ""):
        p = self.paragraph(align=WD_ALIGN_PARAGRAPH.JUSTIFY if self.lang == "zh" else WD_ALIGN_PARAGRAPH.LEFT)
        if prefix:
            self.font(p.add_run(prefix), BODY_FONT, 16)
        if red:
            self.font(p.add_run(red), BODY_FONT, 16, bold=True, color=RED)
        if lead:
            self.font(p.add_run(lead), SUBHEADING_FONT, 16, bold=True)
        self.font(p.add_run(text), BODY_FONT, 16)
        return p

    def heading(self, text: str):
        p = self.paragraph(before=6)
        p.paragraph_format.keep_with_next = True
        self.font(p.add_run(text), HEADING_FONT, 16, bold=self.lang != "zh")

    def subheading(self, text: str):
        p = self.paragraph()
        p.paragraph_format.keep_with_next = True
        self.font(p.add_run(text), SUBHEADING_FONT, 16, bold=True)


def _font_alternatives(document) -> None:
    """w:altName for the Windows fonts, in the package's font table."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for font, alternative in ALTERNATIVES.items():
        element = etree.SubElement(root, f"{{{w}}}font")
        element.set(f"{{{w}}}name", font)
        alt = etree.SubElement(element, f"{{{w}}}altName")
        alt.set(f"{{{w}}}val", alternative)
        charset = etree.SubElement(element, f"{{{w}}}charset")
        charset.set(f"{{{w}}}val", "86")  # GB2312
        family = etree.SubElement(element, f"{{{w}}}family")
        family.set(f"{{{w}}}val", "modern" if font == HEADING_FONT else "roman")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _page_number(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    run.font.size = Pt(14)
    word.page_number_field(run)


def _setup(document, summary: RoundSummary, lang: str, title: str, issuer: str) -> None:
    section = word.page_setup(document, (3.7, 3.5, 2.8, 2.6), footer_cm=2.0, size=16)
    rpr = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    language.set(qn("w:eastAsia"), "zh-CN")
    rpr.append(language)
    _page_number(section)
    _font_alternatives(document)
    word.core_properties(document, title, issuer, round_title(summary.round, lang),
                         "督查通报" if lang == "zh" else "supervision bulletin", _fixed_time(summary.round),
                         category="")


def _fixed_time(round_) -> datetime:
    """The document's one time (properties, zip entries): the round's start."""
    return datetime.combine(round_.start_date, datetime.min.time())


def _masthead(w: Writer, lang: str, issuer: str, on: date, round_code: str) -> None:
    p = w.paragraph(before=0, after=12, line=None, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    w.font(p.add_run("督查通报" if lang == "zh" else "Supervision Bulletin"), TITLE_FONT, 42 if lang == "zh" else 30,
           bold=lang != "zh", color=RED)
    p = w.paragraph(before=6, after=0, line=None, indent=False, align=WD_ALIGN_PARAGRAPH.LEFT)
    p.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_WIDTH_CM), WD_TAB_ALIGNMENT.RIGHT)
    size = 15 if lang == "zh" else 12
    w.font(p.add_run(issuer), BODY_FONT, size)
    w.font(p.add_run("\t" + format_date(on, lang)), BODY_FONT, size)
    word.bottom_border(p)


def _summary_table(w: Writer, summary: RoundSummary, lang: str) -> None:
    zh = lang == "zh"
    headers = (["地区", "督查组", "走访企业", "存在问题", "整改要求", "已核实", "未完成", "逾期"] if zh else
               ["Unit", "Group", "Firms", "Problems", "Required", "Verified", "Open", "Overdue"])
    table = w.document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(3.4), Cm(2.6)] + [Cm(1.6)] * 6 if zh else [Cm(2.8), Cm(2.0)] + [Cm(1.8)] * 6
    for column, width in zip(table.columns, widths):
        column.width = width  # the table grid, which LibreOffice reads

    def cell_text(cell, text, bold=False, color=None, align=WD_ALIGN_PARAGRAPH.CENTER):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = align
        paragraph.paragraph_format.space_before = Pt(2)
        paragraph.paragraph_format.space_after = Pt(2)
        w.font(paragraph.add_run(str(text)), TABLE_FONT if not bold else HEADING_FONT, 11 if zh else 9,
               bold=bold and not zh, color=color)

    for index, header in enumerate(headers):
        cell = table.rows[0].cells[index]
        cell.width = widths[index]
        word.shade(cell)
        cell_text(cell, header, bold=True)
    word.repeat_header(table.rows[0])
    for unit in summary.units:
        counts = unit.counts
        added = table.add_row()
        word.cant_split(added)
        row = added.cells
        values = [name(unit.org, lang), "、".join(name(g, lang) for g in unit.groups) if zh else
                  ", ".join(name(g, lang) for g in unit.groups), len(unit.enterprises),
                  unit.finding_counts[FindingKind.PROBLEM], counts["total"], counts[Status.VERIFIED],
                  counts["open"], counts["overdue"]]
        for index, value in enumerate(values):
            row[index].width = widths[index]
            overdue = index == 7 and counts["overdue"] > 0
            cell_text(row[index], value, color=RED if overdue else None,
                      align=WD_ALIGN_PARAGRAPH.LEFT if index < 2 else WD_ALIGN_PARAGRAPH.CENTER)
    totals = summary.totals
    row = table.add_row().cells
    values = ["合计" if zh else "Total", "", totals.get("enterprises", 0), totals.get("finding_problem", 0),
              totals.get("total", 0), totals.get("verified", 0), totals.get("open", 0), totals.get("overdue", 0)]
    for index, value in enumerate(values):
        row[index].width = widths[index]
        cell_text(row[index], value, bold=True, color=RED if index == 7 and totals.get("overdue") else None)
    w.paragraph(line=12, indent=False)


def _unit_section(w: Writer, unit: UnitSummary, number: int, lang: str, summary: RoundSummary) -> None:
    zh = lang == "zh"
    r = summary.round
    w.subheading(sub_label(number, lang) + name(unit.org, lang))
    facts = []
    if unit.visits:
        dates = sorted({v.date for v in unit.visits})
        groups = _list([name(v.group, lang) for v in unit.visits if v.group], lang) if not zh else "、".join(
            dict.fromkeys(name(v.group, lang) for v in unit.visits))
        enterprises = unit.enterprises
        if zh:
            text = f"{'、'.join(date_zh(d) for d in dates)}，{groups}赴{name(unit.org, 'zh')}开展督查服务"
            if enterprises:
                text += f"，走访{'、'.join(name(e, 'zh') for e in enterprises)}"
            attendees = "；".join(v.attendees for v in unit.visits if v.attendees)
            if attendees:
                text += f"。参加人员：{attendees}"
            facts.append(text + "。")
        else:
            text = f"On {_list([date_en(d) for d in dates], 'en')}, {groups} visited {name(unit.org, 'en')}"
            if enterprises:
                text += f" and investigated {_list([name(e, 'en') for e in enterprises], 'en')}"
            attendees = "; ".join(v.attendees for v in unit.visits if v.attendees)
            if attendees:
                text += f". Attendees: {attendees}"
            facts.append(text + ".")
    for fact in facts:
        w.body(fact)
    w.body(progress_sentence(unit.org, r.report_year, r.report_month, lang),
           lead="主要指标。" if zh else "Figures. ")
    for kind in FindingKind.values:
        findings = unit.findings_of(kind)
        if not findings:
            continue
        label = (FINDING_KIND_ZH[kind] + "。") if zh else (KIND_EN[kind] + ". ")
        for index, finding in enumerate(findings, start=1):
            about = ""
            if finding.enterprise_id:
                about = f"（{name(finding.enterprise, 'zh')}）" if zh else f" ({name(finding.enterprise, 'en')})"
            prefix = f"{index}. " if len(findings) > 1 else ""
            w.body(prefix + finding.text.strip() + about, lead=label if index == 1 else None)


def _requirements_section(w: Writer, summary: RoundSummary, lang: str, number: int) -> None:
    zh = lang == "zh"
    w.heading(section_label(number, lang) + ("整改要求及落实情况" if zh else "Requirements and their rectification"))
    requirements = summary.requirements
    if not requirements:
        w.body("本轮督查未下达整改要求。" if zh else "No requirements were issued in this round.")
        return
    tasks = []
    for requirement in requirements:
        if requirement.key_task not in tasks:
            tasks.append(requirement.key_task)
    tasks.sort(key=lambda t: t.number)
    for task_index, task in enumerate(tasks, start=1):
        w.subheading(sub_label(task_index, lang) + name(task, lang))
        items = [r for r in requirements if r.key_task_id == task.pk]
        for index, requirement in enumerate(items, start=1):
            who = requirement.addressee(lang)
            if zh:
                details = "（"
                if requirement.owner:
                    details += f"责任人：{requirement.owner}；"
                details += f"完成时限：{date_zh(requirement.due_date)}；落实情况：{status_text(requirement, lang, summary.on)}）"
                text = f"【{who}】{requirement.text.strip()}{details}"
            else:
                details = f" (addressed to {who}"
                if requirement.owner:
                    details += f"; owner: {requirement.owner}"
                details += f"; due {date_en(requirement.due_date)}; {status_text(requirement, lang, summary.on)})"
                text = f"{requirement.text.strip()}{details}"
            w.body(text, red=overdue_mark(requirement, lang, summary.on), prefix=f"{index}. ")


def _next_steps(w: Writer, summary: RoundSummary, lang: str, number: int) -> None:
    zh = lang == "zh"
    w.heading(section_label(number, lang) + ("下步工作要求" if zh else "Next steps"))
    overdue_units = [u for u in summary.units if u.counts["overdue"]]
    open_units = [u for u in summary.units if u.counts["open"]]
    if zh:
        if overdue_units:
            listed = "、".join(f"{name(u.org, 'zh')}{u.counts['overdue']}项" for u in overdue_units)
            w.body(f"对逾期未完成的整改要求（{listed}），请相关地区主要负责同志亲自督办，逐项明确整改措施和完成时间，"
                   f"于收到本通报之日起10个工作日内在平台反馈整改情况并上传佐证材料。", lead="（一）抓紧销号逾期事项。")
        if open_units:
            w.body("对已下达、尚未到期的整改要求，请各地对照完成时限抓好落实，按时在平台反馈；"
                   "对督查组退回的事项，请补充整改措施和佐证材料后重新反馈。",
                   lead=f"（{'二' if overdue_units else '一'}）按时反馈整改情况。")
        w.body("督查服务组将根据各地反馈逐项核实，核实情况在下一期督查通报中通报。",
               lead=f"（{zh_number(1 + bool(overdue_units) + bool(open_units))}）持续跟踪问效。")
        return
    if overdue_units:
        listed = ", ".join(f"{name(u.org, 'en')} ({u.counts['overdue']})" for u in overdue_units)
        w.body(f"Overdue requirements ({listed}): the units' leaders are asked to take them in hand, set out the "
               f"measures and dates for each, and respond on the platform with evidence within ten working days of "
               f"this bulletin.", lead="(a) Close the overdue requirements. ")
    if open_units:
        w.body("Requirements not yet due: respond on the platform by their due dates; requirements sent back need "
               "further measures and evidence before a new response.",
               lead=f"({'b' if overdue_units else 'a'}) Respond on time. ")
    w.body("The supervision groups will verify each response; the results appear in the next bulletin.",
           lead=f"({chr(ord('a') + bool(overdue_units) + bool(open_units))}) Follow-up. ")


def bulletin_docx(user, round_, lang: str = "zh", on: date | None = None) -> bytes:
    """The round's supervision bulletin (DOCX bytes), from the records `user` may see."""
    lang = lang_of(lang)
    summary = round_summary(user, round_, on)
    root = tree_root()
    issuer = (f"{name(root, 'zh')}“两化”改造工作专班" if lang == "zh" else
              f"{name(root, 'en')} Digital and Green Transformation Task Force") if root else ""
    title = (f"关于{round_.name_zh}情况的通报" if lang == "zh" else
             f"Bulletin on the {name(round_, 'en')}")
    document = Document()
    _setup(document, summary, lang, title, issuer)
    w = Writer(document, lang)
    _masthead(w, lang, issuer, summary.on, round_.code)
    p = w.paragraph(before=18, after=18, line=36, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    w.font(p.add_run(title), TITLE_FONT, 22 if lang == "zh" else 18, bold=lang != "zh")
    p = w.paragraph(indent=False)
    w.font(p.add_run("各有关单位：" if lang == "zh" else "To all units concerned:"), BODY_FONT, 16)
    w.body(opening(summary, lang, issuer))

    w.heading(section_label(1, lang) + ("总体情况" if lang == "zh" else "Overview"))
    _summary_table(w, summary, lang)
    w.heading(section_label(2, lang) + ("各地工作进展及督查发现" if lang == "zh" else "Progress and findings by unit"))
    reported = [u for u in summary.units if u.visits or u.findings or u.requirements]
    for index, unit in enumerate(reported, start=1):
        _unit_section(w, unit, index, lang, summary)
    _requirements_section(w, summary, lang, 3)
    _next_steps(w, summary, lang, 4)

    p = w.paragraph(before=24, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    w.font(p.add_run(issuer), BODY_FONT, 16)
    p = w.paragraph(indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    w.font(p.add_run(format_date(summary.on, lang)), BODY_FONT, 16)

    return word.save(document, _fixed_time(round_))


def bulletin_filename(round_, lang: str) -> str:
    return f"supervision-bulletin-{round_.code}-{'en' if lang.startswith('en') else 'zh'}.docx"
