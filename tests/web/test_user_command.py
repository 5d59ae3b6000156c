"""`twintrack user add` (contract section 6): the first bureau account of a fresh install, and
every role tied to its unit, enterprise or provider; bad arguments exit 2."""
import io

import pytest
from django.core.management import call_command

from twintrack.command import InputRejected


def add(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("user", "add", *args, stdout=out)
    return out.getvalue()


def membership(username):
    from twintrack.orgs.models import Membership

    return Membership.objects.select_related("org", "enterprise", "provider").get(user__username=username)


def test_a_city_wide_bureau_account_with_a_one_time_password_that_must_be_changed(city, client):
    printed = add("chen", "--role", "bureau", "--org", "330400")
    password = printed.split("one-time password: ")[1].split()[0]
    assert "account chen created: bureau of 330400" in printed
    assert membership("chen").org.code == "330400" and membership("chen").password_change_required
    signed_in = client.post("/login/", {"username": "chen", "password": password})
    assert signed_in.status_code == 302
    assert client.get("/")["Location"].startswith("/account/password/")


def test_a_password_from_standard_input_is_the_operators_choice_and_not_forced_to_change(city, monkeypatch):
    printed = add("wang", "--role", "district", "--org", "330402", "--password-stdin",
                  stdin="a-long-and-unusual-passphrase\n", monkeypatch=monkeypatch)
    assert "one-time password" not in printed
    account = membership("wang")
    assert account.role == "district" and account.org.code == "330402"
    assert not account.password_change_required
    assert account.user.check_password("a-long-and-unusual-passphrase")


def test_an_enterprise_account_is_tied_to_its_enterprise(enterprise):
    add("ent1", "--role", "enterprise", "--enterprise", enterprise.uscc.lower())
    account = membership("ent1")
    assert account.enterprise == enterprise and account.org is None


def test_a_provider_account_is_tied_to_its_provider(city):
    from twintrack.diagnosis.models import ServiceProvider

    provider = ServiceProvider.objects.create(name_zh="数智服务有限公司", name_en="Shuzhi Services")
    add("sp1", "--role", "provider", "--provider", "Shuzhi Services")
    assert membership("sp1").provider == provider


@pytest.mark.parametrize("args, message", [
    (("x", "--role", "mayor", "--org", "330400"), "--role mayor: unknown role"),
    (("x", "--role", "district"), "--org is required for the role district"),
    (("x", "--role", "bureau"), "--org is required for the role bureau"),
    (("x", "--role", "district", "--org", "999999"), "--org 999999: no org unit has this code"),
    (("x", "--role", "enterprise", "--enterprise", "91330402MA0000000X"), "no enterprise has this code"),
    (("x", "--role", "provider", "--provider", "Nobody"), "no service provider has this name"),
])
def test_bad_arguments_are_refused_with_exit_2_and_create_nothing(city, args, message):
    from django.contrib.auth import get_user_model

    with pytest.raises(InputRejected, match=message) as refused:
        add(*args)
    assert refused.value.returncode == 2
    assert not get_user_model().objects.filter(username="x").exists()


def test_a_taken_name_is_refused(city):
    add("chen", "--role", "bureau", "--org", "330400")
    with pytest.raises(InputRejected, match="user name CHEN is taken"):
        add("CHEN", "--role", "bureau", "--org", "330400")


def test_a_weak_password_from_standard_input_is_refused(city, monkeypatch):
    with pytest.raises(InputRejected, match="--password-stdin: "):
        add("li", "--role", "bureau", "--org", "330400", "--password-stdin", stdin="123\n", monkeypatch=monkeypatch)
