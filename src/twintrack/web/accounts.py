"""User management by the bureau: accounts with a role tied to a unit or an enterprise.

Accounts are never deleted: they are deactivated. Every change is a history row of the
account's Membership with who did it and why (the password itself is never recorded).
"""
from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import UsernameField
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from twintrack.enterprises.models import Enterprise
from twintrack.orgs.access import changes_own_access, may_grant, visible, visible_orgs
from twintrack.orgs.models import Membership, Role

NEEDS_UNIT = (Role.DISTRICT, Role.SUPERVISOR)


class AccountForm(forms.Form):
    username = UsernameField(label=gettext_lazy("User name"), max_length=150)
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=Role.choices)
    org = forms.CharField(label=gettext_lazy("Org unit code"), max_length=32, required=False)
    enterprise = forms.CharField(label=gettext_lazy("Enterprise (unified social credit code)"), max_length=18,
                                 required=False)
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False, initial=True)

    def __init__(self, *args, actor=None, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor, self.account = actor, account
        self.fields["org"].widget = forms.Select(choices=[("", "—")] + [
            (o.code, f"{'　' * o.depth}{o.name_zh} ({o.code})") for o in visible_orgs(actor).order_by("path")])

    def clean_username(self):
        name = self.cleaned_data["username"]
        others = get_user_model().objects.filter(username__iexact=name)
        if self.account is not None:
            others = others.exclude(pk=self.account.pk)
        if others.exists():
            raise forms.ValidationError(_("This user name is taken."))
        return name

    def clean_org(self):
        code = self.cleaned_data["org"].strip()
        if not code:
            return None
        org = visible_orgs(self.actor).filter(code=code).first()
        if org is None:
            raise forms.ValidationError(_("No org unit has this code."))
        return org

    def clean_enterprise(self):
        uscc = self.cleaned_data["enterprise"].strip().upper()
        if not uscc:
            return None
        enterprise = visible(self.actor, Enterprise).filter(uscc=uscc, is_active=True).first()
        if enterprise is None:
            raise forms.ValidationError(_("No enterprise has this code."))
        return enterprise

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role in NEEDS_UNIT and not data.get("org") and "org" not in self.errors:
            self.add_error("org", _("A district officer or a supervisor needs an org unit."))
        if role == Role.ENTERPRISE and not data.get("enterprise") and "enterprise" not in self.errors:
            self.add_error("enterprise", _("An enterprise account needs its enterprise."))
        if role != Role.ENTERPRISE:
            data["enterprise"] = None
        if role in (Role.ENTERPRISE, Role.PROVIDER):
            data["org"] = None
        if role and not self.errors and not may_grant(self.actor, role, data.get("org")):
            self.add_error("org", _("You may give access only within your own units: choose one of them."))
        if changes_own_access(self.actor, self.account, role, data.get("org"), data.get("enterprise"),
                              data.get("is_active", False)):
            raise forms.ValidationError(_("You cannot change the role, the unit or the access of your own "
                                          "account; another bureau officer can."))
        return data


class NewAccountForm(AccountForm):
    password1 = forms.CharField(label=gettext_lazy("Password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("Password again"), strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            user = get_user_model()(username=data.get("username", ""), first_name=data.get("full_name", ""))
            try:
                password_validation.validate_password(first, user)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class PasswordForm(forms.Form):
    password1 = forms.CharField(label=gettext_lazy("New password"), strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label=gettext_lazy("Password again"), strip=False, widget=forms.PasswordInput)

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.account = account

    def clean(self):
        data = super().clean()
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords differ."))
        elif first:
            try:
                password_validation.validate_password(first, self.account)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


def initial_of(account) -> dict:
    membership = getattr(account, "membership", None) if hasattr(account, "membership") else None
    return {"username": account.username, "full_name": account.first_name, "is_active": account.is_active,
            "role": membership.role if membership else "", "org": membership.org.code if membership and
            membership.org_id else "", "enterprise": membership.enterprise.uscc if membership and
            membership.enterprise_id else ""}


def _record(membership: Membership, actor, reason: str) -> None:
    membership._history_user = actor
    membership._change_reason = reason[:100]
    membership.save()


@transaction.atomic
def create_account(data: dict, actor, must_change_password: bool = True):
    account = get_user_model().objects.create_user(data["username"], password=data["password1"],
                                                   first_name=data.get("full_name", ""))
    account.is_active = data.get("is_active", True)
    account.save(update_fields=["is_active"])
    membership = Membership(user=account, role=data["role"], org=data.get("org"), enterprise=data.get("enterprise"),
                            provider=data.get("provider"), password_change_required=must_change_password)
    _record(membership, actor, "account created")
    return account


@transaction.atomic
def update_account(account, data: dict, actor) -> None:
    changed = []
    if account.username != data["username"]:
        changed.append("user name")
    if account.first_name != data.get("full_name", ""):
        changed.append("name")
    if account.is_active != data.get("is_active", False):
        changed.append("activated" if data.get("is_active") else "deactivated")
    account.username, account.first_name = data["username"], data.get("full_name", "")
    account.is_active = data.get("is_active", False)
    account.save(update_fields=["username", "first_name", "is_active"])
    membership = Membership.objects.filter(user=account).first() or Membership(user=account)
    for name in ("role", "org", "enterprise"):
        if getattr(membership, name) != data.get(name):
            changed.append(name)
            setattr(membership, name, data.get(name))
    if changed:
        _record(membership, actor, "account: " + ", ".join(changed))


@transaction.atomic
def set_password(account, password: str, actor) -> None:
    account.set_password(password)
    account.save(update_fields=["password"])
    membership = Membership.objects.filter(user=account).first()
    if membership is not None:
        membership.password_change_required = account != actor
        _record(membership, actor, "password reset")


@transaction.atomic
def password_changed_by_owner(account) -> None:
    """The user chose their own password: nothing more is required of them."""
    membership = Membership.objects.filter(user=account).first()
    if membership is not None and membership.password_change_required:
        membership.password_change_required = False
        _record(membership, account, "password changed by its owner")
