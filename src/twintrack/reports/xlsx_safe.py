"""Spreadsheet cells that cannot turn into formulas (CSV/formula injection).

A text cell that starts with `=`, `+`, `-` or `@` (or a tab or carriage return, which
some spreadsheet programs skip before looking for those) may be run as a formula when
the file is opened, edited or saved as CSV; openpyxl even writes any string starting
with `=` as a formula. `safe_cell` prefixes such text with an apostrophe, the OWASP
recommendation, so it shows as the text it was. Numbers, dates, booleans and None pass
through unchanged: only text can carry a formula.

Control characters other than tab, line feed and carriage return are not allowed in an
XLSX file at all (openpyxl refuses them, Excel calls the file corrupt); `safe_cell`
drops them, so that one odd byte in a pasted name cannot break a district's export.

Every export that writes cells (XLSX, CSV) should pass each value through `safe_cell`.
"""
from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value):
    """The value as it may be written to a spreadsheet cell."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL.sub("", value)
    if value.startswith(TRIGGERS):
        return "'" + value
    return value


def safe_row(values) -> list:
    return [safe_cell(v) for v in values]
