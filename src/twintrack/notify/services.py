"""`notify(...)`: the one call a producer makes, inside its own transaction.

It writes a Notice per recipient (the inbox) and a Delivery per outside channel the
recipient wants (e-mail; their unit's messenger robots, once per robot per event), all in the
caller's transaction: the event and its notices are stored together or not at all. Sending
is `twintrack send-notices` (twintrack.notify.sending).
"""
from __future__ import annotations

from typing import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from twintrack.notify.kinds import KINDS, render_title
from twintrack.notify.models import Channel, Delivery, Digest, Notice, Preference, Robot
from twintrack.notify.recipients import enterprise_people, people_for
from twintrack.notify.signals import notices_changed
from twintrack.orgs.access import membership_of
from twintrack.orgs.models import Membership, OrgUnit, Role

ROBOT_LANGUAGE = "zh-hans"  # messenger groups read Chinese


def object_ref(obj) -> tuple[str, str]:
    if obj is None:
        return "", ""
    return obj._meta.label_lower, str(obj.pk)


def notify(kind: str, org: OrgUnit | None, *, obj=None, url: str = "", params: dict | None = None,
           roles: Iterable[str] = (Role.DISTRICT,), reach: str = "scope", users: Iterable = (),
           exclude_user=None, once_key: str | None = None) -> list[Notice]:
    """Notices of one event about `org` (and `obj`, linked at `url`) to the people of `roles`
    that `reach` names (see recipients.py), plus `users` named by the producer (a requirement's
    issuer, a provider's staff), less `exclude_user` (who caused it). `once_key` (reminders)
    makes a repeated call a no-op per recipient."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of notice {kind!r}")
    params = dict(params or {})
    if org is not None:
        params.setdefault("unit", org.name_zh)
    recipients = _recipients(org, roles, reach, users, exclude_user)
    object_type, object_id = object_ref(obj)
    notices = []
    with transaction.atomic():
        for user in recipients:
            key = f"{once_key}:{user.pk}" if once_key else None
            if key and Notice.objects.filter(once_key=key).exists():
                continue
            notices.append(Notice.objects.create(
                kind=kind, recipient=user, org=org, object_type=object_type, object_id=object_id, url=url,
                params=params, once_key=key))
        _queue_deliveries(notices)
    if notices:
        notices_changed.send(sender=Notice, users=[n.recipient_id for n in notices])
    return notices


def _recipients(org, roles, reach, users, exclude_user) -> list:
    found = {}
    for user in [*(people_for(org, tuple(roles), reach) if org is not None and roles else []), *users]:
        if user is not None and user.is_active and user.pk not in found:
            found[user.pk] = user
    if exclude_user is not None:
        found.pop(getattr(exclude_user, "pk", None), None)
    return list(found.values())


def _preferences(notices: list[Notice]) -> dict[int, Preference]:
    if not notices:
        return {}
    kind = notices[0].kind
    return {p.user_id: p for p in Preference.objects.filter(kind=kind, user_id__in=[n.recipient_id for n in notices])}


def _queue_deliveries(notices: list[Notice]) -> None:
    preferences = _preferences(notices)
    digest_users = set(Digest.objects.filter(daily=True, user_id__in=[n.recipient_id for n in notices])
                       .values_list("user_id", flat=True))
    robots_posted: set[int] = set()
    for notice in notices:
        preference = preferences.get(notice.recipient_id) or Preference(kind=notice.kind)
        user = notice.recipient
        if preference.email and user.email and user.pk not in digest_users:
            _deliver(notice, Channel.EMAIL, recipient=user, address=user.email, language=language_of(user))
        if preference.messenger:
            for robot in robots_of(user):
                if robot.pk not in robots_posted:
                    robots_posted.add(robot.pk)
                    _deliver(notice, Channel.MESSENGER, robot=robot, language=ROBOT_LANGUAGE)


def robots_of(user) -> list[Robot]:
    """The active robots of the user's own unit (a unit's group chat)."""
    membership = membership_of(user)
    if membership is None or membership.org_id is None:
        return []
    return list(Robot.objects.filter(org_id=membership.org_id, active=True))


def language_of(user) -> str:
    membership = membership_of(user)
    return membership.language if membership is not None and membership.language else settings.LANGUAGE_CODE


def absolute_url(path: str) -> str:
    return f"{settings.TWINTRACK_BASE_URL}{path}" if path.startswith("/") else path


def render_message(notice: Notice, language: str) -> tuple[str, str]:
    """The subject and a markdown body of a notice in `language`."""
    with translation.override(language):
        title = render_title(notice.kind, notice.params)
        link = absolute_url(notice.url or "/notices/")
        body = f"#### {title}\n\n[{translation.gettext('Open in twintrack')}]({link})"
    return title, body


def _deliver(notice: Notice, channel: str, *, language: str, recipient=None, address: str = "", robot=None):
    subject, body = render_message(notice, language)
    Delivery.objects.create(notice=notice, channel=channel, recipient=recipient, address=address, robot=robot,
                            subject=subject[:300], body=body)


# --- the inbox ------------------------------------------------------------------------------

def unread_count(user) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()


def mark_read(user, notice_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notices read (all of them when `notice_ids` is None); how many changed."""
    unread = Notice.objects.filter(recipient=user, read_at__isnull=True)
    if notice_ids is not None:
        unread = unread.filter(pk__in=list(notice_ids))
    changed = unread.update(read_at=timezone.now())
    if changed:
        notices_changed.send(sender=Notice, users=[user.pk])
    return changed


