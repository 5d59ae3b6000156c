"""`twintrack user add`: an account tied to its unit, enterprise or provider (contract section 6).

This is how a fresh install gets its first bureau account. The command line acts for the
operator of the server, so it grants any scope; the web's granting rule binds people.
"""
import secrets
import sys

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.diagnosis.models import ServiceProvider
from twintrack.enterprises.models import Enterprise
from twintrack.orgs.models import OrgUnit, Role
from twintrack.web.accounts import create_account

NEEDS_ORG = (Role.BUREAU, Role.DISTRICT, Role.SUPERVISOR)


class Command(TwintrackCommand):
    help = "Manage accounts: `user add USERNAME --role ROLE [--org CODE] [--enterprise USCC] [--provider NAME]`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="create an account tied to its unit, enterprise or provider")
        add.add_argument("username")
        add.add_argument("--role", required=True, help="bureau, district, supervisor, enterprise or provider")
        add.add_argument("--org", help="org unit code (bureau, district, supervisor); the root for a city-wide bureau")
        add.add_argument("--enterprise", help="the enterprise's unified social credit code (enterprise)")
        add.add_argument("--provider", help="the service provider's Chinese or English name (provider)")
        add.add_argument("--password-stdin", action="store_true",
                         help="read the password from standard input instead of printing a one-time one")

    def handle(self, *args, **options):
        data = account_data(options)
        one_time = not options["password_stdin"]
        data["password1"] = secrets.token_urlsafe(12) if one_time else password_from_stdin(data)
        account = create_account(data, actor=None, must_change_password=one_time)
        self.stdout.write(f"account {account.username} created: {data['role']}{scope_words(data)}")
        if one_time:
            self.stdout.write(f"one-time password: {data['password1']} (to be changed at first login)")


def account_data(options) -> dict:
    username, role = options["username"].strip(), options["role"]
    if role not in Role.values:
        raise InputRejected(f"--role {role}: unknown role; one of {', '.join(Role.values)}")
    if not username:
        raise InputRejected("the user name is empty")
    if get_user_model().objects.filter(username__iexact=username).exists():
        raise InputRejected(f"user name {username} is taken")
    return {"username": username, "role": role, "is_active": True, "org": org_for(role, options["org"]),
            "enterprise": enterprise_for(role, options["enterprise"]), "provider": provider_for(role, options["provider"])}


def org_for(role: str, code: str | None) -> OrgUnit | None:
    if role not in NEEDS_ORG:
        return None
    if not code:
        raise InputRejected(f"--org is required for the role {role}")
    org = OrgUnit.objects.filter(code=code.strip()).first()
    if org is None:
        raise InputRejected(f"--org {code}: no org unit has this code")
    return org


def enterprise_for(role: str, uscc: str | None) -> Enterprise | None:
    if role != Role.ENTERPRISE:
        return None
    if not uscc:
        raise InputRejected("--enterprise is required for the role enterprise")
    enterprise = Enterprise.objects.filter(uscc=uscc.strip().upper(), is_active=True).first()
    if enterprise is None:
        raise InputRejected(f"--enterprise {uscc}: no enterprise has this code")
    return enterprise


def provider_for(role: str, name: str | None) -> ServiceProvider | None:
    if role != Role.PROVIDER:
        return None
    if not name:
        raise InputRejected("--provider is required for the role provider")
    providers = ServiceProvider.objects.filter(is_active=True)
    provider = providers.filter(name_zh=name.strip()).first() or providers.filter(name_en=name.strip()).first()
    if provider is None:
        raise InputRejected(f"--provider {name}: no service provider has this name")
    return provider


def password_from_stdin(data: dict) -> str:
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise InputRejected("--password-stdin: no password on standard input")
    try:
        password_validation.validate_password(password, get_user_model()(username=data["username"]))
    except ValidationError as error:
        raise InputRejected("--password-stdin: " + " ".join(error.messages)) from None
    return password


def scope_words(data: dict) -> str:
    if data["org"] is not None:
        return f" of {data['org'].code} {data['org'].name_zh}"
    if data["enterprise"] is not None:
        return f" of {data['enterprise'].uscc} {data['enterprise'].name_zh}"
    if data["provider"] is not None:
        return f" of {data['provider'].name_zh}"
    return ""
