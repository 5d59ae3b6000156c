"""The web answers a database that stayed locked with a translated 503 page, not a 500."""
import pytest
from django.db import OperationalError
from django.test import Client, override_settings
from django.urls import path

import twintrack.urls


def locked(request):
    raise OperationalError("database is locked")


def broken(request):
    raise ZeroDivisionError


urlpatterns = twintrack.urls.urlpatterns + [path("locked/", locked), path("broken/", broken)]
handler500 = twintrack.urls.handler500


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize("language, text", [("en", "Database busy"), ("zh-hans", "数据库正忙")])
def test_a_locked_database_answers_503_in_the_users_language(language, text):
    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE=language)
    response = client.get("/locked/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert text in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_any_other_fault_is_still_a_500():
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500


def test_the_site_uses_the_busy_handler():
    assert twintrack.urls.handler500 == "twintrack.operations.views.server_error"
