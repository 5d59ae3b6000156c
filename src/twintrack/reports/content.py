"""What a bulletin says, in one language, as a small document model that the DOCX and
PDF renderers lay out. Writing the words once keeps the two files saying the same thing.

The layout follows the conventions of a Chinese government bulletin (党政机关公文格式,
GB/T 9704): a red masthead with the issue number, the issuer and the date above a red
rule; a title; numbered sections (一、二、三、); numbered tables and figures; notes (注)
under tables; page numbers as "— 1 —".
"""
from __future__ import annotations

import calendar
from datetime import date, datetime

from twintrack.display import amounts
from twintrack.display.amounts import zh_number
from twintrack.display.labels import metric_label, metrics_in_use, org_name
from twintrack.display.periods import date_en, date_zh, months_label, months_zh
from twintrack.documents.blocks import Cell, Document, Figure, Heading, Paragraph, Table
from twintrack.metrics.rules import is_ahead_of_schedule, schedule_rate
from twintrack.reports import charts as chart_images


# --- words ------------------------------------------------------------------------------

WORDS = {
    "zh": {
        "masthead": "“两化”改造工作通报",
        "issue": "{year}年第{month}期",
        "corrected": "（更正版·第{version}版）",
        "draft": "（未发布稿，仅供内部核对）",
        "issuer": "{name}“两化”改造工作专班",
        "title": "{name}{year}年{months}“两化”改造工作进展情况",
        "h_overall": "一、总体情况",
        "h_units": "二、各地完成情况",
        "h_outlook": "{n}、全年完成预测",
        "h_notes": "{n}、有关说明",
        "metric": "指标", "unit": "单位", "actual": "{months}完成", "target": "{months}目标",
        "completion": "完成率", "annual_target": "年度目标", "annual_rate": "年度完成率", "progress": "进度",
        "rank": "排名", "org": "地区", "done": "完成",
        "ahead": "快于序时", "behind": "慢于序时", "no_target": "无目标", "no_annual": "无年度目标",
        "projected": "预计全年", "projected_rate": "预计完成率", "will_meet": "能否完成",
        "yes": "可完成", "no": "有缺口", "needed": "后{n}个月需月均", "recent": "近{n}个月月均",
        "t_main": "表{n}  {name}{months}主要指标完成情况",
        "t_units": "表{n}  各地{months}主要指标完成情况（按{metric}完成率排序）",
        "t_outlook": "表{n}  全年完成预测",
        "t_changes": "附表  本版更正内容",
        "f_cumulative": "图{n}  {months}各指标累计完成与目标（按月累计）",
        "f_ranking": "图{n}  各地{months}{metric}完成率",
        "field": "项目", "old": "第{v}版", "new": "第{v}版（本版）",
        "f_actual": "{months}完成", "f_target": "{months}目标", "f_annual_target": "年度目标",
        "f_unit": "地区",
        "none": "—",
    },
    "en": {
        "masthead": "Digital and Green Transformation Bulletin",
        "issue": "No. {month}, {year}",
        "corrected": " (corrected edition, version {version})",
        "draft": " (unpublished draft, for checking only)",
        "issuer": "{name} Digital and Green Transformation Task Force",
        "title": "{name}: digital and green transformation, {months} {year}",
        "h_overall": "1. Overview",
        "h_units": "2. Units",
        "h_outlook": "{n}. Year-end outlook",
        "h_notes": "{n}. Notes",
        "metric": "Metric", "unit": "Unit", "actual": "Actual {months}", "target": "Target {months}",
        "completion": "Completion", "annual_target": "Annual target", "annual_rate": "Annual rate",
        "progress": "Schedule", "rank": "Rank", "org": "Unit", "done": "Actual",
        "ahead": "ahead", "behind": "behind", "no_target": "no target", "no_annual": "no annual target",
        "projected": "Projected Dec", "projected_rate": "Projected rate", "will_meet": "Target met?",
        "yes": "yes", "no": "short", "needed": "Needed per month ({n} left)", "recent": "Last {n} months' average",
        "t_main": "Table {n}  {name}: main figures, {months}",
        "t_units": "Table {n}  Units ranked by {metric} completion rate, {months}",
        "t_outlook": "Table {n}  Year-end outlook",
        "t_changes": "Annex  Changes in this version",
        "f_cumulative": "Figure {n}  Cumulative actual against cumulative target, by month",
        "f_ranking": "Figure {n}  Units by {metric} completion rate, {months}",
        "field": "Figure", "old": "Version {v}", "new": "Version {v} (this)",
        "f_actual": "actual {months}", "f_target": "target {months}", "f_annual_target": "annual target",
        "f_unit": "unit",
        "none": "-",
    },
}


