"""Personal access tokens (contract section 6): `twintrack token create/revoke`, hashed at rest,
expiry and revocation, and the account page where a person manages their own."""
import io
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from twintrack.command import InputRejected
from twintrack.orgs.models import AccessToken
from twintrack.orgs.tokens import authenticate, create_token, digest_of, revoke_token


@pytest.fixture
def officer(city):
    from django.contrib.auth import get_user_model

    from twintrack.orgs.models import Membership, OrgUnit

    user = get_user_model().objects.create_user("nanhu", password="x-long-password-1")
    Membership.objects.create(user=user, role="district", org=OrgUnit.objects.get(code="330402"))
    return user


def run(*args) -> str:
    out = io.StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_exactly_the_id_and_the_token_and_keeps_only_its_hash(officer):
    printed = run("create", "nanhu", "--name", "province sync", "--write", "--days", "30")
    lines = printed.splitlines()
    assert len(lines) == 2 and re.fullmatch(r"id: \d+", lines[0]) and lines[1].startswith("token: tt_")
    value = lines[1].removeprefix("token: ")
    token = AccessToken.objects.get(pk=int(lines[0].removeprefix("id: ")))
    assert token.user == officer and token.name == "province sync" and token.can_write
    assert token.digest == digest_of(value) and value not in repr(AccessToken.objects.values().get(pk=token.pk))
    assert token.prefix == value[:11]
    assert timedelta(days=29, hours=23) < token.expires_at - timezone.now() <= timedelta(days=30)
    assert authenticate(value) == token


def test_a_token_is_read_only_and_lasts_90_days_by_default(officer):
    token = AccessToken.objects.get(pk=int(run("create", "nanhu").split()[1]))
    assert not token.can_write
    assert timedelta(days=89, hours=23) < token.expires_at - timezone.now() <= timedelta(days=90)


@pytest.mark.parametrize("args, message", [
    (("create", "nobody"), "user nobody: no such user"),
    (("create", "nanhu", "--days", "0"), "--days 0"),
    (("revoke", "999999"), "token 999999: no such token"),
    (("revoke", "abc"), "token abc: no such token"),
])
def test_bad_arguments_exit_2(officer, args, message):
    with pytest.raises(InputRejected) as refused:
        run(*args)
    assert message in str(refused.value) and refused.value.returncode == 2


def test_revoke_takes_effect_at_once_and_is_recorded(officer):
    token, value = create_token(officer, "sync", actor=officer)
    assert authenticate(value) == token
    assert run("revoke", str(token.pk)).strip() == f"token {token.pk} revoked"
    assert authenticate(value) is None
    assert list(token.history.order_by("history_id").values_list("history_change_reason", "history_user_id")) == [
        ("token created", officer.pk), ("token revoked", None)]


def test_expired_unknown_and_inactive_tokens_do_not_authenticate(officer):
    token, value = create_token(officer, "sync", actor=officer)
    assert authenticate(value + "x") is None and authenticate("") is None and authenticate("Bearer x") is None
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert authenticate(value) is None
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=1))
    officer.is_active = False
    officer.save()
    assert authenticate(value) is None


def test_the_last_used_time_is_kept_without_a_history_row(officer):
    token, value = create_token(officer, "sync", actor=officer)
    authenticate(value)
    token.refresh_from_db()
    assert token.last_used_at is not None and token.history.count() == 1


def test_the_account_page_lists_creates_shows_once_and_revokes_own_tokens(officer, client):
    from django.contrib.auth import get_user_model

    other = get_user_model().objects.create_user("other", password="x-long-password-2")
    others_token, _ = create_token(other, "theirs", actor=other)
    client.force_login(officer)
    created = client.post("/account/tokens/", {"name": "statistics bureau", "days": "7"})
    assert created.status_code == 200
    value = re.search(r"<code>(tt_[A-Za-z0-9_-]+)</code>", created.content.decode()).group(1)
    token = authenticate(value)
    assert token.user == officer and not token.can_write and token.name == "statistics bureau"
    listing = client.get("/account/tokens/").content.decode()
    assert "statistics bureau" in listing and value not in listing and "theirs" not in listing
    assert client.post(f"/account/tokens/{others_token.pk}/revoke/").status_code == 404
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 302
    assert authenticate(value) is None
    others_token.refresh_from_db()
    assert others_token.revoked_at is None


def test_the_account_page_refuses_a_bad_form(officer, client):
    client.force_login(officer)
    refused = client.post("/account/tokens/", {"name": "", "days": "99999"})
    assert refused.status_code == 400 and not AccessToken.objects.exists()


def test_revoking_twice_is_harmless(officer):
    token, _ = create_token(officer, "sync", actor=officer)
    assert revoke_token(token, officer) and not revoke_token(token, officer)
