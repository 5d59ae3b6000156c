"""Web fixtures: Jiaxing with two districts (Nanhu has a zone below it), a few enterprises,
projects and monthly progress for January..July 2023, targets, and one user per role.

Everything is written through the services, as the importers and the demo write it, so the
rollups the dashboard reads are the real ones.
"""
from datetime import date
from decimal import Decimal

import pytest

PASSWORD = "correct-horse-battery"
YEAR = 2023


def uscc_for(seed: int, region: str) -> str:
    from stdnum.cn import uscc

    body = f"91{region}MA{seed:07d}"[:17]
    return body + uscc.calc_check_digit(body)


@pytest.fixture
def jiaxing(db):
    """The org tree, enterprises, projects, progress and targets; returns {code: OrgUnit}."""
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, load_industry_codes, save_enterprises
    from twintrack.orgs.models import OrgUnit
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.programme.models import Project
    from twintrack.programme.services import (
        ProgressValues, ProjectValues, TargetValues, save_progress, save_projects, save_targets,
    )

    load_industry_codes()
    save_orgunits([
        OrgValues("330400", "嘉兴市", "Jiaxing", "city", None),
        OrgValues("330402", "南湖区", "Nanhu District", "district", "330400"),
        OrgValues("330482", "平湖市", "Pinghu City", "county_city", "330400"),
        OrgValues("NHGX", "南湖高新区", "Nanhu Hi-tech Zone", "zone", "330402"),
    ])
    orgs = {o.code: o for o in OrgUnit.objects.all()}

    enterprises = [
        (1, "330402", "德威不锈钢有限公司", "Dewei Stainless Steel"),
        (2, "NHGX", "嘉兴智造电子有限公司", "Jiaxing Smart Electronics"),
        (3, "330482", "平湖新材料有限公司", "Pinghu New Materials"),
    ]
    save_enterprises([
        EnterpriseValues(uscc_for(seed, "330402"), name_zh, name_en, orgs[code].id, "3311", "medium", True)
        for seed, code, name_zh, name_en in enterprises
    ])
    ent = {code: Enterprise.objects.get(uscc=uscc_for(seed, "330402")) for seed, code, _, _ in enterprises}

    projects = [
        # code, enterprise unit, start date, status
        ("P1", "330402", date(2023, 2, 10), "in_progress"),
        ("P2", "NHGX", date(2023, 3, 5), "completed"),
        ("P3", "330482", date(2023, 5, 20), "in_progress"),
        ("P4", "330482", date(2023, 6, 1), "cancelled"),
        ("P0", "330402", date(2022, 11, 1), "in_progress"),  # an earlier year's project, still investing
    ]
    save_projects([
        ProjectValues(code, ent[unit].id, orgs[unit].id, f"项目{code}", "digital_green", "智能工厂", start, None,
                      None, status)
        for code, unit, start, status in projects
    ])
    project = {p.code: p for p in Project.objects.all()}
    unit_of = {code: unit for code, unit, _, _ in projects}

    progress = [
        # project, month, investment yuan, energy tce
        ("P0", 1, "1200000", "15.5"), ("P0", 2, "800000", "10"),
        ("P1", 2, "3500000", None), ("P1", 4, "6000000", "120.25"), ("P1", 7, "2500000", "80"),
        ("P2", 3, "15000000", "900"), ("P2", 6, "9000000", "1100"),
        ("P3", 5, "20000000", "300"), ("P3", 7, "45000000", "2400"),
    ]
    save_progress([
        ProgressValues(project[code].id, orgs[unit_of[code]].id, YEAR, month, Decimal(invest),
                       Decimal(energy) if energy else None, "")
        for code, month, invest, energy in progress
    ])

    targets = []
    for m in range(1, 13):  # the city's cumulative targets, month by month
        targets += [
            TargetValues(orgs["330400"].id, "projects", YEAR, m, Decimal(m)),
            TargetValues(orgs["330400"].id, "investment_yuan", YEAR, m, Decimal(12_000_000 * m)),
            TargetValues(orgs["330400"].id, "energy_saved_tce", YEAR, m, Decimal(500 * m)),
        ]
    targets += [
        TargetValues(orgs["330402"].id, "projects", YEAR, 7, Decimal(3)),
        TargetValues(orgs["330402"].id, "projects", YEAR, 12, Decimal(4)),
        TargetValues(orgs["330402"].id, "investment_yuan", YEAR, 7, Decimal(40_000_000)),
        TargetValues(orgs["330402"].id, "investment_yuan", YEAR, 12, Decimal(60_000_000)),
        TargetValues(orgs["330402"].id, "energy_saved_tce", YEAR, 7, Decimal(2000)),
        TargetValues(orgs["330402"].id, "energy_saved_tce", YEAR, 12, Decimal(3000)),
        TargetValues(orgs["330482"].id, "investment_yuan", YEAR, 7, Decimal(50_000_000)),
        TargetValues(orgs["330482"].id, "investment_yuan", YEAR, 12, Decimal(120_000_000)),
    ]
    save_targets(targets)
    return orgs


def make_user(username: str, role: str | None = None, org=None, superuser: bool = False):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    User = get_user_model()
    if superuser:
        user = User.objects.create_superuser(username, f"{username}@example.org", PASSWORD)
    else:
        user = User.objects.create_user(username, password=PASSWORD)
    if role is not None:
        Membership.objects.create(user=user, role=role, org=org)
    return user


@pytest.fixture(name="make_user")
def make_user_fixture(db):
    """make_user(username, role=None, org=None, superuser=False); the password is PASSWORD."""
    return make_user


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def bureau_user(jiaxing):
    return make_user("bureau", "bureau")


@pytest.fixture
def nanhu_user(jiaxing):
    return make_user("nanhu", "district", jiaxing["330402"])


@pytest.fixture
def pinghu_user(jiaxing):
    return make_user("pinghu", "district", jiaxing["330482"])


@pytest.fixture
def bureau_client(client, bureau_user):
    client.force_login(bureau_user)
    return client


@pytest.fixture
def nanhu_client(client, nanhu_user):
    client.force_login(nanhu_user)
    return client


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Hashing is deliberately slow in production (Argon2); tests create many accounts."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def uploads_in_tmp(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"


class World:
    """The sample data every URL case runs against (described in tests/access_tables/url_access.py)."""


@pytest.fixture
def world(jiaxing):
    from twintrack.enterprises.models import Enterprise
    from twintrack.orgs.models import Membership
    from twintrack.programme.models import Progress, Project, Target

    w = World()
    w.orgs = jiaxing
    w.org, w.other_org = jiaxing["330402"], jiaxing["330482"]
    w.enterprise = Enterprise.objects.get(org=w.org)
    w.other_enterprise = Enterprise.objects.get(org=w.other_org)
    w.project = Project.objects.get(code="P1")
    w.other_project = Project.objects.get(code="P3")
    w.progress = Progress.objects.filter(project=w.project).order_by("month").first()
    w.target = Target.objects.filter(org=w.org).first()
    w.year, w.month, w.period = YEAR, 7, "2023-07"
    enterprise_user = make_user("dewei", "enterprise")
    Membership.objects.filter(user=enterprise_user).update(enterprise=w.enterprise)
    enterprise_user.refresh_from_db()
    w.users = {
        "anonymous": None,
        "bureau": make_user("bureau", "bureau"),
        "district": make_user("nanhu", "district", w.org),
        "other_district": make_user("pinghu", "district", w.other_org),
        "supervisor": make_user("supervisor", "supervisor", w.org),
        "enterprise": enterprise_user,
        "provider": make_user("provider", "provider"),
    }
    return w
