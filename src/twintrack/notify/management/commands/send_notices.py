"""`twintrack send-notices`: send the due deliveries of the outbox (and queue the daily digests)."""
from twintrack.command import TwintrackCommand
from twintrack.notify.sending import queue_digests, send_due


class Command(TwintrackCommand):
    help = "Send due notices by e-mail and messenger robot, retrying failures with back-off."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=200, help="at most this many deliveries (default 200)")

    def handle(self, *args, **options):
        digests = queue_digests()
        outcome = send_due(limit=options["limit"])
        self.stdout.write(f"{outcome.sent} sent, {outcome.retried} to retry, {outcome.failed} failed"
                          + (f", {digests} digests queued" if digests else ""))
