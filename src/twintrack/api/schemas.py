"""What the API answers: one schema per kind of object (amounts as exact decimal strings)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

# Every string the API accepts: no NUL character, which PostgreSQL cannot store or compare
# (a 500 otherwise); stated in the OpenAPI document as a pattern.
Text = Annotated[str, StringConstraints(pattern=r"^[^\x00]*$")]


def page_schema(name: str, item: type) -> type:
    return type(name, (Schema,), {"__module__": __name__, "__annotations__": {
        "count": int, "next": str | None, "previous": str | None, "results": list[item]}})


class OrgUnitOut(Schema):
    code: str
    name_zh: str
    name_en: str
    kind: str
    parent: str | None
    depth: int


class EnterpriseOut(Schema):
    uscc: str
    name_zh: str
    name_en: str
    org: str
    industry: str
    size: str
    above_scale: bool | None


class ProjectOut(Schema):
    code: str
    enterprise: str
    org: str
    title: str
    kind: str
    category: str
    start_date: date
    planned_end_date: date | None
    planned_investment_yuan: Decimal | None
    status: str


class ProgressOut(Schema):
    project: str
    month: str
    investment_yuan: Decimal
    energy_saved_tce: Decimal | None
    note: str


class BulletinFileOut(Schema):
    format: str
    size: int
    sha256: str
    url: str


class BulletinOut(Schema):
    org: str
    period: str
    lang: str
    version: int
    published_at: datetime
    publisher: str
    reason: str
    changes: list[dict]
    files: list[BulletinFileOut]


class ImportOut(Schema):
    read: int
    created: int
    updated: int
    unchanged: int
    warnings: list[str]
    dry_run: bool
    notes: list[str]


class VisitOut(Schema):
    code: str
    round: str
    group: str
    org: str
    date: date
    enterprises: list[str]
    attendees: str
    note: str
    recorded_at: datetime
    client_id: UUID | None = None


class FindingOut(Schema):
    code: str
    visit: str
    org: str
    kind: str
    text: str
    enterprise: str | None
    project: str | None
    recorded_at: datetime
    client_id: UUID | None = None


class RequirementOut(Schema):
    code: str
    round: str
    visit: str | None
    finding: str | None
    org: str
    enterprise: str | None
    key_task: str
    text: str
    due_date: date
    owner: str
    status: str
    issued_at: datetime
    responded_at: datetime | None
    verified_at: datetime | None
    client_id: UUID | None = None


class ResponseOut(Schema):
    requirement: str
    kind: str
    text: str
    at: datetime
    status: str
    client_id: UUID | None = None


class AttachmentOut(Schema):
    id: int
    finding: str | None
    requirement: str | None
    name: str
    file_type: str
    size: int
    sha256: str
    latitude: Decimal | None
    longitude: Decimal | None
    uploaded_at: datetime
    client_id: UUID | None = None


class GroupOut(Schema):
    code: str
    name_zh: str
    name_en: str
    round: str
    round_name_zh: str
    round_name_en: str
    start_date: date
    end_date: date | None
    units: list[str]


class CoverageOut(Schema):
    group: str
    units: list[OrgUnitOut]
    enterprises: list[EnterpriseOut]
    projects: list[ProjectOut]


class KeyTaskOut(Schema):
    code: str
    number: int
    name_zh: str
    name_en: str


OrgUnitPage = page_schema("OrgUnitPage", OrgUnitOut)
EnterprisePage = page_schema("EnterprisePage", EnterpriseOut)
ProjectPage = page_schema("ProjectPage", ProjectOut)
ProgressPage = page_schema("ProgressPage", ProgressOut)
BulletinPage = page_schema("BulletinPage", BulletinOut)
VisitPage = page_schema("VisitPage", VisitOut)
FindingPage = page_schema("FindingPage", FindingOut)
RequirementPage = page_schema("RequirementPage", RequirementOut)
