"""Spreadsheet cells that cannot turn into formulas (CSV/formula injection).

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which
some spreadsheet programs skip before looking for those) may be run as a formula when
the file is opened or edited; openpyxl even writes any string starting with `=` as a
formula. `safe_cell(value, sheet)` writes such text as Excel itself does when a person
types '=1+1: a string cell (never a formula) with the "quote prefix" style, which keeps
it text when the cell is edited. The text is the value, unchanged: no apostrophe is added
to it, so a name like "=1+1" exported and imported again stays "=1+1". Numbers, dates,
booleans and None pass through unchanged: only text can carry a formula.

Control characters other than tab, line feed and carriage return are not allowed in an
XLSX file at all (openpyxl refuses them, Excel calls the file corrupt); `safe_cell`
drops them, so that one odd byte in a pasted name cannot break a district's export.

Every export that writes cells should pass each value through `safe_cell`.
"""
from __future__ import annotations

import re

from openpyxl.cell import WriteOnlyCell

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value, sheet):
    """The value as it may be written to a cell of `sheet` (a cell object for text that
    looks like a formula)."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL.sub("", value)
    if not value.startswith(TRIGGERS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # a string, whatever it starts with
    cell.quotePrefix = True
    return cell


def write_safe(sheet, row: int, column: int, value) -> None:
    """`sheet.cell(row, column)` set to `value` as `safe_cell` would write it."""
    safe = safe_cell(value, sheet)
    cell = sheet.cell(row=row, column=column)
    if isinstance(safe, str) or not hasattr(safe, "quotePrefix"):
        cell.value = safe
        return
    cell.value = safe.value
    cell.data_type, cell.quotePrefix = "s", True


def safe_row(values, sheet) -> list:
    return [safe_cell(v, sheet) for v in values]
