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


@dataclass
class HeaderMap:
    """Where each known column is in the file (0-based), plus the columns without a header."""

    positions: dict[str, int]
    unheaded: set[int]
    header_row: int

    def position(self, key: str) -> int:
        return self.positions.get(key, -1)


def match_header(header: list[str], columns: tuple[Column, ...], alternatives: tuple[Alternative, ...],
                 header_row: int, problems: Problems) -> HeaderMap:
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
        column = by_name.get(name)
        if column is None:
            close = difflib.get_close_matches(name, list(by_name), n=1, cutoff=0.5)
            if close:
                hint = by_name[close[0]]
                reason = _("unknown column; did you mean %(key)s (%(label)s)?") % {
                    "key": hint.key, "label": hint.label_zh}
            else:
                reason = _("unknown column; the columns of this file are: %(columns)s") % {
                    "columns": ", ".join(f"{c.key} ({c.label_zh})" for c in columns)}
            problems.add(header_row, text.strip(), reason, index)
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
