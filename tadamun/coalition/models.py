from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tadamun.coalition.action_target import OfOneAction, exactly_one_action
from tadamun.core.crypto import EncryptedTextField
from tadamun.core.models import Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import name_key, validate_plain_text, validate_single_line


class CampaignQuerySet(TranslatableQuerySet):
    def public(self):
        return self.exclude(status=Campaign.Status.DRAFT)

    def running(self, today=None):
        """Active campaigns whose dates include today."""
        today = today or timezone.localdate()
        return self.filter(status=Campaign.Status.ACTIVE, starts_on__lte=today).exclude(
            ends_on__lt=today
        )

    def featured(self):
        """The campaigns a coalition admin features on the home page, in their order. Only
        an admin's choice puts a campaign there: publishing one changes nothing."""
        return (
            self.public()
            .filter(featured_position__isnull=False)
            .order_by("featured_position", "pk")
        )

    def current(self):
        """The campaign the home page leads with: the first one featured."""
        return self.featured().first()


class Campaign(Translatable):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        ARCHIVED = "archived", _("Archived")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    starts_on = models.DateField(_("starts on"), default=timezone.localdate)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    featured_position = models.PositiveSmallIntegerField(
        _("place on the home page"),
        null=True,
        blank=True,
        help_text=_(
            "Empty: not on the home page. Featured campaigns show in this order, the first one "
            "leading with its main action."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = CampaignQuerySet.as_manager()

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("front:campaign", args=[self.slug])

    def is_running(self) -> bool:
        today = timezone.localdate()
        return (
            self.status == self.Status.ACTIVE
            and self.starts_on <= today
            and (self.ends_on is None or self.ends_on >= today)
        )


def part_of(model, campaign) -> models.Q:
    """The `model` objects (petitions, days of action, letter campaigns, publications) that
    belong to `campaign`: made in it (their `campaign`) or shared with it (`other_campaigns`).
    A subquery, not a join, so that nothing is listed twice."""
    shared = model.other_campaigns.through.objects.filter(campaign=campaign)
    return models.Q(campaign=campaign) | models.Q(
        pk__in=shared.values(f"{model._meta.model_name}_id")
    )


class CampaignTranslation(Translation):
    source_field = "campaign"

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("campaign"),
    )

    class Meta:
        verbose_name = _("campaign translation")
        verbose_name_plural = _("campaign translations")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "language"], name="one_campaign_translation_per_language"
            )
        ]


