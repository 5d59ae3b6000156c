"""`twintrack remind` and `twintrack send-notices` as a timer runs them."""
from io import StringIO

import pytest
from django.core.management import call_command


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_remind_then_send_notices(city, supervision, robots, robot_server):
    from datetime import timedelta

    from django.utils import timezone

    from twintrack.supervision.services import issue_requirement

    issue_requirement(city.users.supervisor, supervision.round, supervision.task, "整改",
                      timezone.localdate() + timedelta(days=1), org=city.tongxiang)
    today = timezone.localdate().isoformat()
    assert run("remind", "--today", today).startswith("1 due soon, 0 overdue")
    assert run("remind", "--today", today).startswith("0 due soon, 0 overdue")
    from twintrack.notify.models import Delivery

    queued = Delivery.objects.count()  # e-mails and robot posts (the monthly deadline too, if in its window)
    assert queued >= 4 and run("send_notices") == f"{queued} sent, 0 to retry, 0 failed"
    assert run("send_notices") == "0 sent, 0 to retry, 0 failed"


def test_remind_refuses_a_day_that_is_not_a_date(db):
    from twintrack.command import InputRejected

    with pytest.raises(InputRejected):
        run("remind", "--today", "2023-13-01")
