"""The demo city, loaded once per module (in a transaction rolled back at the module's end),
and API tokens for its logins: each test makes its own inside its savepoint."""
import io

import pytest
from api_support import LOGINS, Api
from django.core.management import call_command
from django.db import transaction


@pytest.fixture(scope="module")
def demo_city(django_db_setup, django_db_blocker):
    from twintrack.enterprises.services import load_industry_codes
    from twintrack.orgs.models import OrgUnit

    with django_db_blocker.unblock():
        with transaction.atomic():
            load_industry_codes()
            call_command("demo", stdout=io.StringIO())
            yield OrgUnit.objects.get(code="330400")
            transaction.set_rollback(True)


@pytest.fixture
def city(demo_city, db):
    return demo_city


@pytest.fixture
def api(city):
    """api(role, write=False) -> an Api with a fresh token of that role's demo login."""
    from django.contrib.auth import get_user_model

    from twintrack.orgs.tokens import create_token

    def make(role: str, write: bool = False, days: int = 90) -> Api:
        user = get_user_model().objects.get(username=LOGINS[role])
        return Api(create_token(user, f"{role} test", write=write, days=days, actor=user)[1])

    return make


@pytest.fixture
def one_rate_window():
    """The API's rate is counted per minute (orgs.tokens.within_rate): a test of it starts in a
    fresh window when fewer than 15 s of the current one are left, so its requests share one."""
    import time

    from twintrack.orgs.tokens import rate_wait

    if rate_wait() < 15:
        time.sleep(rate_wait())
