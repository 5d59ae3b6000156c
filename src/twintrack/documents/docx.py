"""Word documents (python-docx), laid out as government bulletins: the one DOCX writer.

`render_docx(doc, layout)` lays out a `documents.blocks.Document`: the city bulletin
(`BULLETIN`, the default) and the supervision bulletin (`CIRCULAR`). The two differ only in
what a `Layout` names (page margins, type sizes, the masthead's spacing, fallback font names);
every block is laid out here and nowhere else.

Fonts are named as a Chinese government office's Windows machine has them (GB/T 9704):
方正小标宋简体 for the masthead and title, 黑体 for section headings, 仿宋 for body text,
宋体 for tables, Times New Roman for Latin letters and digits. Word substitutes where a
font is missing; the PDF is the version that looks the same everywhere.

The package is written with fixed zip timestamps and core properties set from the
publication time, so the same bulletin gives the same bytes.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from twintrack.documents.blocks import Document, Figure, Heading, Paragraph, Signature, Table
from twintrack.documents.zipfix import normalise_zip

RED = RGBColor(0xC0, 0x00, 0x00)
BLACK = RGBColor(0, 0, 0)
LATIN = "Times New Roman"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
SUBHEADING_FONT = "楷体"
ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "right": WD_ALIGN_PARAGRAPH.RIGHT, "center": WD_ALIGN_PARAGRAPH.CENTER}
# Names for machines without the Windows fonts (w:altName in the font table).
ALTERNATIVES = {
    TITLE_FONT: "Noto Serif CJK SC",
    HEADING_FONT: "Noto Sans CJK SC",
    SUBHEADING_FONT: "Noto Serif CJK SC",
    BODY_FONT: "Noto Serif CJK SC",
    TABLE_FONT: "Noto Serif CJK SC",
}


@dataclass(frozen=True)
class Layout:
    """What sets one kind of Word document apart; (zh, en) pairs are per language."""

    margins_cm: tuple[float, float, float, float] = (3.0, 2.6, 2.6, 2.4)  # top, bottom, left, right
    footer_cm: float = 1.4
    size: float = 15  # body text and headings, points
    masthead: tuple[float, float] = (36, 24)
    masthead_space: tuple[float, float] = (6, 6)  # before, after
    issuer: tuple[float, float] = (14, 14)
    issuer_space: tuple[float, float] = (0, 18)
    title: tuple[float, float] = (22, 17)
    title_space: tuple[float, float, float, bool] = (6, 12, 30, False)  # before, after, line, exactly
    english_indented: bool = False  # English paragraphs and headings keep the first-line indent
    english_justified: bool = True
    table_size: tuple[float, float] | None = None  # None: by the number of columns
    dashed_page_number: bool = True  # "— 1 —" in 12 points, else "1" in 14
    font_alternatives: bool = False  # w:altName in the font table, the language tagged zh-CN

    @property
    def text_width_cm(self) -> float:
        return 21.0 - self.margins_cm[2] - self.margins_cm[3]


BULLETIN = Layout()
CIRCULAR = Layout(margins_cm=(3.7, 3.5, 2.8, 2.6), footer_cm=2.0, size=16, masthead=(42, 30), masthead_space=(0, 12),
                  issuer=(15, 12), issuer_space=(6, 0), title=(22, 18), title_space=(18, 18, 36, True),
                  english_indented=True, english_justified=False, table_size=(11, 9), dashed_page_number=False,
                  font_alternatives=True)


def font(run, east: str, size: float, bold: bool = False, color: RGBColor | None = None, latin: str = LATIN):
    run.font.name = latin
    run.font.size = Pt(size)
    run.font.bold = bold
    if color is not None:
        run.font.color.rgb = color
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), east)
    fonts.set(qn("w:ascii"), latin)
    fonts.set(qn("w:hAnsi"), latin)
    return run


def spacing(paragraph, before: float = 0, after: float = 0, line: float | None = None, exact: bool = False):
    fmt = paragraph.paragraph_format
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    if line is not None:
        fmt.line_spacing = Pt(line)
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if exact else WD_LINE_SPACING.AT_LEAST


def first_line_indent(paragraph, chars: int = 2, size: float = 15):
    """Indent the first line by `chars` characters of `size` points (Word reads firstLineChars)."""
    paragraph.paragraph_format.first_line_indent = Pt(chars * size)
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(chars * 100))


def _borders(paragraph, sides: tuple[str, ...], color: str, size_eighths: int, space: int):
    pPr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    for side in sides:
        edge = OxmlElement(f"w:{side}")
        for key, value in (("w:val", "single"), ("w:sz", str(size_eighths)), ("w:space", str(space)),
                           ("w:color", color)):
            edge.set(qn(key), value)
        borders.append(edge)
    pPr.append(borders)


def bottom_border(paragraph, color: str = "C00000", size_eighths: int = 18):
    _borders(paragraph, ("bottom",), color, size_eighths, 1)


def _box(paragraph, color: str = "C00000"):
    _borders(paragraph, ("top", "left", "bottom", "right"), color, 6, 4)


def shade(cell, fill: str = "F2F2F2"):
    tcPr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcPr.append(shading)


def repeat_header(row):
    """The table row repeats at the top of every page the table runs onto."""
    trPr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trPr.append(flag)


def cant_split(row):
    trPr = row._tr.get_or_add_trPr()
    trPr.append(OxmlElement("w:cantSplit"))


def page_number_field(run):
    """A PAGE field in `run` (Word and LibreOffice fill in the number; "1" until they do)."""
    for kind, text in (("begin", None), (None, "PAGE"), ("separate", None), (None, "1"), ("end", None)):
        if kind:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            run._r.append(char)
        elif text == "PAGE":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = " PAGE "
            run._r.append(instr)
        else:
            t = OxmlElement("w:t")
            t.text = text
            run._r.append(t)
    return run


def _page_number_footer(section, layout: Layout):
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if not layout.dashed_page_number:
        page_number_field(font(paragraph.add_run(), BODY_FONT, 14))
        return
    font(paragraph.add_run("— "), BODY_FONT, 12)
    page_number_field(font(paragraph.add_run(), BODY_FONT, 12))
    font(paragraph.add_run(" —"), BODY_FONT, 12)


def page_setup(document, margins_cm: tuple[float, float, float, float], footer_cm: float, size: float):
    """A4 portrait with `margins_cm` (top, bottom, left, right), and the body font at `size` points."""
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin, section.left_margin, section.right_margin = (
        Cm(m) for m in margins_cm)
    section.footer_distance = Cm(footer_cm)
    normal = document.styles["Normal"]
    normal.font.name = LATIN
    normal.font.size = Pt(size)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    return section


def core_properties(document, title: str, author: str, subject: str, keywords: str, created: datetime,
                    category: str | None = None):
    """The package's properties, with one fixed time, so that the same document gives the same bytes."""
    props = document.core_properties
    props.title = title
    props.author = author
    props.last_modified_by = author
    props.subject = subject
    props.keywords = keywords
    props.comments = "twintrack"
    if category is not None:
        props.category = category
    props.revision = 1
    props.created = created
    props.modified = created
    props.last_printed = created


