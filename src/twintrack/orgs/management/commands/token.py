"""`twintrack token create USERNAME [--name NAME] [--write] [--days N]` and
`twintrack token revoke TOKEN_ID` (data contract section 6).

The command line acts for the server's operator: it makes a token for any user, and the
token still acts with exactly that user's scope."""
from django.contrib.auth import get_user_model

from twintrack.command import InputRejected, TwintrackCommand
from twintrack.orgs.models import AccessToken
from twintrack.orgs.tokens import DEFAULT_DAYS, MAX_DAYS, create_token, revoke_token


class Command(TwintrackCommand):
    help = "API tokens: `token create USERNAME [--name NAME] [--write] [--days N]`, `token revoke TOKEN_ID`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="a token acting as USERNAME; printed once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for (shown on the account page)")
        create.add_argument("--write", action="store_true", help="may write (imports, supervision); read-only otherwise")
        create.add_argument("--days", type=int, default=DEFAULT_DAYS, help=f"days until it expires (default {DEFAULT_DAYS})")
        revoke = actions.add_parser("revoke", help="revoke a token at once")
        revoke.add_argument("token_id")

    def handle(self, *args, **options):
        if options["action"] == "create":
            self._create(options)
        else:
            self._revoke(options["token_id"])

    def _create(self, options):
        username = options["username"].strip()
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise InputRejected(f"user {username}: no such user")
        if not user.is_active:
            raise InputRejected(f"user {username}: the account is deactivated")
        if not 1 <= options["days"] <= MAX_DAYS:
            raise InputRejected(f"--days {options['days']}: between 1 and {MAX_DAYS}")
        token, value = create_token(user, options["name"] or "command line", write=options["write"],
                                    days=options["days"], actor=None)
        self.stdout.write(f"id: {token.pk}")
        self.stdout.write(f"token: {value}")

    def _revoke(self, token_id: str):
        token = AccessToken.objects.filter(pk=int(token_id)).first() if token_id.isdigit() else None
        if token is None:
            raise InputRejected(f"token {token_id}: no such token")
        if revoke_token(token, actor=None):
            self.stdout.write(f"token {token.pk} revoked")
        else:
            self.stdout.write(f"token {token.pk} was already revoked")
