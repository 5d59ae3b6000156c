"""API answers kept by the page cache (web.pagecache): the credential is the bearer token, so a
cached answer is given only to the token it was made for, while that token is live, within its
rate, and while the data versions of what it shows are unchanged."""
import json
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

REPORT = "/reports/330402/2023-07"


@pytest.fixture(autouse=True)
def known_views(api):
    """A worker stores a view's answers once it has seen the view opt in (any token's answer)."""
    bureau = api("bureau")
    bureau.get("/reports/330400/2023-01")
    bureau.get("/quality/330400/2023-01")


def hit(response) -> bool:
    return response.get("X-Page-Cache") == "hit"


def test_the_second_ask_is_answered_from_the_cache_with_the_same_bytes(api):
    bureau = api("bureau")
    first, second = bureau.get(REPORT), bureau.get(REPORT)
    assert first.status_code == second.status_code == 200
    assert not hit(first) and hit(second) and second.content == first.content
    quality = [bureau.get("/quality/330402/2023-07") for _ in range(2)]
    assert [hit(r) for r in quality] == [False, True] and quality[0].content == quality[1].content


def test_a_write_under_the_unit_gives_a_fresh_answer_and_one_elsewhere_does_not(api):
    from twintrack.programme.models import Progress
    from twintrack.programme.services import ProgressValues, save_progress

    bureau = api("bureau")
    before = json.loads(bureau.get(REPORT).content)
    pinghu = bureau.get("/reports/330482/2023-07")
    row = Progress.objects.filter(year=2023, month=7, project__enterprise__org__code="330402").first()
    save_progress([ProgressValues(row.project_id, row.project.enterprise.org_id, 2023, 7,
                                  row.investment_yuan + 1_000_000, row.energy_saved_tce, row.note)])
    after = bureau.get(REPORT)
    assert not hit(after) and json.loads(after.content) != before
    again = bureau.get("/reports/330482/2023-07")
    assert hit(again) and again.content == pinghu.content


def test_a_revoked_or_expired_token_or_an_inactive_user_is_refused_though_its_answer_was_cached(api):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import AccessToken
    from twintrack.orgs.tokens import digest_of, revoke_token

    for how in ("revoked", "expired", "inactive"):
        bureau = api("bureau")
        assert bureau.get(REPORT).status_code == 200 and hit(bureau.get(REPORT))
        token = AccessToken.objects.get(digest=digest_of(bureau.value))
        if how == "revoked":
            revoke_token(token)
        elif how == "expired":
            AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
        else:
            get_user_model().objects.filter(pk=token.user_id).update(is_active=False)
        refused = bureau.get(REPORT)
        assert refused.status_code == 401 and not hit(refused), how
        get_user_model().objects.filter(pk=token.user_id).update(is_active=True)


def test_another_token_never_gets_the_cached_answer(api):
    api("bureau").get(REPORT)
    api("bureau").get(REPORT)
    other = api("other_district")  # Pinghu's officer: Nanhu does not exist for them
    refused = other.get(REPORT)
    assert refused.status_code == 404 and not hit(refused)
    assert b"330402" not in refused.content or b"no such" in refused.content


def test_answers_from_the_cache_count_against_the_tokens_rate(api, one_rate_window):
    bureau = api("bureau")
    with override_settings(TWINTRACK_API_RATE=3):
        statuses = [(bureau.get(REPORT).status_code, ) for _ in range(5)]
    assert [s for (s,) in statuses] == [200, 200, 200, 429, 429]


def test_a_hit_notes_the_tokens_last_use_when_a_minute_has_passed(api):
    from twintrack.orgs.models import AccessToken
    from twintrack.orgs.tokens import digest_of

    bureau = api("bureau")
    bureau.get(REPORT)
    long_ago = timezone.now() - timedelta(minutes=5)
    AccessToken.objects.filter(digest=digest_of(bureau.value)).update(last_used_at=long_ago)
    assert hit(bureau.get(REPORT))
    assert AccessToken.objects.get(digest=digest_of(bureau.value)).last_used_at > long_ago


def test_a_session_never_opens_the_apis_cached_answers(api, client):
    """The API's credential is the token alone: a logged-in browser without one is refused."""
    from django.contrib.auth import get_user_model

    bureau = api("bureau")
    assert bureau.get(REPORT).status_code == 200 and hit(bureau.get(REPORT))
    client.force_login(get_user_model().objects.get(username="bureau"))
    answers = [client.get("/api/v1" + REPORT) for _ in range(2)]
    assert [r.status_code for r in answers] == [401, 401] and not any(hit(r) for r in answers)
