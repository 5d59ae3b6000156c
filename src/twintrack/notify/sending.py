"""The outbox worker behind `twintrack send-notices`.

A due delivery is claimed before it is sent, so that two workers never send it twice: on
PostgreSQL by `SELECT ... FOR UPDATE SKIP LOCKED`, elsewhere by an UPDATE that moves it from
pending to sending only if it is still pending. A claim is a lease (`next_try_at` moves
LEASE ahead): a worker that dies mid-send leaves the row to be retried after the lease, the
one case a message can go out twice. A failure is retried after 1, 2, 4, 8 ... minutes, up to
settings.TWINTRACK_NOTICE_ATTEMPTS attempts, then the delivery is failed, for the bureau to see.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from twintrack.notify.channels import send
from twintrack.notify.kinds import render_title
from twintrack.notify.models import Channel, Delivery, DeliveryStatus, Digest, Notice
from twintrack.notify.services import absolute_url, language_of

LEASE = timedelta(minutes=10)
FIRST_RETRY = timedelta(minutes=1)
log = logging.getLogger(__name__)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0
    failed: int = 0


def _due(now: datetime):
    pending = Q(status=DeliveryStatus.PENDING) | Q(status=DeliveryStatus.SENDING)  # a sending row past its lease
    return Delivery.objects.filter(pending, next_try_at__lte=now).order_by("next_try_at", "id")


def claim(now: datetime, limit: int) -> list[Delivery]:
    """Up to `limit` due deliveries, each now this worker's alone (status sending, leased)."""
    lease_end = now + LEASE
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(_due(now).select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
            Delivery.objects.filter(id__in=ids).update(status=DeliveryStatus.SENDING, next_try_at=lease_end)
    else:
        ids = []
        for delivery in _due(now).values("id", "status", "next_try_at")[:limit]:
            won = Delivery.objects.filter(id=delivery["id"], status=delivery["status"],
                                          next_try_at=delivery["next_try_at"]).update(
                status=DeliveryStatus.SENDING, next_try_at=lease_end)
            if won:
                ids.append(delivery["id"])
    return list(Delivery.objects.filter(id__in=ids).select_related("robot").order_by("id"))


def retry_delay(attempts: int) -> timedelta:
    return FIRST_RETRY * (2 ** max(0, attempts - 1))


def _finish(delivery: Delivery, error: str | None, now: datetime, outcome: Outcome) -> None:
    delivery.attempts += 1
    if error is None:
        delivery.status, delivery.sent_at, delivery.last_error = DeliveryStatus.SENT, now, ""
        outcome.sent += 1
    elif delivery.attempts >= settings.TWINTRACK_NOTICE_ATTEMPTS:
        delivery.status, delivery.last_error = DeliveryStatus.FAILED, error[:2000]
        outcome.failed += 1
    else:
        delivery.status, delivery.last_error = DeliveryStatus.PENDING, error[:2000]
        delivery.next_try_at = now + retry_delay(delivery.attempts)
        outcome.retried += 1
    delivery.save(update_fields=["status", "attempts", "sent_at", "last_error", "next_try_at"])


def send_due(now: datetime | None = None, limit: int = 200) -> Outcome:
    """Send what is due now; return how many went, will be retried, failed for good."""
    outcome = Outcome()
    for delivery in claim(now or timezone.now(), limit):
        try:
            send(delivery)
            error = None
        except Exception as problem:  # any failure of a channel is recorded and retried
            error = f"{type(problem).__name__}: {problem}"
            log.warning("delivery %s failed: %s", delivery.pk, error)
        _finish(delivery, error, timezone.now() if now is None else now, outcome)
    return outcome


# --- the daily digest -----------------------------------------------------------------------

def queue_digests(today: date | None = None) -> int:
    """One e-mail a day to each digest reader with unread notices since their last digest."""
    today = today or timezone.localdate()
    queued = 0
    for digest in Digest.objects.filter(daily=True).exclude(last_sent_on=today).select_related("user"):
        user = digest.user
        with transaction.atomic():
            if not Digest.objects.filter(pk=digest.pk).exclude(last_sent_on=today).update(last_sent_on=today):
                continue  # another worker took it
            notices = Notice.objects.filter(recipient=user, read_at__isnull=True)
            if digest.last_sent_on is not None:
                notices = notices.filter(created_at__date__gt=digest.last_sent_on)
            notices = list(notices.order_by("created_at")[:100])
            if not notices or not user.email:
                continue
            Delivery.objects.create(channel=Channel.EMAIL, recipient=user, address=user.email,
                                    **digest_message(notices, language_of(user), today))
            queued += 1
    return queued


def digest_message(notices: list[Notice], language: str, today: date) -> dict:
    with translation.override(language):
        subject = translation.gettext("twintrack: %(count)d new notices (%(day)s)") % {
            "count": len(notices), "day": today.isoformat()}
        lines = [f"- {render_title(n.kind, n.params)}  {absolute_url(n.url or '/notices/')}" for n in notices]
    return {"subject": subject, "body": "\n".join(lines)}
