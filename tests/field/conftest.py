"""Field app fixtures: Jiaxing with Nanhu (a zone below it) and Pinghu, an enterprise in each,
a project of Nanhu's enterprise, a round open today with a group covering Nanhu (led by the
supervisor `duchazu1`), an open requirement to Nanhu, and one user per role."""
from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from field_helpers import make_user, uscc_for

@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings.MEDIA_ROOT


@pytest.fixture
def field_world(db):
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, load_industry_codes, save_enterprises
    from twintrack.orgs.models import OrgUnit
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.programme.services import ProjectValues, save_projects
    from twintrack.supervision import services
    from twintrack.supervision.models import KeyTask
    from twintrack.supervision.reference import seed_key_tasks

    load_industry_codes()
    seed_key_tasks()  # a transactional (browser) test empties every table, the migration's rows too
    save_orgunits([
        OrgValues("330400", "嘉兴市", "Jiaxing", "city", None),
        OrgValues("330402", "南湖区", "Nanhu District", "district", "330400"),
        OrgValues("330482", "平湖市", "Pinghu City", "county_city", "330400"),
        OrgValues("NHGX", "南湖高新区", "Nanhu Hi-tech Zone", "zone", "330402"),
    ])
    orgs = {o.code: o for o in OrgUnit.objects.all()}
    firms = [(1, "330402", "德威不锈钢有限公司", "Dewei Stainless Steel"),
             (2, "NHGX", "丰川电子科技有限公司", "Fengchuan Electronics"),
             (3, "330482", "美谊智能传感科技有限公司", "Meiyi Intelligent Sensing")]
    save_enterprises([EnterpriseValues(uscc_for(seed), zh, en, orgs[code].id, "3311", "medium", True)
                      for seed, code, zh, en in firms])
    ent = {en.split()[0].lower(): Enterprise.objects.get(uscc=uscc_for(seed)) for seed, _c, _z, en in firms}
    today = timezone.localdate()
    save_projects([ProjectValues("P1", ent["dewei"].id, orgs["330402"].id, "退火炉节能改造", "green", "节能改造",
                                 today - timedelta(days=200), None, None, "in_progress")])
    users = SimpleNamespace(bureau=make_user("bureau", "bureau", orgs["330400"]),
                            nanhu=make_user("nanhu", "district", orgs["330402"]),
                            pinghu=make_user("pinghu", "district", orgs["330482"]),
                            sup=make_user("duchazu1", "supervisor"))  # no unit, as in the demo
    round_ = services.create_round(users.bureau, code="R2026", name_zh="本季度督查服务", name_en="This quarter",
                                   start_date=today - timedelta(days=7), end_date=today + timedelta(days=7))
    group = services.create_group(users.bureau, round_, name_zh="第一督查组", name_en="First group",
                                  leader=users.sup, units=[orgs["330402"]])
    task = KeyTask.objects.order_by("number").first()
    requirement = services.issue_requirement(users.sup, round_, task, "完成节能改造方案论证。",
                                             today + timedelta(days=20), org=orgs["330402"], owner="经信局")
    return SimpleNamespace(orgs=orgs, ent=ent, users=users, round=round_, group=group, task=task,
                           requirement=requirement, today=today)


@pytest.fixture
def token():
    """token(user, write=True) -> a fresh token value of that user."""
    from twintrack.orgs.tokens import create_token

    return lambda user, write=True: create_token(user, "test", write=write, actor=user)[1]
