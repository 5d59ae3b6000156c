"""The bureau's pages: target editing and user management."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from twintrack.display.language import active_lang
from twintrack.metrics.rules import METRICS
from twintrack.orgs.access import get_visible_or_404, get_visible_org_or_404, require, visible
from twintrack.orgs.models import Role
from twintrack.programme.models import Target
from twintrack.web import accounts
from twintrack.web.formrows import write_rows


def _plain(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text


# Investment targets are typed and shown in 万元, as bureaus set them; stored in yuan.
IN_TEN_THOUSANDS = {"investment_yuan"}


def _shown(metric: str, value: Decimal) -> str:
    return _plain(value / 10000 if metric in IN_TEN_THOUSANDS else value)


def _stored(metric: str, text: str) -> str:
    """The typed value in the metric's stored unit; text that is not a number goes on unchanged,
    for the targets rules to name what is wrong with it."""
    if metric not in IN_TEN_THOUSANDS:
        return text
    try:
        return _plain(Decimal(text.replace(",", "").replace("，", "")) * 10000)
    except InvalidOperation:
        return text


@require_http_methods(["GET", "POST"])
@login_required
def target_edit(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """A unit's cumulative targets for one year: metrics x months 1..12; 12 is the annual target.
    Saved as a targets import (same rules), only the cells that changed."""
    org = get_visible_org_or_404(request.user, code)
    require(request.user, "change", org)
    existing = {(t.metric, t.through_month): t.value for t in Target.objects.filter(org=org, year=year)}
    values = {f"t-{m.key}-{month}": _shown(m.key, existing[(m.key, month)]) if (m.key, month) in existing else ""
              for m in METRICS for month in range(1, 13)}
    errors: dict[str, list[str]] = {}
    general: list[str] = []
    if request.method == "POST":
        rows, cells = [], []
        for m in METRICS:
            for month in range(1, 13):
                name = f"t-{m.key}-{month}"
                if name not in request.POST:
                    continue  # a cell not sent is left as it is
                text = request.POST[name].strip()
                values[name] = text
                if not text:
                    if (m.key, month) in existing:
                        errors[name] = [_("a target cannot be removed, only changed")]
                    continue
                stored = _stored(m.key, text)
                try:
                    same = (m.key, month) in existing and Decimal(stored.replace(",", "")) == existing[(m.key, month)]
                except InvalidOperation:
                    same = False
                if not same:
                    rows.append({"org_code": org.code, "metric": m.key, "year": str(year), "through_month": str(month),
                                 "value": stored})
                    cells.append(name)
        if not rows and not errors:
            messages.info(request, _("No target was changed."))
            return redirect("orgunit_detail", code=org.code)
        if not errors:
            outcome = write_rows("targets", rows, request.user, reason=f"web targets {org.code} {year}")
            if outcome.ok:
                messages.success(request, _("Targets saved: %(count)d changed.") % {"count": len(rows)})
                return redirect(reverse("orgunit_detail", args=[org.code]) + f"?year={year}")
            for (index, _column), reasons in outcome.errors.items():
                errors.setdefault(cells[index], []).extend(reasons)
            general = outcome.general
    lang = active_lang()
    grid = [{"key": m.key, "label": m.label_en if lang == "en" else m.label_zh,
             "unit": (_("10k yuan") if m.key in IN_TEN_THOUSANDS else m.unit_en if lang == "en" else m.unit_zh),
             "cells": [{"name": f"t-{m.key}-{month}", "month": month, "value": values[f"t-{m.key}-{month}"],
                        "errors": errors.get(f"t-{m.key}-{month}", [])} for month in range(1, 13)]}
            for m in METRICS]
    return render(request, "web/target_edit.html", {
        "org": org, "name": org.display_name(lang), "year": year, "grid": grid, "general": general,
        "has_errors": bool(errors or general), "months": range(1, 13)},
        status=400 if request.method == "POST" else 200)


# --- users ------------------------------------------------------------------------------------------

@require_http_methods(["GET"])
@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", get_user_model())
    User = get_user_model()
    rows = visible(request.user, User).select_related("membership", "membership__org", "membership__enterprise")
    q = (request.GET.get("q") or "").strip()[:100]
    role = request.GET.get("role") or ""
    if q:
        rows = rows.filter(Q(username__icontains=q) | Q(first_name__icontains=q) |
                           Q(membership__org__name_zh__icontains=q) | Q(membership__org__code=q))
    if role in dict(Role.choices):
        rows = rows.filter(membership__role=role)
    return render(request, "web/user_list.html", {
        "accounts": rows.order_by("-is_active", "username")[:500], "q": q, "role": role, "roles": Role.choices})


@require_http_methods(["GET", "POST"])
@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", get_user_model())
    form = accounts.NewAccountForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        account = accounts.create_account(form.cleaned_data, request.user)
        messages.success(request, _("Account %(name)s created.") % {"name": account.username})
        return redirect("user_edit", pk=account.pk)
    return render(request, "web/user_form.html", {"form": form, "creating": True},
                  status=400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
@login_required
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "view", get_user_model())
    account = get_visible_or_404(request.user, get_user_model(), pk=pk)
    require(request.user, "change", account)
    form = accounts.AccountForm(request.POST or None, actor=request.user, account=account,
                                initial=accounts.initial_of(account))
    if request.method == "POST" and form.is_valid():
        accounts.update_account(account, form.cleaned_data, request.user)
        messages.success(request, _("Account %(name)s saved.") % {"name": account.username})
        return redirect("user_edit", pk=account.pk)
    membership = getattr(account, "membership", None) if hasattr(account, "membership") else None
    return render(request, "web/user_form.html", {
        "form": form, "account": account, "membership": membership, "password_form": accounts.PasswordForm()},
        status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, "view", get_user_model())
    account = get_visible_or_404(request.user, get_user_model(), pk=pk)
    require(request.user, "change", account)
    form = accounts.PasswordForm(request.POST, account=account)
    if form.is_valid():
        accounts.set_password(account, form.cleaned_data["password1"], request.user)
        messages.success(request, _("The password of %(name)s was changed.") % {"name": account.username})
        return redirect("user_edit", pk=account.pk)
    membership = getattr(account, "membership", None) if hasattr(account, "membership") else None
    return render(request, "web/user_form.html", {
        "form": accounts.AccountForm(actor=request.user, account=account, initial=accounts.initial_of(account)),
        "account": account, "membership": membership, "password_form": form}, status=400)
