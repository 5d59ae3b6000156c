"""Access fixtures: Jiaxing with Nanhu (and a zone below it) and Pinghu, an enterprise and a
project in each district, and one user of every role (the district officer and the supervisor
of Nanhu, the officer of Pinghu as "other_district")."""
from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest
from stdnum.cn import uscc


def make_uscc(seed: int, region: str = "330402") -> str:
    body = f"91{region}MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _user(username: str, role: str | None, org=None, enterprise=None):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    user = get_user_model().objects.create_user(username, password="x-Secret-1")
    if role is not None:
        Membership.objects.create(user=user, role=role, org=org, enterprise=enterprise)
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def world(city, industry_codes):
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises
    from twintrack.orgs.models import OrgUnit
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.programme.models import Project
    from twintrack.programme.services import ProjectValues, save_projects

    save_orgunits([OrgValues("NHGX", "南湖高新区", "Nanhu Hi-tech Zone", "zone", "330402")])
    nanhu, pinghu, zone = (OrgUnit.objects.get(code=c) for c in ("330402", "330482", "NHGX"))
    save_enterprises([
        EnterpriseValues(make_uscc(1), "德威不锈钢有限公司", "Dewei", nanhu.id, "3311", "medium", True),
        EnterpriseValues(make_uscc(2, "330482"), "平湖光电有限公司", "Pinghu Optics", pinghu.id, "3311", "small", True),
    ])
    own_firm, other_firm = (Enterprise.objects.get(org=org) for org in (nanhu, pinghu))
    save_projects([
        ProjectValues("P1", own_firm.id, nanhu.id, "项目1", "digital", "", date(2023, 3, 1), None, None, "in_progress"),
        ProjectValues("P3", other_firm.id, pinghu.id, "项目3", "digital", "", date(2023, 3, 1), None, None,
                      "in_progress"),
    ])
    users = {
        "anonymous": None,
        "bureau": _user("bureau", "bureau"),
        "district": _user("nanhu", "district", nanhu),
        "other_district": _user("pinghu", "district", pinghu),
        "supervisor": _user("supervisor", "supervisor", nanhu),
        "enterprise": _user("dewei", "enterprise", enterprise=own_firm),
        "provider": _user("provider", "provider"),
    }
    return SimpleNamespace(org=nanhu, other_org=pinghu, zone=zone, enterprise=own_firm, other_enterprise=other_firm,
                           project=Project.objects.get(code="P1"), other_project=Project.objects.get(code="P3"),
                           users=users)
