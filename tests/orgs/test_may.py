"""The one access question, as a plain matrix: every role × verb × object of its own district
(Nanhu) or another (Pinghu) → allowed or not; and how `require` turns a "no" into 404 or 403."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from twintrack.orgs.access import VERBS, may, require

ROLES = ("anonymous", "bureau", "district", "other_district", "supervisor", "enterprise", "provider")
UNIT_READERS = {"bureau", "district", "supervisor"}
NANHU_FIRM_READERS = UNIT_READERS | {"enterprise"}
PINGHU_READERS = {"bureau", "other_district"}

# (object, verb) -> the roles that may; every other role may not.
MATRIX = {
    ("org", "view"): UNIT_READERS,
    ("org", "change"): {"bureau"},
    ("other_org", "view"): PINGHU_READERS,
    ("other_org", "change"): {"bureau"},
    ("enterprise", "view"): NANHU_FIRM_READERS,
    ("enterprise", "change"): {"bureau", "district"},
    ("enterprise", "delete"): {"bureau", "district"},
    ("enterprise", "restore"): {"bureau"},
    ("other_enterprise", "view"): PINGHU_READERS,
    ("other_enterprise", "change"): PINGHU_READERS,
    ("other_enterprise", "restore"): {"bureau"},
    ("project", "view"): NANHU_FIRM_READERS,
    ("project", "change"): {"bureau", "district"},
    ("project", "restore"): {"bureau"},
    ("other_project", "view"): PINGHU_READERS,
    ("other_project", "change"): PINGHU_READERS,
    ("other_project", "delete"): PINGHU_READERS,
}

# Verbs on a month that has no approval row yet: the policy decides from the unit.
MONTHS = {
    ("org", "submit"): {"bureau", "district"},
    ("org", "approve"): {"bureau"},  # a district approves only the units below its own
    ("org", "reopen"): {"bureau"},
    ("zone", "submit"): {"bureau", "district"},
    ("zone", "approve"): {"bureau", "district"},
    ("other_org", "submit"): PINGHU_READERS,
    ("other_org", "approve"): {"bureau"},
}

# Questions about a kind of record rather than one record.
KINDS = {
    ("OrgUnit", "view"): UNIT_READERS | {"other_district"},
    ("OrgUnit", "create"): {"bureau"},
    ("Enterprise", "view"): UNIT_READERS | {"other_district", "enterprise"},
    ("Project", "view"): UNIT_READERS | {"other_district", "enterprise"},
    ("Project", "create"): {"bureau", "district", "other_district"},
    ("User", "view"): {"bureau"},
}


def _model(name: str):
    from django.contrib.auth import get_user_model

    from twintrack.enterprises.models import Enterprise
    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Project

    return {"OrgUnit": OrgUnit, "Enterprise": Enterprise, "Project": Project, "User": get_user_model()}[name]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_objects_of_its_own_and_another_district(world, role):
    user = world.users[role]
    got = {key: may(user, key[1], getattr(world, key[0])) for key in MATRIX}
    assert got == {key: role in allowed for key, allowed in MATRIX.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_the_months_of_its_own_and_another_district(world, role):
    from twintrack.approvals.models import MonthApproval

    user = world.users[role]
    got = {key: may(user, key[1], MonthApproval(org=getattr(world, key[0]))) for key in MONTHS}
    assert got == {key: role in allowed for key, allowed in MONTHS.items()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_each_role_on_kinds_of_record(world, role):
    user = world.users[role]
    got = {key: may(user, key[1], _model(key[0])) for key in KINDS}
    assert got == {key: role in allowed for key, allowed in KINDS.items()}


@pytest.mark.django_db
def test_require_reads_a_hidden_object_as_absent_and_a_visible_one_as_forbidden(world):
    district, supervisor = world.users["district"], world.users["supervisor"]
    with pytest.raises(Http404):
        require(district, "change", world.other_project)  # Pinghu's: as if it did not exist
    with pytest.raises(Http404):
        require(district, "view", world.other_enterprise)
    with pytest.raises(PermissionDenied):
        require(supervisor, "change", world.project)  # seen, read-only
    with pytest.raises(PermissionDenied):
        require(district, "restore", world.project)
    require(district, "change", world.project)
    require(world.users["bureau"], "restore", world.other_project)


@pytest.mark.django_db
def test_require_on_a_kind_is_forbidden_never_absent(world):
    from twintrack.orgs.models import OrgUnit

    with pytest.raises(PermissionDenied):
        require(world.users["enterprise"], "view", OrgUnit)
    with pytest.raises(PermissionDenied):
        require(world.users["district"], "create", OrgUnit)


@pytest.mark.django_db
def test_an_unknown_verb_is_a_programming_error(world):
    assert "edit" not in VERBS
    with pytest.raises(ValueError, match="unknown access verb"):
        may(world.users["bureau"], "edit", world.project)
    with pytest.raises(ValueError, match="unknown access verb"):
        require(world.users["bureau"], "edit", world.project)
    with pytest.raises(ValueError, match="needs an object"):
        may(world.users["bureau"], "restore", type(world.project))


def test_a_model_without_a_declared_policy_is_a_configuration_error():
    from django.core.exceptions import ImproperlyConfigured

    from twintrack.metrics.models import Rollup
    from twintrack.orgs.access import has_policy, policy_for

    assert not has_policy(Rollup)
    with pytest.raises(ImproperlyConfigured):
        policy_for(Rollup)


def test_every_model_a_page_asks_about_declares_its_policy():
    from django.apps import apps

    from twintrack.orgs.access import has_policy

    apps_with_pages = {"orgs", "enterprises", "programme", "approvals", "energy", "diagnosis", "supervision",
                       "reports"}
    declared = {m.__name__ for m in apps.get_models() if m._meta.app_label in apps_with_pages and has_policy(m)}
    assert {"OrgUnit", "Membership", "Enterprise", "Project", "Progress", "Target", "MonthApproval", "EnergyLine",
            "Visit", "Requirement", "Assessment", "PublishedBulletin"} <= declared
