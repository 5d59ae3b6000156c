"""The quality page and the month page summed from per-unit parts cached by each unit's data
version (quality.parts, services.quality_page, web.monthdata.cached_month_report): the same
content as the single computation over the subtree, for the root and a district, and after a
write in one district only that district's parts (and its ancestors' sums) are computed again."""
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from twintrack.orgs.models import OrgUnit
from twintrack.quality import services
from twintrack.quality.services import quality_page, quality_view
from twintrack.web import monthdata, views_monthly, views_quality

pytestmark = pytest.mark.django_db
UNITS = ("330400", "330402", "330482", "JXGQ")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def province(make_project, put):
    """Projects in every unit (the city's own too), reporting or not, with findings in three units:
    codes interleave across units so the first rows of a sum come from several of them."""
    made = {}
    for number, org in enumerate(("330402", "330482", "JXGQ", "330400", "330402", "330482", "330402", "JXGQ")):
        made[f"P{number}"] = make_project(f"P{number}", org)
    for code in ("P0", "P3", "P6"):  # a spike each
        for period, amount in (("2023-04", 10), ("2023-05", 20), ("2023-06", 30), ("2023-07", 5000)):
            put(made[code], period, amount)
    for period in ("2023-05", "2023-06", "2023-07"):  # a repeated figure
        put(made["P1"], period, 7)
    put(made["P7"], "2023-07", 0)  # a row of zeros reports
    for code, org in (("p-1", "330402"), ("P_0", "330482"), ("a9", "330402"), ("P-9", "JXGQ")):
        made[code] = make_project(code, org)  # orders where a database's collation and Python's differ
    for code in ("p-1", "P_0"):
        put(made[code], "2023-07", 1)
    return made


def user(role, org_code):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership

    account = get_user_model().objects.create_user(f"{role}-{org_code}", password="x-long-password-1")
    Membership.objects.create(user=account, role=role, org=OrgUnit.objects.get(code=org_code))
    return account


def finding_rows(findings):
    return [(f.rule, f.project, f.org, f.value, f.threshold, f.status) for f in findings]


def assert_same_quality(code, shown):
    org = OrgUnit.objects.get(code=code)
    page, view = quality_page(org, 2023, 7, shown), quality_view(org, 2023, 7)
    assert (page.completeness.expected, page.completeness.reported) == (view.completeness.expected,
                                                                        view.completeness.reported)
    assert page.missing == view.missing[:shown] and page.missing_total == len(view.missing)
    assert finding_rows(page.findings) == finding_rows(view.findings)
    assert [(child.code, counts.expected, counts.reported, count) for child, counts, count in page.children] == \
        [(child.code, counts.expected, counts.reported, count) for child, counts, count in view.children]
    return page


def assert_same_month(account, code, shown):
    org = OrgUnit.objects.get(code=code)
    cached = monthdata.cached_month_report(org, 2023, 7, shown)
    direct = monthdata.visible_month_report(account, org, 2023, 7, shown)
    assert [row.pk for row in cached.reported_rows] == [row.pk for row in direct.reported_rows]
    assert [project.pk for project in cached.missing] == [project.pk for project in direct.missing]
    assert (cached.expected, cached.reported_count, cached.missing_count) == \
        (direct.expected, direct.reported_count, direct.missing_count)
    return cached


@pytest.mark.parametrize("shown", [1, 2, 200])
def test_the_parts_add_up_to_the_single_computation_for_the_root_and_a_district(province, shown):
    bureau = user("bureau", "330400")
    for code in UNITS:
        assert_same_quality(code, shown)
        assert_same_month(bureau, code, shown)
    root = assert_same_quality("330400", shown)
    assert root.missing_total == 5 and len(root.findings) == 4  # the data has what the test compares
    assert len(assert_same_month(bureau, "330400", shown).reported_rows) == min(shown, 7)


class Spy:
    """Records the units whose own part was computed."""

    def __init__(self, monkeypatch, module, name):
        self.units, self.calls = set(), []
        real = getattr(module, name)

        def spied(year, month, ids, *args):
            self.calls += OrgUnit.objects.filter(id__in=ids).values_list("code", flat=True)
            self.units.update(self.calls)
            return real(year, month, ids, *args)

        monkeypatch.setattr(module, name, spied)


