"""The supervision loop: visits, findings and requirements (GET lists, POST records), the
addressee's response, photos and evidence (POST files), and what a field client downloads
(the groups it records for, what they cover, the key tasks).

A POST may carry a `client_id` (a UUID the client made): repeating it answers the record the
first request created (200) instead of creating a second one, so a phone can resend its queue
after a lost answer without doubling anything.

Every write goes through `supervision.services`, whose `*_problem` rules refuse it (422 naming
the rule's sentence), after the same `may`/`require` gates as the pages; references in a body
resolve only to what the user may see or the group covers."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal
from uuid import UUID

from django.db import IntegrityError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.responses import Status as Reply  # Status is the requirement's, below
from pydantic import Field

from twintrack.api.auth import WriteTokenAuth
from twintrack.api.paging import Paging, month_filter, page_of
from twintrack.api.registry import enterprise_out, org_out, project_out
from twintrack.api.problems import READ_ERRORS, WRITE_ERRORS, Rejected
from twintrack.api.schemas import (
    AttachmentOut, CoverageOut, FindingOut, FindingPage, GroupOut, KeyTaskOut, RequirementOut, RequirementPage,
    ResponseOut, Text, VisitOut, VisitPage,
)
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import get_visible_org_or_404, require, visible
from twintrack.orgs.models import OrgUnit
from twintrack.programme.models import Project
from twintrack.supervision import access, services
from twintrack.supervision.files import FileRefused
from twintrack.supervision.models import (
    Attachment, Finding, FindingKind, Group, KeyTask, Requirement, RequirementStep, Round, Status, StepKind, Visit,
)

WRITE = WriteTokenAuth()
router = Router(tags=["supervision"])

FindingKindName = Literal[tuple(FindingKind.values)]
StatusName = Literal[tuple(Status.values)]
Code = Field(None, min_length=2, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class VisitIn(Schema):
    group: Text
    org: Text
    date: date
    enterprises: list[Text] = Field(default_factory=list, max_length=500)
    attendees: Text = Field("", max_length=2000)
    note: Text = Field("", max_length=5000)
    code: str | None = Code
    client_id: UUID | None = None


class FindingIn(Schema):
    visit: Text
    kind: FindingKindName
    text: Text = Field(max_length=10000)
    enterprise: Text | None = None
    project: Text | None = None
    code: str | None = Code
    client_id: UUID | None = None


class RequirementIn(Schema):
    round: Text
    key_task: Text
    text: Text = Field(max_length=10000)
    due_date: date
    org: Text | None = None
    enterprise: Text | None = None
    owner: Text = Field("", max_length=200)
    visit: Text | None = None
    finding: Text | None = None
    code: str | None = Code
    client_id: UUID | None = None


class ResponseIn(Schema):
    text: Text = Field(max_length=10000)
    client_id: UUID | None = None


# --- what the API answers ----------------------------------------------------------------------

def visit_out(v: Visit) -> dict:
    return {"code": v.code, "round": v.round.code, "group": v.group.code, "org": v.org.code, "date": v.date,
            "enterprises": sorted(e.uscc for e in v.enterprises.all()), "attendees": v.attendees, "note": v.note,
            "recorded_at": v.recorded_at, "client_id": v.client_id}


def finding_out(f: Finding) -> dict:
    return {"code": f.code, "visit": f.visit.code, "org": f.visit.org.code, "kind": f.kind, "text": f.text,
            "enterprise": f.enterprise.uscc if f.enterprise_id else None,
            "project": f.project.code if f.project_id else None, "recorded_at": f.recorded_at,
            "client_id": f.client_id}


def requirement_out(r: Requirement) -> dict:
    return {"code": r.code, "round": r.round.code, "visit": r.visit.code if r.visit_id else None,
            "finding": r.finding.code if r.finding_id else None, "org": r.org.code,
            "enterprise": r.enterprise.uscc if r.enterprise_id else None, "key_task": r.key_task.code,
            "text": r.text, "due_date": r.due_date, "owner": r.owner, "status": r.status, "issued_at": r.issued_at,
            "responded_at": r.responded_at, "verified_at": r.verified_at, "client_id": r.client_id}


def response_out(step: RequirementStep) -> dict:
    return {"requirement": step.requirement.code, "kind": step.kind, "text": step.text, "at": step.at,
            "status": step.requirement.status, "client_id": step.client_id}


def attachment_out(a: Attachment) -> dict:
    return {"id": a.pk, "finding": a.finding.code if a.finding_id else None,
            "requirement": a.step.requirement.code if a.step_id else None, "name": a.name,
            "file_type": a.file_type, "size": a.size, "sha256": a.sha256, "latitude": a.latitude,
            "longitude": a.longitude, "uploaded_at": a.uploaded_at, "client_id": a.client_id}


def group_out(g: Group) -> dict:
    r = g.round
    return {"code": g.code, "name_zh": g.name_zh, "name_en": g.name_en, "round": r.code, "round_name_zh": r.name_zh,
            "round_name_en": r.name_en, "start_date": r.start_date, "end_date": r.end_date,
            "units": sorted(u.code for u in g.units.all())}


def key_task_out(t: KeyTask) -> dict:
    return {"code": t.code, "number": t.number, "name_zh": t.name_zh, "name_en": t.name_en}


# --- resolving the codes of a body: what is not reachable reads as absent --------------------

def _absent(field: str, code: str) -> Rejected:
    message = _("nothing with the code %(code)s") % {"code": code}
    return Rejected(f"{field}: {message}", [(None, field, message)])


def _one(queryset, field: str, **lookup):
    found = queryset.filter(**lookup).first()
    if found is None:
        raise _absent(field, next(iter(lookup.values())))
    return found


def _optional(queryset, field: str, code: str | None, key: str = "code"):
    return _one(queryset, field, **{key: code.strip()}) if code else None


def _under(units, path_field: str) -> Q:
    q = Q(pk__in=[])
    for unit in units:
        q |= Q(**{f"{path_field}__startswith": unit.path})
    return q


def _refused(error: services.SupervisionError) -> Rejected:
    return Rejected(error.message, [(None, None, error.message)])


# --- replays: the same client id answers the record it made -----------------------------------

def _replay(user, model, client_id: UUID | None):
    """The record an earlier request with this client id created, or None the first time.
    An id used by a record the user cannot see is refused (never answered with that record)."""
    if client_id is None:
        return None
    found = getattr(model, "all_objects", model.objects).filter(client_id=client_id).first()
    if found is None:
        return None
    if not visible(user, model).filter(pk=found.pk).exists():
        message = _("this client id is already used by another record")
        raise Rejected(f"client_id: {message}", [(None, "client_id", message)])
    return found


def _create_once(user, model, client_id: UUID | None, create):
    """`create()`, or the record a simultaneous request with the same client id just made."""
    try:
        return 201, create()
    except IntegrityError:
        found = _replay(user, model, client_id)
        if found is None:
            raise
        return 200, found


def _written(user, model, client_id: UUID | None, create):
    """`_create_once`, with a service's refusal answered as the problem document of its rule."""
    try:
        return _create_once(user, model, client_id, create)
    except services.SupervisionError as error:
        raise _refused(error) from None


