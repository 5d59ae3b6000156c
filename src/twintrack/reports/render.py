"""One entry point for the bulletin files: render(data, fmt, lang, edition) -> bytes.

`data` is bulletin_data(...) (or a published version's stored JSON); `edition` is None
for an unpublished draft, or the published version's description (version, published_at,
reason, changes, previous). The same arguments give the same bytes.
"""
from __future__ import annotations

from datetime import date

from twintrack.reports.content import build_document

FORMATS = ("xlsx", "docx", "pdf")
LANGS = ("zh", "en")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def file_name(org_code: str, period: str, lang: str, fmt: str, version: int | None = None) -> str:
    """bulletin-330400-2023-07-zh.docx; a published version adds -v2."""
    suffix = f"-v{version}" if version else ""
    return f"bulletin-{org_code}-{period}-{lang}{suffix}.{fmt}"


def render(data: dict, fmt: str, lang: str = "zh", edition: dict | None = None,
           generated: date | None = None) -> bytes:
    return render_all(data, lang, edition, generated, formats=(fmt,))[fmt]


def render_all(data: dict, lang: str = "zh", edition: dict | None = None, generated: date | None = None,
               formats: tuple[str, ...] = FORMATS) -> dict[str, bytes]:
    """The files of one bulletin; the document (and its charts) is built once for all."""
    for fmt in formats:
        if fmt not in FORMATS:
            raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}: one of {', '.join(LANGS)}")
    needs_charts = any(fmt != "xlsx" for fmt in formats)
    doc = build_document(data, lang, edition, generated, charts=needs_charts)
    files = {}
    for fmt in formats:
        if fmt == "xlsx":
            from twintrack.reports.xlsx import render_xlsx

            files[fmt] = render_xlsx(doc, data, edition)
        elif fmt == "docx":
            from twintrack.documents.docx import render_docx

            files[fmt] = render_docx(doc)
        else:
            from twintrack.documents.pdf import render_pdf

            files[fmt] = render_pdf(doc)
    return files
