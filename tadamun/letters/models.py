"""Letters to decision makers: the officials written to (targets, in groups), the letter
campaigns with their templates, the letters supporters write and one delivery per official."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from tadamun.coalition.member_actions import MemberAction, publicly_owned
from tadamun.coalition.models import Campaign
from tadamun.core.crypto import EncryptedTextField
from tadamun.core.models import ImportJob, Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import validate_plain_text, validate_single_line, validate_web_address

SUBJECT_MAX_LENGTH = 200
LETTER_MAX_LENGTH = 5000
LETTER_MIN_LENGTH = 50


class TargetGroup(models.Model):
    """Officials written to together, e.g. the city's councillors."""

    name = models.CharField(
        _("name"), max_length=120, unique=True, validators=[validate_single_line]
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("group of officials")
        verbose_name_plural = _("groups of officials")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Target(models.Model):
    """A public official with their public contact: an email address, a contact form, or both."""

    reference = models.SlugField(
        _("reference"),
        max_length=80,
        unique=True,
        help_text=_("A stable key, e.g. fr-lyon-mayor: a CSV import updates by it."),
    )
    name = models.CharField(_("name"), max_length=120, validators=[validate_single_line])
    role = models.CharField(
        _("title"),
        max_length=160,
        validators=[validate_single_line],
        help_text=_("For example: Mayor of Lyon."),
    )
    institution = models.CharField(
        _("institution"), max_length=200, validators=[validate_single_line]
    )
    country = CountryField(_("country"))
    email = models.EmailField(_("public contact email"), blank=True)
    contact_form_url = models.URLField(
        _("contact form address"), max_length=500, blank=True, validators=[validate_web_address]
    )
    groups = models.ManyToManyField(
        TargetGroup, blank=True, related_name="targets", verbose_name=_("groups")
    )
    active = models.BooleanField(
        _("active"), default=True, help_text=_("Clear it when the official leaves office.")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("official")
        verbose_name_plural = _("officials")
        ordering = ["country", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(contact_form_url=""),
                name="target_has_a_contact",
                violation_error_message=_(
                    "Give the official's public contact email, their contact form address, or both."
                ),
            )
        ]

    def __str__(self):
        return f"{self.name}, {self.role}"

    def delivery(self, **fields) -> "Delivery":
        """A delivery of a letter to this official, addressed as they are named now."""
        return Delivery(target=self, target_name=self.name, target_title=self.role, **fields)


class LetterCampaignQuerySet(TranslatableQuerySet):
    def public(self):
        """The moderation rule for letter campaigns: not a draft, in a published campaign,
        and an organisation's only once approved (coalition.member_actions.publicly_owned)."""
        return (
            self.exclude(status=LetterCampaign.Status.DRAFT)
            .exclude(campaign__status=Campaign.Status.DRAFT)
            .filter(publicly_owned())
        )


class LetterCampaign(MemberAction, Translatable):
    """`title`, `summary` and `body` present the campaign; `subject` and `letter` are the
    template supporters start from (all translatable)."""

    text_fields = ("title", "summary", "body", "subject", "letter")
    # What a moderator approves of an organisation's letter campaign: changing it asks again
    # (the officials written to included).
    REVIEWED_FIELDS = (*text_fields, "slug", "language", "group", "choice")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Delivery(models.TextChoices):
        PLATFORM = "platform", _("The platform sends each letter once its writer confirms")
        MAILTO = "mailto", _("Writers send from their own email (the platform sends nothing)")

    class Choice(models.TextChoices):
        EVERY_TARGET = "all", _("Every official of the group")
        OWN_COUNTRY = "country", _("The officials of the writer's own country")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="letter_campaigns",
        verbose_name=_("campaign"),
    )
    other_campaigns = models.ManyToManyField(
        Campaign,
        blank=True,
        related_name="shared_letter_campaigns",
        verbose_name=_("also part of"),
        help_text=_("Other campaigns whose pages show it too."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    subject = models.CharField(
        _("letter subject"), max_length=SUBJECT_MAX_LENGTH, validators=[validate_single_line]
    )
    letter = models.TextField(
        _("letter"),
        max_length=LETTER_MAX_LENGTH,
        validators=[validate_plain_text],
        help_text=_(
            "Plain text. Placeholders: {name} and {city} (the writer's), {target_name} and "
            "{target_title} (the official's). Words in [square brackets] around a placeholder "
            'are left out when it is blank: "I am writing to you[ from {city}] about…".'
        ),
    )
    group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        related_name="letter_campaigns",
        verbose_name=_("officials written to"),
    )
    choice = models.CharField(
        _("who each writer writes to"),
        max_length=10,
        choices=Choice.choices,
        default=Choice.EVERY_TARGET,
    )
    delivery = models.CharField(
        _("delivery"), max_length=10, choices=Delivery.choices, default=Delivery.PLATFORM
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LetterCampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("letter campaign")
        verbose_name_plural = _("letter campaigns")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("moderate_lettercampaign", _("Can approve or reject organisations' letter campaigns"))
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("letters:detail", args=[self.slug])

    def is_open(self) -> bool:
        """A method, like Petition.is_open() and Event.takes_rsvps()."""
        return self.status == self.Status.OPEN

    @property
    def sent_by_platform(self) -> bool:
        return self.delivery == self.Delivery.PLATFORM


class LetterCampaignTranslation(Translation):
    source_field = "letter_campaign"

    letter_campaign = models.ForeignKey(
        LetterCampaign,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("letter campaign"),
    )
    subject = models.CharField(
        _("letter subject"), max_length=SUBJECT_MAX_LENGTH, validators=[validate_single_line]
    )
    letter = models.TextField(
        _("letter"), max_length=LETTER_MAX_LENGTH, validators=[validate_plain_text]
    )

    class Meta:
        verbose_name = _("letter campaign translation")
        verbose_name_plural = _("letter campaign translations")
        constraints = [
            models.UniqueConstraint(
                fields=["letter_campaign", "language"],
                name="one_letter_campaign_translation_per_language",
            )
        ]


class Letter(models.Model):
    """What one supporter wrote in one campaign.

    A letter the platform sends waits for its writer to confirm their address; only then are
    its deliveries queued. A `mailto:` letter keeps neither the writer's name nor the text:
    only its country and language, for the counts.
    """

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not confirmed")
        CONFIRMED = "confirmed", _("Confirmed")
        HANDED_OVER = "mailto", _("Handed to the writer's email program")

    campaign = models.ForeignKey(
        LetterCampaign,
        on_delete=models.CASCADE,
        related_name="letters",
        verbose_name=_("letter campaign"),
    )
    supporter = models.ForeignKey(
        "supporters.Supporter",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="letters",
        verbose_name=_("supporter"),
        help_text=_("Empty once the supporter has erased their data, and for mailto letters."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    country = CountryField(_("country"))
    city = EncryptedTextField(_("city"), blank=True)
    name = EncryptedTextField(_("name"), blank=True)
    subject = EncryptedTextField(_("subject"), blank=True)
    text = EncryptedTextField(_("letter"), blank=True)
    wants_updates = models.BooleanField(default=False, editable=False)
    # Asked on a member organisation's letter campaign; a consent once the writer confirms.
    hears_from_owner = models.BooleanField(default=False, editable=False)
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("letter")
        verbose_name_plural = _("letters")
        ordering = ["-created_at"]
        constraints = [
            # One letter per writer per campaign, also under a double submission.
            models.UniqueConstraint(
                fields=["campaign", "supporter"],
                condition=Q(supporter__isnull=False),
                name="one_letter_per_supporter",
            )
        ]

    def __str__(self):
        return f"{self.campaign} #{self.pk}"


class DeliveryQuerySet(models.QuerySet):
    def counted(self):
        """The deliveries a public count shows: letters sent or on their way, and mailto
        letters handed to their writer."""
        return self.exclude(status=Delivery.Status.FAILED)

    def due(self, now=None):
        return self.filter(status=Delivery.Status.QUEUED, not_before__lte=now or timezone.now())


class Delivery(models.Model):
    """One letter to one official. The platform's worker claims it (SENDING), sends it and
    marks it SENT; `not_before` holds it back for a retry or for the official's daily cap."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", pgettext_lazy("delivery status", "Sent")
        FAILED = "failed", _("Failed")
        HANDED_OVER = "mailto", _("Handed to the writer's email program")

    letter = models.ForeignKey(
        Letter, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("letter")
    )
    target = models.ForeignKey(
        Target, on_delete=models.PROTECT, related_name="deliveries", verbose_name=_("official")
    )
    # The official as the letter addressed them: an import that renames the official (a new
    # minister under the same reference) leaves past letters and their counts as they were.
    target_name = models.CharField(_("official's name when sent"), max_length=120, editable=False)
    target_title = models.CharField(_("official's title when sent"), max_length=160, editable=False)
    # Copied from the letter so the public counts read one indexed table.
    campaign = models.ForeignKey(
        LetterCampaign, on_delete=models.CASCADE, related_name="deliveries", editable=False
    )
    country = CountryField(_("writer's country"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    not_before = models.DateTimeField(_("not before"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "target"], name="one_delivery_per_target")
        ]
        indexes = [
            models.Index(fields=["status", "not_before"], name="delivery_due"),
            models.Index(fields=["target", "sent_at"], name="delivery_sent_per_target"),
            models.Index(fields=["campaign", "target"], name="delivery_by_target"),
        ]

    def __str__(self):
        return f"{self.letter_id} → {self.target_id}"


class TargetImport(ImportJob):
    """A CSV file of officials, checked and imported by a worker while the admin shows its
    progress (see letters.imports). Officials are shared by every campaign: a worker first
    previews what the file would change, and saves only once an admin confirms."""

    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("confirmed by"),
    )
    # An organisation's organiser importing the officials of their own campaign: those go to
    # the campaign's own group, and no shared official is changed (letters.imports).
    letter_campaign = models.ForeignKey(
        LetterCampaign,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="target_imports",
        editable=False,
        verbose_name=_("for the letter campaign"),
    )

    class Meta(ImportJob.Meta):
        verbose_name = _("import of officials")
        verbose_name_plural = _("imports of officials")


class CountryLetterCount(models.Model):
    """Letters counted per campaign and writer's country (every letter but an unconfirmed
    one), kept in step by the services (letters.counters): the page never counts rows."""

    campaign = models.ForeignKey(
        LetterCampaign, on_delete=models.CASCADE, related_name="country_counts"
    )
    country = CountryField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "country"], name="one_letter_count_per_country"
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.country}: {self.count}"


class OfficialLetterCount(models.Model):
    """Deliveries counted (`Delivery.objects.counted()`) per campaign and official, as the
    letters named the official: a renamed official counts apart from their predecessor."""

    campaign = models.ForeignKey(
        LetterCampaign, on_delete=models.CASCADE, related_name="official_counts"
    )
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="letter_counts")
    target_name = models.CharField(max_length=120)
    target_title = models.CharField(max_length=160)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "target", "target_name", "target_title"],
                name="one_letter_count_per_official",
            )
        ]

    def __str__(self):
        return f"{self.campaign_id} {self.target_id}: {self.count}"
