"""Who may see which org units: `twintrack.orgs.access`."""
import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from twintrack.orgs.access import (
    can_view_org, get_visible_org_or_404, scope_root, visible_ancestors, visible_orgs,
)


def codes(queryset):
    return sorted(o.code for o in queryset)


def test_a_bureau_officer_without_a_unit_sees_the_whole_tree(jiaxing, bureau_user):
    assert scope_root(bureau_user) == jiaxing["330400"]
    assert codes(visible_orgs(bureau_user)) == ["330400", "330402", "330482", "NHGX"]


def test_a_bureau_officer_of_a_unit_sees_that_unit_and_below(jiaxing, make_user):
    user = make_user("county-bureau", "bureau", jiaxing["330402"])
    assert scope_root(user) == jiaxing["330402"]


def test_a_superuser_without_membership_sees_the_whole_tree(jiaxing, make_user):
    admin = make_user("admin", superuser=True)
    assert scope_root(admin) == jiaxing["330400"]


def test_a_district_officer_sees_their_subtree_only(jiaxing, nanhu_user):
    assert scope_root(nanhu_user) == jiaxing["330402"]
    assert codes(visible_orgs(nanhu_user)) == ["330402", "NHGX"]
    assert can_view_org(nanhu_user, jiaxing["NHGX"])
    assert not can_view_org(nanhu_user, jiaxing["330482"])
    assert not can_view_org(nanhu_user, jiaxing["330400"])


def test_other_roles_see_their_unit_or_nothing(jiaxing, make_user):
    supervisor = make_user("supervisor", "supervisor", jiaxing["330482"])
    enterprise = make_user("enterprise", "enterprise")
    nobody = make_user("nobody")
    assert scope_root(supervisor) == jiaxing["330482"]
    assert scope_root(enterprise) is None
    assert scope_root(nobody) is None
    assert list(visible_orgs(nobody)) == []
    assert not can_view_org(nobody, jiaxing["330400"])


def test_anonymous_and_inactive_users_see_nothing(jiaxing, make_user):
    inactive = make_user("gone", "bureau")
    inactive.is_active = False
    assert scope_root(AnonymousUser()) is None
    assert scope_root(inactive) is None


def test_a_hidden_unit_and_a_missing_one_are_both_not_found(jiaxing, nanhu_user):
    assert get_visible_org_or_404(nanhu_user, "NHGX") == jiaxing["NHGX"]
    for code in ("330482", "330400", "NOSUCHCODE"):
        with pytest.raises(Http404):
            get_visible_org_or_404(nanhu_user, code)


def test_the_breadcrumb_stops_at_the_scope(jiaxing, bureau_user, nanhu_user):
    assert [o.code for o in visible_ancestors(bureau_user, jiaxing["NHGX"])] == ["330400", "330402", "NHGX"]
    assert [o.code for o in visible_ancestors(nanhu_user, jiaxing["NHGX"])] == ["330402", "NHGX"]
    assert visible_ancestors(nanhu_user, jiaxing["330482"]) == []