# --- one call per producer: what each event says and whom it reaches ----------------------
# The producers' objects are read by attribute only: notify imports nothing above orgs.

def _period(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def notify_month(kind: str, approval, user, reason: str = "") -> list[Notice]:
    """A unit's month submitted (to the approvers above), approved, sent back or reopened (to the unit)."""
    period = _period(approval.year, approval.month)
    audience = ({"roles": (Role.DISTRICT, Role.BUREAU), "reach": "above"} if kind == "month_submitted"
                else {"roles": (Role.DISTRICT,), "reach": "scope"})
    return notify(kind, approval.org, obj=approval, url=f"{reverse('approvals')}?period={period}",
                  params={"period": period, "reason": reason}, exclude_user=user, **audience)


def notify_requirement(kind: str, requirement, user=None, reason: str = "", once_key: str | None = None):
    """A requirement issued, sent back, verified, due soon or overdue (to the unit addressed and,
    for an enterprise, its users); answered (to whoever issued it, else the bureau)."""
    params = {"code": requirement.code, "due": requirement.due_date.isoformat(), "reason": reason}
    url = reverse("supervision:requirement", args=[requirement.pk])
    if kind == "requirement_answered":
        issuer = requirement.issued_by
        audience = {"users": [issuer], "roles": ()} if issuer is not None else {"roles": (Role.BUREAU,)}
    else:
        enterprise_users = enterprise_people(requirement.enterprise_id) if requirement.enterprise_id else []
        audience = {"users": enterprise_users, "roles": (Role.DISTRICT,)}
    return notify(kind, requirement.org, obj=requirement, url=url, params=params, exclude_user=user,
                  once_key=once_key, **audience)


def notify_bulletin(bulletin, user=None) -> list[Notice]:
    """A bulletin published: to the people of the unit and the units below, once per version
    (whichever language is published first)."""
    period = _period(bulletin.year, bulletin.month)
    return notify("bulletin_published", bulletin.org, obj=bulletin, url=reverse("reports:bulletins"),
                  params={"period": period}, roles=(Role.DISTRICT, Role.BUREAU), reach="below",
                  exclude_user=user, once_key=f"bulletin:{bulletin.org_id}:{period}:v{bulletin.version}")


def notify_assignment(assignment, user=None) -> list[Notice]:
    """A service provider assigned to an enterprise: to the provider's staff, the enterprise's
    users and the officers who see the enterprise's unit."""
    enterprise, provider = assignment.enterprise, assignment.provider
    staff = [m.user for m in Membership.objects.filter(provider_id=provider.pk).select_related("user")]
    return notify("provider_assigned", enterprise.org, obj=assignment,
                  params={"provider": provider.name_zh, "enterprise": enterprise.name_zh},
                  users=[*staff, *enterprise_people(enterprise.pk)], roles=(Role.DISTRICT,), exclude_user=user)


def notify_approved_figures_changed(org: OrgUnit, year: int, month: int, by_user) -> list[Notice]:
    """The alarm: someone else's import changed figures of an approved month (should not happen)."""
    return notify("approved_figures_changed", org, url=f"{reverse('approvals')}?period={_period(year, month)}",
                  params={"period": _period(year, month), "by": getattr(by_user, "username", "") or "-"},
                  roles=(Role.DISTRICT, Role.BUREAU), exclude_user=by_user)
