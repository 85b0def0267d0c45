"""Mailings to supporters: what is sent (translated), to whom (an audience, always within the
consents given), and one delivery record per recipient, so a mailing is sent once to each
person whatever happens to the workers sending it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from tadamun.core.models import Translatable, TranslatableQuerySet, Translation


class MailingQuerySet(TranslatableQuerySet):
    def editable(self):
        return self.filter(status__in=Mailing.EDITABLE)


class Mailing(Translatable):
    """`title` is the subject, `summary` the line mail programs show after it, `body` the
    Markdown text; `{name}` in the body becomes each recipient's first name.

    When sending starts the mailing is locked (`is_editable`) and each language's copy is
    frozen in `editions`: every recipient gets the text as it was then."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SCHEDULED = "scheduled", _("Scheduled")
        SENDING = "sending", _("Sending")
        PAUSED = "paused", _("Paused")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    EDITABLE = (Status.DRAFT, Status.SCHEDULED)

    partner = models.ForeignKey(
        "coalition.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailings",
        verbose_name=_("partner organisation"),
        help_text=_(
            "Empty: a coalition mailing, to supporters who asked for the coalition's updates. "
            "A partner: only to supporters who agreed to hear from that partner."
        ),
    )
    campaigns = models.ManyToManyField(
        "coalition.Campaign",
        blank=True,
        related_name="+",
        verbose_name=_("took part in the campaign"),
        help_text=_("Signed one of its petitions, answered one of its events or wrote a letter."),
    )
    petitions = models.ManyToManyField(
        "petitions.Petition", blank=True, related_name="+", verbose_name=_("signed the petition")
    )
    days = models.ManyToManyField(
        "events.DayOfAction",
        blank=True,
        related_name="+",
        verbose_name=_("answered an event of the day of action"),
    )
    letter_campaigns = models.ManyToManyField(
        "letters.LetterCampaign", blank=True, related_name="+", verbose_name=_("wrote a letter in")
    )
    countries = CountryField(_("countries"), multiple=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    tags = models.ManyToManyField(
        "supporters.Tag", blank=True, related_name="+", verbose_name=_("tags")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # {language: subject, text and HTML as sent}, written by sending.start (rendering.freeze).
    editions = models.JSONField(null=True, blank=True, editable=False)

    objects = MailingQuerySet.as_manager()

    class Meta:
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        ordering = ["-created_at"]
        permissions = [("send_mailing", _("Can send, pause and resume mailings"))]

    def __str__(self):
        return self.title

    @property
    def is_editable(self) -> bool:
        """False once sending started: what is sent must not change under the workers."""
        return self.status in self.EDITABLE


class MailingTranslation(Translation):
    source_field = "mailing"

    mailing = models.ForeignKey(
        Mailing, on_delete=models.CASCADE, related_name="translations", verbose_name=_("mailing")
    )

    class Meta:
        verbose_name = _("mailing translation")
        verbose_name_plural = _("mailing translations")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "language"], name="one_mailing_translation_per_language"
            )
        ]

    @property
    def is_editable(self) -> bool:
        return self.mailing.is_editable


class Recipient(models.Model):
    """One person's copy of one mailing. A worker claims it (SENDING) and marks it SENT; see
    mailings.sending for why a killed worker can neither lose it nor send it twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("delivery status", "Sent")
        FAILED = "failed", _("Failed")
        SKIPPED = "skipped", _("Skipped")

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="recipients")
    supporter = models.ForeignKey(
        "supporters.Supporter", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    language = models.CharField(max_length=8)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    not_before = models.DateTimeField(null=True, blank=True)
    claim = models.CharField(max_length=32, blank=True)  # which worker's batch holds it
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=60, blank=True)  # the kind of error, never its text

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "supporter"],
                condition=Q(supporter__isnull=False),
                name="one_copy_per_supporter",
            )
        ]
        indexes = [models.Index(fields=["mailing", "status"], name="recipient_progress")]

    def __str__(self):
        return f"{self.mailing_id}:{self.pk}"


class Suppression(models.Model):
    """An address no mailing may go to: it bounced for good, or its owner complained. Only
    the keyed hash of the address is kept."""

    class Reason(models.TextChoices):
        BOUNCE = "bounce", _("Bounced")
        COMPLAINT = "complaint", _("Complained (marked as spam)")

    email_hash = models.CharField(max_length=64, unique=True)
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        # Never a part of the hash: the audit trail keeps this text after erasure.
        return f"{self.get_reason_display()} #{self.pk}"

    @classmethod
    def covers(cls, supporter) -> bool:
        return cls.objects.filter(email_hash=supporter.email_hash).exists()


class CountedLink(models.Model):
    """A link of a mailing's copies in one language, with the number of times it was followed,
    when click counting is on (settings.MAILING_COUNT_CLICKS; see mailings.clicks). A count
    per link and language, never per person: nothing here says who clicked."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="links")
    language = models.CharField(max_length=8)
    url = models.URLField(max_length=2000)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "language", "url"], name="one_counted_link_per_language"
            )
        ]

    def __str__(self):
        return f"{self.mailing_id}:{self.language}:{self.pk}"
