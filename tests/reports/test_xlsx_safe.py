"""Spreadsheet cells never turn into formulas, and text comes back as it went out."""
import io

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from twintrack.documents.xlsx_safe import safe_cell, safe_row, write_safe

FORMULA_LIKE = ("=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1", "=1+1")


def round_trip(write) -> openpyxl.cell.Cell:
    book = openpyxl.Workbook()
    write(book.active)
    buffer = io.BytesIO()
    book.save(buffer)
    return openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]


def test_text_that_would_start_a_formula_is_written_as_quoted_text():
    for text in FORMULA_LIKE:
        cell = round_trip(lambda sheet: sheet.append([safe_cell(text, sheet)]))
        assert cell.data_type == "s" and cell.quotePrefix and cell.value.replace("\n", "\r") == text.replace("\n", "\r")


def test_exported_text_reads_back_exactly_without_an_added_apostrophe():
    """Issue 12 finding 9: "=1+1" exported and imported again became "'=1+1"."""
    cell = round_trip(lambda sheet: sheet.append(safe_row(["=1+1", 2], sheet)))
    assert cell.value == "=1+1"
    cell = round_trip(lambda sheet: write_safe(sheet, 1, 1, "@SUM(A1)"))
    assert cell.value == "@SUM(A1)" and cell.data_type == "s" and cell.quotePrefix


def test_everything_else_passes_unchanged():
    sheet = openpyxl.Workbook().active
    for value in ("南湖区", "A=1", " =1", "", 12, -3.5, None, True):
        assert safe_cell(value, sheet) == value


@settings(max_examples=40, deadline=None)  # a workbook round trip per example: slow under load
@given(st.text())
def test_no_safe_text_reaches_openpyxl_as_a_formula(text):
    cell = round_trip(lambda sheet: sheet.append([safe_cell(text, sheet)]))
    assert cell.data_type != "f"


def test_control_characters_that_xlsx_forbids_are_dropped():
    sheet = openpyxl.Workbook().active
    assert safe_cell("南湖\x01区\x1f", sheet) == "南湖区"
    assert safe_cell("\x00=1", sheet).value == "=1"
    assert safe_cell("a\tb\nc", sheet) == "a\tb\nc"
