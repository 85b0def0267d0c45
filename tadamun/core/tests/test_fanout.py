"""A backlog brings more workers (core.fanout): a drain whose batch came back full asks one
more to join, up to QUEUE_DRAINERS at once, and a quiet queue runs one drain."""

from types import SimpleNamespace

import pytest
from django.core.cache import cache

from tadamun.core import fanout, intake_worker
from tadamun.petitions import services, submissions, tasks
from tadamun.petitions.models import SignatureIntake


class Queued:
    """A stand-in task that counts the jobs queued for it."""

    def __init__(self):
        self.jobs = 0

    def get_backend(self):
        return "a queue other workers read"

    def enqueue(self):
        self.jobs += 1


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_batch_that_came_back_short_asks_no_one():
    task = Queued()
    assert not fanout.ask_for_help("intake", task, batch_was_full=False)
    assert task.jobs == 0


def test_full_batches_bring_helpers_up_to_the_limit_then_none(settings):
    settings.QUEUE_DRAINERS = 3
    task = Queued()
    asked = [fanout.ask_for_help("intake", task, batch_was_full=True) for _ in range(5)]
    assert asked == [True, True, False, False, False]
    assert task.jobs == 2  # with the drain in hand, three at once
    other = Queued()
    assert fanout.ask_for_help("outbox", other, batch_was_full=True)  # each queue its own


def test_a_place_frees_itself_once_its_window_is_over(settings):
    settings.QUEUE_DRAINERS = 2
    task = Queued()
    assert fanout.ask_for_help("intake", task, batch_was_full=True)
    assert not fanout.ask_for_help("intake", task, batch_was_full=True)
    cache.delete("fanout:intake:1")  # what HELP_SECONDS does
    assert fanout.ask_for_help("intake", task, batch_was_full=True)
    assert task.jobs == 2


def test_a_queue_that_cannot_take_the_job_leaves_the_drain_alone(settings):
    settings.QUEUE_DRAINERS = 2

    def broken():
        raise ConnectionError("redis is down")

    task = SimpleNamespace(enqueue=broken, get_backend=Queued().get_backend)
    assert not fanout.ask_for_help("intake", task, batch_was_full=True)


def test_with_tasks_run_at_once_there_is_no_worker_to_ask(settings):
    from tadamun.petitions.tasks import process_intake

    settings.QUEUE_DRAINERS = 4  # the tests' immediate backend (conftest)
    assert not fanout.ask_for_help("intake", process_intake, batch_was_full=True)


def test_a_backlog_of_the_sign_form_asks_for_helpers_while_its_batches_are_full(
    petition, settings, monkeypatch
):
    settings.QUEUE_DRAINERS = 4
    for n in range(2 * intake_worker.BATCH + 1):
        submissions.accept(
            petition,
            services.SignatureRequest(
                name="Amal", email=f"amal{n}@example.org", country="FR", language="en"
            ),
        )
    drain = tasks.process_intake.func  # the task's own function, run here
    helper = Queued()
    monkeypatch.setattr(tasks, "process_intake", helper)  # the helpers it asks for
    cache.clear()  # the wake-ups of the submissions above
    assert drain() == 2 * intake_worker.BATCH + 1
    assert not SignatureIntake.objects.exists()
    assert helper.jobs == 2  # two full batches, then a short one
