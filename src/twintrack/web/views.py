"""The pages. Thin: access comes from `twintrack.orgs.access`, figures from `web.dashboard`."""
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.conf import settings
from django.shortcuts import redirect, render
from django.views.i18n import set_language
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from twintrack.display.periods import BadPeriod, period_from_query, period_in_query
from twintrack.metrics.pages import cache_per_session, depends_on
from twintrack.metrics.periods import default_period
from twintrack.orgs.access import get_visible_org_or_404, membership_of, role_of, scope_root
from twintrack.orgs.models import Role
from twintrack.web.accounts import password_changed_by_owner
from twintrack.web.dashboard import dashboard_page
from twintrack.web.roles import home_url
from twintrack.web.workqueue import work_queue


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_url(self.request.user)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Every user changes their own password here; a user whose password someone else chose
    is sent here first (`security.PasswordChangeRequiredMiddleware`)."""

    template_name = "web/password_change.html"

    def get_context_data(self, **kwargs):
        membership = membership_of(self.request.user)
        return super().get_context_data(required=bool(membership and membership.password_change_required),
                                        next=self._next(), **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        password_changed_by_owner(self.request.user)
        messages.success(self.request, _("Your password has been changed."))
        return response

    def get_success_url(self):
        return self._next() or home_url(self.request.user)

    def _next(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={self.request.get_host()},
                                               require_https=self.request.is_secure())
        return target if safe else ""


def message(request: HttpRequest, title: str, text: str, status: int, back_url: str | None = None) -> HttpResponse:
    return render(request, "web/message.html", {"title": title, "text": text, "back_url": back_url}, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    """handler400: a translated page; for a malformed period, which one and what is expected."""
    if not isinstance(exception, BadPeriod):
        return message(request, _("Bad request"), _("The address or the form sent could not be understood."), 400)
    back_url = None
    if "period" in request.GET:
        query = request.GET.copy()
        del query["period"]
        back_url = request.path + ("?" + query.urlencode() if query else "")
    return message(
        request, _("Invalid period"),
        _("“%(value)s” is not a valid period. Choose a month between 2000-01 and 2100-12, "
          "written as YYYY-MM.") % {"value": exception.value[:20]}, 400, back_url=back_url)


@require_GET
@cache_per_session
@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    root = scope_root(request.user)
    if root is None:
        home = home_url(request.user)
        if home != reverse("dashboard"):
            return redirect(home)  # an enterprise user starts at their enterprise
        if role_of(request.user) == Role.PROVIDER:
            return message(request, _("No enterprises assigned yet"),
                           _("Your service-provider account sees the enterprises it is assigned to; none is "
                             "assigned yet."), 403)
        return message(
            request, _("No data available"),
            _("Your account is not attached to an org unit yet. Ask the bureau to assign one."), 403)
    code = request.GET.get("org", "").strip()
    org = get_visible_org_or_404(request.user, code) if code else root
    depends_on(request, [org], period=period_in_query(request))
    year, month = period_from_query(request, lambda: default_period(root))
    approved_only = request.GET.get("approved") == "1"
    page = dashboard_page(request, org, year, month, approved_only)
    return render(request, "web/dashboard.html", {"org": org, "period": page["period"], "report": page["report"],
                                                  "page": page, "queue": work_queue(request.user)})


@require_POST
def language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and the choice kept on the account so that it follows the user."""
    response = set_language(request)
    code = request.POST.get("language", "")
    membership = membership_of(request.user)
    if membership is not None and code in dict(settings.LANGUAGES) and membership.language != code:
        membership.language = code
        membership._change_reason = "language"
        membership.save(update_fields=["language"])
    return response
