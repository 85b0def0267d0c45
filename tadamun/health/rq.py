"""The RQ worker waits on a locked vault as the database worker does (docs/security.md, "The
vault"): `manage.py rqworker` uses these classes unless told otherwise.

- `VaultWorker` takes no job while the vault is locked (it keeps its heartbeat meanwhile), so
  jobs stay queued in their order.
- `VaultJob` runs a django-tasks task; one that meets the lock midway (vault.Locked) waits for
  the keys and runs again, rather than failing: tasks are safe to run twice. A lock longer
  than the job's timeout (RQ_QUEUES' DEFAULT_TIMEOUT) fails the job that was running then.
"""

from django_tasks_rq import Job
from rq.worker import Worker

from tadamun import vault

VAULT_POLL_SECONDS = 2


class VaultJob(Job):
    def perform(self):
        while True:
            try:
                return super().perform()
            except vault.Locked:
                vault.wait_for_keys(lambda: True, poll_seconds=VAULT_POLL_SECONDS)


class VaultWaiting:
    """Mixed into an RQ worker class: no job is taken while the vault is locked."""

    def dequeue_job_and_maintain_ttl(self, timeout, max_idle_time=None):
        def keep_waiting() -> bool:  # a burst (timeout None) leaves the jobs for the next one
            asked_to_stop = self._stop_requested or self._shutdown_requested_date is not None
            return timeout is not None and not asked_to_stop

        if not vault.wait_for_keys(
            keep_waiting, poll_seconds=VAULT_POLL_SECONDS, each_poll=self.heartbeat
        ):
            return None  # the worker stops, its jobs still queued
        return super().dequeue_job_and_maintain_ttl(timeout, max_idle_time)


class VaultWorker(VaultWaiting, Worker):
    pass
