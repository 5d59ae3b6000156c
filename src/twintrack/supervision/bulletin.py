"""The supervision bulletin (督查通报) of a round, as a Word document.

Generated from the records (what the user may see) in the style a bureau circulates:
a red masthead, a title in 方正小标宋简体, headings in 黑体, body in 仿宋, numbered
sections 一、二、三、四、, sub-sections （一）（二）, items 1. 2. For each visited unit it
quotes the unit's progress figures for the round's report period (from `build_report`, in
亿元/万元 and 万吨标准煤), the findings by kind, and every requirement with its state;
overdue requirements are marked in red. Chinese by default, English on request.

This module composes the document's blocks (`documents.blocks`); the one DOCX renderer
lays them out (`documents.docx.render_docx` with the `CIRCULAR` layout: the fonts a Chinese
government office's Windows machine has, each with a Noto alternative name in the font table).

The same records and the same `on` date give the same bytes: core properties carry the
round's start date and the zip entries a fixed timestamp.
"""
from __future__ import annotations

import calendar
from datetime import date, datetime
from decimal import Decimal

from twintrack.display.amounts import percent, tce_en, tce_zh, yuan_en, yuan_zh, zh_number
from twintrack.display.language import lang_of
from twintrack.display.periods import date_en, date_zh, format_date, months_zh
from twintrack.documents.blocks import Cell, Document, Heading, Paragraph, Signature, Table
from twintrack.documents.docx import CIRCULAR, render_docx
from twintrack.orgs.access import tree_root
from twintrack.reports.build import build_report
from twintrack.supervision.models import FINDING_KIND_ZH, STATUS_ZH, FindingKind, Status
from twintrack.supervision.summary import RoundSummary, UnitSummary, round_summary

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


# --- the document's blocks ------------------------------------------------------------------------

def _fixed_time(round_) -> datetime:
    """The document's one time (properties, zip entries): the round's start."""
    return datetime.combine(round_.start_date, datetime.min.time())


def _summary_table(summary: RoundSummary, lang: str) -> Table:
    zh = lang == "zh"
    headers = (["地区", "督查组", "走访企业", "存在问题", "整改要求", "已核实", "未完成", "逾期"] if zh else
               ["Unit", "Group", "Firms", "Problems", "Required", "Verified", "Open", "Overdue"])
    widths = [3.4, 2.6] + [1.6] * 6 if zh else [2.8, 2.0] + [1.8] * 6
    rows = []
    for unit in summary.units:
        counts = unit.counts
        groups = ("、" if zh else ", ").join(name(g, lang) for g in unit.groups)
        values = [len(unit.enterprises), unit.finding_counts[FindingKind.PROBLEM], counts["total"],
                  counts[Status.VERIFIED], counts["open"], counts["overdue"]]
        rows.append([Cell(name(unit.org, lang), "left"), Cell(groups, "left")]
                    + [Cell(str(v), "center") for v in values[:-1]]
                    + [Cell(str(values[-1]), "center", alert=counts["overdue"] > 0)])
    totals = summary.totals
    values = ["合计" if zh else "Total", ""] + [str(totals.get(k, 0)) for k in (
        "enterprises", "finding_problem", "total", "verified", "open", "overdue")]
    rows.append([Cell(v, "center", bold=True, alert=i == 7 and bool(totals.get("overdue")))
                 for i, v in enumerate(values)])
    return Table("", [[Cell(h, "center", bold=True) for h in headers]], rows, widths=widths)