class Organisation(models.Model):
    class Kind(models.TextChoices):
        NGO = "ngo", _("Non-governmental organisation")
        HUMANITARIAN = "humanitarian", _("Humanitarian or medical organisation")
        UNION = "union", _("Trade union")
        FAITH = "faith", _("Faith community")
        STUDENT = "student", _("Student or youth group")
        DIASPORA = "diaspora", _("Diaspora or community association")
        COMMUNITY = "community", _("Local community group")
        PARTY = "party", _("Political party")
        MEDIA = "media", _("Media")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, validators=[validate_single_line])
    name_key = models.CharField(max_length=400, editable=False)
    country = CountryField(_("country"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True, max_length=300)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    partner_code = models.SlugField(
        _("partner code"),
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text=_(
            "Links carrying ?source=this-code credit this organisation, and supporters they "
            "bring may agree to share their details with it."
        ),
    )
    organisers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="organisations",
        verbose_name=_("organisers"),
        help_text=_("Staff accounts that may see and edit this organisation's records."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            # One record per organisation and country however its name is typed: a
            # resubmitted endorsement finds the organisation instead of duplicating it.
            models.UniqueConstraint(
                fields=["name_key", "country"], name="one_organisation_per_name_and_country"
            ),
        ]
        permissions = [
            ("view_all_organisations", _("Can see every organisation, not only their own")),
            ("assign_organisers", _("Can choose the staff accounts that organise an organisation")),
            ("moderate_organisation", _("Can approve changes to organisations' names and logos")),
            ("set_partner_code", _("Can set organisations' partner codes")),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = name_key(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("front:organisation", args=[self.pk])


# What an organisation shows the public, changed only by a moderator or a change they approve.
IDENTITY_FIELDS = ("name", "website", "logo")


class OrganisationChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OrganisationChange.Status.PENDING)


class OrganisationChange(models.Model):
    """A change to an organisation's public identity (its name, website or logo), proposed by
    one of its organisers or by an endorsement form, which a moderator approves or rejects.
    The public keeps seeing the approved values meanwhile. An empty field changes nothing."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="changes",
        verbose_name=_("organisation"),
    )
    name = models.CharField(
        _("new name"), max_length=200, blank=True, validators=[validate_single_line]
    )
    website = models.URLField(_("new website"), blank=True, max_length=300)
    # Not under logos/: the media view serves only approved logos.
    logo = models.ImageField(_("new logo"), upload_to="proposed-logos/", blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proposed by"),
        help_text=_("Empty when the change came with an endorsement form."),
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )

    objects = OrganisationChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("change to an organisation")
        verbose_name_plural = _("changes to organisations")
        ordering = ["-created_at"]

    def __str__(self):
        return str(self.organisation)


class EndorsementQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Endorsement.Status.APPROVED)

    def awaiting_moderation(self):
        return self.filter(status=Endorsement.Status.PENDING)


class Endorsement(models.Model):
    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not confirmed")
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    campaign = models.ForeignKey(
        Campaign, on_delete=models.CASCADE, related_name="endorsements", verbose_name=_("campaign")
    )
    # None until the contact confirms: only then is the organisation found or created, from
    # the submitted_* details (see coalition.services.confirm).
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="endorsements",
        verbose_name=_("organisation"),
    )
    submitted_name = models.CharField(max_length=200, blank=True, editable=False)
    submitted_name_key = models.CharField(max_length=400, blank=True, editable=False)
    submitted_country = CountryField(blank=True, editable=False)
    submitted_kind = models.CharField(max_length=20, blank=True, editable=False)
    submitted_website = models.URLField(max_length=300, blank=True, editable=False)
    # The re-encoded logo, kept out of the media files (which are public) until confirmed.
    submitted_logo = models.BinaryField(null=True, blank=True, editable=False)
    contact_name = EncryptedTextField(_("contact name"))
    contact_email = EncryptedTextField(_("contact email"))
    public_message = models.TextField(
        _("public message"), max_length=600, blank=True, validators=[validate_plain_text]
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.UNCONFIRMED,
        db_index=True,
    )
    created_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("email confirmed"), null=True, blank=True)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moderated by"),
    )
    moderation_note = models.TextField(
        _("reason given to the organisation"),
        blank=True,
        max_length=1000,
        help_text=_("Sent to the contact when the endorsement is rejected."),
    )

    objects = EndorsementQuerySet.as_manager()

    class Meta:
        verbose_name = _("endorsement")
        verbose_name_plural = _("endorsements")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "organisation"], name="one_endorsement_per_organisation"
            ),
            # A double click or a retry replaces the unconfirmed submission, not adds one.
            models.UniqueConstraint(
                fields=["campaign", "submitted_name_key", "submitted_country"],
                condition=models.Q(organisation__isnull=True),
                name="one_unconfirmed_submission_per_organisation",
            ),
        ]
        permissions = [("moderate_endorsement", _("Can approve and reject endorsements"))]

    def __str__(self):
        return f"{self.organisation_name} — {self.campaign}"

    @property
    def organisation_name(self) -> str:
        return self.organisation.name if self.organisation else self.submitted_name


class FeatureQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Feature.Status.APPROVED)

    def waiting(self):
        return self.filter(status=Feature.Status.PENDING)


class Feature(OfOneAction):
    """A member organisation features another organisation's action (petition, letter
    campaign or event) on its own page (issue 19, item 5). The owner's organisers approve or
    decline it (coalition.services.answer_feature); an approved feature shows the action only
    while the action's own public query returns it (front.views.featured_by)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the owner's organisers")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="features",
        verbose_name=_("featured by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)

    objects = FeatureQuerySet.as_manager()

    class Meta:
        verbose_name = _("featured action")
        verbose_name_plural = _("featured actions")
        ordering = ["-created_at"]
        constraints = [
            exactly_one_action("feature_of_exactly_one_action"),
            models.UniqueConstraint(
                fields=["organisation", "petition"], name="one_feature_per_petition"
            ),
            models.UniqueConstraint(
                fields=["organisation", "letter_campaign"], name="one_feature_per_letter_campaign"
            ),
            models.UniqueConstraint(fields=["organisation", "event"], name="one_feature_per_event"),
        ]

    def __str__(self):
        return f"{self.organisation} — {self.action}"

    @property
    def owner_id(self):
        return self.action.organisation_id
