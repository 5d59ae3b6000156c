"""The field app (issue 18): an installable page that records visits, findings with photos,
requirements and responses offline and sends them through the HTTP API when a network returns.

The page itself is behind the normal login; the data goes through the API with a write token
this device asks for once (`device_token`, a session POST with CSRF), which acts with exactly
its user's scope and is revoked on the account page like any other token. The service worker
and the manifest carry no data and are public (browsers fetch a manifest without cookies)."""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twintrack.field.strings import strings
from twintrack.orgs import tokens
from twintrack.orgs.access import membership_of

TOKEN_DAYS = 30
# The page may ask for the position (only when the person ticks "keep the location").
PERMISSIONS = "camera=(), microphone=(), geolocation=(self), payment=(), usb=(), interest-cohort=()"


@require_GET
@login_required
def app(request):
    membership = membership_of(request.user)
    context = {
        "strings": strings(),
        "setup": {"role": membership.role if membership else "", "user": request.user.get_username(),
                  "lang": "en" if (get_language() or "").startswith("en") else "zh",
                  "api": "/api/v1", "token_url": reverse("field:device_token"),
                  "service_worker": reverse("field:service_worker")},
    }
    response = render(request, "field/app.html", context)
    response["Permissions-Policy"] = PERMISSIONS
    return response  # no-store, as every page of a user; the service worker keeps its own copy


@require_POST
@login_required
def device_token(request):
    """A write token for this device, 30 days, named after the day (the user's own scope)."""
    name = _("Field app %(date)s") % {"date": timezone.localdate().isoformat()}
    token, value = tokens.create_token(request.user, name, write=True, days=TOKEN_DAYS, actor=request.user)
    return JsonResponse({"id": token.pk, "name": token.name, "token": value,
                         "expires_at": token.expires_at.isoformat()})


SHELL = ("field/app.js", "field/app.css", "field/icon-192.png", "field/icon-512.png")


@lru_cache(maxsize=1)
def shell_version() -> str:
    """A digest of the shell's files: a new script or icon is a new worker, which replaces the
    stored copies (the files' URLs carry no hash of their own)."""
    digest = hashlib.sha256()
    for name in SHELL:
        with open(finders.find(name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    shell = [reverse("field:app"), reverse("field:manifest")] + [static(name) for name in SHELL]
    body = render(request, "field/sw.js", {"shell": json.dumps(shell), "version": shell_version()}).content
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    body = {
        "name": _("Field visits · Digital and green transformation tracker"),
        "short_name": _("Field visits"),
        "start_url": reverse("field:app"),
        "scope": reverse("field:app"),
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1f5f8b",
        "icons": [{"src": static("field/icon-192.png"), "sizes": "192x192", "type": "image/png"},
                  {"src": static("field/icon-512.png"), "sizes": "512x512", "type": "image/png",
                   "purpose": "any maskable"}],
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/manifest+json")
