"""The dashboard's system panel shows the backlogs /healthz reports: the petition intake, the
sealed intake (forms sent while the vault was locked) and the links, each with the age of
its oldest; and, only once there are some, the rows that failed and need a person."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tadamun.core.intake_worker import MAX_ATTEMPTS
from tadamun.core.models import SealedSubmission
from tadamun.staff import roles

ADMIN = "/en/admin/"
WAITING = "Forms sent while locked, waiting to be recorded"
FAILED = "Forms sent while locked that failed: a person must look"


def figure(content: str, label: str) -> str | None:
    """The value the dashboard shows beside `label`, and its note."""
    found = re.search(
        rf'<span class="figure-value">(\d+)</span> <span class="figure-label">{label}</span>'
        r'(?: <span class="figure-note">([^<]*)</span>)?',
        content,
    )
    return found and (found[1], found[2])


@pytest.fixture
def dashboard(make_staff):
    """The dashboard as a coalition admin sees it now."""
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN, username="backlog-admin"))
    return lambda: client.get(ADMIN).content.decode()


def test_the_sealed_intake_backlog_shows_its_count_and_oldest_age(dashboard):
    assert figure(dashboard(), WAITING) == ("0", None)
    rows = [SealedSubmission.objects.create(kind="some.service", sealed="{}") for _ in range(3)]
    SealedSubmission.objects.filter(pk=rows[0].pk).update(
        created_at=timezone.now() - timedelta(hours=2)
    )
    value, note = figure(dashboard(), WAITING)
    assert value == "3" and re.match(r"oldest waiting 2\s+hours", note)
    assert FAILED not in dashboard()


def test_failed_rows_are_counted_apart_from_what_waits(dashboard):
    SealedSubmission.objects.create(kind="some.service", sealed="{}")
    SealedSubmission.objects.create(kind="some.service", sealed="{}", attempts=MAX_ATTEMPTS)
    content = dashboard()
    assert figure(content, WAITING)[0] == "1"
    assert figure(content, FAILED) == ("1", None)
    assert "Signatures that failed" not in content  # none of them failed