def _enum(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    if len(items) <= 2:
        return " and ".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


# --- the document -------------------------------------------------------------------------

def build_document(data: dict, lang: str = "zh", edition: dict | None = None,
                   generated: date | None = None, charts: bool = True) -> Document:
    """The bulletin as a Document. `edition` describes a published version (version,
    published_at, reason, changes, previous); None renders an unpublished draft dated
    `generated` (today if not given)."""
    W = WORDS[lang]
    report = data["report"]
    year, month = (int(p) for p in report["period"].split("-"))
    months = months_label(month, lang)
    org = report["org"]
    issuer_org = data.get("issuer") or org
    if edition:
        published = datetime.fromisoformat(edition["published_at"])
        day = published.date()
        status = W["corrected"].format(version=edition["version"]) if edition["version"] > 1 else None
    else:
        day = generated or date.today()
        published = datetime(day.year, day.month, day.day)
        status = W["draft"]
    doc = Document(
        lang=lang,
        masthead=W["masthead"],
        issue=W["issue"].format(year=year, month=month),
        issuer=W["issuer"].format(name=org_name(issuer_org, lang)),
        date=date_zh(day) if lang == "zh" else date_en(day),
        status=status,
        title=W["title"].format(name=org_name(org, lang), year=year, months=months),
        author=W["issuer"].format(name=org_name(issuer_org, lang)),
        subject=report["period"],
        keywords=f"{org['code']} {report['period']}",
        created=published,
    )
    counter = {"table": 0, "figure": 0}

    def next_number(kind: str) -> int:
        counter[kind] += 1
        return counter[kind]

    if edition and edition["version"] > 1:
        doc.blocks.append(Paragraph(_correction_notice(edition, lang), kind="notice"))
    doc.blocks.append(Heading(W["h_overall"]))
    doc.blocks.append(Paragraph(report["narrative"][lang]))
    doc.blocks.append(Paragraph(_schedule_sentence(report, month, lang)))
    doc.blocks.append(_main_table(report, month, lang, next_number("table")))
    if charts:
        doc.blocks.append(Figure(W["f_cumulative"].format(n=next_number("figure"), months=months),
                                 chart_images.cumulative_chart(data, lang)))
    section = 2
    if report["children"]:
        doc.blocks.append(Heading(W["h_units"]))
        doc.blocks.append(Paragraph(_units_sentence(data, month, lang)))
        doc.blocks.append(_units_table(data, month, lang, next_number("table")))
        ranked = metric_label(data["ranking"]["metric"], lang, short=True)
        if charts:
            doc.blocks.append(Figure(W["f_ranking"].format(n=next_number("figure"), months=months,
                                                           metric=ranked if lang == "zh" else ranked.lower()),
                                     chart_images.ranking_chart(data, lang)))
        section += 1
    numeral = zh_number if lang == "zh" else str
    doc.blocks.append(Heading(W["h_outlook"].format(n=numeral(section))))
    doc.blocks += _outlook_blocks(data, month, lang, next_number("table"))
    section += 1
    doc.blocks.append(Heading(W["h_notes"].format(n=numeral(section))))
    notes = _notes(month, lang) + _basis_notes(report, lang)
    notes += _quality_notes(data.get("quality"), len(notes) + 1, month, lang)
    doc.blocks += [Paragraph(text) for text in notes]
    if edition and edition.get("changes"):
        doc.blocks.append(_changes_table(edition, month, lang))
    return doc


# --- sentences ---------------------------------------------------------------------------

def _schedule_sentence(report: dict, month: int, lang: str) -> str:
    schedule = amounts.percent(schedule_rate(month))
    with_target, ahead, behind, without = [], [], [], []
    for metric in metrics_in_use(report):
        figures = report["metrics"][metric]
        name = metric_label(metric, lang, short=True)
        state = is_ahead_of_schedule(figures["annual_rate"], month)
        if state is None:
            without.append(name)
            continue
        with_target.append((name, amounts.percent(figures["annual_rate"])))
        (ahead if state else behind).append(name)
    if lang == "zh":
        text = f"截至{month}月底，序时进度为{schedule}。"
        if with_target:
            names = _enum([n for n, _ in with_target], lang)
            rates = _enum([r for _, r in with_target], lang)
            verb = "分别为" if len(with_target) > 1 else "为"
            text += f"{names}年度目标完成率{verb}{rates}，"
            if not behind:
                text += ("均" if len(ahead) > 1 else "") + "快于序时进度。"
            elif not ahead:
                text += ("均" if len(behind) > 1 else "") + "慢于序时进度，需加快推进。"
            else:
                text += f"其中{_enum(ahead, lang)}快于序时进度，{_enum(behind, lang)}慢于序时进度。"
        if without:
            text += f"{_enum(without, lang)}未下达年度目标。"
        return text
    text = f"By the end of {calendar.month_name[month]}, {schedule} of the year had elapsed (the schedule)."
    if with_target:
        parts = _enum([f"{n.lower()} at {r}" for n, r in with_target], lang)
        text += f" Against the annual targets, {parts}"
        if not behind:
            text += ": " + ("all " if len(ahead) > 1 else "") + "ahead of schedule."
        elif not ahead:
            text += ": " + ("all " if len(behind) > 1 else "") + "behind schedule, and work must speed up."
        else:
            text += f"; {_enum([a.lower() for a in ahead], lang)} ahead of schedule, " \
                    f"{_enum([b.lower() for b in behind], lang)} behind."
    if without:
        text += f" No annual target was set for {_enum([w.lower() for w in without], lang)}."
    return text


def _units_sentence(data: dict, month: int, lang: str) -> str:
    report = data["report"]
    metric = data["ranking"]["metric"]
    by_code = {c["org"]["code"]: c for c in report["children"]}
    name = metric_label(metric, lang, short=True)
    ranked = data["ranking"]["ranked"]
    top = ranked[:3]
    schedule = amounts.percent(schedule_rate(month))

    def who(code):
        return org_name(by_code[code]["org"], lang)

    behind = [code for code in ranked + data["ranking"]["no_target"]
              if is_ahead_of_schedule(by_code[code]["metrics"][metric]["annual_rate"], month) is False]
    no_target = data["ranking"]["no_target"]
    if lang == "zh":
        parts = []
        if top:
            listed = "、".join(f"{who(c)}（{amounts.percent(by_code[c]['metrics'][metric]['completion_rate'])}）"
                              for c in top)
            parts.append(f"按{name}完成率排序，前{zh_number(len(top))}位是{listed}。")
        if behind:
            parts.append(f"{_enum([who(c) for c in behind], lang)}{name}年度完成率低于序时进度（{schedule}），需加快推进。")
        elif ranked:
            parts.append(f"各地{name}年度完成率均达到序时进度（{schedule}）。")
        if no_target:
            parts.append(f"{_enum([who(c) for c in no_target], lang)}未下达{months_zh(month)}{name}目标，"
                         f"列于表末，不参与排名。")
        return "".join(parts)
    parts = []
    if top:
        listed = _enum([f"{who(c)} ({amounts.percent(by_code[c]['metrics'][metric]['completion_rate'])})"
                        for c in top], lang)
        parts.append(f"Ranked by {name.lower()} completion rate, the leading units are {listed}.")
    if behind:
        parts.append(f"{_enum([who(c) for c in behind], lang)} "
                     f"{'is' if len(behind) == 1 else 'are'} behind schedule on {name.lower()} "
                     f"(annual rate below {schedule}) and must speed up.")
    elif ranked:
        parts.append(f"Every unit is on or ahead of schedule on {name.lower()} ({schedule}).")
    if no_target:
        parts.append(f"{_enum([who(c) for c in no_target], lang)} "
                     f"{'has' if len(no_target) == 1 else 'have'} no {name.lower()} target for the period: "
                     f"listed last, not ranked.")
    return " ".join(parts)


def _correction_notice(edition: dict, lang: str) -> str:
    previous = edition.get("previous") or {}
    prev_day = datetime.fromisoformat(previous["published_at"]).date() if previous.get("published_at") else None
    reason = edition.get("reason") or ""
    count = len(edition.get("changes") or [])
    if lang == "zh":
        text = f"更正说明：本版（第{edition['version']}版）更正并替代"
        text += f"{date_zh(prev_day)}发布的" if prev_day else ""
        text += f"第{previous.get('version', edition['version'] - 1)}版。"
        if reason:
            text += f"更正原因：{reason.rstrip('。')}。"
        text += f"共更正{count}项数据，详见文末附表。" if count else "数据未作更改。"
        return text
    text = f"Correction: this version ({edition['version']}) replaces version " \
           f"{previous.get('version', edition['version'] - 1)}"
    text += f" of {date_en(prev_day)}." if prev_day else "."
    if reason:
        text += f" Reason: {reason.rstrip('.')}."
    text += f" {count} figure{'s' if count != 1 else ''} changed: see the annex." if count else " No figure changed."
    return text


# --- tables --------------------------------------------------------------------------------

def _rate_or(value, lang: str, missing_key: str = "no_target") -> Cell:
    text = amounts.percent(value, keep_zeros=True)
    return Cell(text if text is not None else WORDS[lang][missing_key], align="right" if text else "center")


def _amount(value, metric: str, lang: str) -> Cell:
    text = amounts.amount(value, metric, lang)
    return Cell(text if text is not None else WORDS[lang]["none"], align="right" if text else "center")


def _unit_cell(metric: str, lang: str) -> Cell:
    return Cell(amounts.document_scale(metric, lang).unit(lang), align="center")


def _progress_cell(annual_rate, month: int, lang: str) -> Cell:
    W = WORDS[lang]
    state = is_ahead_of_schedule(annual_rate, month)
    if state is None:
        return Cell(W["no_annual"], align="center")
    return Cell(W["ahead"], align="center") if state else Cell(W["behind"] + "\u00a0▼", align="center", alert=True)


def _header(texts: list[str]) -> list[Cell]:
    return [Cell(t, align="center", bold=True) for t in texts]


def _main_table(report: dict, month: int, lang: str, number: int) -> Table:
    W = WORDS[lang]
    months = months_label(month, lang)
    header = _header([W["metric"], W["unit"], W["actual"].format(months=months), W["target"].format(months=months),
                      W["completion"], W["annual_target"], W["annual_rate"], W["progress"]])
    rows = []
    for metric in metrics_in_use(report):
        f = report["metrics"][metric]
        rows.append([Cell(metric_label(metric, lang, short=True), align="left"), _unit_cell(metric, lang),
                     _amount(f["actual"], metric, lang), _amount(f["target"], metric, lang),
                     _rate_or(f["completion_rate"], lang), _amount(f["annual_target"], metric, lang),
                     _rate_or(f["annual_rate"], lang), _progress_cell(f["annual_rate"], month, lang)])
    schedule = amounts.percent(schedule_rate(month))
    note = (f"注：序时进度为{schedule}（{month}÷12）；年度完成率低于序时进度的标“慢于序时 ▼”。" if lang == "zh" else
            f"Note: the schedule (time elapsed) is {schedule} ({month}/12); an annual rate below it is marked "
            f"\"behind ▼\".")
    return Table(W["t_main"].format(n=number, name=org_name(report["org"], lang), months=months),
                 [header], rows, note, widths=[2.2, 1.6, 1.7, 1.7, 1.7, 1.7, 1.5, 1.6])


def _has_targets(report: dict, metric: str) -> bool:
    return any(c["metrics"][metric].get(f) is not None for c in report["children"]
               for f in ("target", "annual_target"))


def _units_table(data: dict, month: int, lang: str, number: int) -> Table:
    """Child units ranked; per metric: actual, completion rate, annual rate. A metric no
    unit has a target for (CO2 in its first year) gets its actual column only."""
    W = WORDS[lang]
    report = data["report"]
    metrics = metrics_in_use(report)
    targeted = {m: _has_targets(report, m) for m in metrics}
    by_code = {c["org"]["code"]: c for c in report["children"]}
    months = months_label(month, lang)
    top = [Cell(W["rank"], align="center", bold=True, rowspan=2), Cell(W["org"], align="center", bold=True, rowspan=2)]
    second, widths = [], [1.0, 2.4]
    for metric in metrics:
        unit = amounts.document_scale(metric, lang).unit(lang)
        text = f"{metric_label(metric, lang, short=True)}（{unit}）" if lang == "zh" else \
            f"{metric_label(metric, lang, short=True)} ({unit})"
        top.append(Cell(text, align="center", bold=True, colspan=3 if targeted[metric] else 1))
        if targeted[metric]:
            second += _header([W["done"], W["completion"], W["annual_rate"]])
            widths += [1.15, 1.5, 1.75]
        else:
            second += _header([W["done"]])
            widths += [1.6]
    rows = []
    ranked = data["ranking"]["ranked"]
    for position, code in enumerate(ranked + data["ranking"]["no_target"], start=1):
        child = by_code[code]
        row = [Cell(str(position) if code in ranked else W["none"], align="center"),
               Cell(org_name(child["org"], lang), align="left")]
        for metric in metrics:
            f = child["metrics"][metric]
            row.append(_amount(f["actual"], metric, lang))
            if not targeted[metric]:
                continue
            row.append(_rate_or(f["completion_rate"], lang))
            annual = _rate_or(f["annual_rate"], lang)
            if is_ahead_of_schedule(f["annual_rate"], month) is False:
                annual = Cell(annual.text + "\u00a0▼", align="right", alert=True)
            row.append(annual)
        rows.append(row)
    schedule = amounts.percent(schedule_rate(month))
    metric_name = metric_label(data["ranking"]["metric"], lang, short=True)
    untargeted = [metric_label(m, lang, short=True) for m in metrics if not targeted[m]]
    if lang == "zh":
        note = (f"注：按{metric_name}完成率排序；▼表示年度完成率低于序时进度（{schedule}）；“无目标”表示该地区未下达相应目标，"
                f"不参与排名，列于表末。")
        if untargeted:
            note += f"{_enum(untargeted, lang)}各地均未下达目标，仅列完成数。"
    else:
        note = (f"Note: ranked by {metric_name.lower()} completion rate; ▼ marks an annual rate below the schedule "
                f"({schedule}); \"no target\" means the unit has no such target: not ranked, listed last.")
        if untargeted:
            note += f" No unit has a target for {_enum([u.lower() for u in untargeted], lang)}: actual only."
    return Table(W["t_units"].format(n=number, months=months,
                                     metric=metric_name if lang == "zh" else metric_name.lower()),
                 [top, second], rows, note, widths=widths)


METHOD_ZH = {
    "last_year": "上年同期进度",
    "target_phasing": "分月目标进度",
    "run_rate": "时间进度（线性）",
    "actual": "全年实际",
}
METHOD_EN = {
    "last_year": "last year's seasonal pattern",
    "target_phasing": "the monthly target phasing",
    "run_rate": "the linear run-rate",
    "actual": "the full-year actual",
}
PHRASE_ZH = {"projects": "启动项目{v}", "investment_yuan": "完成技改投资{v}", "energy_saved_tce": "实现节能量{v}"}
PHRASE_EN = {"projects": "{v} projects launched", "investment_yuan": "investment of {v}",
             "energy_saved_tce": "energy savings of {v}"}


def _with_unit(value, metric: str, lang: str) -> str:
    text = amounts.amount_with_unit(value, metric, lang)
    return text if text is not None else WORDS[lang]["none"]


def _outlook_blocks(data: dict, month: int, lang: str, number: int) -> list:
    W = WORDS[lang]
    report = data["report"]
    outlook = data["outlook"]["unit"]
    metrics = [m for m in metrics_in_use(report) if m in outlook]
    months = months_label(month, lang)
    if month == 12 or not metrics:
        return [Paragraph("本期为全年数据，不再作全年预测。" if lang == "zh" else
                          "This bulletin covers the whole year: no outlook is needed.")]
    remaining = 12 - month
    sentences = []
    for metric in metrics:
        o = outlook[metric]
        phrase = (PHRASE_ZH if lang == "zh" else PHRASE_EN).get(metric)
        value = _with_unit(o["projected"], metric, lang)
        if phrase is None:
            phrase = metric_label(metric, lang) + ("{v}" if lang == "zh" else " {v}")
        body = phrase.format(v=value)
        if lang == "zh":
            if o["annual_target"] is None:
                sentences.append(f"预计全年{body}（未下达年度目标）")
            elif o["will_meet"]:
                sentences.append(f"预计全年{body}，为年度目标的{amounts.percent(o['projected_rate'])}，可完成年度目标")
            else:
                sentences.append(
                    f"预计全年{body}，为年度目标的{amounts.percent(o['projected_rate'])}，"
                    f"缺口{_with_unit(o['shortfall'], metric, lang)}；完成年度目标需后{remaining}个月月均"
                    f"{_with_unit(o['needed_per_month'], metric, lang)}，近3个月月均为"
                    f"{_with_unit(o['recent_per_month'], metric, lang)}")
        else:
            if o["annual_target"] is None:
                sentences.append(f"{body} by December (no annual target)")
            elif o["will_meet"]:
                sentences.append(f"{body} by December, {amounts.percent(o['projected_rate'])} of the annual "
                                 f"target, which will be met")
            else:
                sentences.append(
                    f"{body} by December, {amounts.percent(o['projected_rate'])} of the annual target, "
                    f"short by {_with_unit(o['shortfall'], metric, lang)}: meeting it needs "
                    f"{_with_unit(o['needed_per_month'], metric, lang)} a month for the remaining {remaining} months, "
                    f"against {_with_unit(o['recent_per_month'], metric, lang)} a month over the last three")
    if lang == "zh":
        text = "按当前进度测算（方法见表注）：" + "；".join(sentences) + "。"
    else:
        text = "At the present pace (method in the note to the table): " + "; ".join(sentences) + "."
    header = _header([W["metric"], W["actual"].format(months=months), W["projected"], W["annual_target"],
                      W["projected_rate"], W["will_meet"], W["needed"].format(n=remaining),
                      W["recent"].format(n=min(3, month))])
    rows = []
    for metric in metrics:
        o = outlook[metric]
        unit = amounts.document_scale(metric, lang).unit(lang)
        name = metric_label(metric, lang, short=True)
        meet = (Cell(W["no_annual"], align="center") if o["will_meet"] is None else
                Cell(W["yes"], align="center") if o["will_meet"] else Cell(W["no"] + "\u00a0▼", align="center", alert=True))
        rows.append([Cell(f"{name}（{unit}）" if lang == "zh" else f"{name} ({unit})", align="left"),
                     _amount(o["actual"], metric, lang), _amount(o["projected"], metric, lang),
                     _amount(o["annual_target"], metric, lang), _rate_or(o["projected_rate"], lang, "no_annual"),
                     meet, _amount(o["needed_per_month"], metric, lang),
                     _amount(o["recent_per_month"], metric, lang)])
    table = Table(W["t_outlook"].format(n=number), [header], rows, method_note(outlook, metrics, month, lang),
                  widths=[2.6, 1.5, 1.5, 1.5, 1.6, 1.7, 1.7, 1.6])
    return [Paragraph(text), table]


def method_note(outlook: dict, metrics: list[str], month: int, lang: str) -> str:
    """The footnote that states how the year-end figure was projected, and why."""
    used = {}
    for metric in metrics:
        used.setdefault(outlook[metric]["method"], []).append(metric)
    if lang == "zh":
        months = months_zh(month)
        text = (f"注：预计全年数 = {months}累计完成数 ÷ 截至{month}月通常应完成的全年比重（同期占比法）。"
                "比重按可用数据依次取：①本地区上年各月完成数（上年12个月均有数据时），能反映春节前后偏低、"
                "年中和年底集中的季节规律，比按时间线性推算更准确；②本年分月累计目标占年度目标的比重，即下达目标时预期的"
                f"进度节奏；③时间进度{month}/12（线性推算）。本期")
        parts = []
        for method, keys in used.items():
            shares = "、".join(f"{metric_label(k, 'zh')}{amounts.percent(outlook[k]['share'])}" for k in keys)
            parts.append(f"按{METHOD_ZH[method]}推算（比重：{shares}）")
        return text + "；".join(parts) + "。"
    text = (f"Note: projected December figure = actual January-{calendar.month_name[month]} divided by the share "
            f"of a year normally done by the end of {calendar.month_name[month]}. The share comes, in order of "
            "preference, from (1) the unit's own figures of last year, when all twelve months were reported: they "
            "carry the seasonal pattern (a slow Spring Festival, pushes at mid-year and year-end) that a linear "
            "run-rate misreads; (2) the bureau's cumulative monthly targets as a share of the annual target, the "
            f"pace planned when the targets were set; (3) the time elapsed, {month}/12 (linear run-rate). Here: ")
    parts = []
    for method, keys in used.items():
        shares = ", ".join(f"{metric_label(k, 'en', short=True).lower()} {amounts.percent(outlook[k]['share'])}"
                           for k in keys)
        parts.append(f"{METHOD_EN[method]} (share: {shares})")
    return text + "; ".join(parts) + "."


def _notes(month: int, lang: str) -> list[str]:
    months = months_label(month, lang)
    if lang == "zh":
        return [
            f"1. 项目数为当年{months}开工且未取消的“两化”改造项目个数；技改投资、节能量为{months}各月完成数之和，"
            "含以前年度开工、本年继续实施的项目。",
            "2. 目标为本地区自身下达的目标，不由下级地区目标汇总，也不按月份折算；未下达目标的，不计算完成率。",
            f"3. 序时进度 = 月份数 ÷ 12，截至{month}月为{amounts.percent(schedule_rate(month))}；"
            "年度完成率低于序时进度即为进度滞后。",
            "4. 本通报一经发布即冻结；此后数据更正，以更正版为准，原版本保留备查。",
        ]
    return [
        f"1. Projects: transformation projects started {months} and not cancelled. Investment and energy savings: "
        f"the sum of the months {months}, including projects started in earlier years.",
        "2. Targets are each unit's own, never summed from its units or pro-rated by month; without a target no "
        "completion rate is computed.",
        f"3. Schedule = months elapsed / 12, {amounts.percent(schedule_rate(month))} at the end of "
        f"{calendar.month_name[month]}; an annual rate below it is behind schedule.",
        "4. A published bulletin is frozen; later corrections come as a new version, and earlier versions are kept.",
    ]


def _basis_notes(report: dict, lang: str) -> list[str]:
    """How CO2 was computed, when the report says (the energy app's basis block)."""
    co2 = report["metrics"].get("co2_reduced_t") or {}
    basis = co2.get("basis") or {}
    if not co2.get("actual") or not basis.get("grid_factor_kgco2_per_kwh"):
        return []
    factor, year = basis["grid_factor_kgco2_per_kwh"], basis.get("grid_factor_year")
    if lang == "zh":
        region = basis.get("grid_region_zh") or ""
        grid = f"{region}电网" if basis.get("grid") == "regional" and region else "全国电网平均"
        when = f"（{year}年）" if year else ""
        return [f"5. 二氧化碳减排量：节约电力按{grid}排放因子{factor} kgCO2/kWh{when}折算，节约化石燃料按其排放因子折算；"
                "所用系数版本随本通报一并存档。"]
    region = basis.get("grid_region_en") or ""
    grid = f"the {region} grid" if basis.get("grid") == "regional" and region else "the national average grid"
    when = f" ({year})" if year else ""
    return [f"5. CO2 reduced: electricity saved at {grid} factor of {factor} kgCO2/kWh{when}, fuels at their own "
            "factors; the coefficient versions used are archived with this bulletin."]


def _quality_notes(quality: dict | None, number: int, month: int, lang: str) -> list[str]:
    """The month's reporting completeness and, if any, the open data-quality findings (bulletins
    made before data quality existed carry no such figures and get no such note)."""
    if not quality:
        return []
    open_count = quality.get("open_findings") or 0
    if lang == "zh":
        if quality.get("rate") is None:
            text = f"{number}. 数据质量：{month}月无应报项目。"
        else:
            text = (f"{number}. 数据质量：{month}月在建项目应报{quality['expected']}个，已报{quality['reported']}个，"
                    f"报送完整率{amounts.percent(quality['rate'])}。")
        if open_count:
            text += f"发布时尚有{open_count}条数据质量疑点待核实。"
        return [text]
    if quality.get("rate") is None:
        text = f"{number}. Data quality: no project was expected to report for {calendar.month_name[month]}."
    else:
        text = (f"{number}. Data quality: {quality['reported']:,} of {quality['expected']:,} projects in progress "
                f"reported for {calendar.month_name[month]}, a completeness of {amounts.percent(quality['rate'])}.")
    if open_count:
        text += f" {open_count} data-quality finding{'s' if open_count != 1 else ''} remained open at publication."
    return [text]


def _changes_table(edition: dict, month: int, lang: str) -> Table:
    W = WORDS[lang]
    months = months_label(month, lang)
    previous = (edition.get("previous") or {}).get("version", edition["version"] - 1)
    header = _header([W["org"], W["metric"], W["field"], W["old"].format(v=previous),
                      W["new"].format(v=edition["version"])])
    rows = []
    for change in edition["changes"]:
        org = org_name(change["org"], lang)
        if change["field"] == "unit":
            rows.append([Cell(org, align="left"), Cell(W["none"], align="center"), Cell(W["f_unit"], align="center"),
                         Cell(W["none"] if change["old"] is None else org_name(change["old"], lang),
                              align="center"),
                         Cell(W["none"] if change["new"] is None else org_name(change["new"], lang),
                              align="center")])
            continue
        metric = change["metric"]
        field_text = W[f"f_{change['field']}"].format(months=months)
        unit = amounts.spreadsheet_scale(metric).unit(lang)
        old, new = amounts.precise_amount(change["old"], metric), amounts.precise_amount(change["new"], metric)
        rows.append([Cell(org, align="left"),
                     Cell(f"{metric_label(metric, lang, short=True)}（{unit}）" if lang == "zh"
                          else f"{metric_label(metric, lang, short=True)} ({unit})", align="left"),
                     Cell(field_text, align="center"),
                     Cell(old if old is not None else W["none"], align="right" if old else "center"),
                     Cell(new if new is not None else W["none"], align="right" if new else "center")])
    return Table(W["t_changes"], [header], rows, None, widths=[3, 3, 2, 2, 2])


def change_line(change: dict, month: int, lang: str = "zh") -> str:
    """One change as a line of text: '330402 南湖区 技改投资 1-7月完成（万元）: 459,900 -> 460,000'."""
    W = WORDS[lang]
    org = change["org"]
    head = f"{org['code']} {org_name(org, lang)}"
    if change["field"] == "unit":
        old = W["none"] if change["old"] is None else org_name(change["old"], lang)
        new = W["none"] if change["new"] is None else org_name(change["new"], lang)
        return f"{head} {W['f_unit']}: {old} -> {new}"
    metric = change["metric"]
    unit = amounts.spreadsheet_scale(metric).unit(lang)
    what = W[f"f_{change['field']}"].format(months=months_label(month, lang))
    old = amounts.precise_amount(change["old"], metric) or W["none"]
    new = amounts.precise_amount(change["new"], metric) or W["none"]
    label = metric_label(metric, lang, short=True)
    return f"{head} {label} {what}（{unit}）: {old} -> {new}" if lang == "zh" else \
        f"{head} {label}, {what} ({unit}): {old} -> {new}"
