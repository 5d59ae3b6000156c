"""Every account changes its own password; a password someone else chose (a new account or a
reset by the bureau or the command line) must be changed before anything else."""
import pytest
from django.urls import reverse

from twintrack.orgs.models import Membership
from twintrack.web.accounts import set_password

NEW = "a-new-and-long-password-42"


def required(user) -> bool:
    return Membership.objects.get(user=user).password_change_required


@pytest.fixture
def users(bureau_user, nanhu_user):
    return {"bureau": bureau_user, "district": nanhu_user}


@pytest.fixture
def district_client(client, users):
    client.force_login(users["district"])
    return client


def test_a_user_changes_their_own_password(district_client, users, password):
    response = district_client.post(reverse("password_change"), {
        "old_password": "x" * 3, "new_password1": NEW, "new_password2": NEW}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "旧密码不正确" in response.content.decode()  # Django's own catalogue, in the user's language
    response = district_client.post(reverse("password_change"), {
        "old_password": password, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    users["district"].refresh_from_db()
    assert users["district"].check_password(NEW)
    assert district_client.get(reverse("dashboard")).status_code == 200  # still signed in


def test_a_reset_by_the_bureau_must_be_changed_first(district_client, users):
    set_password(users["district"], "chosen-by-the-bureau-77", users["bureau"])
    assert required(users["district"])
    district_client.force_login(users["district"])  # the reset signed the old sessions out
    response = district_client.get(reverse("project_list") + "?q=x")
    assert response.status_code == 302
    assert response["Location"] == reverse("password_change") + "?next=%2Fprojects%2F%3Fq%3Dx"
    page = district_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "请设置您自己的密码" in page
    # a write is refused too, not just the pages
    assert district_client.post(reverse("language"), {"language": "en", "next": "/"}).status_code == 302
    response = district_client.post(reverse("password_change"), {
        "old_password": "chosen-by-the-bureau-77", "new_password1": NEW, "new_password2": NEW,
        "next": "/projects/?q=x"})
    assert response["Location"] == "/projects/?q=x"
    assert not required(users["district"])
    assert district_client.get(reverse("project_list")).status_code == 200
    latest = Membership.history.filter(user=users["district"]).latest("history_date")
    assert latest.history_change_reason == "password changed by its owner"
    assert latest.history_user == users["district"]


def test_the_next_address_stays_on_this_site(district_client, users, password):
    response = district_client.post(reverse("password_change"), {
        "old_password": password, "new_password1": NEW, "new_password2": NEW, "next": "https://evil.example/"})
    assert response["Location"] != "https://evil.example/"


def test_an_account_the_bureau_creates_starts_with_a_required_change(client, users):
    from twintrack.web.accounts import create_account

    account = create_account({"username": "newofficer", "password1": NEW, "role": "district",
                              "org": users["district"].membership.org}, users["bureau"])
    assert required(account)


def test_changing_your_own_password_as_the_bureau_requires_nothing_more(users):
    set_password(users["bureau"], NEW, users["bureau"])
    assert not required(users["bureau"])