def save(document, when: datetime | None) -> bytes:
    """The package's bytes, with fixed zip timestamps (`when`)."""
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue(), when)


def _setup(document, doc: Document, layout: Layout):
    section = page_setup(document, layout.margins_cm, footer_cm=layout.footer_cm, size=layout.size)
    if layout.font_alternatives:
        _language(document, doc.lang)
    _page_number_footer(section, layout)
    if layout.font_alternatives:
        _font_alternatives(document)
    created = (doc.created or datetime(2000, 1, 1)).replace(tzinfo=None, microsecond=0)
    core_properties(document, doc.title, doc.author, doc.subject, doc.keywords, created)


def _language(document, lang: str):
    """The text's language, and Chinese for East Asian text: LibreOffice's font fallback then
    takes the Simplified Chinese faces."""
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "zh-CN" if lang == "zh" else "en-GB")
    language.set(qn("w:eastAsia"), "zh-CN")
    document.styles["Normal"].element.get_or_add_rPr().append(language)


def _font_alternatives(document):
    """w:altName for the Windows fonts, in the package's font table."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = document.part.part_related_by(RT.FONT_TABLE)
    root = etree.fromstring(part.blob)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    for name, alternative in ALTERNATIVES.items():
        element = etree.SubElement(root, f"{{{w}}}font")
        element.set(f"{{{w}}}name", name)
        etree.SubElement(element, f"{{{w}}}altName").set(f"{{{w}}}val", alternative)
        etree.SubElement(element, f"{{{w}}}charset").set(f"{{{w}}}val", "86")  # GB2312
        etree.SubElement(element, f"{{{w}}}family").set(f"{{{w}}}val", "modern" if name == HEADING_FONT else "roman")
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _masthead(document, doc: Document, layout: Layout):
    zh = doc.lang == "zh"
    pick = 0 if zh else 1
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing(p, *layout.masthead_space)
    font(p.add_run(doc.masthead), TITLE_FONT, layout.masthead[pick], bold=not zh, color=RED)
    if doc.issue or doc.status:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        spacing(p, before=6, after=6)
        font(p.add_run(doc.issue), BODY_FONT, 15)
        if doc.status:
            font(p.add_run(doc.status), BODY_FONT, 15, color=RED)
    p = document.add_paragraph()
    p.paragraph_format.tab_stops.add_tab_stop(Cm(layout.text_width_cm), WD_TAB_ALIGNMENT.RIGHT)
    spacing(p, *layout.issuer_space)
    font(p.add_run(doc.issuer), BODY_FONT, layout.issuer[pick])
    font(p.add_run("\t" + doc.date), BODY_FONT, layout.issuer[pick])
    bottom_border(p)
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing(p, *layout.title_space)
    font(p.add_run(doc.title), TITLE_FONT, layout.title[pick], bold=not zh)


def _indented(lang: str, layout: Layout) -> bool:
    return lang == "zh" or layout.english_indented


def _heading(document, block: Heading, lang: str, layout: Layout):
    p = document.add_paragraph()
    spacing(p, before=6 if block.level == 1 else 0, after=0, line=28, exact=True)
    if _indented(lang, layout):
        first_line_indent(p, 2, layout.size)
    p.paragraph_format.keep_with_next = True
    if block.level == 1:
        font(p.add_run(block.text), HEADING_FONT, layout.size, bold=lang != "zh")
    else:
        font(p.add_run(block.text), SUBHEADING_FONT, layout.size, bold=True)


def _paragraph(document, block: Paragraph, lang: str, layout: Layout):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if block.kind == "notice":
        _box(p)
        spacing(p, before=6, after=6, line=22)
        font(p.add_run(block.text), BODY_FONT, 13)
        return
    if lang != "zh" and not layout.english_justified:
        p.alignment = WD_ALIGN_PARAGRAPH.LEFT
    spacing(p, before=0, after=0, line=28, exact=True)
    if block.kind != "addressee" and _indented(lang, layout):
        first_line_indent(p, 2, layout.size)
    if block.number:
        font(p.add_run(block.number), BODY_FONT, layout.size)
    if block.mark:
        font(p.add_run(block.mark), BODY_FONT, layout.size, bold=True, color=RED)
    if block.lead:
        font(p.add_run(block.lead), SUBHEADING_FONT, layout.size, bold=True)
    font(p.add_run(block.text), BODY_FONT, layout.size)


def _signature(document, block: Signature, layout: Layout):
    for before, text in ((24, block.issuer), (0, block.date)):
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        spacing(p, before=before, after=0, line=28, exact=True)
        font(p.add_run(text), BODY_FONT, layout.size)


def _caption(document, text: str, after: float = 3):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing(p, before=6, after=after)
    p.paragraph_format.keep_with_next = True
    font(p.add_run(text), HEADING_FONT, 10.5, bold=True)


def _cell_text(cell, text: str, align: str, bold: bool, alert: bool, size: float):
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    p = cell.paragraphs[0]
    p.alignment = ALIGN.get(align, WD_ALIGN_PARAGRAPH.LEFT)
    spacing(p, before=0, after=0)
    p.paragraph_format.line_spacing = 1.0
    font(p.add_run(text), HEADING_FONT if bold else TABLE_FONT, size, bold=bold, color=RED if alert else None)


def _table_size(columns: int, lang: str, layout: Layout) -> float:
    if layout.table_size:
        return layout.table_size[0 if lang == "zh" else 1]
    return 7.5 if columns >= 12 else 8 if columns >= 10 else 9


def _table(document, block: Table, lang: str, layout: Layout):
    columns = sum(c.colspan for c in block.header[0])
    size = _table_size(columns, lang, layout)
    if block.caption:
        _caption(document, block.caption)
    table = document.add_table(rows=len(block.header) + len(block.rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    if block.widths:
        _column_widths(table, block.widths, layout.text_width_cm)
    if columns >= 10:
        _narrow_cell_margins(table)
    # header rows, with merged cells: place each header cell at the next free grid slot
    taken = set()
    for r, header_row in enumerate(block.header):
        c = 0
        for spec in header_row:
            while (r, c) in taken:
                c += 1
            target = table.cell(r, c)
            if spec.colspan > 1 or spec.rowspan > 1:
                target = target.merge(table.cell(r + spec.rowspan - 1, c + spec.colspan - 1))
            for dr in range(spec.rowspan):
                for dc in range(spec.colspan):
                    taken.add((r + dr, c + dc))
            _cell_text(target, spec.text, "center", True, False, size)
            shade(target)
            c += spec.colspan
        repeat_header(table.rows[r])
    offset = len(block.header)
    for r, row in enumerate(block.rows):
        cant_split(table.rows[offset + r])
        table.rows[offset + r].height = Cm(0.55)
        table.rows[offset + r].height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        for c, spec in enumerate(row):
            _cell_text(table.cell(offset + r, c), spec.text, spec.align, spec.bold, spec.alert, size)
    if block.note:
        p = document.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        spacing(p, before=3, after=6, line=13)
        font(p.add_run(block.note), TABLE_FONT, 9)
    else:
        spacing(document.add_paragraph(), before=0, after=6)


def _column_widths(table, relative: list[float], text_width_cm: float):
    """Fixed column widths, in the grid (what LibreOffice and WPS read) and on every cell
    (what Word reads)."""
    total = sum(relative)
    widths = [Cm(text_width_cm * w / total) for w in relative]
    tblPr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblPr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(sum(int(w.twips) for w in widths)))
    width.set(qn("w:type"), "dxa")
    for old in tblPr.findall(qn("w:tblW")):
        tblPr.remove(old)
    tblPr.append(width)
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w.twips)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w


def _narrow_cell_margins(table, cm: float = 0.06):
    """Wide tables: less padding left and right, so that '116.45%' keeps to one line."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:w"), str(int(Cm(cm).twips)))
        edge.set(qn("w:type"), "dxa")
        margins.append(edge)
    table._tbl.tblPr.append(margins)


def _figure(document, block: Figure, layout: Layout):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    spacing(p, before=6, after=0)
    p.paragraph_format.keep_with_next = True
    p.add_run().add_picture(io.BytesIO(block.png), width=Cm(min(block.width_cm, layout.text_width_cm)))
    _caption(document, block.caption, after=6)


def render_docx(doc: Document, layout: Layout = BULLETIN) -> bytes:
    document = new_document()
    _setup(document, doc, layout)
    _masthead(document, doc, layout)
    for block in doc.blocks:
        if isinstance(block, Heading):
            _heading(document, block, doc.lang, layout)
        elif isinstance(block, Paragraph):
            _paragraph(document, block, doc.lang, layout)
        elif isinstance(block, Table):
            _table(document, block, doc.lang, layout)
        elif isinstance(block, Figure):
            _figure(document, block, layout)
        elif isinstance(block, Signature):
            _signature(document, block, layout)
    return save(document, doc.created)

