"""What several models share about "one of the coalition's kinds of action": a row that
belongs to exactly one petition, letter campaign or event (a custom question, a featured
action). Kept apart from coalition.models and member_actions (which import the models) so
that any app's models may import it."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The kinds of action, by the name of the foreign key to each.
ACTION_FIELDS = ("petition", "letter_campaign", "event")


def one_of(names) -> Q:
    """Exactly one of the foreign keys `names` is set."""
    either = Q()
    for name in names:
        only = Q(**{f"{name}__isnull": False})
        for other in names:
            if other != name:
                only &= Q(**{f"{other}__isnull": True})
        either |= only
    return either


def exactly_one_action(name: str) -> models.CheckConstraint:
    """The check that a row of an `OfOneAction` model names exactly one action."""
    return models.CheckConstraint(condition=one_of(ACTION_FIELDS), name=name)


class OfOneAction(models.Model):
    """A row that belongs to exactly one petition, letter campaign or event (put
    `exactly_one_action(...)` in the model's constraints). Each action reaches its rows by the
    model's plural name (`petition.questions`, `event.features`)."""

    ACTION_FIELDS = ACTION_FIELDS

    petition = models.ForeignKey(
        "petitions.Petition",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("petition"),
    )
    letter_campaign = models.ForeignKey(
        "letters.LetterCampaign",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("letter campaign"),
    )
    event = models.ForeignKey(
        "events.Event",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="%(class)ss",
        verbose_name=_("event"),
    )

    class Meta:
        abstract = True

    @property
    def action(self):
        """The petition, letter campaign or event this row belongs to."""
        return self.petition or self.letter_campaign or self.event
