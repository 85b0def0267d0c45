from django.utils.translation import gettext as _

from tadamun.core.audit import record_export
from tadamun.core.csv import streaming_csv, yes_no
from tadamun.petitions.access import exportable_signatures, exports_everything
from tadamun.questions import queries as answers
from tadamun.supporters.partners import hears_from_coalition, shares_with_its_partner

CHUNK = 2000


def signatures_csv(user, petition):
    """Every exportable signature of `petition` as a streamed CSV, one row at a time, with
    the language it was signed in; for coalition admins, with the signer's consents in force
    (the coalition's news; sharing with the partner that brought the signature), then a
    column per custom question with each signer's answer."""
    header = [
        _("Name"),
        _("Email address"),
        _("Country"),
        _("Status"),
        _("Comment"),
        _("Came from"),
        _("Signed"),
        _("Confirmed"),
        _("Language"),
    ]
    fields = [
        "name",  # the name given on this petition, not the record's
        "supporter__email",
        "country",
        "status",
        "comment",
        "source",
        "created_at",
        "confirmed_at",
        "language",
    ]
    signatures = exportable_signatures(user, petition).order_by("pk")
    if exports_everything(user):
        header += [_("Coalition updates"), _("Shares with the partner who brought them")]
        fields += ["hears", "shares"]
        signatures = signatures.annotate(
            hears=hears_from_coalition("supporter"),
            shares=shares_with_its_partner(),
        )
    questions = list(petition.questions.in_order())
    header += answers.header(questions)
    rows = (
        [yes_no(value) if isinstance(value, bool) else value for value in row]
        for row in answers.with_answers(
            signatures.values_list("pk", *fields).iterator(chunk_size=CHUNK),
            questions,
            "signature",
        )
    )
    record_export(petition, "signatures CSV")
    return streaming_csv(f"signatures-{petition.slug}.csv", header, rows)
