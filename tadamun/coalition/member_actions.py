"""Member organisations' own actions (issue 19): the one rule of when such an action is public.

A petition or letter campaign (models with `MemberAction`) either belongs to the coalition
(`organisation` empty: public by its own status, as always) or to a member organisation, whose
organisers made it. An organisation's action is public only when
- a moderator approved its current text (`review` approved), and
- its organisation still has at least one organiser: when the last one is removed, the action
  stays but is hidden until a coalition admin assigns organisers (or another organisation).
Every public read (`public()` of each model) goes through `publicly_owned()`, so the pages,
feeds, both APIs, the sitemap and the mirror follow it (tadamun/core/tests/test_moderation.py
walks them all).

When an organiser edits the text (REVIEWED_FIELDS) of an approved action, it goes back to
pending: the public stops seeing it until a moderator approved the new words (`resubmit`).
"""

from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from tadamun.coalition.models import Organisation


class Review(models.TextChoices):
    PENDING = "pending", _("Awaiting moderation")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


def has_organisers() -> Exists:
    return Exists(Organisation.organisers.through.objects.filter(organisation=OuterRef("pk")))


def staffed_owner() -> Q:
    """The rows (with `organisation`) whose owner lets them be public: the coalition's, and
    those of an organisation that still has an organiser. Events, moderated by their own
    status, take only this; the kinds with `review` take publicly_owned()."""
    staffed = Organisation.objects.filter(has_organisers())
    return Q(organisation__isnull=True) | Q(organisation__in=staffed)


def publicly_owned() -> Q:
    """The rows (with `organisation` and `review`) the public may see, whatever else their
    own status says: the coalition's, and organisations' approved ones with an organiser."""
    return staffed_owner() & (Q(organisation__isnull=True) | Q(review=Review.APPROVED))


class MemberAction(models.Model):
    """The owner and the moderators' word on an action a member organisation may make."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by the organisation"),
        help_text=_(
            "Empty for the coalition's own actions. An organisation's action is public only "
            "once a moderator approved it."
        ),
    )
    review = models.CharField(
        _("moderation"), max_length=10, choices=Review.choices, default=Review.PENDING
    )

    class Meta:
        abstract = True


def resubmit_if_reworded(action: MemberAction, changed_fields) -> bool:
    """An organisation's approved action whose words changed waits for a moderator again.
    Returns whether it did."""
    reviewed = set(getattr(action, "REVIEWED_FIELDS", ()))
    if (
        action.organisation_id
        and action.review == Review.APPROVED
        and reviewed & set(changed_fields)
    ):
        action.review = Review.PENDING
        return True
    return False


def moderate(queryset, *, approve: bool) -> int:
    """The moderators' decision on organisations' actions (the coalition's have none to take)."""
    decided = Review.APPROVED if approve else Review.REJECTED
    changed = 0
    for action in queryset.filter(organisation__isnull=False).exclude(review=decided):
        action.review = decided
        action.save(update_fields=["review"])  # one by one: each is in the audit trail
        changed += 1
    return changed
