"""Units, enterprises, projects and their months: what the token's user sees, nothing more
(`orgs.access.visible`); anything else is 404, exactly like a code that does not exist."""
from __future__ import annotations

from typing import Literal

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from twintrack.api.paging import Paging, month_filter, page_of
from twintrack.api.problems import READ_ERRORS
from twintrack.api.schemas import (
    EnterpriseOut, EnterprisePage, OrgUnitOut, OrgUnitPage, ProgressPage, ProjectOut, ProjectPage, Text,
)
from twintrack.display.periods import format_period
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import get_visible_org_or_404, visible
from twintrack.orgs.models import OrgKind, OrgUnit
from twintrack.programme.models import Progress, Project, ProjectKind, ProjectStatus

router = Router(tags=["registry"])

OrgKindName = Literal[tuple(OrgKind.values)]
ProjectKindName = Literal[tuple(ProjectKind.values)]
ProjectStatusName = Literal[tuple(ProjectStatus.values)]


def org_out(org: OrgUnit, codes: dict[int, str]) -> dict:
    return {"code": org.code, "name_zh": org.name_zh, "name_en": org.name_en, "kind": org.kind,
            "parent": codes.get(org.parent_id), "depth": org.depth}


def enterprise_out(e: Enterprise) -> dict:
    return {"uscc": e.uscc, "name_zh": e.name_zh, "name_en": e.name_en, "org": e.org.code,
            "industry": e.industry_id, "size": e.size, "above_scale": e.above_scale}


def project_out(p: Project) -> dict:
    return {"code": p.code, "enterprise": p.enterprise.uscc, "org": p.enterprise.org.code, "title": p.title,
            "kind": p.kind, "category": p.category, "start_date": p.start_date,
            "planned_end_date": p.planned_end_date, "planned_investment_yuan": p.planned_investment_yuan,
            "status": p.status}


def progress_out(code: str):
    def out(row: Progress) -> dict:
        return {"project": code, "month": format_period(row.year, row.month), "investment_yuan": row.investment_yuan,
                "energy_saved_tce": row.energy_saved_tce, "note": row.note}
    return out


def _subtree(request, code: str | None, path_field: str) -> Q:
    """`?org=CODE`: that unit's subtree (404 if the user does not see it)."""
    if not code:
        return Q()
    return Q(**{f"{path_field}__startswith": get_visible_org_or_404(request.user, code).path})


def _codes_of_parents(orgs) -> dict[int, str]:
    ids = {org.parent_id for org in orgs if org.parent_id}
    return dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "code"))


@router.get("/orgunits", response={200: OrgUnitPage, **READ_ERRORS}, summary="Units in scope")
def orgunits(request, paging: Query[Paging], org: Text | None = None, kind: OrgKindName | None = None,
             q: Text | None = None):
    units = visible(request.user, OrgUnit).filter(_subtree(request, org, "path")).order_by("path")
    if kind:
        units = units.filter(kind=kind)
    if q:
        units = units.filter(Q(code__icontains=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    page = page_of(request, units, paging, lambda org_: org_)
    codes = _codes_of_parents(page["results"])
    page["results"] = [org_out(unit, codes) for unit in page["results"]]
    return page


@router.get("/orgunits/{code}", response={200: OrgUnitOut, **READ_ERRORS}, summary="One unit")
def orgunit(request, code: Text):
    unit = get_visible_org_or_404(request.user, code)
    return org_out(unit, _codes_of_parents([unit]))


def _enterprises(user):
    return visible(user, Enterprise).filter(is_active=True).select_related("org")


@router.get("/enterprises", response={200: EnterprisePage, **READ_ERRORS}, summary="Enterprises in scope")
def enterprises(request, paging: Query[Paging], org: Text | None = None, q: Text | None = None):
    rows = _enterprises(request.user).filter(_subtree(request, org, "org__path")).order_by("uscc")
    if q:
        rows = rows.filter(Q(uscc__istartswith=q) | Q(name_zh__icontains=q) | Q(name_en__icontains=q))
    return page_of(request, rows, paging, enterprise_out)


@router.get("/enterprises/{uscc}", response={200: EnterpriseOut, **READ_ERRORS}, summary="One enterprise")
def enterprise(request, uscc: Text):
    return enterprise_out(get_object_or_404(_enterprises(request.user), uscc=uscc.strip().upper()))


def _projects(user):
    return visible(user, Project).filter(is_active=True).select_related("enterprise", "enterprise__org")


@router.get("/projects", response={200: ProjectPage, **READ_ERRORS}, summary="Projects in scope")
def projects(request, paging: Query[Paging], org: Text | None = None, kind: ProjectKindName | None = None,
             status: ProjectStatusName | None = None, month: Text | None = None, q: Text | None = None):
    rows = _projects(request.user).filter(_subtree(request, org, "enterprise__org__path")).order_by("code")
    start = month_filter(month)
    if start:
        rows = rows.filter(start_date__year=start.year, start_date__month=start.month)
    if kind:
        rows = rows.filter(kind=kind)
    if status:
        rows = rows.filter(status=status)
    if q:
        rows = rows.filter(Q(code__icontains=q) | Q(title__icontains=q))
    return page_of(request, rows, paging, project_out)


@router.get("/projects/{code}", response={200: ProjectOut, **READ_ERRORS}, summary="One project")
def project(request, code: Text):
    return project_out(get_object_or_404(_projects(request.user), code=code))


@router.get("/projects/{code}/progress", response={200: ProgressPage, **READ_ERRORS},
            summary="A project's monthly progress")
def project_progress(request, code: Text, paging: Query[Paging], month: Text | None = None):
    found = get_object_or_404(_projects(request.user), code=code)
    rows = Progress.objects.filter(project=found).order_by("year", "month")
    wanted = month_filter(month)
    if wanted:
        rows = rows.filter(year=wanted.year, month=wanted.month)
    return page_of(request, rows, paging, progress_out(found.code))
