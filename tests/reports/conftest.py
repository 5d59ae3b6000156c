"""The demo city, loaded once per test module (inside a transaction rolled back at the end
of the module); each test runs in its own savepoint on top of it."""
import io
import os
import shutil
import subprocess

import pytest
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    from twintrack.enterprises.services import load_industry_codes
    from twintrack.orgs.models import OrgUnit

    with django_db_blocker.unblock():
        with transaction.atomic():
            load_industry_codes()
            call_command("demo", stdout=io.StringIO())
            yield OrgUnit.objects.get(code="330400")
            transaction.set_rollback(True)


@pytest.fixture
def city(demo_city, db):
    """The demo's Jiaxing, inside the test's own savepoint."""
    return demo_city


def poppler(tool: str) -> str:
    """A poppler-utils program (pdftotext, pdftoppm); CI must have it, elsewhere skip."""
    path = shutil.which(tool)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{tool} not found: CI must install the Debian package poppler-utils")
        pytest.skip(f"{tool} not found (Debian package poppler-utils)")
    return path


@pytest.fixture
def pdf_text(tmp_path):
    """pdf bytes -> the text poppler reads from it."""
    def read(pdf: bytes) -> str:
        path = tmp_path / "text.pdf"
        path.write_bytes(pdf)
        return subprocess.run([poppler("pdftotext"), "-layout", str(path), "-"], capture_output=True, text=True,
                              check=True).stdout

    return read


@pytest.fixture
def pdf_fonts(tmp_path):
    """pdf bytes -> the lines of `pdffonts` (name, type, encoding, embedded, subset, unicode)."""
    def fonts(pdf: bytes) -> list[str]:
        path = tmp_path / "fonts.pdf"
        path.write_bytes(pdf)
        return subprocess.run([poppler("pdffonts"), str(path)], capture_output=True, text=True,
                              check=True).stdout.splitlines()[2:]

    return fonts


@pytest.fixture
def pdf_pages(tmp_path):
    """pdf bytes -> its pages rendered to PNG files by poppler."""
    def pages(pdf: bytes, dpi: int = 60) -> list:
        directory = tmp_path / "pages"
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "bulletin.pdf"
        path.write_bytes(pdf)
        subprocess.run([poppler("pdftoppm"), "-png", "-r", str(dpi), str(path), str(directory / "page")],
                       check=True)
        return sorted(directory.glob("page-*.png"))

    return pages
