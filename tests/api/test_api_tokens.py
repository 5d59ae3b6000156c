"""Bearer tokens on the API (contract section 6): no, a bad, an expired or a revoked token is
401 at once; a read token's write is 403 before its body is read; sessions and CSRF play no
part; writes are recorded with the token's user and name; each token is rate-limited."""
import json
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from api_support import Api, LOGINS

WRITES = [("/supervision/visits", {"group": "x", "org": "x", "date": "2023-09-13"}),
          ("/supervision/findings", {"visit": "x", "kind": "problem", "text": "x"}),
          ("/supervision/requirements", {"round": "x", "key_task": "x", "text": "x", "due_date": "2023-12-31"}),
          ("/supervision/requirements/2023Q3-R01/responses", {"text": "x"})]


def problem_of(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["status"] == status and body["title"] and body["detail"] and body["type"].startswith("urn:")
    return body


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer tt_not-a-token", "Token abc", "Basic YTpi"])
def test_no_or_a_bad_token_is_401(city, header):
    client = Client()
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    for path in ("/api/v1/orgunits", "/api/v1/reports/330400/2023-07"):
        response = client.get(path, **extra)
        problem_of(response, 401)
        assert response["WWW-Authenticate"] == "Bearer"
    problem_of(client.post("/api/v1/supervision/visits", {}, content_type="application/json", **extra), 401)


def test_expired_and_revoked_tokens_are_401_at_once(api):
    from twintrack.orgs.models import AccessToken
    from twintrack.orgs.tokens import revoke_token

    expiring, revoked = api("district"), api("district", write=True)
    assert expiring.get("/orgunits").status_code == 200 and revoked.get("/orgunits").status_code == 200
    token = AccessToken.objects.get(prefix=expiring.value[:11])
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    problem_of(expiring.get("/orgunits"), 401)
    revoke_token(AccessToken.objects.get(prefix=revoked.value[:11]), None)
    problem_of(revoked.get("/orgunits"), 401)
    problem_of(revoked.post_json(*WRITES[0]), 401)


def test_a_deactivated_users_token_is_401(api):
    district = api("district")
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(username=LOGINS["district"]).update(is_active=False)
    problem_of(district.get("/orgunits"), 401)


@pytest.mark.parametrize("path, body", WRITES)
def test_a_read_token_may_not_write_whatever_it_sends(api, path, body):
    for role in ("bureau", "supervisor", "district"):
        reader = api(role)
        problem_of(reader.post_json(path, body), 403)
        problem_of(reader.post_json(path, {}), 403)  # before the body is even validated
    reader = api("bureau")
    problem_of(reader.post("/imports/progress", {}), 403)


def test_a_session_is_not_accepted_and_csrf_does_not_apply_to_tokens(api):
    from django.contrib.auth import get_user_model

    session = Client(enforce_csrf_checks=True)
    session.force_login(get_user_model().objects.get(username="bureau"))
    problem_of(session.get("/api/v1/orgunits"), 401)
    writer = api("supervisor", write=True)
    writer.client = Client(enforce_csrf_checks=True)
    response = writer.post_json("/supervision/findings", {"visit": "2023Q3-V01", "kind": "plan", "text": "下一步"})
    assert response.status_code == 201, response.content


def test_an_api_write_is_recorded_with_the_tokens_user_and_name(api):
    from twintrack.supervision.models import Finding

    writer = api("supervisor", write=True)
    response = writer.post_json("/supervision/findings", {"visit": "2023Q3-V01", "kind": "plan",
                                                           "text": "年底前完成诊断"})
    code = json.loads(response.content)["code"]
    record = Finding.objects.get(code=code).history.get()
    assert record.history_user.username == "duchazu1"
    assert record.history_change_reason.startswith("finding recorded (API token ")
    assert record.history_change_reason.endswith("supervisor test)")


def test_the_rate_limit_answers_429_with_retry_after(api, settings, one_rate_window):
    settings.TWINTRACK_API_RATE = 3
    first, second = api("district"), api("bureau")
    assert [first.get("/orgunits/330402").status_code for _ in range(3)] == [200, 200, 200]
    refused = first.get("/orgunits/330402")
    problem_of(refused, 429)
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert second.get("/orgunits/330402").status_code == 200  # per token


def test_the_docs_and_the_openapi_document_are_served(city):
    client = Client()
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    assert schema["openapi"].startswith("3.")
    paths = set(schema["paths"])
    assert {"/api/v1/orgunits", "/api/v1/orgunits/{code}", "/api/v1/enterprises", "/api/v1/enterprises/{uscc}",
            "/api/v1/projects", "/api/v1/projects/{code}", "/api/v1/projects/{code}/progress",
            "/api/v1/reports/{org}/{period}", "/api/v1/quality/{org}/{period}", "/api/v1/imports/{kind}",
            "/api/v1/bulletins/{org}/{period}", "/api/v1/bulletins/{org}/{period}/{version}/{fmt}",
            "/api/v1/supervision/visits", "/api/v1/supervision/findings", "/api/v1/supervision/requirements",
            "/api/v1/supervision/requirements/{code}/responses",
            # extensions for offline clients (issue 18): uploads and what a field client downloads
            "/api/v1/supervision/findings/{code}/attachments", "/api/v1/supervision/requirements/{code}/evidence",
            "/api/v1/supervision/groups", "/api/v1/supervision/groups/{code}/coverage",
            "/api/v1/supervision/key-tasks"} == paths
    assert all(not path.endswith("/") for path in paths)
    docs = client.get("/api/v1/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    assert client.get("/api/v1/orgunits/").status_code == 404  # no trailing slash, no redirect either


def test_a_token_is_its_users_scope_even_when_made_by_the_cli(city):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("token", "create", "pinghu", "--write", stdout=out)
    token = Api(out.getvalue().split("token: ")[1].strip())
    assert {u["code"] for u in json.loads(token.get("/orgunits").content)["results"]} == {"330482"}
