"""Spreadsheet cells never turn into formulas."""
import io

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from twintrack.reports.xlsx_safe import safe_cell, safe_row


def test_text_that_would_start_a_formula_is_quoted():
    for text in ("=HYPERLINK(\"http://x\")", "+1", "-1+2", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(text) == "'" + text


def test_everything_else_passes_unchanged():
    for value in ("南湖区", "A=1", " =1", "", 12, -3.5, None, True):
        assert safe_cell(value) == value
    assert safe_row(["=1", 2, "x"]) == ["'=1", 2, "x"]


@settings(max_examples=40, deadline=None)  # a workbook round trip per example: slow under load
@given(st.text())
def test_no_safe_text_reaches_openpyxl_as_a_formula(text):
    wb = openpyxl.Workbook()
    wb.active["A1"] = safe_cell(text)
    buffer = io.BytesIO()
    wb.save(buffer)
    cell = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active["A1"]
    assert cell.data_type != "f"


def test_control_characters_that_xlsx_forbids_are_dropped():
    assert safe_cell("南湖\x01区\x1f") == "南湖区"
    assert safe_cell("\x00=1") == "'=1"
    assert safe_cell("a\tb\nc") == "a\tb\nc"
