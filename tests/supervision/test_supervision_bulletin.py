"""The supervision bulletin (督查通报): its content read back with python-docx, its
determinism, and LibreOffice opening it with the Chinese intact (the PDF pages are
rendered to PNG in test-artifacts/ for a person to look at)."""
from __future__ import annotations

import shutil
import subprocess
from datetime import date
from io import BytesIO
from pathlib import Path

import pytest
from docx import Document
from supervision_helpers import at

from twintrack.supervision import services
from twintrack.supervision.bulletin import bulletin_docx, zh_number

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ON = date(2026, 3, 2)


@pytest.fixture
def followed_up(world, records):
    """Nanhu's requirement sent back once and then verified; a second one left overdue."""
    u = world.users
    req = records.nanhu_req
    services.respond(u.nanhu, req, "方案已完成。", when=at(date(2023, 10, 20)))
    services.send_back(u.sup1, req, "缺少节能量测算。", when=at(date(2023, 10, 22)))
    services.respond(u.nanhu, req, "已补充第三方诊断报告。", when=at(date(2023, 10, 28)))
    services.verify(u.sup1, req, "同意销号。", when=at(date(2023, 10, 30)))
    late = services.issue_requirement(u.sup1, world.round, world.tasks[1], "梳理重点项目清单，按月报送进度。",
                                      date(2023, 12, 31), org=world.orgs["330402"], owner="南湖区经信局",
                                      visit=records.nanhu_visit, when=at(date(2023, 9, 12)))
    return records, late


def text_of(data: bytes) -> tuple[Document, list[str]]:
    document = Document(BytesIO(data))
    paragraphs = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            paragraphs.append(" | ".join(cell.text for cell in row.cells))
    return document, paragraphs


def test_chinese_numerals_for_sections():
    assert [zh_number(n) for n in (1, 4, 10, 11, 20, 23)] == ["一", "四", "十", "十一", "二十", "二十三"]


def test_the_chinese_bulletin_reads_like_a_bureaus(world, followed_up):
    records, late = followed_up
    document, lines = text_of(bulletin_docx(world.users.bureau, world.round, "zh", ON))
    text = "\n".join(lines)
    assert lines[0] == "督查通报"
    assert "关于2023年第三季度“两化”改造督查服务情况的通报" in text
    headings = [line for line in lines if line[:2] in ("一、", "二、", "三、", "四、")]
    assert headings == ["一、总体情况", "二、各地工作进展及督查发现", "三、整改要求及落实情况", "四、下步工作要求"]
    assert "（一）南湖区" in lines and "（二）平湖市" in lines
    assert "（三）嘉兴港区" not in lines and "嘉兴港区 | 第二督查组 | 0 | 0 | 0 | 0 | 0 | 0" in " ".join(lines)
    # the unit's progress figures for January-August from the report, in reporting units
    assert ("1-8月，南湖区累计启动“两化”改造项目1个，完成率50%；完成技改投资2.05亿元，完成率102.5%；"
            "实现节能量2.45万吨标准煤，完成率122.5%。技改投资完成年度目标的68.33%，快于序时进度（66.67%）。") in text
    assert "1-8月，平湖市累计启动“两化”改造项目1个；完成技改投资350万元；实现节能量120.5吨标准煤。" in text
    # findings by kind, requirements with their state, overdue marked
    assert "存在问题。退火工序能耗偏高。（德威不锈钢有限公司）" in text
    assert "亮点做法。平湖市数字化车间建设成效明显。" in text
    verified = next(line for line in lines if "完成节能改造方案论证" in line)
    assert "落实情况：已核实（2023年10月30日）" in verified and "逾期" not in verified
    overdue = next(line for line in lines if "梳理重点项目清单" in line)
    assert overdue.startswith("1. 【逾期792天】【南湖区】") and "完成时限：2023年12月31日" in overdue and "已下达" in overdue
    assert "（一）完善数字化改造路径，打造示范标杆" in lines
    assert "截至2026年3月2日，已核实销号1项" in text and "其中逾期未完成1项" in text
    table = " ".join(lines)
    assert "南湖区 | 第一督查组 | 2 | 1 | 2 | 1 | 1 | 1" in table
    assert "合计 |  | 3 | 1 | 3 | 1 | 2 | 1" in table
    red = [run for p in document.paragraphs for run in p.runs if run.text.startswith("【逾期")]
    assert red and str(red[0].font.color.rgb) == "C00000"


