"""What a document is made of, whatever it is rendered to (DOCX, PDF, the XLSX's notes):
a masthead and a list of blocks. Builders (reports.content, supervision.bulletin) fill it;
renderers (documents.docx, documents.pdf) lay it out."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class Cell:
    text: str
    align: str = "right"
    bold: bool = False
    alert: bool = False  # behind schedule, short of target: shown in red
    colspan: int = 1
    rowspan: int = 1


@dataclass
class Table:
    caption: str  # "" for none
    header: list[list[Cell]]
    rows: list[list[Cell]]
    note: str | None = None
    widths: list[float] | None = None  # relative column widths


@dataclass
class Figure:
    caption: str
    png: bytes
    width_cm: float = 15.5


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: a numbered section (一、); 2: a sub-section (（一）)


@dataclass
class Paragraph:
    text: str
    kind: str = "body"  # body | notice | note | addressee (主送: not indented)
    number: str = ""  # "1. " before everything else
    mark: str | None = None  # in red, after the number: 【逾期3天】
    lead: str | None = None  # a run-in heading before the text: 存在问题。


@dataclass
class Signature:
    """The issuer and the date, right-aligned at the end."""
    issuer: str
    date: str


@dataclass
class Document:
    lang: str
    masthead: str
    issue: str
    issuer: str
    date: str
    status: str | None
    title: str
    blocks: list = field(default_factory=list)
    author: str = ""
    subject: str = ""
    keywords: str = ""
    created: datetime | None = None