def test_with_nothing_cached_each_units_part_is_computed_once(province, monkeypatch):
    spies = [Spy(monkeypatch, services, name) for name in ("own_completeness", "own_missing", "own_findings")]
    spies.append(Spy(monkeypatch, monthdata, "own_rows"))
    quality_page(OrgUnit.objects.get(code="330400"), 2023, 7, 2)
    monthdata.cached_month_report(OrgUnit.objects.get(code="330400"), 2023, 7, 2)
    assert [sorted(spy.calls) for spy in spies] == [sorted(UNITS)] * 4


def test_after_a_write_in_one_district_only_its_parts_and_its_ancestors_are_computed(province, put, monkeypatch):
    bureau = user("bureau", "330400")
    for code in ("330400", "330402"):
        assert_same_quality(code, 2), assert_same_month(bureau, code, 2)
    spies = [Spy(monkeypatch, services, name) for name in ("own_completeness", "own_missing", "own_findings")]
    spies.append(Spy(monkeypatch, monthdata, "own_rows"))
    quality_page(OrgUnit.objects.get(code="330400"), 2023, 7, 2)
    monthdata.cached_month_report(OrgUnit.objects.get(code="330400"), 2023, 7, 2)
    assert all(spy.units == set() for spy in spies)  # warm: nothing computed
    for period in ("2023-05", "2023-06", "2023-07"):  # Pinghu: P5 repeats a figure and reports
        put(province["P5"], period, 9)
    root = assert_same_quality("330400", 2)
    month = assert_same_month(bureau, "330400", 2)
    assert all(spy.units == {"330400", "330482"} for spy in spies), [spy.units for spy in spies]
    assert ("repeated", "P5") in [(f.rule, f.project) for f in root.findings]
    assert root.missing_total == 4 and month.reported_count == 8


def without_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


def rendered(client, url, module, name, replacement, monkeypatch):
    cache.clear()
    with monkeypatch.context() as patch:
        if replacement is not None:
            patch.setattr(module, name, replacement)
        response = client.get(url)
    assert response.status_code == 200
    return without_tokens(response.content.decode())


def uncached_page(org, year, month, shown):
    view = quality_view(org, year, month)
    return services.QualityPage(org, year, month, view.completeness, view.missing[:shown], len(view.missing),
                                view.findings, view.children)


@pytest.mark.parametrize("role, home", [("bureau", "330400"), ("district", "330482")])
def test_the_pages_are_the_same_as_computed_at_once(client, province, monkeypatch, role, home):
    monkeypatch.setattr(views_quality, "MISSING_SHOWN", 1)
    client.force_login(user(role, home))
    for code in {home, "330482"}:
        for query in ("", "&rule=spike", "&status=open", "&unit=330402", "&unit=330482"):
            url = reverse("quality") + f"?org={code}&period=2023-07{query}"
            assert (rendered(client, url, views_quality, "quality_page", uncached_page, monkeypatch)
                    == rendered(client, url, views_quality, "quality_page", None, monkeypatch))
        url = reverse("monthly") + f"?org={code}&period=2023-07"
        assert (rendered(client, url, views_monthly, "month_report", monthdata.visible_month_report, monkeypatch)
                == rendered(client, url, views_monthly, "month_report", None, monkeypatch))


def test_findings_are_read_once_under_the_highest_unit_whose_leaves_are_all_asked_for(city):
    from twintrack.orgs.services import OrgValues, save_orgunits
    from twintrack.quality.parts import _read_together

    save_orgunits([OrgValues("N1", "一区", "", "zone", "330402"), OrgValues("N2", "二区", "", "zone", "330402")])
    unit = {code: OrgUnit.objects.get(code=code) for code in ("330400", "330402", "330482", "JXGQ", "N1", "N2")}

    def groups(*codes):
        return {(path, tuple(sorted(leaf.code for leaf in leaves)))
                for path, leaves in _read_together([unit[code] for code in codes])}

    assert groups("N1", "N2") == {(unit["330402"].path, ("N1", "N2"))}
    assert groups("N1", "N2", "330482") == {(unit["330402"].path, ("N1", "N2")), (None, ("330482",))}
    assert groups("N1", "N2", "330482", "JXGQ") == {(unit["330400"].path, ("330482", "JXGQ", "N1", "N2"))}
    assert groups("N1", "330482") == {(None, ("330482", "N1"))}
