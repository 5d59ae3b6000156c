"""Helpers for the importer tests: write real .csv and .xlsx files into tmp_path."""
import csv
import io

import pytest

from twintrack.imports.errors import ImportRejected
from twintrack.programme import fastprogress
from twintrack.web.import_kinds import import_file


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English (the contract's format); settings default to zh-hans."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def write_csv(tmp_path):
    def write(rows, name="data.csv", encoding="utf-8", delimiter=","):
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
        path = tmp_path / name
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    return write


@pytest.fixture
def write_xlsx(tmp_path):
    from openpyxl import Workbook

    def write(rows, name="data.xlsx", sheet=None, extra_sheets=()):
        workbook = Workbook()
        first = workbook.active
        for title, other_rows in extra_sheets:
            ws = workbook.create_sheet(title)
            for row in other_rows:
                ws.append(list(row))
        ws = first
        if sheet:
            ws.title = sheet
        for row in rows:
            ws.append(list(row))
        if extra_sheets and sheet:
            workbook.move_sheet(first, offset=len(workbook.sheetnames))  # the named sheet is not first
        path = tmp_path / name
        workbook.save(path)
        return path

    return write


@pytest.fixture
def rejected():
    """The messages of a rejected import (fails the test when the import succeeds)."""

    def run(kind, path, **kwargs) -> list[str]:
        with pytest.raises(ImportRejected) as info:
            import_file(kind, path, **kwargs)
        return info.value.messages

    return run


@pytest.fixture
def orgs(city):
    """The shared city fixture's units by code."""
    from twintrack.orgs.models import OrgUnit

    return {o.code: o for o in OrgUnit.objects.all()}


@pytest.fixture
def calls(monkeypatch):
    """How often the progress kind's fast path (programme.fastprogress) answered (an outcome) and
    declined (None)."""
    seen = {"fast": 0, "declined": 0}
    original = fastprogress.import_columns

    def counting(*args, **kwargs):
        outcome = original(*args, **kwargs)
        seen["fast" if outcome is not None else "declined"] += 1
        return outcome

    monkeypatch.setattr(fastprogress, "import_columns", counting)
    return seen