# --- lists ---------------------------------------------------------------------------------------

def _in_org(request, org: str | None, path_field: str) -> Q:
    return Q(**{f"{path_field}__startswith": get_visible_org_or_404(request.user, org).path}) if org else Q()


@router.get("/supervision/visits", response={200: VisitPage, **READ_ERRORS}, summary="Visits in scope")
def visits(request, paging: Query[Paging], org: Text | None = None, month: Text | None = None):
    rows = (visible(request.user, Visit).filter(_in_org(request, org, "org__path"))
            .select_related("round", "group", "org").prefetch_related("enterprises").order_by("date", "code"))
    wanted = month_filter(month)
    if wanted:
        rows = rows.filter(date__year=wanted.year, date__month=wanted.month)
    return page_of(request, rows, paging, visit_out)


@router.get("/supervision/findings", response={200: FindingPage, **READ_ERRORS}, summary="Findings in scope")
def findings(request, paging: Query[Paging], org: Text | None = None, kind: FindingKindName | None = None,
             month: Text | None = None):
    rows = (visible(request.user, Finding).filter(_in_org(request, org, "visit__org__path"))
            .select_related("visit", "visit__org", "enterprise", "project").order_by("visit__date", "code"))
    if kind:
        rows = rows.filter(kind=kind)
    wanted = month_filter(month)
    if wanted:
        rows = rows.filter(visit__date__year=wanted.year, visit__date__month=wanted.month)
    return page_of(request, rows, paging, finding_out)


@router.get("/supervision/requirements", response={200: RequirementPage, **READ_ERRORS},
            summary="Requirements in scope")
