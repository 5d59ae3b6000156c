"""Writing the generated demo through the same services as imports, plus demo logins."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from twintrack.demo.generate import CITY, DemoData, YEAR
from twintrack.energy.services import (
    BaselineValues, EnergyLineValues, load_reference_data, save_baselines, save_energy_lines,
)
from twintrack.enterprises.models import Enterprise
from twintrack.enterprises.services import EnterpriseValues, save_enterprises
from twintrack.orgs.models import Membership, OrgUnit, Role
from twintrack.orgs.services import OrgValues, save_orgunits
from twintrack.programme.models import Project
from twintrack.programme.services import (
    ProgressValues, ProjectValues, TargetValues, save_progress, save_projects, save_targets,
)
from twintrack.diagnosis.demo import load_diagnosis_demo
from twintrack.supervision.demo import load_supervision_demo

DEMO_PASSWORD = "twintrack-demo"
REASON = "demo data"


@transaction.atomic
def load_demo(data: DemoData) -> dict:
    save_orgunits([OrgValues(u.code, u.name_zh, u.name_en, u.kind, None if u is CITY else CITY.code)
                   for u in data.units], REASON)
    org_ids = dict(OrgUnit.objects.values_list("code", "id"))
    save_enterprises([EnterpriseValues(e.uscc, e.name_zh, e.name_en, org_ids[e.org_code], e.industry_code, e.size,
                                       e.above_scale) for e in data.enterprises], REASON)
    enterprise_ids = dict(Enterprise.objects.values_list("uscc", "id"))
    save_projects([ProjectValues(p.code, enterprise_ids[p.uscc], org_ids[p.org_code], p.title, p.kind, p.category,
                                 p.start_date, p.planned_end_date, p.planned_investment_yuan, p.status)
                   for p in data.projects], REASON)
    project_ids = dict(Project.objects.values_list("code", "id"))
    save_progress([ProgressValues(project_ids[r.project_code], org_ids[r.org_code], YEAR, r.month,
                                  r.investment_yuan, r.energy_saved_tce, "") for r in data.progress], REASON)
    save_targets([TargetValues(org_ids[t.org_code], t.metric, t.year, t.through_month, t.value)
                  for t in data.targets], REASON)
    load_reference_data()  # the energy coefficient tables, if `twintrack init` has not loaded them
    save_energy_lines([EnergyLineValues(project_ids[e.project_code], org_ids[e.org_code], YEAR, e.month, e.carrier,
                                        e.quantity, e.unit) for e in data.energy], REASON)
    save_baselines([BaselineValues(project_ids[b.project_code], b.carrier, b.first_month, b.months, b.quantity,
                                   b.unit) for b in data.baselines], REASON)
    logins = _users(data, org_ids)
    _quality(data, org_ids)
    logins += load_supervision_demo()  # the 2023 Q3 supervision round and its supervisor logins
    logins += load_diagnosis_demo()  # assessments, providers, solutions, demonstrations; jushi, fuwushang1
    return {"units": len(data.units), "enterprises": len(data.enterprises), "projects": len(data.projects),
            "progress": len(data.progress), "targets": len(data.targets), "energy_lines": len(data.energy),
            "logins": logins}


def _users(data: DemoData, org_ids: dict) -> list[str]:
    """One bureau login for the city and one district officer per unit, all with the demo password."""
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is deliberately slow
    User = get_user_model()
    logins = []
    for unit in data.units:
        role = Role.BUREAU if unit is CITY else Role.DISTRICT
        user, _ = User.objects.get_or_create(username=unit.login, defaults={"password": password})
        Membership.objects.update_or_create(user=user, defaults={"role": role, "org_id": org_ids[unit.code]})
        logins.append(unit.login)
    return logins


def _quality(data: DemoData, org_ids: dict) -> None:
    """Some units submitted July (one late, for the timeliness list); the confirmed findings."""
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.conf import settings

    from twintrack.approvals.models import MonthApproval, MonthState
    from twintrack.demo.anomalies import SUBMISSIONS
    from twintrack.quality.evaluate import Scope, findings_for
    from twintrack.quality.services import confirm_finding

    User = get_user_model()
    zone = ZoneInfo(settings.TIME_ZONE)
    for s in SUBMISSIONS:
        user = User.objects.get(username=s.login)
        when = datetime.combine(date_after(YEAR, s.month, s.day), time(16, 30), tzinfo=zone)
        approval = MonthApproval(org_id=org_ids[s.unit], year=YEAR, month=s.month, state=MonthState.SUBMITTED,
                                 submitted_by=user, submitted_at=when)
        approval._history_user = user
        approval._change_reason = "submitted"
        approval.save()
    for c in data.confirmations:
        found = findings_for(YEAR, c.month, Scope(OrgUnit.objects.get(code=CITY.code).path))
        finding = next(f for f in found if f.rule == c.rule and f.project == c.project_code)
        confirm_finding(finding, User.objects.get(username=c.login), c.comment)


def date_after(year: int, month: int, day: int):
    """Day `day` of the month after year-month."""
    from datetime import date

    return date(year + 1, 1, day) if month == 12 else date(year, month + 1, day)
