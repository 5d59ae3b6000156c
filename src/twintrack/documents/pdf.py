"""The bulletin as PDF: the document model laid out as HTML and printed by WeasyPrint.

Fonts: Noto Serif CJK SC (宋体-like body text, the masthead in its heaviest weight) and
Noto Sans CJK SC (黑体-like headings), from Debian `fonts-noto-cjk`; WeasyPrint embeds
subsets, so the PDF reads the same on a machine without them. Charts are PNG data URIs.
The PDF carries the publication time as its creation date and nothing else that varies,
so the same bulletin renders to the same bytes.
"""
from __future__ import annotations

import base64

from django.template.loader import render_to_string

from twintrack.documents.blocks import Document, Figure, Heading, Paragraph, Table


def _blocks(doc: Document) -> list[dict]:
    blocks = []
    for block in doc.blocks:
        if isinstance(block, Heading):
            blocks.append({"kind": "heading", "text": block.text})
        elif isinstance(block, Paragraph):
            blocks.append({"kind": "paragraph", "text": block.text, "style": block.kind})
        elif isinstance(block, Table):
            total = sum(block.widths) if block.widths else 0
            widths = [f"{100 * w / total:.2f}" for w in block.widths] if block.widths else None
            blocks.append({"kind": "table", "caption": block.caption, "header": block.header, "rows": block.rows,
                           "note": block.note, "widths": widths, "wide": len(block.widths or []) > 10})
        elif isinstance(block, Figure):
            src = "data:image/png;base64," + base64.b64encode(block.png).decode("ascii")
            blocks.append({"kind": "figure", "caption": block.caption, "src": src, "width_cm": block.width_cm})
    return blocks


def render_html(doc: Document) -> str:
    created = None
    if doc.created:  # W3C-DTF with a zone, as WeasyPrint wants it; naive times are Beijing time
        created = doc.created.isoformat(timespec="seconds")
        created += "" if doc.created.tzinfo else "+08:00"
    return render_to_string("documents/bulletin.html", {"doc": doc, "blocks": _blocks(doc),
                                                      "created": created})


def render_pdf(doc: Document) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    return HTML(string=render_html(doc)).write_pdf()
