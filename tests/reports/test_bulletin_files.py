"""The bulletin files say what the JSON report says: each file is opened with its own
library (openpyxl, python-docx; the PDF with poppler) and its figures checked."""
import io
from datetime import date

import docx
import openpyxl
import pytest

from twintrack.display import amounts
from twintrack.reports.bulletin import bulletin_data
from twintrack.reports.render import render, render_all

pytestmark = pytest.mark.django_db  # every test, even one run alone, needs the test database

DAY = date(2023, 8, 5)
METRICS = ("projects", "investment_yuan", "energy_saved_tce")


@pytest.fixture(scope="module")
def bulletin(demo_city, django_db_blocker):
    """The July bulletin's data and its six files, rendered once for the module."""
    with django_db_blocker.unblock():
        data = bulletin_data(demo_city, 2023, 7)
    files = {lang: render_all(data, lang, None, DAY) for lang in ("zh", "en")}
    return data, files


def rate_of(text: str) -> float:
    return float(text.replace("\u00a0▼", "").rstrip("%")) / 100


# --- XLSX -----------------------------------------------------------------------------------

def workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def rows_of(ws) -> list[dict]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row)) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_the_summary_sheet_has_the_reports_figures_as_typed_numbers(bulletin):
    data, files = bulletin
    ws = workbook(files["zh"]["xlsx"])["主要指标"]
    rows = {r["指标"]: r for r in rows_of(ws)}
    m = data["report"]["metrics"]
    assert rows["项目数"]["1-7月完成"] == 1505 and rows["项目数"]["计量单位"] == "个"
    assert rows["技改投资"]["计量单位"] == "万元"
    assert rows["技改投资"]["1-7月完成"] * 10_000 == m["investment_yuan"]["actual"] == 42965000000.0
    assert rows["技改投资"]["1-7月目标"] * 10_000 == m["investment_yuan"]["target"]
    assert rows["节能量"]["1-7月完成"] == m["energy_saved_tce"]["actual"] == 319100.0
    for label, metric in (("项目数", "projects"), ("技改投资", "investment_yuan"), ("节能量", "energy_saved_tce")):
        row = rows[label]
        assert row["完成率"] == pytest.approx(m[metric]["completion_rate"])
        assert row["年度完成率"] == pytest.approx(m[metric]["annual_rate"])
        assert row["序时进度"] == pytest.approx(7 / 12)
        assert row["预计全年"] == pytest.approx(amounts.scaled(data["outlook"]["unit"][metric]["projected"],
                                                             amounts.spreadsheet_scale(metric)))
        assert isinstance(row["完成率"], float) and isinstance(row["1-7月完成"], (int, float))
    assert ws["E2"].number_format == "0.00%" and ws["C3"].number_format == "#,##0.00"


def test_every_sheet_is_a_table_with_a_frozen_header_and_filters(bulletin):
    _, files = bulletin
    wb = workbook(files["zh"]["xlsx"])
    assert wb.sheetnames == ["主要指标", "各地排名", "全年预测", "说明"]
    for ws in wb:
        assert ws.freeze_panes is not None and ws.freeze_panes[1:] == "2"
        (table,) = ws.tables.values()
        assert table.ref.startswith("A1:") and table.autoFilter is not None
        assert all(c.font.bold for c in ws[1])


def test_the_units_sheet_ranks_by_completion_rate_with_units_in_headers(bulletin):
    data, files = bulletin
    ws = workbook(files["zh"]["xlsx"])["各地排名"]
    rows = rows_of(ws)
    assert "技改投资1-7月完成（万元）" in rows[0] and "节能量1-7月完成（吨标准煤）" in rows[0]
    by_code = {c["org"]["code"]: c for c in data["report"]["children"]}
    assert [r["地区代码"] for r in rows] == data["ranking"]["ranked"]
    rates = [r["技改投资完成率"] for r in rows]
    assert rates == sorted(rates, reverse=True) and [r["排名"] for r in rows] == list(range(1, 10))
    for row in rows:
        child = by_code[row["地区代码"]]["metrics"]
        assert row["项目数1-7月完成（个）"] == child["projects"]["actual"]
        assert row["技改投资1-7月完成（万元）"] * 10_000 == pytest.approx(child["investment_yuan"]["actual"])
        assert row["节能量年度完成率"] == pytest.approx(child["energy_saved_tce"]["annual_rate"])
        behind = child["investment_yuan"]["annual_rate"] < 7 / 12
        assert row["技改投资进度"] == ("慢于序时" if behind else "快于序时")
    assert {r["技改投资进度"] for r in rows} == {"慢于序时", "快于序时"}


