"""The account page's API tokens: a person lists, creates and revokes their own tokens
(data contract section 6). A token's value is shown once, on the page that created it."""
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from twintrack.orgs.access import get_visible_or_404, may, require
from twintrack.orgs.models import AccessToken
from twintrack.orgs.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, is_live, revoke_token, tokens_of


class TokenForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("What the token is for"), max_length=100)
    write = forms.BooleanField(label=gettext_lazy("May write (imports, supervision records)"), required=False)
    days = forms.IntegerField(label=gettext_lazy("Days until it expires"), min_value=1, max_value=MAX_DAYS,
                              initial=DEFAULT_DAYS)


def _page(request: HttpRequest, form: TokenForm, new_value: str = "", status: int = 200) -> HttpResponse:
    rows = [{"token": token, "live": is_live(token)} for token in tokens_of(request.user)]
    return render(request, "web/tokens.html", {
        "form": form, "rows": rows, "new_value": new_value, "may_create": may(request.user, "create", AccessToken),
    }, status=status)


@require_http_methods(["GET", "POST"])
@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return _page(request, TokenForm())
    require(request.user, "create", AccessToken)
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    _token, value = create_token(request.user, data["name"], write=data["write"], days=data["days"],
                                 actor=request.user)
    return _page(request, TokenForm(), new_value=value)


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_visible_or_404(request.user, AccessToken, pk=pk)
    require(request.user, "change", token)
    revoke_token(token, actor=request.user)
    messages.success(request, _("The token %(name)s is revoked.") % {"name": token.name})
    return redirect("tokens")
