"""Safe on a government network: headers and a content-security policy, no inline code,
login throttling, CSRF, session expiry, strong hashing, the language a user chose."""
import re

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.filterwarnings("ignore:No directory at:UserWarning")


def test_every_response_carries_the_security_headers(client, world):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    client.force_login(world.users["bureau"])
    assert "no-store" in client.get(reverse("dashboard"))["Cache-Control"]


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle=|\son[a-z]+=", re.I)


def test_no_page_has_inline_scripts_styles_or_handlers(client, world):
    """The policy forbids them; every page keeps its code in static files (JSON data excepted)."""
    client.force_login(world.users["bureau"])
    urls = [reverse("dashboard") + "?period=2023-07", reverse("orgunit_list"), reverse("orgunit_detail", args=["330402"]),
            reverse("target_edit", args=["330402", 2023]), reverse("enterprise_list"),
            reverse("enterprise_detail", args=[world.enterprise.pk]), reverse("project_list"),
            reverse("project_detail", args=[world.project.pk]), reverse("history", args=["project", world.project.pk]),
            reverse("monthly"), reverse("approvals"), reverse("user_list"), reverse("user_create"),
            reverse("user_edit", args=[world.users["district"].pk])]
    for url in urls:
        page = client.get(url).content.decode()
        assert not INLINE_SCRIPT.search(page), url
        assert not INLINE_STYLE.search(page), url


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_repeated_wrong_passwords_lock_the_account_for_that_address(world, password):
    client = Client()
    for _ in range(4):
        assert log_in(client, "nanhu", "wrong-password").status_code == 200  # the form again, with the error
    assert log_in(client, "nanhu", "wrong-password").status_code == 429  # the fifth failure locks
    locked = log_in(client, "nanhu", password)  # and then even the right password is refused
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    assert log_in(Client(REMOTE_ADDR="10.0.0.9"), "nanhu", password).status_code == 302  # another address


def test_a_good_password_logs_in_and_resets_the_count(world, password):
    client = Client()
    for _ in range(3):
        log_in(client, "nanhu", "wrong-password")
    response = log_in(client, "nanhu", password)
    assert response.status_code == 302 and response["Location"] == reverse("dashboard")


def test_a_post_without_the_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["district"])
    response = client.post(reverse("approval_submit", args=["330402", "2023-07"]))
    assert response.status_code == 403


def test_sessions_expire_and_cookies_are_guarded():
    from twintrack import settings

    assert settings.SESSION_COOKIE_AGE <= 8 * 3600  # an idle hour by default; test_pagecache checks the clock
    assert "twintrack.web.security.SessionIdleMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE and settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY and settings.SESSION_COOKIE_SAMESITE == "Lax"
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_uploads_are_parsed_with_defused_xml():
    from openpyxl.xml import DEFUSEDXML

    assert DEFUSEDXML


def test_the_chosen_language_sticks_to_the_account(world):
    client = Client()
    client.force_login(world.users["district"])
    assert client.post(reverse("language"), {"language": "en", "next": "/"}).status_code == 302
    world.users["district"].membership.refresh_from_db()
    assert world.users["district"].membership.language == "en"
    elsewhere = Client()  # another browser, no language cookie
    elsewhere.force_login(world.users["district"])
    page = elsewhere.get(reverse("monthly")).content.decode()
    assert '<html lang="en">' in page and "Monthly submission" in page


def test_error_messages_follow_the_language(world):
    client = Client()
    client.force_login(world.users["district"])
    client.post(reverse("language"), {"language": "en", "next": "/"})
    response = client.post(reverse("progress_save", args=[world.project.pk]), {"month": "2023-13", "investment_yuan": "1"})
    assert "month must be 01-12" in response.content.decode()
