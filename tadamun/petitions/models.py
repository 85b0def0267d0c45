from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tadamun.coalition.member_actions import MemberAction, publicly_owned
from tadamun.coalition.models import Campaign
from tadamun.core.crypto import EncryptedTextField
from tadamun.core.models import Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import validate_single_line
from tadamun.vault.sealing import SealedTextField

# The goals of a petition that has none of its own.
DEFAULT_GOALS = (100, 1000, 10000, 100000, 1000000)


def default_milestones():
    """The old JSON goals' default: migration 0001 still names it."""
    return list(DEFAULT_GOALS)


class PetitionQuerySet(TranslatableQuerySet):
    def with_goal(self):
        """Each petition's next goal to reach and its last goal, read with the petition
        (no query per petition): `Petition.goal` uses them."""
        goals = Goal.objects.filter(petition=OuterRef("pk")).values("signatures")
        above = goals.filter(signatures__gt=OuterRef("confirmed_count")).order_by("signatures")
        return self.annotate(
            next_goal=Subquery(above[:1]), last_goal=Subquery(goals.order_by("-signatures")[:1])
        )

    def public(self):
        """The moderation rule for petitions: not a draft, in a published campaign, and an
        organisation's only once approved (coalition.member_actions.publicly_owned)."""
        return (
            self.exclude(status=Petition.Status.DRAFT)
            .exclude(campaign__status=Campaign.Status.DRAFT)
            .filter(publicly_owned())
        )


