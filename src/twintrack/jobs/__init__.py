"""Background jobs: one mechanism (django-tasks with its database backend) and the records users see.

An app that has slow work (an import, a bulletin's files) declares a task with `job_task` and
starts it with `start_job(...)`: a `Job` row (who, which unit, what, status, progress, outcome)
is written with the queued task in one transaction, and `twintrack worker` runs it. The app
knows no domain: the work is the caller's, the outcome a plain JSON object it renders generically.
"""
