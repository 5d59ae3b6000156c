"""`twintrack worker`: runs the background jobs (imports, previews, bulletin files) and the
notice cycle. django-tasks-db's database worker (`jobs.worker.JobWorker`) under our command:
SIGTERM or Ctrl-C lets the running job finish, a second one stops it (nothing of an import is
written unless it finished); a killed worker's job is shown failed."""
from twintrack.command import InputRejected, TwintrackCommand
from twintrack.jobs.worker import WORKER_NICENESS, JobWorker, lower_priority, new_worker_id

NOTICE_TASK = "twintrack.web.tasks.notice_cycle"


class Command(TwintrackCommand):
    help = "Run background jobs (uploads' checks and imports, bulletin files) and the notice cycle."

    def add_arguments(self, parser):
        parser.add_argument("--notices-every", type=int, default=30, metavar="SECONDS",
                            help="run `remind` and `send-notices` this often (default 30; 0: never, when a timer "
                                 "runs them)")
        parser.add_argument("--interval", type=float, default=0.25, metavar="SECONDS",
                            help="how often an idle worker looks for a job (default 0.25: an API import "
                                 "waits for a worker to take it)")
        parser.add_argument("--once", action="store_true", help="run the jobs queued now, then stop")
        parser.add_argument("--nice", type=int, default=WORKER_NICENESS, metavar="N",
                            help=f"run below the web server's CPU priority by N (default {WORKER_NICENESS}; "
                                 "0: the same priority)")

    def handle(self, *args, **options):
        if options["notices_every"] < 0 or options["interval"] < 0 or options["nice"] < 0:
            raise InputRejected("--notices-every, --interval and --nice must be 0 or more")
        lower_priority(options["nice"])
        worker = JobWorker(interval=options["interval"], batch=options["once"], worker_id=new_worker_id(),
                           periodic={NOTICE_TASK: options["notices_every"]} if not options["once"] else {})
        self.stdout.write(f"twintrack worker {worker.worker_id} is running (Ctrl-C to stop)")
        self.stdout.flush()
        worker.configure_signals()
        worker.run()
