"""Diagnosis fixtures: Zhejiang with two cities (Jiaxing with Nanhu and Pinghu, Hangzhou with
Shangcheng), the shipped frameworks, an enterprise factory, users of every role, and a small
"bench" framework (two dimensions, one question each, options scoring 0, 10, ..., 100) so that
any pair of dimension scores can be set by hand."""
from __future__ import annotations

import copy

import pytest

from diagnosis_helpers import BENCH, PASSWORD, uscc_for


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Users are made in every test: a fast hasher (Argon2 takes 0.3 s a password)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]


@pytest.fixture
def zhejiang(db):
    """{code: OrgUnit} for the province, two cities and three districts."""
    from twintrack.enterprises.services import load_industry_codes
    from twintrack.orgs.models import OrgUnit
    from twintrack.orgs.services import OrgValues, save_orgunits

    load_industry_codes()
    save_orgunits([
        OrgValues("330000", "浙江省", "Zhejiang", "province", None),
        OrgValues("330400", "嘉兴市", "Jiaxing", "city", "330000"),
        OrgValues("330402", "南湖区", "Nanhu District", "district", "330400"),
        OrgValues("330482", "平湖市", "Pinghu City", "county_city", "330400"),
        OrgValues("330100", "杭州市", "Hangzhou", "city", "330000"),
        OrgValues("330102", "上城区", "Shangcheng District", "district", "330100"),
    ])
    return {o.code: o for o in OrgUnit.objects.all()}


@pytest.fixture
def frameworks(db):
    from twintrack.diagnosis.frameworks import load_shipped_frameworks
    from twintrack.diagnosis.models import Framework

    load_shipped_frameworks()
    return {f.key: f for f in Framework.objects.filter(is_current=True)}


@pytest.fixture
def miit(frameworks):
    return frameworks["miit_sme_digital_2022"]


@pytest.fixture
def bench(db):
    from twintrack.diagnosis.frameworks import load_framework

    return load_framework(copy.deepcopy(BENCH))[0]


@pytest.fixture
def make_enterprise(zhejiang):
    from twintrack.enterprises.models import Enterprise
    from twintrack.enterprises.services import EnterpriseValues, save_enterprises

    counter = {"n": 0}

    def make(org_code="330402", industry="3311", size="medium", above_scale=True, name=None):
        counter["n"] += 1
        seed = counter["n"]
        code = uscc_for(seed, org_code if org_code.isdigit() else "330402")
        save_enterprises([EnterpriseValues(code, name or f"测试企业{seed}", f"Test firm {seed}", zhejiang[org_code].id,
                                           industry, size, above_scale)])
        return Enterprise.objects.get(uscc=code)

    return make


@pytest.fixture
def assess(db):
    """assess(enterprise, framework, answers or {dimension: score} for the bench, kind=..., on=date, provider=...)."""
    from datetime import date

    from twintrack.diagnosis.services import record_assessment

    def run(enterprise, framework, answers=None, kind="self", on=date(2023, 5, 1), provider=None, **scores):
        if answers is None:  # the bench framework: a=.., b=..
            answers = {code.upper(): f"s{value}" for code, value in scores.items()}
        if kind == "offline" and provider is None:
            from twintrack.diagnosis.models import ServiceProvider

            provider = ServiceProvider.objects.create(name_zh="测试服务商")
        return record_assessment(enterprise, framework, answers, kind=kind, assessed_on=on, provider=provider)

    return run


@pytest.fixture
def make_user(db):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    def make(username, role=None, org=None, enterprise=None, provider=None):
        user = get_user_model().objects.create_user(username, password=PASSWORD)
        if role is not None:
            Membership.objects.create(user=user, role=role, org=org, enterprise=enterprise, provider=provider)
        return user

    return make


@pytest.fixture
def provider_firm(db):
    from twintrack.diagnosis.models import ServiceProvider

    return ServiceProvider.objects.create(name_zh="嘉兴测试数字服务有限公司", name_en="Jiaxing Test Digital Services")


@pytest.fixture
def other_provider_firm(db):
    from twintrack.diagnosis.models import ServiceProvider

    return ServiceProvider.objects.create(name_zh="另一家服务商", name_en="Another provider")


@pytest.fixture
def password():
    return PASSWORD