def requirements(request, paging: Query[Paging], org: Text | None = None, status: StatusName | None = None,
                 month: Text | None = None, q: Text | None = None):
    rows = (visible(request.user, Requirement).filter(_in_org(request, org, "org__path"))
            .select_related("round", "visit", "finding", "org", "enterprise", "key_task").order_by("due_date", "code"))
    if status:
        rows = rows.filter(status=status)
    due = month_filter(month)
    if due:
        rows = rows.filter(due_date__year=due.year, due_date__month=due.month)
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(text__icontains=q))
    return page_of(request, rows, paging, requirement_out)


# --- writes --------------------------------------------------------------------------------------

@router.post("/supervision/visits", auth=WRITE,
             response={200: VisitOut, 201: VisitOut, **WRITE_ERRORS}, summary="Record a group's visit")
def visit_create(request, body: VisitIn):
    user = request.user
    earlier = _replay(user, Visit, body.client_id)
    if earlier is not None:
        return Reply(200, visit_out(earlier))
    group = _one(visible(user, Group), "group", code=body.group.strip())
    require(user, "create", Visit(group=group))
    covered = list(group.units.all())
    org = _one(OrgUnit.objects.filter(Q(pk__in=visible(user, OrgUnit)) | _under(covered, "path")), "org",
               code=body.org.strip())
    reachable = Enterprise.objects.filter(Q(pk__in=visible(user, Enterprise)) | _under(covered, "org__path"))
    enterprises = [_one(reachable, "enterprises", uscc=uscc.strip().upper()) for uscc in body.enterprises]
    status, visit = _written(user, Visit, body.client_id, lambda: services.record_visit(
        user, group, org, body.date, enterprises=enterprises, attendees=body.attendees, note=body.note,
        code=body.code, client_id=body.client_id))
    return Reply(status, visit_out(visit))


@router.post("/supervision/findings", auth=WRITE,
             response={200: FindingOut, 201: FindingOut, **WRITE_ERRORS}, summary="Record a finding")
def finding_create(request, body: FindingIn):
    user = request.user
    earlier = _replay(user, Finding, body.client_id)
    if earlier is not None:
        return Reply(200, finding_out(earlier))
    visit = _one(visible(user, Visit), "visit", code=body.visit.strip())
    require(user, "create", Finding(visit=visit))
    near = _under([visit.org], "org__path")
    enterprise = _optional(Enterprise.objects.filter(Q(pk__in=visible(user, Enterprise)) | near), "enterprise",
                           body.enterprise and body.enterprise.upper(), "uscc")
    project = _optional(Project.objects.filter(Q(pk__in=visible(user, Project)) | _under([visit.org],
                        "enterprise__org__path")), "project", body.project)
    status, finding = _written(user, Finding, body.client_id, lambda: services.record_finding(
        user, visit, body.kind, body.text, enterprise=enterprise, project=project, code=body.code,
        client_id=body.client_id))
    return Reply(status, finding_out(finding))


@router.post("/supervision/requirements", auth=WRITE,
             response={200: RequirementOut, 201: RequirementOut, **WRITE_ERRORS},
             summary="Issue a requirement to a unit or an enterprise")
def requirement_create(request, body: RequirementIn):
    user = request.user
    earlier = _replay(user, Requirement, body.client_id)
    if earlier is not None:
        return Reply(200, requirement_out(earlier))
    round_ = _one(visible(user, Round), "round", code=body.round.strip())
    finding = _optional(visible(user, Finding).filter(visit__round=round_), "finding", body.finding)
    visit = _optional(visible(user, Visit).filter(round=round_), "visit", body.visit)
    visit = visit or (finding.visit if finding is not None else None)
    require(user, "create", Requirement(round=round_))
    units = access.issuable_units(user, round_, visit)
    org = _optional(units, "org", body.org)
    enterprise = _optional(Enterprise.objects.filter(org__in=units), "enterprise",
                           body.enterprise and body.enterprise.upper(), "uscc")
    key_task = _one(visible(user, KeyTask), "key_task", code=body.key_task.strip())
    addressee = enterprise.org if enterprise is not None else org
    if addressee is not None:
        require(user, "create", Requirement(round=round_, org=addressee))
    status, requirement = _written(user, Requirement, body.client_id, lambda: services.issue_requirement(
        user, round_, key_task, body.text, body.due_date, org=org, enterprise=enterprise, owner=body.owner,
        visit=visit, finding=finding, code=body.code, client_id=body.client_id))
    return Reply(status, requirement_out(requirement))


@router.post("/supervision/requirements/{code}/responses", auth=WRITE,
             response={200: ResponseOut, 201: ResponseOut, **WRITE_ERRORS},
             summary="The addressee's response: what was done")
