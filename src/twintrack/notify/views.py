"""The inbox, a person's channels, and the bureau's robots and failed deliveries. Thin: the
rules are in services.py and sending.py."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from twintrack.notify.forms import NoticeSettingsForm, RobotForm
from twintrack.notify.kinds import KINDS, render_title
from twintrack.notify.models import Delivery, DeliveryStatus, Digest, Notice, NoticeSettings, Preference, Robot
from twintrack.notify.services import mark_read
from twintrack.orgs.access import is_bureau, visible_orgs

PAGE_SIZE = 50


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.filter(recipient=request.user).select_related("org")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"notice": n, "title": render_title(n.kind, n.params)} for n in page]
    return render(request, "notify/inbox.html", {"page": page, "rows": rows})


@login_required
def open_notice(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a notice read and go to what it is about (the object's own page checks access)."""
    notice = get_object_or_404(Notice, pk=pk, recipient=request.user)
    mark_read(request.user, [notice.pk])
    safe = notice.url and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None)
    return redirect(notice.url if safe else "notify:inbox")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    count = mark_read(request.user)
    messages.success(request, _("%(count)d notices marked read.") % {"count": count})
    return redirect("notify:inbox")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    saved = {p.kind: p for p in Preference.objects.filter(user=user)}
    digest = Digest.objects.filter(user=user).first() or Digest(user=user)
    if request.method == "POST":
        with transaction.atomic():
            for key in KINDS:
                preference = saved.get(key) or Preference(user=user, kind=key)
                preference.email = f"email:{key}" in request.POST
                preference.messenger = f"messenger:{key}" in request.POST
                preference.save()
            digest.daily = "digest" in request.POST
            digest.save()
        messages.success(request, _("Your notice settings are saved."))
        return redirect("notify:preferences")
    rows = [{"key": key, "label": kind.label, "email": saved[key].email if key in saved else True,
             "messenger": saved[key].messenger if key in saved else True} for key, kind in KINDS.items()]
    return render(request, "notify/preferences.html", {"rows": rows, "digest": digest, "has_email": bool(user.email)})


def _require_bureau(request) -> None:
    if not is_bureau(request.user):
        raise PermissionDenied


def _robots_in_scope(user):
    return Robot.objects.filter(org__in=visible_orgs(user)).select_related("org")


@login_required
@require_http_methods(["GET", "POST"])
def channels(request: HttpRequest) -> HttpResponse:
    """The bureau's page: messenger robots per unit, the reminder settings, failed deliveries."""
    _require_bureau(request)
    orgs = visible_orgs(request.user)
    settings_row = NoticeSettings.objects.order_by("id").first() or NoticeSettings()
    robot_form = RobotForm(orgs=orgs)
    settings_form = NoticeSettingsForm(instance=settings_row)
    if request.method == "POST":
        if request.POST.get("form") == "settings":
            settings_form = NoticeSettingsForm(request.POST, instance=settings_row)
            if settings_form.is_valid():
                settings_form.save()
                messages.success(request, _("The reminder settings are saved."))
                return redirect("notify:channels")
        else:
            robot_form = RobotForm(request.POST, orgs=orgs)
            if robot_form.is_valid():
                robot_form.save()
                messages.success(request, _("The robot is added."))
                return redirect("notify:channels")
    failed = (Delivery.objects.filter(status=DeliveryStatus.FAILED)
              .filter(Q(notice__org__in=orgs) | Q(robot__org__in=orgs) | Q(notice__isnull=True, robot__isnull=True))
              .select_related("robot", "recipient").order_by("-created_at")[:100])
    return render(request, "notify/channels.html", {
        "robots": _robots_in_scope(request.user), "robot_form": robot_form, "settings_form": settings_form,
        "failed": failed})


@login_required
@require_POST
def robot_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    _require_bureau(request)
    robot = get_object_or_404(_robots_in_scope(request.user), pk=pk)
    robot.active = not robot.active
    robot.save()
    return redirect("notify:channels")


@login_required
@require_POST
def delivery_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Send a failed delivery again (after the channel is fixed)."""
    _require_bureau(request)
    orgs = visible_orgs(request.user)
    delivery = Delivery.objects.filter(Q(notice__org__in=orgs) | Q(robot__org__in=orgs), pk=pk,
                                       status=DeliveryStatus.FAILED).first()
    if delivery is None:
        raise Http404("no such failed delivery")
    Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
        status=DeliveryStatus.PENDING, attempts=0, next_try_at=timezone.now())
    messages.success(request, _("The delivery will be sent again."))
    return redirect("notify:channels")
