"""A job as its user sees it, and the worker processes that run jobs.

`Job` is the user-facing record of one piece of background work; the queued task itself is
django-tasks' `DBTaskResult` (`task_id`). `WorkerProcess` is one running `twintrack worker`,
seen at start, at every claim and by a heartbeat: a job whose worker is gone is failed.
"""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")


UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)


class Failure(models.TextChoices):
    """Why a job failed, shown in the reader's language (the details of a crash are in the log)."""

    NONE = "", "-"
    REFUSED = "refused", _("The file has problems: nothing was written.")
    WORKER_LOST = "worker_lost", _("The worker running this job stopped before it finished (it was killed or the "
                                   "machine restarted). Nothing was written: start it again.")
    DATABASE_BUSY = "database_busy", _("The database was busy for longer than the wait allowed. Nothing was "
                                       "written: start it again once the other import has finished.")
    INTERNAL = "internal", _("An internal error stopped the job. Nothing was written; the administrator finds "
                             "the details in the error log.")
    GONE = "gone", _("What the job was to work on no longer exists.")


class Job(models.Model):
    access_policy = "twintrack.jobs.access.JobPolicy"

    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("what"), max_length=200, blank=True)  # a file name, a bulletin: data, not words
    subject = models.CharField(max_length=64, blank=True, db_index=True)  # what it works on (an upload's token, ...)
    params = models.JSONField(default=dict, blank=True)
    # whether a cached page shows the job (the month page its upload came from): its end then
    # moves its unit's data version; an API import, which no page shows, moves nothing
    on_pages = models.BooleanField(default=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("started by"))
    org = models.ForeignKey("orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                            verbose_name=_("org unit"))
    language = models.CharField(max_length=8, default="zh-hans")  # the starter's: the outcome's sentences
    status = models.CharField(_("status"), max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED,
                              db_index=True)
    phase = models.CharField(_("step"), max_length=60, blank=True)
    done = models.BigIntegerField(_("rows done"), default=0)
    total = models.BigIntegerField(_("rows in all"), null=True, blank=True)
    outcome = models.JSONField(default=dict, blank=True)
    failure = models.CharField(max_length=20, choices=Failure.choices, blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, db_index=True)
    worker_id = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(_("started"), default=timezone.now, db_index=True)
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self):
        return f"{self.kind} #{self.pk} {self.status}"

    @property
    def finished(self) -> bool:
        return self.status not in UNFINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return max(0, min(100, round(100 * self.done / self.total)))


class WorkerProcess(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.IntegerField()
    process_start = models.CharField(max_length=32, blank=True)  # /proc start time: a reused pid is not the worker
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.worker_id} ({self.hostname} pid {self.pid})"
