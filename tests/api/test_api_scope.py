"""Every read endpoint with a token of every role and of another district: a token sees exactly
what its user sees (`orgs.access.visible`, the function the pages use), never more; an object
outside the scope is a 404 identical to one that does not exist."""
import json

import pytest

from api_support import LOGINS

ROLES = tuple(LOGINS)


def user_of(role):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=LOGINS[role])


def every_page(api, path: str) -> list[dict]:
    """All results of a list, following `next` (checks the page envelope on the way)."""
    results, url, pages = [], path + ("&" if "?" in path else "?") + "page_size=1000", 0
    while url:
        response = api.client.get(url if url.startswith("http") else "/api/v1" + url, **api.headers())
        assert response.status_code == 200, (url, response.content[:300])
        body = json.loads(response.content)
        assert set(body) == {"count", "next", "previous", "results"}
        results += body["results"]
        url, pages = body["next"], pages + 1
        assert pages < 50
    assert len(results) == body["count"]
    return results


def missing_body(api, path_of_missing: str) -> bytes:
    response = api.get(path_of_missing)
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    return response.content


def sample(queryset, field: str, per_unit_field: str) -> list[str]:
    """One object per unit (its code), so every district and the root are represented."""
    seen, codes = set(), []
    for code, unit in queryset.order_by(field).values_list(field, per_unit_field):
        if unit not in seen:
            seen.add(unit)
            codes.append(code)
    return codes


@pytest.mark.parametrize("role", ROLES)
def test_lists_hold_exactly_what_the_user_sees(api, role):
    from twintrack.enterprises.models import Enterprise
    from twintrack.orgs.access import visible
    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Project
    from twintrack.supervision.models import Finding, Requirement, Visit

    user, token = user_of(role), api(role)
    expected = {
        "/orgunits": set(visible(user, OrgUnit).values_list("code", flat=True)),
        "/enterprises": set(visible(user, Enterprise).filter(is_active=True).values_list("uscc", flat=True)),
        "/projects": set(visible(user, Project).filter(is_active=True).values_list("code", flat=True)),
        "/supervision/visits": set(visible(user, Visit).values_list("code", flat=True)),
        "/supervision/findings": set(visible(user, Finding).values_list("code", flat=True)),
        "/supervision/requirements": set(visible(user, Requirement).values_list("code", flat=True)),
    }
    for path, codes in expected.items():
        key = "uscc" if path == "/enterprises" else "code"
        assert {row[key] for row in every_page(token, path)} == codes, (role, path)


@pytest.mark.parametrize("role", ROLES)
def test_an_object_outside_the_scope_reads_exactly_like_a_missing_one(api, role):
    from twintrack.enterprises.models import Enterprise
    from twintrack.orgs.access import visible
    from twintrack.orgs.models import OrgUnit
    from twintrack.programme.models import Project
    from twintrack.supervision.models import Requirement

    user, token = user_of(role), api(role)
    absent = missing_body(token, "/orgunits/NO-SUCH-UNIT")
    units = list(OrgUnit.objects.values_list("code", flat=True))
    enterprises = sample(Enterprise.objects.filter(is_active=True), "uscc", "org_id")
    projects = sample(Project.objects.filter(is_active=True), "code", "enterprise__org_id")
    requirements = list(Requirement.objects.values_list("code", flat=True))
    checks = [(f"/orgunits/{c}", visible(user, OrgUnit).filter(code=c)) for c in units]
    checks += [(f"/reports/{c}/2023-07", visible(user, OrgUnit).filter(code=c)) for c in units]
    checks += [(f"/quality/{c}/2023-07", visible(user, OrgUnit).filter(code=c)) for c in units[:3]]
    checks += [(f"/bulletins/{c}/2023-07", visible(user, OrgUnit).filter(code=c)) for c in units]
    checks += [(f"/enterprises/{u}", visible(user, Enterprise).filter(uscc=u)) for u in enterprises]
    checks += [(f"/projects/{c}", visible(user, Project).filter(code=c)) for c in projects]
    checks += [(f"/projects/{c}/progress", visible(user, Project).filter(code=c)) for c in projects]
    checks += [(f"/orgunits?org={c}", visible(user, OrgUnit).filter(code=c)) for c in units]
    checks += [(f"/supervision/requirements?org={c}", visible(user, OrgUnit).filter(code=c)) for c in units]
    seen = hidden = 0
    for path, allowed in checks:
        response = token.get(path)
        if allowed.exists():
            assert response.status_code == 200, (role, path, response.content[:200])
            seen += 1
        else:
            assert (response.status_code, response.content) == (404, absent), (role, path)
            hidden += 1
    assert seen + hidden == len(checks)
    if role in ("district", "other_district"):
        assert seen and hidden
    write = api(role, write=True)
    for code in requirements:
        response = write.post_json(f"/supervision/requirements/{code}/responses", {"text": "已整改"})
        if not visible(user, Requirement).filter(code=code).exists():
            assert (response.status_code, response.content) == (404, absent), (role, code)


