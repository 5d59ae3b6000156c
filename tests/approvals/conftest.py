"""Approval fixtures: the shared small tree (Jiaxing: Nanhu, Pinghu, the port zone), one
enterprise in Nanhu with a project, and users of each acting role."""
from datetime import date
from decimal import Decimal

import pytest

YEAR = 2023


@pytest.fixture(autouse=True)
def english():
    """Messages are compared in English; settings default to zh-hans."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def units(city):
    from twintrack.orgs.models import OrgUnit

    return {o.code: o for o in OrgUnit.objects.all()}


@pytest.fixture
def people(units, db):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    User = get_user_model()

    def person(name, role, code):
        user = User.objects.create_user(name, password="not-used-in-these-tests")
        Membership.objects.create(user=user, role=role, org=units[code] if code else None)
        return user

    return {
        "bureau": person("bureau", "bureau", None),
        "nanhu": person("nanhu", "district", "330402"),
        "pinghu": person("pinghu", "district", "330482"),
        "supervisor": person("supervisor", "supervisor", "330402"),
    }


@pytest.fixture
def progress(project_factory, units):
    """Project P1 (Nanhu, started March 2023) with March and April progress."""
    from twintrack.programme.services import ProgressValues, save_progress

    project = project_factory("P1", start=date(YEAR, 3, 1))
    nanhu = units["330402"]

    def write(month, yuan, tce=None):
        return save_progress([ProgressValues(project.id, nanhu.id, YEAR, month, Decimal(yuan),
                                             None if tce is None else Decimal(tce), "")])

    write(3, "1000000", "10")
    write(4, "2000000", "20")
    return write
