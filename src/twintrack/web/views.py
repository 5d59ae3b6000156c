"""The pages. Thin: access comes from `twintrack.orgs.access`, figures from `web.dashboard`."""
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from twintrack.metrics.rules import parse_period
from twintrack.orgs.access import get_visible_org_or_404, scope_root
from twintrack.web.dashboard import dashboard_context, default_period


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True


def message(request: HttpRequest, title: str, text: str, status: int, back_url: str | None = None) -> HttpResponse:
    return render(request, "web/message.html", {"title": title, "text": text, "back_url": back_url}, status=status)


@require_GET
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    root = scope_root(request.user)
    if root is None:
        return message(
            request, _("No data available"),
            _("Your account is not attached to an org unit yet. Ask the bureau to assign one."), 403)
    code = request.GET.get("org", "").strip()
    org = get_visible_org_or_404(request.user, code) if code else root
    period = request.GET.get("period", "").strip()
    if period:
        try:
            year, month = parse_period(period)
        except ValueError:
            return message(
                request, _("Invalid period"),
                _("“%(value)s” is not a valid period. Choose a month between 2000-01 and 2100-12, "
                  "written as YYYY-MM.") % {"value": period[:20]},
                400, back_url=reverse("dashboard") + ("?" + urlencode({"org": org.code}) if code else ""))
    else:
        year, month = default_period(root)
    context = dashboard_context(request.user, org, year, month, get_language())
    return render(request, "web/dashboard.html", context)
