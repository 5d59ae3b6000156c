"""Middleware for a platform on a government network.

- SecurityHeadersMiddleware: a content-security policy (no inline scripts or styles
  anywhere: every page keeps its JS and CSS in static files) and a permissions policy.
- UploadLimitMiddleware: a request body over the upload limit is refused with 413 and a
  clear message before anything reads it (CSRF checking would otherwise spool it).
- SessionIdleMiddleware: a session's idle hour restarts on activity, written at most once
  a minute (web.sessions).
- UserLanguageMiddleware: the language a user chose is kept on their account, so it
  follows them to another browser; the cookie carries it before login.
- PasswordChangeRequiredMiddleware: a password someone else chose is changed first.
"""
from __future__ import annotations

from django.conf import settings
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode

from twintrack.orgs.access import membership_of
from twintrack.web.sessions import restart_if_due

PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.TWINTRACK_CSP)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            response.headers.setdefault("Cache-Control", "no-store")  # nothing of a user's data in shared caches
        return response


class SessionIdleMiddleware:
    """Restart an existing session's idle clock (web.sessions), at most once per
    TWINTRACK_SESSION_TOUCH_SECONDS (Django's SESSION_SAVE_EVERY_REQUEST writes on every view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and session.session_key and not session.modified:  # a saved one restarts
            restart_if_due(request, session.session_key, getattr(session, "loaded_expiry", None))
        return response


def max_upload_megabytes() -> int:
    return settings.TWINTRACK_MAX_UPLOAD_BYTES // (1024 * 1024)


UPLOAD_MARGIN = 64 * 1024  # room for a form's other fields beside the file


def body_too_large(request) -> bool:
    """True for a request whose declared body is over the upload limit (plus the margin)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return length > settings.TWINTRACK_MAX_UPLOAD_BYTES + UPLOAD_MARGIN


class UploadLimitMiddleware:
    """413 for a body larger than the upload limit (plus room for the form's other fields)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if body_too_large(request):
            # No "Connection: close" here: it is a hop-by-hop header, which WSGI servers set
            # themselves (the development server refuses it from an application with a 500).
            return render(request, "web/too_large.html", {"limit": max_upload_megabytes()}, status=413)
        return self.get_response(request)


def stored_language(user) -> str | None:
    from twintrack.orgs.access import membership_of

    membership = membership_of(user)
    language = getattr(membership, "language", "") if membership is not None else ""
    return language if language in dict(settings.LANGUAGES) else None


class UserLanguageMiddleware:
    """After authentication: a logged-in user's stored language wins over the cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        language = stored_language(user) if user is not None and user.is_authenticated else None
        if language and language != translation.get_language():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if language and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != language:
            response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                                path=settings.LANGUAGE_COOKIE_PATH, secure=settings.LANGUAGE_COOKIE_SECURE,
                                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response


def client_address(request) -> str | None:
    """The client's address behind TWINTRACK_PROXY_COUNT trusted reverse proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For, so with N
    proxies the client is the N-th entry from the right; entries further left are whatever the
    client sent and are never trusted. Without proxies, or when the header is shorter than N or
    not an address, REMOTE_ADDR. (The same rule as Werkzeug's ProxyFix x_for=N; django-ipware's
    proxy_count counts differently and falls back to a shared address when a client adds its own
    entries, which would let one client lock an account for everybody.)
    """
    import ipaddress

    proxies = settings.TWINTRACK_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    entries = [e.strip() for e in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if e.strip()]
    if len(entries) < proxies:
        return remote
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return remote


def lockout_response(request, original_response=None, credentials=None):
    """django-axes: the page shown after too many failed logins (429), in the user's language."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "web/locked_out.html", {"cooloff_minutes": minutes}, status=429)


class PasswordChangeRequiredMiddleware:
    """A user whose password someone else chose (a new account, a reset) goes to the password
    page before anything else; logging out and switching the language still work. Runs after
    authentication. The demo's logins are exempt: the demo is for exploring on one's own machine."""

    EXEMPT = ("password_change", "logout", "language", "login")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._must_change(request):
            target = reverse("password_change")
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        return self.get_response(request)

    def _must_change(self, request) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(settings.STATIC_URL):
            return False
        membership = membership_of(user)
        if membership is None or not membership.password_change_required:
            return False
        try:
            return resolve(request.path_info).url_name not in self.EXEMPT
        except Resolver404:
            return False
