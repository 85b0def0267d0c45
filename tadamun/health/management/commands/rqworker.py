"""`manage.py rqworker`: django-rq's worker, same options, that outlives its Redis.

RQ retries a lost Redis while it waits for a job, but a Redis error anywhere else in its loop
(a heartbeat, its maintenance, the check for suspension) ends the worker, and one at start
makes django-rq exit. Here the worker is started again in the same process, after a pause
that grows while the outage lasts (logged once); it ends only when asked to (a signal, or
--burst, --max-jobs, --max-idle-time). It takes no job while the vault is locked, and a job
that meets the lock waits for the keys (tadamun.health.rq).
"""

from django_rq.management.commands import rqworker

from tadamun.health.heartbeat import Outage


class WorkerEnded(Exception):
    """RQ's loop ended without being asked to: it met an error it logged."""


class Command(rqworker.Command):
    def handle(self, *args, **options):
        # Both wait while the vault is locked (tadamun.health.rq).
        options["worker_class"] = options.get("worker_class") or "tadamun.health.rq.VaultWorker"
        options["job_class"] = options.get("job_class") or "tadamun.health.rq.VaultJob"
        started = []
        build = rqworker.get_worker

        def kept(*queues, **kwargs):
            started.append(build(*queues, **kwargs))
            return started[-1]

        rqworker.get_worker = kept  # the base command builds its worker by this name
        outage = Outage("rqworker: Redis")
        once = options.get("burst") or options.get("max_jobs") or options.get("max_idle_time")
        while True:
            try:
                super().handle(*args, **options)
            except SystemExit as exit:  # django-rq's answer to a Redis error at start or end
                if not exit.code or self.asked_to_stop(started):
                    raise
                error = exit
            else:
                if once or self.asked_to_stop(started):
                    return
                outage.ended()  # it ran: a new outage begins
                error = WorkerEnded()
            outage.wait(error)

    @staticmethod
    def asked_to_stop(started) -> bool:
        """A signal came (RQ notes its time; it sets `_stop_requested` only when busy)."""
        return bool(started) and started[-1]._shutdown_requested_date is not None
