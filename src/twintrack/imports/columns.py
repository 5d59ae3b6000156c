"""Columns of the import files and matching a file's header against them.

A column may be named by its key or its Chinese label; matching ignores surrounding and
inner spaces (also full-width ones), case, full-width/half-width forms (（元） = (元)) and
the asterisk that templates put on required columns.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from twintrack.imports.errors import Problems


@dataclass(frozen=True)
class Column:
    key: str
    label_zh: str
    required: bool = False


@dataclass(frozen=True)
class Alternative:
    """Two columns giving the same value in different units; a file has one or the other."""

    key: str           # e.g. investment_yuan
    other: str         # e.g. investment_10k_yuan
    required: bool     # one of the two must be present


_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff*]+")


def normalise_header(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text or "")).casefold()


_UNIT = re.compile(r"^(.*?)\(?(万元|元|万吨标准煤|吨标准煤|tce)\)?$")


def split_unit(name: str) -> tuple[str, str]:
    """A normalised header's name and unit: '完成投资(万元)' -> ('完成投资', '万元')."""
    match = _UNIT.match(name)
    return (match.group(1), match.group(2)) if match else (name, "")


def _described(columns) -> str:
    return ", ".join(f"{c.key} ({c.label_zh})" for c in columns)


def unknown_column_reason(name: str, columns: tuple[Column, ...], by_name: dict[str, Column]) -> str:
    """Why a header is unknown, with the column it may be; never a column in another unit, so
    that 万元 figures are not read as 元 (10,000 times too small)."""
    base, unit = split_unit(name)
    same_name = [c for c in columns if split_unit(normalise_header(c.label_zh))[0] == base
                 and split_unit(normalise_header(c.label_zh))[1]]
    other_unit = [c for c in same_name if split_unit(normalise_header(c.label_zh))[1] != unit]
    if same_name and len(other_unit) == len(same_name):
        if not unit:
            return _("unknown column: it names no unit; call it %(columns)s, after the unit of its figures") % {
                "columns": _(" or ").join(f"{c.key} ({c.label_zh})" for c in same_name)}
        return _("unknown column: its figures are in %(unit)s, and %(columns)s is in another unit; convert "
                 "them or give the column in that unit (figures are never read in another unit)") % {
            "unit": unit, "columns": _described(same_name)}
    close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.5)
    hint = by_name[close[0]] if close else None
    if hint is not None and unit and split_unit(normalise_header(hint.label_zh))[1] not in ("", unit):
        hint = None
    if hint is not None:
        return _("unknown column; did you mean %(key)s (%(label)s)?") % {"key": hint.key, "label": hint.label_zh}
    return _("unknown column; the columns of this file are: %(columns)s") % {"columns": _described(columns)}


@dataclass
class HeaderMap:
    """Where each known column is in the file (0-based), plus the columns without a header."""

    positions: dict[str, int]
    unheaded: set[int]
    header_row: int

    def position(self, key: str) -> int:
        return self.positions.get(key, -1)


def match_header(header: list[str], columns: tuple[Column, ...], alternatives: tuple[Alternative, ...],
                 header_row: int, problems: Problems, reference: tuple[Column, ...] = ()) -> HeaderMap:
    """Where each column is; `reference` columns (a template's names and last month's figures
    beside the data) are known and never read."""
    ignored = {normalise_header(name) for column in reference for name in (column.key, column.label_zh)}
    by_name: dict[str, Column] = {}
    for column in columns:
        by_name[normalise_header(column.key)] = column
        by_name[normalise_header(column.label_zh)] = column
    positions: dict[str, int] = {}
    unheaded: set[int] = set()
    for index, text in enumerate(header):
        name = normalise_header(text)
        if not name:
            unheaded.add(index)
            continue
        if name in ignored:
            continue
        column = by_name.get(name)
        if column is None:
            problems.add(header_row, text.strip(), unknown_column_reason(name, columns, by_name), index)
            continue
        if column.key in positions:
            problems.add(header_row, column.key,
                         _("the column appears twice (columns %(first)s and %(second)s)") % {
                             "first": get_column_letter(positions[column.key] + 1),
                             "second": get_column_letter(index + 1)}, index)
            continue
        positions[column.key] = index
    alternative_keys = {a.key for a in alternatives} | {a.other for a in alternatives}
    for column in columns:
        if column.required and column.key not in positions and column.key not in alternative_keys:
            problems.add(header_row, column.key, _("this required column is missing"), len(header))
    for alt in alternatives:
        if alt.key in positions and alt.other in positions:
            problems.add(header_row, alt.other,
                         _("a file has either %(key)s or %(other)s, not both") % {"key": alt.key, "other": alt.other},
                         positions[alt.other])
        elif alt.required and alt.key not in positions and alt.other not in positions:
            problems.add(header_row, alt.key,
                         _("this required column is missing (or give %(other)s instead)") % {"other": alt.other},
                         len(header))
    return HeaderMap(positions, unheaded, header_row)