def _visits_sentence(unit: UnitSummary, lang: str) -> str:
    dates = sorted({v.date for v in unit.visits})
    enterprises = unit.enterprises
    if lang == "zh":
        groups = "、".join(dict.fromkeys(name(v.group, lang) for v in unit.visits))
        text = f"{'、'.join(date_zh(d) for d in dates)}，{groups}赴{name(unit.org, 'zh')}开展督查服务"
        if enterprises:
            text += f"，走访{'、'.join(name(e, 'zh') for e in enterprises)}"
        attendees = "；".join(v.attendees for v in unit.visits if v.attendees)
        if attendees:
            text += f"。参加人员：{attendees}"
        return text + "。"
    groups = _list([name(v.group, lang) for v in unit.visits if v.group], lang)
    text = f"On {_list([date_en(d) for d in dates], 'en')}, {groups} visited {name(unit.org, 'en')}"
    if enterprises:
        text += f" and investigated {_list([name(e, 'en') for e in enterprises], 'en')}"
    attendees = "; ".join(v.attendees for v in unit.visits if v.attendees)
    if attendees:
        text += f". Attendees: {attendees}"
    return text + "."


def _unit_section(unit: UnitSummary, number: int, lang: str, summary: RoundSummary) -> list:
    zh = lang == "zh"
    r = summary.round
    blocks = [Heading(sub_label(number, lang) + name(unit.org, lang), level=2)]
    if unit.visits:
        blocks.append(Paragraph(_visits_sentence(unit, lang)))
    blocks.append(Paragraph(progress_sentence(unit.org, r.report_year, r.report_month, lang),
                            lead="主要指标。" if zh else "Figures. "))
    for kind in FindingKind.values:
        findings = unit.findings_of(kind)
        label = (FINDING_KIND_ZH[kind] + "。") if zh else (KIND_EN[kind] + ". ")
        for index, finding in enumerate(findings, start=1):
            about = ""
            if finding.enterprise_id:
                about = f"（{name(finding.enterprise, 'zh')}）" if zh else f" ({name(finding.enterprise, 'en')})"
            blocks.append(Paragraph(finding.text.strip() + about, number=f"{index}. " if len(findings) > 1 else "",
                                    lead=label if index == 1 else None))
    return blocks


def _requirement_paragraph(requirement, index: int, lang: str, on: date) -> Paragraph:
    who = requirement.addressee(lang)
    if lang == "zh":
        details = "（"
        if requirement.owner:
            details += f"责任人：{requirement.owner}；"
        details += f"完成时限：{date_zh(requirement.due_date)}；落实情况：{status_text(requirement, lang, on)}）"
        text = f"【{who}】{requirement.text.strip()}{details}"
    else:
        details = f" (addressed to {who}"
        if requirement.owner:
            details += f"; owner: {requirement.owner}"
        details += f"; due {date_en(requirement.due_date)}; {status_text(requirement, lang, on)})"
        text = f"{requirement.text.strip()}{details}"
    return Paragraph(text, number=f"{index}. ", mark=overdue_mark(requirement, lang, on))


def _requirements_section(summary: RoundSummary, lang: str, number: int) -> list:
    zh = lang == "zh"
    blocks = [Heading(section_label(number, lang) + ("整改要求及落实情况" if zh else "Requirements and their rectification"))]
    requirements = summary.requirements
    if not requirements:
        return blocks + [Paragraph("本轮督查未下达整改要求。" if zh else "No requirements were issued in this round.")]
    tasks = []
    for requirement in requirements:
        if requirement.key_task not in tasks:
            tasks.append(requirement.key_task)
    tasks.sort(key=lambda t: t.number)
    for task_index, task in enumerate(tasks, start=1):
        blocks.append(Heading(sub_label(task_index, lang) + name(task, lang), level=2))
        items = [r for r in requirements if r.key_task_id == task.pk]
        blocks += [_requirement_paragraph(r, index, lang, summary.on) for index, r in enumerate(items, start=1)]
    return blocks