def requirement_respond(request, code: Text, body: ResponseIn):
    user = request.user
    requirement = get_object_or_404(visible(user, Requirement), code=code)
    require(user, "respond", requirement)
    earlier = _replay(user, RequirementStep, body.client_id)
    if earlier is not None:
        return Reply(200, response_out(earlier))
    status, step = _written(user, RequirementStep, body.client_id, lambda: services.respond(
        user, requirement, body.text, client_id=body.client_id))
    return Reply(status, response_out(step))


# --- files: a finding's photos, a response's evidence --------------------------------------------

Latitude = Form(None, ge=-90, le=90, max_digits=9, decimal_places=6)
Longitude = Form(None, ge=-180, le=180, max_digits=9, decimal_places=6)


def _attach(user, file, client_id, **parent):
    try:
        return _written(user, Attachment, client_id, lambda: services.add_attachment(
            user, file, client_id=client_id, **parent))
    except FileRefused as refused:
        raise Rejected(f"file: {refused.message}", [(None, "file", refused.message)]) from None


@router.post("/supervision/findings/{code}/attachments", auth=WRITE,
             response={200: AttachmentOut, 201: AttachmentOut, **WRITE_ERRORS},
             summary="Attach a photo or document to a finding")
def finding_attachment(request, code: Text, file: File[UploadedFile], client_id: Form[UUID | None] = None,
                       latitude: Decimal | None = Latitude, longitude: Decimal | None = Longitude):
    user = request.user
    finding = get_object_or_404(visible(user, Finding), code=code)
    require(user, "change", finding)
    earlier = _replay(user, Attachment, client_id)
    if earlier is not None:
        return Reply(200, attachment_out(earlier))
    status, attachment = _attach(user, file, client_id, finding=finding, latitude=latitude, longitude=longitude)
    return Reply(status, attachment_out(attachment))


@router.post("/supervision/requirements/{code}/evidence", auth=WRITE,
             response={200: AttachmentOut, 201: AttachmentOut, **WRITE_ERRORS},
             summary="Add evidence to the addressee's latest response")
def requirement_evidence(request, code: Text, file: File[UploadedFile], client_id: Form[UUID | None] = None):
    user = request.user
    requirement = get_object_or_404(visible(user, Requirement), code=code)
    require(user, "respond", requirement)
    earlier = _replay(user, Attachment, client_id)
    if earlier is not None:
        return Reply(200, attachment_out(earlier))
    step = requirement.steps.filter(kind=StepKind.RESPONSE).order_by("-at", "-id").first()
    if requirement.status != Status.RESPONDED or step is None:
        raise _refused(services.SupervisionError(_("Evidence goes with a response: respond first.")))
    status, attachment = _attach(user, file, client_id, step=step)
    return Reply(status, attachment_out(attachment))


# --- what a field client downloads before leaving ------------------------------------------------

@router.get("/supervision/groups", response={200: list[GroupOut], **READ_ERRORS},
            summary="The groups the user records visits for, with their rounds and units")
def groups(request):
    rows = (access.recordable_groups(request.user).select_related("round").prefetch_related("units")
            .order_by("round__code", "number", "code"))
    return [group_out(g) for g in rows]


@router.get("/supervision/groups/{code}/coverage", response={200: CoverageOut, **READ_ERRORS},
            summary="What a group's visits reach: its units with everything below, their enterprises and projects")
def group_coverage(request, code: Text):
    """Exactly what the visit and finding writes accept for this group (a supervisor without a
    unit of their own reaches the units through their group, not through the registry lists)."""
    group = get_object_or_404(access.recordable_groups(request.user), code=code)
    covered = list(group.units.all())
    units = list(OrgUnit.objects.filter(_under(covered, "path")).order_by("path"))
    firms = (Enterprise.objects.filter(_under(covered, "org__path"), is_active=True)
             .select_related("org").order_by("uscc"))
    projects = (Project.objects.filter(is_active=True, enterprise__in=firms)
                .select_related("enterprise", "enterprise__org").order_by("code"))
    codes = dict(OrgUnit.objects.filter(pk__in={u.parent_id for u in units}).values_list("pk", "code"))
    return {"group": group.code, "units": [org_out(u, codes) for u in units],
            "enterprises": [enterprise_out(e) for e in firms], "projects": [project_out(p) for p in projects]}


@router.get("/supervision/key-tasks", response={200: list[KeyTaskOut], **READ_ERRORS},
            summary="The key tasks a requirement serves")
def key_tasks(request):
    return [key_task_out(t) for t in visible(request.user, KeyTask).filter(active=True)]