def test_the_english_workbook_has_english_headers(bulletin):
    _, files = bulletin
    wb = workbook(files["en"]["xlsx"])
    assert wb.sheetnames == ["Summary", "Units", "Outlook", "About"]
    header = [c.value for c in wb["Units"][1]]
    assert "Investment: actual january-july (10,000 yuan)" in header


def test_formula_like_names_stay_text(city, tmp_path):
    from twintrack.orgs.models import OrgUnit

    OrgUnit.objects.filter(code="330402").update(name_zh='=HYPERLINK("http://evil","x")')
    OrgUnit.objects.filter(code="330411").update(name_zh="@SUM(1+1)")
    content = render(bulletin_data(city, 2023, 7), "xlsx", "zh", None, DAY)
    ws = workbook(content)["各地排名"]
    names = {r["地区代码"]: r["地区"] for r in rows_of(ws)}
    assert names["330402"] == "=HYPERLINK(\"http://evil\",\"x\")" and names["330411"] == "@SUM(1+1)"
    assert not any(c.data_type == "f" for row in ws.iter_rows() for c in row)


# --- DOCX ------------------------------------------------------------------------------------

def document(content: bytes):
    return docx.Document(io.BytesIO(content))


def table_rows(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def test_the_word_file_opens_with_the_masthead_and_the_contract_narrative(bulletin):
    data, files = bulletin
    doc = document(files["zh"]["docx"])
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "“两化”改造工作通报"
    assert texts[1].startswith("2023年第7期")
    assert "2023年8月5日" in texts[2]
    assert "嘉兴市2023年1-7月“两化”改造工作进展情况" in texts
    assert data["report"]["narrative"]["zh"] in texts
    assert any(t.startswith("截至7月底，序时进度为58.33%") for t in texts)
    assert len(doc.inline_shapes) == 2  # the two charts
    assert doc.core_properties.title == "嘉兴市2023年1-7月“两化”改造工作进展情况"
    assert round(doc.sections[0].page_width.cm, 1) == 21.0  # A4


def test_the_word_main_table_has_the_reports_figures(bulletin):
    data, files = bulletin
    main = table_rows(document(files["zh"]["docx"]).tables[0])
    assert main[0] == ["指标", "单位", "1-7月完成", "1-7月目标", "完成率", "年度目标", "年度完成率", "进度"]
    m = data["report"]["metrics"]
    rows = {r[0]: r for r in main[1:]}
    assert rows["项目数"][1:4] == ["个", "1505", "1400"]
    assert rows["技改投资"][1:4] == ["亿元", "429.65", "400.00"]  # 42,965,000,000 yuan
    assert rows["节能量"][1:4] == ["万吨标准煤", "31.91", "30.00"]
    for label, metric in (("项目数", "projects"), ("技改投资", "investment_yuan"), ("节能量", "energy_saved_tce")):
        assert rate_of(rows[label][4]) == pytest.approx(m[metric]["completion_rate"], abs=5e-5)
        assert rate_of(rows[label][6]) == pytest.approx(m[metric]["annual_rate"], abs=5e-5)
        assert rows[label][7] == "快于序时"
    co2 = m.get("co2_reduced_t")
    if co2 and co2["actual"]:  # a metric added later shows like the others, without a target here
        assert rows["二氧化碳减排量"][1] == "万吨"
        assert float(rows["二氧化碳减排量"][2]) == pytest.approx(co2["actual"] / 1e4, abs=0.005)
        assert rows["二氧化碳减排量"][3:5] == ["—", "无目标"] and rows["二氧化碳减排量"][7] == "无年度目标"
    else:  # nobody reports it: no row of zeros
        assert "二氧化碳减排量" not in rows


def test_the_word_ranking_marks_units_behind_schedule(bulletin):
    data, files = bulletin
    ranking = table_rows(document(files["zh"]["docx"]).tables[1])
    assert ranking[0][:3] == ["排名", "地区", "项目数（个）"] and ranking[1][2:5] == ["完成", "完成率", "年度完成率"]
    body = ranking[2:]
    by_code = {c["org"]["code"]: c for c in data["report"]["children"]}
    expected = [by_code[code] for code in data["ranking"]["ranked"]]
    assert [r[1] for r in body] == [c["org"]["name_zh"] for c in expected]
    assert [r[0] for r in body] == [str(n) for n in range(1, 10)]
    for row, child in zip(body, expected):
        invest = child["metrics"]["investment_yuan"]
        assert row[5] == f"{invest['actual'] / 1e8:.2f}"
        assert rate_of(row[6]) == pytest.approx(invest["completion_rate"], abs=5e-5)
        assert row[7].endswith("▼") == (invest["annual_rate"] < 7 / 12)


def test_the_word_outlook_states_its_method_in_a_note(bulletin):
    data, files = bulletin
    doc = document(files["zh"]["docx"])
    outlook = table_rows(doc.tables[2])
    assert outlook[0][:3] == ["指标", "1-7月完成", "预计全年"]
    projected = data["outlook"]["unit"]["investment_yuan"]["projected"]
    assert float(outlook[2][2]) == pytest.approx(projected / 1e8, abs=0.005)
    assert outlook[2][5] == "可完成"
    note = next(p.text for p in doc.paragraphs if p.text.startswith("注：预计全年数"))
    assert "同期占比法" in note and "本期按分月目标进度推算" in note


def test_the_english_word_file(bulletin):
    data, files = bulletin
    doc = document(files["en"]["docx"])
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "Digital and Green Transformation Bulletin"
    assert data["report"]["narrative"]["en"] in texts
    main = table_rows(doc.tables[0])
    assert main[2][:4] == ["Investment", "million yuan", "42,965.0", "40,000.0"]
    assert main[3][2] == "319,100"


# --- PDF ---------------------------------------------------------------------------------------

def test_the_pdf_has_the_narrative_tables_and_notes_in_chinese(bulletin, pdf_text):
    data, files = bulletin
    pdf = files["zh"]["pdf"]
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    flat = "".join(text.split())
    assert "“两化”改造工作通报" in flat
    assert "".join(data["report"]["narrative"]["zh"].split()) in flat
    for caption in ("表1嘉兴市1-7月主要指标完成情况", "图1", "表2各地1-7月主要指标完成情况", "图2", "表3全年完成预测"):
        assert caption in flat
    for child in data["report"]["children"]:
        assert child["org"]["name_zh"] in flat
    assert "429.65" in flat and "注：预计全年数" in flat
    assert "—1—" in flat  # page numbers in the government style


def test_the_pdf_embeds_the_cjk_fonts_and_renders_to_pages(bulletin, pdf_pages, pdf_fonts):
    _, files = bulletin
    pdf = files["zh"]["pdf"]
    fonts = pdf_fonts(pdf)
    names = " ".join(line.split()[0] for line in fonts)
    assert "Noto-Serif-CJK-SC" in names and "Noto-Sans-CJK-SC" in names
    assert all(" yes yes yes " in line for line in fonts)  # embedded, subset, with a Unicode map
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    assert all(p.stat().st_size > 10_000 for p in pages)


def test_the_english_pdf(bulletin, pdf_text):
    data, files = bulletin
    flat = " ".join(pdf_text(files["en"]["pdf"]).split())
    assert "Digital and Green Transformation Bulletin" in flat
    assert "Table 1" in flat and "Year-end outlook" in flat
    assert "Nanhu District" in flat


# --- the same input, the same bytes -----------------------------------------------------------

def test_rendering_is_reproducible(bulletin):
    data, files = bulletin
    again = render_all(data, "zh", None, DAY)
    for fmt in ("xlsx", "docx", "pdf"):
        assert again[fmt] == files["zh"][fmt], fmt


# --- units without a target are shown, not hidden ----------------------------------------------

def test_a_unit_without_a_target_is_listed_last_and_marked(city, pdf_text):
    from twintrack.programme.models import Target

    Target.objects.filter(org__code="JXGQ", metric="investment_yuan").delete()
    data = bulletin_data(city, 2023, 7)
    assert data["ranking"]["no_target"] == ["JXGQ"]
    files = render_all(data, "zh", None, DAY)
    ranking = table_rows(document(files["docx"]).tables[1])
    last = ranking[-1]
    assert last[0] == "—" and last[1] == "嘉兴港区（港区）" and last[6] == "无目标" and last[7] == "无目标"
    assert len(ranking) == 2 + 9
    rows = rows_of(workbook(files["xlsx"])["各地排名"])
    assert rows[-1]["地区代码"] == "JXGQ" and rows[-1]["排名"] is None and rows[-1]["技改投资完成率"] is None
    assert rows[-1]["备注"] == "未下达1-7月技改投资目标，不参与排名"
    flat = "".join(pdf_text(files["pdf"]).split())
    assert "嘉兴港区（港区）未下达1-7月技改投资目标，列于表末，不参与排名。" in flat


def test_the_about_sheet_carries_the_title_narrative_method_and_notes(bulletin):
    data, files = bulletin
    rows = rows_of(workbook(files["zh"]["xlsx"])["说明"])
    about = {}
    for row in rows:
        about.setdefault(row["项目"], []).append(row["内容"])
    assert about["标题"] == ["嘉兴市2023年1-7月“两化”改造工作进展情况"]
    assert about["总体情况"] == [data["report"]["narrative"]["zh"]]
    assert about["状态"] == ["未发布稿"]
    assert about["预测方法"][0].startswith("注：预计全年数")
    assert len(about["说明"]) >= 4 and about["说明"][0].startswith("1. ")
