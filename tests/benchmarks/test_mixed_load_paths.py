"""The mixed load test's requests (benchmarks/mixed_load.py) are pages its users may open:
every (user, path) of a plan answers 200 in the test client, on a small generated city."""
import re
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))
import generate  # noqa: E402
import mixed_load  # noqa: E402

SMALL_CITY = generate.Scale("city", "city", 20, 3)  # 60 projects, ~650 progress rows
LUA_LINE = re.compile(r"^([^\t]+)\t([^:]+): ([^\t]*)\t(.+)$")  # the pattern of mixed_load.lua's init()


@pytest.fixture
def loaded(tmp_path, settings, db):
    from twintrack.enterprises.services import load_industry_codes
    from twintrack.web.import_kinds import import_file

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    generate.generate(SMALL_CITY, tmp_path, seed=3)
    load_industry_codes()
    for kind, name in (("orgunits", "orgunits"), ("enterprises", "enterprises"), ("projects", "projects"),
                       ("progress", "progress-base"), ("progress", "progress-last")):
        import_file(kind, tmp_path / f"{name}.csv")


def test_every_planned_request_answers_200_for_its_user(loaded, client):
    from django.contrib.auth import get_user_model

    users = mixed_load.ensure_accounts(mixed_load.wanted_accounts(min_users=10))
    mixed_load.attach_scopes(users)
    mixed_load.issue_tokens(users)
    for user in users:
        user.cookie = "sessionid=test"
    entries = mixed_load.plan(users, mixed_load.shown_periods(), per_user=4, seed=5)

    assert {role for _, role, _ in mixed_load.wanted_accounts(10)} == {"bureau", "district", "supervisor"}
    assert {kind for kind, _, _ in entries} == set(mixed_load.WEIGHTS)
    assert all(LUA_LINE.match(line) for line in mixed_load.request_lines(entries))
    accounts = get_user_model().objects.in_bulk([u.username for u in users], field_name="username")
    failures = []
    for kind, user, path in entries:
        if kind == "api_report":
            client.logout()
            response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {user.token}")
        else:
            client.force_login(accounts[user.username])
            response = client.get(path)
        if response.status_code != 200:
            failures.append((user.username, path, response.status_code))
    assert failures == []


def test_import_file_changes_every_value_from_one_import_to_the_next():
    job = mixed_load.ImportJob("330402", "token", ["P1", "P2", "P3"], "2023-12")
    first, second = (mixed_load.progress_csv(job, salt).decode().splitlines()[1:] for salt in (10, 11))

    assert [row.split(",")[0] for row in first] == ["P1", "P2", "P3"]
    assert all(a.split(",")[2:4] != b.split(",")[2:4] for a, b in zip(first, second))