def _next_steps(summary: RoundSummary, lang: str, number: int) -> list:
    zh = lang == "zh"
    blocks = [Heading(section_label(number, lang) + ("下步工作要求" if zh else "Next steps"))]
    overdue_units = [u for u in summary.units if u.counts["overdue"]]
    open_units = [u for u in summary.units if u.counts["open"]]
    if zh:
        if overdue_units:
            listed = "、".join(f"{name(u.org, 'zh')}{u.counts['overdue']}项" for u in overdue_units)
            blocks.append(Paragraph(
                f"对逾期未完成的整改要求（{listed}），请相关地区主要负责同志亲自督办，逐项明确整改措施和完成时间，"
                f"于收到本通报之日起10个工作日内在平台反馈整改情况并上传佐证材料。", lead="（一）抓紧销号逾期事项。"))
        if open_units:
            blocks.append(Paragraph("对已下达、尚未到期的整改要求，请各地对照完成时限抓好落实，按时在平台反馈；"
                                    "对督查组退回的事项，请补充整改措施和佐证材料后重新反馈。",
                                    lead=f"（{'二' if overdue_units else '一'}）按时反馈整改情况。"))
        blocks.append(Paragraph("督查服务组将根据各地反馈逐项核实，核实情况在下一期督查通报中通报。",
                                lead=f"（{zh_number(1 + bool(overdue_units) + bool(open_units))}）持续跟踪问效。"))
        return blocks
    if overdue_units:
        listed = ", ".join(f"{name(u.org, 'en')} ({u.counts['overdue']})" for u in overdue_units)
        blocks.append(Paragraph(
            f"Overdue requirements ({listed}): the units' leaders are asked to take them in hand, set out the "
            f"measures and dates for each, and respond on the platform with evidence within ten working days of "
            f"this bulletin.", lead="(a) Close the overdue requirements. "))
    if open_units:
        blocks.append(Paragraph("Requirements not yet due: respond on the platform by their due dates; requirements "
                                "sent back need further measures and evidence before a new response.",
                                lead=f"({'b' if overdue_units else 'a'}) Respond on time. "))
    blocks.append(Paragraph("The supervision groups will verify each response; the results appear in the next bulletin.",
                            lead=f"({chr(ord('a') + bool(overdue_units) + bool(open_units))}) Follow-up. "))
    return blocks


def bulletin_document(user, round_, lang: str = "zh", on: date | None = None) -> Document:
    """The round's supervision bulletin as blocks, from the records `user` may see."""
    lang = lang_of(lang)
    zh = lang == "zh"
    summary = round_summary(user, round_, on)
    root = tree_root()
    issuer = (f"{name(root, 'zh')}“两化”改造工作专班" if zh else
              f"{name(root, 'en')} Digital and Green Transformation Task Force") if root else ""
    title = f"关于{round_.name_zh}情况的通报" if zh else f"Bulletin on the {name(round_, 'en')}"
    doc = Document(lang, "督查通报" if zh else "Supervision Bulletin", "", issuer, format_date(summary.on, lang),
                   None, title, author=issuer, subject=round_title(round_, lang),
                   keywords="督查通报" if zh else "supervision bulletin", created=_fixed_time(round_))
    doc.blocks += [Paragraph("各有关单位：" if zh else "To all units concerned:", kind="addressee"),
                   Paragraph(opening(summary, lang, issuer)),
                   Heading(section_label(1, lang) + ("总体情况" if zh else "Overview")),
                   _summary_table(summary, lang),
                   Heading(section_label(2, lang) + ("各地工作进展及督查发现" if zh else "Progress and findings by unit"))]
    reported = [u for u in summary.units if u.visits or u.findings or u.requirements]
    for index, unit in enumerate(reported, start=1):
        doc.blocks += _unit_section(unit, index, lang, summary)
    doc.blocks += _requirements_section(summary, lang, 3) + _next_steps(summary, lang, 4)
    doc.blocks.append(Signature(issuer, format_date(summary.on, lang)))
    return doc


def bulletin_docx(user, round_, lang: str = "zh", on: date | None = None) -> bytes:
    """The round's supervision bulletin (DOCX bytes), laid out by the one DOCX renderer."""
    return render_docx(bulletin_document(user, round_, lang, on), CIRCULAR)


def bulletin_filename(round_, lang: str) -> str:
    return f"supervision-bulletin-{round_.code}-{'en' if lang.startswith('en') else 'zh'}.docx"