class Petition(MemberAction, Translatable):
    text_fields = ("title", "summary", "body", "target")
    # What a moderator approves of an organisation's petition: changing it asks them again.
    REVIEWED_FIELDS = (*text_fields, "slug", "language")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="petitions", verbose_name=_("campaign")
    )
    other_campaigns = models.ManyToManyField(
        Campaign,
        blank=True,
        related_name="shared_petitions",
        verbose_name=_("also part of"),
        help_text=_("Other campaigns whose pages show it too."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    target = models.CharField(
        _("addressed to"),
        max_length=200,
        validators=[validate_single_line],
        help_text=_("For example: the city council, or the ministers of several countries."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("opens"), default=timezone.now)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    # Kept by the signing services and reconciled by a periodic task, so a page never counts
    # rows: its cost is the same with ten signatures or a million.
    confirmed_count = models.PositiveIntegerField(
        _("confirmed signatures"), default=0, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = PetitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("petition")
        verbose_name_plural = _("petitions")
        ordering = ["-opens_at", "-pk"]
        permissions = [
            ("export_signatures", _("Can export every signature")),
            ("review_abuse", _("Can review sources of signatures and invalidate them")),
            ("moderate_petition", _("Can approve or reject organisations' petitions")),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("petitions:detail", args=[self.slug])

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.OPEN
            and self.opens_at <= now
            and (self.closes_at is None or now < self.closes_at)
        )

    def opens_later(self, now=None) -> bool:
        """Announced (status open) but its opening date is still to come."""
        return self.status == self.Status.OPEN and self.opens_at > (now or timezone.now())

    @property
    def goal(self) -> int:
        """The first goal not yet reached (the last one once all are), from DEFAULT_GOALS
        when the petition has none. Read from `with_goal()` (public_petitions() has it)."""
        if "last_goal" not in self.__dict__:
            found = Petition.objects.with_goal().filter(pk=self.pk)
            self.next_goal, self.last_goal = found.values_list("next_goal", "last_goal").get()
        if self.last_goal is None:
            above = (g for g in DEFAULT_GOALS if g > self.confirmed_count)
            return next(above, DEFAULT_GOALS[-1])
        return self.next_goal or self.last_goal


class Goal(models.Model):
    """A number of signatures a petition aims for; the page shows the next one to reach."""

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="goals", verbose_name=_("petition")
    )
    signatures = models.PositiveIntegerField(_("signatures"), validators=[MinValueValidator(1)])

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["signatures"]
        constraints = [
            models.UniqueConstraint(fields=["petition", "signatures"], name="petition_goal_once")
        ]

    def __str__(self):
        return str(self.signatures)


class PetitionTranslation(Translation):
    source_field = "petition"

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="translations", verbose_name=_("petition")
    )
    target = models.CharField(_("addressed to"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("petition translation")
        verbose_name_plural = _("petition translations")
        constraints = [
            models.UniqueConstraint(
                fields=["petition", "language"], name="one_petition_translation_per_language"
            )
        ]


class SignatureQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(status=Signature.Status.CONFIRMED)


class Signature(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        INVALIDATED = "invalidated", _("Invalidated")

    petition = models.ForeignKey(
        Petition, on_delete=models.CASCADE, related_name="signatures", verbose_name=_("petition")
    )
    supporter = models.ForeignKey(
        "supporters.Supporter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="signatures",
        verbose_name=_("supporter"),
        help_text=_("Empty once the supporter has erased their data."),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    country = CountryField(_("country"))
    public_name = models.CharField(
        _("name shown"),
        max_length=60,
        blank=True,
        help_text=_("The first name, kept only when the signer chose to be shown."),
    )
    comment = EncryptedTextField(_("comment"), blank=True)
    # What the signer asked for, applied to their supporter record only once they confirm:
    # until then anyone could have typed their address.
    # The name the signer gave on this petition's form: what its exports show.
    name = EncryptedTextField(blank=True, editable=False)
    wants_updates = models.BooleanField(default=False, editable=False)
    shares_with_partner = models.BooleanField(default=False, editable=False)
    source = models.CharField(_("came from"), max_length=64, blank=True)
    # The partner whose code brought the signer, fixed when they signed: their consent goes to
    # this organisation, whatever becomes of its code before they confirm.
    partner = models.ForeignKey(
        "coalition.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("partner organisation"),
    )
    language = models.CharField(_("language"), max_length=8)
    ip_hash = models.CharField(_("network (daily hash)"), max_length=32, blank=True)
    email_domain = models.CharField(_("email domain"), max_length=255, blank=True)
    invalidated_reason = models.CharField(_("why invalidated"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    objects = SignatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-created_at"]
        constraints = [
            # One signature per person per petition, also under concurrent double submission.
            models.UniqueConstraint(
                fields=["petition", "supporter"],
                condition=Q(supporter__isnull=False),
                name="one_signature_per_supporter",
            )
        ]
        indexes = [
            models.Index(fields=["petition", "status", "-confirmed_at"], name="signature_recent"),
            models.Index(fields=["petition", "created_at"], name="signature_created"),
            # Recent public signers: only the rows that can be shown, so the page reads ten
            # index entries however few signers chose to be shown.
            models.Index(
                fields=["petition", "-confirmed_at"],
                condition=Q(status="confirmed") & ~Q(public_name=""),
                name="signature_public_recent",
            ),
        ]

    def __str__(self):
        return f"{self.petition} #{self.pk}"


class CountryCount(models.Model):
    """Confirmed signatures per petition and country (kept in step by the services)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="country_counts")
    country = CountryField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "country"], name="one_count_per_country")
        ]

    def __str__(self):
        return f"{self.petition_id} {self.country}: {self.count}"


class DailyCount(models.Model):
    """Confirmed signatures per petition and day of confirmation (UTC)."""

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="daily_counts")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["petition", "day"], name="one_count_per_day")
        ]

    def __str__(self):
        return f"{self.petition_id} {self.day}: {self.count}"


class SignatureIntake(models.Model):
    """A signature as submitted, sealed to the vault's public key (so accepted while the
    vault is locked: tadamun/vault/sealing.py), waiting to be recorded by a worker.

    Under a rush the sign form writes only this one row and answers at once; a worker turns
    each row into a supporter and a signature (services.record_intake) and deletes it in the
    same transaction, so a killed worker leaves the row to be recorded by the next.
    """

    petition = models.ForeignKey(Petition, on_delete=models.CASCADE, related_name="+")
    sealed = SealedTextField()  # the submission as JSON, opened only with the unlocked keys
    # So erasure finds it; empty when submitted while locked (the worker records it on unlock).
    email_hash = models.CharField(max_length=64, db_index=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self):
        return f"{self.petition_id} #{self.pk}"
