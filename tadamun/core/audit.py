"""The audit trail: who created, changed, approved, deleted or exported personal data, and when.

django-auditlog records every save and delete of the models the apps declare as holding
personal data (`tadamun.supporters.registry`), with the staff member behind the request
(AuditlogMiddleware), never an IP address. The trail must not become a copy
of the data it watches: every free-text value of these models is masked, so an entry says
*that* a name or an address changed, never what it was. Fields with choices (a status, a
language, a country) stay readable: an approval shows as "status: pending → approved".
Exports are recorded by `record_export`, tags put on supporters by `record_tagging`. Coalition
admins read the trail in the admin; nobody
can edit or delete it there.
"""

from auditlog.models import LogEntry
from auditlog.receivers import log_create
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_save

from tadamun.supporters import registry

MASK = "•••"


def masked(_value) -> str:
    return MASK


def free_text_fields(model) -> list[str]:
    """Text a person typed or that identifies them: every text field without fixed choices."""
    return [
        field.name
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField | models.JSONField)
        and not field.choices
    ]


def register_personal_data_models():
    """Trace every audited model of the personal-data declarations (supporters/registry.py).
    Rows the public creates by the thousand (a signature, an answer, a letter) are traced
    from their first change: their creation is the person's own act, kept on the row."""
    for declared in registry.personal_data_models():
        if not declared.audited:
            continue
        model, excluded = declared.model, declared.audit_skips
        auditlog.register(
            model,
            exclude_fields=list(excluded),
            mask_fields=[name for name in free_text_fields(model) if name not in excluded],
            mask_callable="tadamun.core.audit.masked",
            m2m_fields={"groups"} if declared.label == "auth.User" else set(),
        )
        if declared.made_by_the_public:
            # django-auditlog logs creations per registry, not per model: take this one back.
            post_save.disconnect(
                log_create, sender=model, dispatch_uid=auditlog._dispatch_uid(post_save, log_create)
            )


def record_export(instance, what: str, *, by: str = "") -> None:
    """Note that personal data about `instance` left the site (a CSV, a partner's sync).

    The staff member is taken from the request; `by` names anyone else (an event's organiser
    through their link, a partner's API token).
    """
    _record(instance, {"export": what, **({"by": by} if by else {})})


def record_access_given(instance, what: str) -> None:
    """Note that a staff member (taken from the request) made a way into personal data: an
    API token, a webhook endpoint."""
    _record(instance, {"access given": what})


def record_import(job, what: str) -> None:
    """Note, on the staff member who uploaded it (else on the job), the people an import
    brought in (its rows are written in bulk, out of the per-row trail)."""
    _record(job.uploaded_by or job, {"import": what})


def record_partner_write(token, what: str) -> None:
    """Note, on a partner's API token, the person or action it added through OSDI."""
    _record(token, {"write": what, "by": "partner API token"})


def _record(instance, data: dict) -> None:
    LogEntry.objects.log_create(
        instance, force_log=True, action=LogEntry.Action.ACCESS, changes={}, additional_data=data
    )


def record_views(instances, where: str, user) -> None:
    """Note, on each record's trail, that `user` read it decrypted (`where`: the list or the
    record's page). One insert for a whole page of a list."""
    LogEntry.objects.bulk_create(
        LogEntry(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=str(instance.pk),
            object_id=instance.pk,
            object_repr=str(instance),
            action=LogEntry.Action.ACCESS,
            changes={},
            actor=user,
            additional_data={"viewed": where},
        )
        for instance in instances
    )


def record_tagging(supporters, tag) -> None:
    """Note, on each supporter's trail, the tag a staff member put on them."""
    for supporter in supporters:
        LogEntry.objects.log_create(
            supporter,
            force_log=True,
            action=LogEntry.Action.UPDATE,
            changes={"tags": {"type": "m2m", "operation": "add", "objects": [tag.name]}},
        )
