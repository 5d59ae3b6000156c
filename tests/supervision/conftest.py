"""Supervision fixtures: Jiaxing with Nanhu (and a zone below it), Pinghu and the Port Area;
enterprises in each; progress and targets so the bulletin has figures; the 2023 Q3 round
with two groups; one user per role. Attachments go to a temporary media root."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest
from supervision_helpers import PNG_BYTES, at, make_user, upload, uscc_for


@pytest.fixture(autouse=True)
def english():
    """Messages raised outside a request in English (the pages follow the browser's language)."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Fixture accounts need no slow hash (Argon2 costs half a second per user).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db):
    """Everything a supervision test needs, as attributes."""
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, load_industry_codes, save_enterprises
    from twintrack.orgs.models import OrgUnit
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.programme.models import Project
    from twintrack.programme.services import (
        ProgressValues, ProjectValues, TargetValues, save_progress, save_projects, save_targets,
    )
    from twintrack.supervision import services
    from twintrack.supervision.models import KeyTask
    from twintrack.supervision.reference import seed_key_tasks

    load_industry_codes()
    seed_key_tasks()  # a transactional (browser) test empties every table, the migration's rows too
    save_orgunits([
        OrgValues("330400", "嘉兴市", "Jiaxing", "city", None),
        OrgValues("330402", "南湖区", "Nanhu District", "district", "330400"),
        OrgValues("330482", "平湖市", "Pinghu City", "county_city", "330400"),
        OrgValues("JXGQ", "嘉兴港区", "Jiaxing Port Area", "zone", "330400"),
        OrgValues("NHGX", "南湖高新区", "Nanhu Hi-tech Zone", "zone", "330402"),
    ])
    orgs = {o.code: o for o in OrgUnit.objects.all()}
    firms = [(1, "330402", "德威不锈钢有限公司", "Dewei Stainless Steel"),
             (2, "NHGX", "丰川电子科技有限公司", "Fengchuan Electronics"),
             (3, "330482", "美谊智能传感科技有限公司", "Meiyi Intelligent Sensing"),
             (4, "JXGQ", "传化合成材料有限公司", "Transchemical Synthesis")]
    save_enterprises([EnterpriseValues(uscc_for(seed), zh, en, orgs[code].id, "3311", "medium", True)
                      for seed, code, zh, en in firms])
    ent = {en: Enterprise.objects.get(uscc=uscc_for(seed)) for seed, _c, _z, en in firms}
    save_projects([
        ProjectValues("P1", ent["Dewei Stainless Steel"].id, orgs["330402"].id, "退火炉节能改造", "green", "节能改造",
                      date(2023, 2, 1), None, None, "in_progress"),
        ProjectValues("P2", ent["Meiyi Intelligent Sensing"].id, orgs["330482"].id, "数字化车间", "digital", "",
                      date(2023, 3, 1), None, None, "in_progress"),
    ])
    projects = {p.code: p for p in Project.objects.all()}
    save_progress([
        ProgressValues(projects["P1"].id, orgs["330402"].id, 2023, 3, Decimal("125000000"), Decimal("1500"), ""),
        ProgressValues(projects["P1"].id, orgs["330402"].id, 2023, 6, Decimal("80000000"), Decimal("23000"), ""),
        ProgressValues(projects["P2"].id, orgs["330482"].id, 2023, 5, Decimal("3500000"), Decimal("120.5"), ""),
    ])
    save_targets([TargetValues(orgs["330402"].id, "projects", 2023, 8, Decimal(2)),
                  TargetValues(orgs["330402"].id, "investment_yuan", 2023, 8, Decimal("200000000")),
                  TargetValues(orgs["330402"].id, "investment_yuan", 2023, 12, Decimal("300000000")),
                  TargetValues(orgs["330402"].id, "energy_saved_tce", 2023, 8, Decimal("20000"))])

    users = SimpleNamespace(
        bureau=make_user("bureau", "bureau"),
        nanhu=make_user("nanhu", "district", orgs["330402"]),
        nhgx=make_user("nhgx", "district", orgs["NHGX"]),
        pinghu=make_user("pinghu", "district", orgs["330482"]),
        sup1=make_user("duchazu1", "supervisor"),
        sup2=make_user("duchazu2", "supervisor"),
        dewei=make_user("dewei", "enterprise", enterprise=ent["Dewei Stainless Steel"]),
        meiyi=make_user("meiyi", "enterprise", enterprise=ent["Meiyi Intelligent Sensing"]),
        provider=make_user("provider", "provider"),
        nobody=make_user("nobody"),
    )
    round_ = services.create_round(users.bureau, code="2023Q3", name_zh="2023年第三季度“两化”改造督查服务",
                                   name_en="2023 Q3 supervision service", start_date=date(2023, 9, 11),
                                   end_date=date(2023, 9, 15), when=at(date(2023, 9, 1)))
    g1 = services.create_group(users.bureau, round_, name_zh="第一督查组", name_en="First group", leader=users.sup1,
                               units=[orgs["330402"]])
    g2 = services.create_group(users.bureau, round_, name_zh="第二督查组", name_en="Second group", leader=users.sup2,
                               units=[orgs["330482"], orgs["JXGQ"]])
    tasks = {t.number: t for t in KeyTask.objects.all()}
    return SimpleNamespace(orgs=orgs, ent=ent, projects=projects, users=users, round=round_, g1=g1, g2=g2,
                           tasks=tasks)


@pytest.fixture
def records(world):
    """A visit to Nanhu and one to Pinghu, each with a finding and a requirement (issued 2023-09)."""
    from twintrack.supervision import services

    w, u = world, world.users
    nanhu_visit = services.record_visit(u.sup1, w.g1, w.orgs["330402"], date(2023, 9, 12),
                                        enterprises=[w.ent["Dewei Stainless Steel"], w.ent["Fengchuan Electronics"]],
                                        attendees="南湖区经信局", when=at(date(2023, 9, 12), 17))
    nanhu_finding = services.record_finding(u.sup1, nanhu_visit, "problem", "退火工序能耗偏高。",
                                            enterprise=w.ent["Dewei Stainless Steel"], project=w.projects["P1"],
                                            when=at(date(2023, 9, 12), 18))
    nanhu_req = services.issue_requirement(u.sup1, w.round, w.tasks[3], "完成节能改造方案论证。", date(2023, 10, 31),
                                           enterprise=w.ent["Dewei Stainless Steel"], owner="设备部 周强",
                                           visit=nanhu_visit, finding=nanhu_finding, when=at(date(2023, 9, 12), 18))
    pinghu_visit = services.record_visit(u.sup2, w.g2, w.orgs["330482"], date(2023, 9, 13),
                                         enterprises=[w.ent["Meiyi Intelligent Sensing"]],
                                         when=at(date(2023, 9, 13), 17))
    pinghu_finding = services.record_finding(u.sup2, pinghu_visit, "highlight", "平湖市数字化车间建设成效明显。",
                                             when=at(date(2023, 9, 13), 18))
    pinghu_req = services.issue_requirement(u.sup2, w.round, w.tasks[2], "编制汽车零部件行业改造样本。",
                                            date(2099, 12, 31), org=w.orgs["330482"], visit=pinghu_visit,
                                            when=at(date(2023, 9, 13), 18))
    return SimpleNamespace(nanhu_visit=nanhu_visit, nanhu_finding=nanhu_finding, nanhu_req=nanhu_req,
                           pinghu_visit=pinghu_visit, pinghu_finding=pinghu_finding, pinghu_req=pinghu_req)




@pytest.fixture
def png():
    return lambda name="photo.png": upload(name, PNG_BYTES, "image/png")
