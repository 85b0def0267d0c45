"""Recording the intake in batches: a worker takes many sealed submissions at once and
records them with a handful of statements, in one short transaction.

A batch is claimed by deleting its rows in the transaction that records them: a worker
killed midway rolls back, and the rows wait for the next. Two workers never record the same
row: on PostgreSQL each skips the rows the other has locked; on SQLite each transaction takes
the one write lock at BEGIN (settings: IMMEDIATE), so it sees what the other committed.
The rows are read and unsealed (services.request_of, with whatever key the worker holds)
before that transaction: sealing them differently changes nothing here.
"""

from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction

from tadamun.core import outbox
from tadamun.core.privacy import email_hash
from tadamun.health import queue
from tadamun.petitions import services
from tadamun.petitions.models import Petition, Signature, SignatureIntake
from tadamun.petitions.outbox import SIGNATURE, lane
from tadamun.petitions.services import SignatureRequest
from tadamun.questions import services as questions
from tadamun.supporters.models import Supporter


def _claim(ids: list[int]) -> set[int]:
    """The rows of `ids` this transaction now owns, deleted (kept if it rolls back)."""
    rows = SignatureIntake.objects.filter(pk__in=ids)
    if connection.features.has_select_for_update_skip_locked:
        rows = rows.select_for_update(skip_locked=True)
    claimed = set(rows.values_list("pk", flat=True))
    SignatureIntake.objects.filter(pk__in=claimed).delete()
    return claimed


def _supporters(requests: dict[str, SignatureRequest]) -> dict[str, Supporter]:
    """The supporter of each email hash, created for the first contacts (as
    supporters.services.find_or_create_supporter does, many at a time)."""
    Supporter.objects.bulk_create(
        [
            Supporter(
                email=request.email.strip(),
                email_hash=hashed,
                language=request.language or settings.LANGUAGE_CODE,
                source=request.source,
            )
            for hashed, request in requests.items()
        ],
        ignore_conflicts=True,  # those we hold already
    )
    return {s.email_hash: s for s in Supporter.objects.filter(email_hash__in=list(requests))}


def _prepared(ids: list[int]) -> list[tuple[int, Petition, str, SignatureRequest, dict]]:
    """(row id, petition, email hash, request, pending values) of each row, read and
    unsealed before the write transaction, which then holds SQLite's one lock only to write."""
    partners = {}
    prepared = []
    for intake in SignatureIntake.objects.filter(pk__in=ids).select_related("petition"):
        request = services.request_of(intake)
        key = (request.partner_id, request.source)
        if key not in partners:
            partners[key] = services.partner_of(request)
        values = services.pending_values(request, partners[key])
        prepared.append((intake.pk, intake.petition, email_hash(request.email), request, values))
    return sorted(prepared, key=lambda row: row[0])


def record_batch(ids: list[int]) -> int:
    """Record the sealed submissions `ids` (those no other worker took); returns how many.

    The same address twice on a petition is one signature holding the later submission; an
    address that already confirmed keeps its signature as it was and gets no new link.
    """
    prepared = _prepared(ids)
    with transaction.atomic():
        claimed = _claim([row[0] for row in prepared])
        latest = {}  # (petition, email hash) -> (petition, pending values): the later wins
        first = {}  # email hash -> the first request: it makes a new supporter
        for pk, petition, hashed, request, values in prepared:
            if pk in claimed:
                latest[petition.pk, hashed] = (petition, values, request.answers)
                first.setdefault(hashed, request)
        people = _supporters(first)
        existing = {
            (signature.petition_id, signature.supporter_id): signature
            for signature in Signature.objects.filter(
                petition_id__in={petition_id for petition_id, _hashed in latest},
                supporter__in=people.values(),
            )
        }
        new, replaced = [], []
        answered = []  # (signature, answers by question id)
        for (petition_id, hashed), (petition, values, answers) in latest.items():
            supporter = people[hashed]
            signature = existing.get((petition_id, supporter.pk))
            if signature is None:
                new.append(Signature(petition=petition, supporter=supporter, **values))
                answered.append((new[-1], answers))
            elif services.is_pending(signature):
                for field, value in values.items():
                    setattr(signature, field, value)
                signature.save(update_fields=list(values))  # in the audit trail, as one by one
                replaced.append(signature)
                answered.append((signature, answers))
        Signature.objects.bulk_create(new)
        questions.record_many(answered)
        by_petition = defaultdict(list)
        for signature in new + replaced:
            by_petition[signature.petition_id].append(signature.pk)
        for petition_id, signature_ids in by_petition.items():
            outbox.put_many(SIGNATURE, signature_ids, lane=lane(petition_id))
    return len(claimed)


def backlog_state() -> dict:
    """For /healthz and the dashboard: submissions waiting to be recorded, and the age of the
    oldest. Older than INTAKE_STALL_SECONDS means the workers do not keep up with the form."""
    return queue.backlog_state(
        "intake", SignatureIntake.objects.all(), settings.INTAKE_STALL_SECONDS
    )
