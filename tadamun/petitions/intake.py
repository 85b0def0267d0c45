"""Recording the sign form's intake (SignatureIntake) in batches: a worker takes many sealed
submissions at once and records them with a handful of statements, in one short transaction.

The claim, the unsealing before the write transaction, the attempts and the fallback row by
row (when a batch fails, to find the row at fault) are core.intake_worker's, the path every
sealed intake takes; this module says how a signature is opened and recorded, one or many.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings

from tadamun.core import intake_worker, outbox
from tadamun.core.privacy import email_hash
from tadamun.petitions import services
from tadamun.petitions.models import Petition, Signature, SignatureIntake
from tadamun.petitions.outbox import SIGNATURE, lane
from tadamun.petitions.services import SignatureRequest
from tadamun.questions import services as questions
from tadamun.supporters.models import Supporter

# Set while a wake-up is queued (submissions.accept): at most one per INTAKE_KICK_SECONDS.
INTAKE_KICK_KEY = "petitions:intake-kick"


@dataclass(frozen=True)
class Opened:
    """A submission, unsealed: its petition, address hash, request, pending values."""

    petition: Petition
    email_hash: str
    request: SignatureRequest
    values: dict


def _open(intake: SignatureIntake, partners: dict) -> Opened:
    """`partners`, shared by the batch: each partner looked up once."""
    request = services.request_of(intake)
    key = (request.partner_id, request.source)
    if key not in partners:
        partners[key] = services.partner_of(request)
    values = services.pending_values(request, partners[key])
    return Opened(intake.petition, email_hash(request.email), request, values)


def _record_one(opened: Opened) -> bool:
    services.sign(opened.petition, opened.request)
    return True


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


def _record_many(batch: list[Opened]) -> int:
    """Record `batch` (in submission order) with a few statements; returns how many rows.

    The same address twice on a petition is one signature holding the later submission; an
    address that already confirmed keeps its signature as it was and gets no new link.
    """
    latest = {}  # (petition, email hash) -> the later submission wins
    first = {}  # email hash -> the first request: it makes a new supporter
    for opened in batch:
        latest[opened.petition.pk, opened.email_hash] = opened
        first.setdefault(opened.email_hash, opened.request)
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
    for (petition_id, hashed), opened in latest.items():
        supporter = people[hashed]
        signature = existing.get((petition_id, supporter.pk))
        if signature is None:
            new.append(Signature(petition=opened.petition, supporter=supporter, **opened.values))
            answered.append((new[-1], opened.request.answers))
        elif services.is_pending(signature):
            for field, value in opened.values.items():
                setattr(signature, field, value)
            signature.save(update_fields=list(opened.values))  # in the audit trail, as one by one
            replaced.append(signature)
            answered.append((signature, opened.request.answers))
    Signature.objects.bulk_create(new)
    questions.record_many(answered)
    by_petition = defaultdict(list)
    for signature in new + replaced:
        by_petition[signature.petition_id].append(signature.pk)
    for petition_id, signature_ids in by_petition.items():
        outbox.put_many(SIGNATURE, signature_ids, lane=lane(petition_id))
    return len(batch)


SIGNATURES = intake_worker.Intake(
    name="intake",
    model=SignatureIntake,
    open_row=_open,
    record_one=_record_one,
    record_many=_record_many,
    kick_key=INTAKE_KICK_KEY,
    related=("petition",),
    kind_field="petition__slug",
)


def record_batch(ids: list[int]) -> int:
    """Record the sealed submissions `ids` (those no other worker took); returns how many."""
    return intake_worker.record_batch(SIGNATURES, ids)


def backlog_state() -> dict:
    """For /healthz and the dashboard: submissions waiting to be recorded, the age of the
    oldest (older than INTAKE_STALL_SECONDS: the workers do not keep up with the form), and
    those that failed for good."""
    return intake_worker.backlog_state(SIGNATURES)