def test_it_is_a4_with_chinese_office_fonts_and_fallbacks(world, followed_up):
    data = bulletin_docx(world.users.bureau, world.round, "zh", ON)
    document = Document(BytesIO(data))
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    east = {run._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
            for p in document.paragraphs for run in p.runs}
    assert {"方正小标宋简体", "黑体", "仿宋", "楷体"} <= east
    from zipfile import ZipFile

    fonts = ZipFile(BytesIO(data)).read("word/fontTable.xml").decode()
    assert '<w:font w:name="仿宋"><w:altName w:val="Noto Serif CJK SC"/>' in fonts
    assert '<w:font w:name="黑体"><w:altName w:val="Noto Sans CJK SC"/>' in fonts
    assert round(section.left_margin.cm, 1) == 2.8


def test_the_same_records_give_the_same_file(world, followed_up):
    first = bulletin_docx(world.users.bureau, world.round, "zh", ON)
    assert bulletin_docx(world.users.bureau, world.round, "zh", ON) == first
    props = Document(BytesIO(first)).core_properties
    assert props.created.date() == date(2023, 9, 11) == props.modified.date()
    assert bulletin_docx(world.users.bureau, world.round, "zh", date(2026, 3, 3)) != first  # another day, other days overdue


def test_english_on_request(world, followed_up):
    _document, lines = text_of(bulletin_docx(world.users.bureau, world.round, "en", ON))
    text = "\n".join(lines)
    assert lines[0] == "Supervision Bulletin"
    assert "Bulletin on the 2023 Q3 supervision service" in text
    assert [line for line in lines if line.split(".")[0] in ("I", "II", "III", "IV")] == [
        "I. Overview", "II. Progress and findings by unit", "III. Requirements and their rectification",
        "IV. Next steps"]
    assert ("January to August 2023: 1 transformation project launched (50% of the target); "
            "technological-transformation investment 205 million yuan (102.5% of the target); "
            "energy savings 24,500 tonnes of standard coal (122.5% of the target).") in text
    assert any(line.startswith("1. [OVERDUE by 792 days] ") for line in lines)
    assert "Jiaxing Port Area" in text and "(c) Jiaxing Port Area" not in lines  # covered, nothing recorded
    assert "verified and closed (30 October 2023)" in text


def test_a_district_officers_bulletin_holds_only_their_units(world, followed_up):
    _document, lines = text_of(bulletin_docx(world.users.nanhu, world.round, "zh", ON))
    text = "\n".join(lines)
    assert "（一）南湖区" in lines and "平湖市" not in text


def test_the_bulletin_download(client, world, followed_up):
    client.force_login(world.users.bureau)
    response = client.get(f"/supervision/rounds/{world.round.pk}/bulletin.docx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="supervision-bulletin-2023Q3-zh.docx"'
    assert Document(BytesIO(response.content)).paragraphs[0].text == "督查通报"
    english = client.get(f"/supervision/rounds/{world.round.pk}/bulletin.docx?lang=en")
    assert Document(BytesIO(english.content)).paragraphs[0].text == "Supervision Bulletin"


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    assert path, "LibreOffice is needed: apt-get install -y libreoffice-writer-nogui"
    return path


def test_libreoffice_opens_it_with_the_chinese_intact(world, followed_up, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    for lang in ("zh", "en"):
        source = tmp_path / f"supervision-bulletin-{lang}.docx"
        source.write_bytes(bulletin_docx(world.users.bureau, world.round, lang, ON))
        profile = tmp_path / "lo-profile"
        subprocess.run([soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                        "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=240)
        pdf = source.with_suffix(".pdf")
        assert pdf.exists() and pdf.stat().st_size > 10_000
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                              text=True).stdout
        compact = "".join(text.split())
        if lang == "zh":
            for phrase in ("督查通报", "关于2023年第三季度“两化”改造督查服务情况的通报", "一、总体情况", "南湖区",
                           "退火工序能耗偏高", "【逾期792天】", "完成技改投资2.05亿元"):
                assert phrase in compact, phrase
            fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
            assert "CJK" in fonts  # the Chinese came out in a CJK face, not as empty boxes
        else:
            assert "SupervisionBulletin" in compact and "[OVERDUEby792days]" in compact
        for old in ARTIFACTS.glob(f"supervision-bulletin-{lang}-*.png"):
            old.unlink()
        subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"supervision-bulletin-{lang}")],
                       check=True, capture_output=True)
        assert list(ARTIFACTS.glob(f"supervision-bulletin-{lang}-*.png"))


def test_the_command_writes_the_same_bulletin_as_the_bureau_sees(world, followed_up, tmp_path):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    output = tmp_path / "bulletin.docx"
    call_command("supervision_bulletin", "--round", "2023Q3", "--date", "2026-03-02", "--output", str(output))
    assert output.read_bytes() == bulletin_docx(world.users.bureau, world.round, "zh", ON)
    with pytest.raises(CommandError) as refused:
        call_command("supervision_bulletin", "--round", "NOPE", "--output", str(output))
    assert refused.value.returncode == 2