def test_another_district_sees_nothing_of_nanhu(api):
    from twintrack.programme.models import Project

    pinghu, nanhu = api("other_district"), api("district")
    project = Project.objects.filter(enterprise__org__code="330402", is_active=True).order_by("code").first()
    absent = missing_body(pinghu, "/projects/NO-SUCH-PROJECT")
    for path in ("/orgunits/330402", f"/enterprises/{project.enterprise.uscc}", f"/projects/{project.code}",
                 f"/projects/{project.code}/progress", "/reports/330402/2023-07", "/quality/330402/2023-07",
                 "/bulletins/330402/2023-07", "/bulletins/330402/2023-07/1/pdf", "/projects?org=330402",
                 "/supervision/visits?org=330402", "/reports/330400/2023-07"):
        assert (pinghu.get(path).status_code, pinghu.get(path).content) == (404, absent), path
        if "330400" not in path:
            assert nanhu.get(path).status_code in (200, 404 if path.endswith("/pdf") else 200), path
    assert {row["org"] for row in every_page(pinghu, "/projects")} == {"330482"}


def test_the_bureau_sees_the_whole_city_and_the_district_its_subtree(api):
    bureau, nanhu = every_page(api("bureau"), "/orgunits"), every_page(api("district"), "/orgunits")
    assert len(bureau) == 10 and {u["code"] for u in nanhu} == {"330402"}
    assert next(u for u in bureau if u["code"] == "330402")["parent"] == "330400"


def test_filters(api):
    from twintrack.programme.models import Project

    bureau = api("bureau")
    in_nanhu = every_page(bureau, "/projects?org=330402&kind=green&status=in_progress")
    expected = Project.objects.filter(enterprise__org__code="330402", kind="green", status="in_progress",
                                      is_active=True)
    assert in_nanhu and all(p["org"] == "330402" and p["kind"] == "green" and p["status"] == "in_progress"
                            for p in in_nanhu)
    assert {p["code"] for p in in_nanhu} == set(expected.values_list("code", flat=True))
    started = every_page(bureau, "/projects?month=2023-03")
    assert started and all(p["start_date"].startswith("2023-03") for p in started)
    named = every_page(bureau, "/orgunits?q=南湖")
    assert [u["code"] for u in named] == ["330402"]
    zones = every_page(bureau, "/orgunits?kind=zone")
    assert zones and all(u["kind"] == "zone" for u in zones)
    code = in_nanhu[0]["code"]
    months = every_page(bureau, f"/projects/{code}/progress")
    assert months and all(m["project"] == code for m in months)
    assert [m["month"] for m in every_page(bureau, f"/projects/{code}/progress?month={months[0]['month']}")] == [
        months[0]["month"]]
    requirements = every_page(bureau, "/supervision/requirements?status=verified")
    assert requirements and all(r["status"] == "verified" for r in requirements)
    findings = every_page(bureau, "/supervision/findings?kind=problem&org=330402")
    assert findings and all(f["kind"] == "problem" and f["org"] == "330402" for f in findings)


def test_pages_link_to_each_other(api):
    bureau = api("bureau")
    first = json.loads(bureau.get("/enterprises", {"page_size": 7}).content)
    assert first["count"] == 300 and len(first["results"]) == 7 and first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/enterprises?page_size=7&page=2"
    second = json.loads(bureau.client.get(first["next"], **bureau.headers()).content)
    assert second["previous"] == "http://testserver/api/v1/enterprises?page_size=7&page=1"
    assert not {e["uscc"] for e in first["results"]} & {e["uscc"] for e in second["results"]}
    beyond = json.loads(bureau.get("/enterprises", {"page": 9999}).content)
    assert beyond["results"] == [] and beyond["count"] == 300


@pytest.mark.parametrize("query", ["page_size=1001", "page_size=0", "page=0", "month=2023-13", "kind=robotic",
                                   "status=done", "page=x"])
def test_bad_list_parameters_are_422_problems(api, query):
    response = api("bureau").get(f"/projects?{query}")
    body = json.loads(response.content)
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    assert set(body) >= {"type", "title", "status", "detail", "errors"} and body["status"] == 422
    assert body["errors"] and all(set(e) == {"row", "column", "message"} for e in body["errors"])
