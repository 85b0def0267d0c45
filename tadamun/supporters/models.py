"""One record per person across the whole site, and the consents they gave.

The email address is stored encrypted and found through a keyed hash of it; the name is
encrypted too. Consents are records, never flags: what was asked (the wording version), when it
was given and when withdrawn.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tadamun.core.crypto import EncryptedTextField
from tadamun.core.models import ImportJob
from tadamun.core.privacy import email_hash
from tadamun.vault.sealing import SealedTextField


class SupporterQuerySet(models.QuerySet):
    def with_email(self, email: str):
        return self.filter(email_hash=email_hash(email))


class Tag(models.Model):
    """A label coalition admins put on supporters to write to them (e.g. "volunteers Lyon"),
    or, with an `organisation`, a partner's own label on the people it knows (through its API
    token: PartnerPerson.tags), which only that partner reads."""

    name = models.CharField(_("name"), max_length=60)
    organisation = models.ForeignKey(
        "coalition.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="partner_tags",
        verbose_name=_("partner organisation"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True, null=True)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="one_tag_name_per_owner", nulls_distinct=False
            )
        ]

    def __str__(self):
        return self.name


class Supporter(models.Model):
    email = EncryptedTextField(_("email address"))
    email_hash = models.CharField(max_length=64, unique=True, editable=False)
    name = EncryptedTextField(_("name"), blank=True)
    country = CountryField(_("country"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    source = models.CharField(
        _("came from"),
        max_length=64,
        blank=True,
        help_text=_("The partner code of the link that first brought them."),
    )
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="supporters", verbose_name=_("tags")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = SupporterQuerySet.as_manager()

    class Meta:
        verbose_name = _("supporter")
        verbose_name_plural = _("supporters")
        ordering = ["-created_at"]
        permissions = [
            ("erase_supporter", _("Can erase supporters")),
            ("tag_supporter", _("Can tag supporters")),
            ("export_supporters", _("Can export every supporter and their actions")),
            ("import_supporters", _("Can import supporters from a CSV file")),
        ]

    def __str__(self):
        return _("Supporter %(number)s") % {"number": self.pk}

    def save(self, *args, **kwargs):
        self.email_hash = email_hash(self.email)
        super().save(*args, **kwargs)

    @property
    def first_name(self) -> str:
        return self.name.split()[0] if self.name.strip() else ""


class LinkRequest(models.Model):
    """A "my data" link someone asked for, until a worker has sent it. The address waits
    here, sealed to the vault's public key (so asked for while the vault is locked too, and
    sent after unlock), rather than in the task's arguments: the task queue keeps those after
    the task ran, out of reach of erasure."""

    email = SealedTextField()
    language = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"#{self.pk}"

    def is_for(self, email: str) -> bool:
        return email_hash(self.email) == email_hash(email)


class ConsentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(withdrawn_at__isnull=True)


class Consent(models.Model):
    class Purpose(models.TextChoices):
        UPDATES = "updates", _("Campaign updates from the coalition")
        PARTNER = "partner", _("Sharing with a partner organisation")

    supporter = models.ForeignKey(
        Supporter, on_delete=models.CASCADE, related_name="consents", verbose_name=_("supporter")
    )
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    organisation = models.ForeignKey(
        "coalition.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="consents",
        verbose_name=_("partner organisation"),
    )
    wording = models.CharField(_("wording shown"), max_length=40)
    source = models.CharField(_("given on"), max_length=120, blank=True)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose="partner", organisation__isnull=False)
                | models.Q(purpose="updates", organisation__isnull=True),
                name="partner_consent_names_its_partner",
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} ({self.wording})"


class PartnerPerson(models.Model):
    """A person as one partner organisation knows them: what the partner itself submitted
    (kept encrypted, shown back to it alone), and the identifier it reads them by.

    The row gives the partner nothing of what the person did on the site: that needs the
    person's own, confirmed partner consent (see supporters.partners). The identifier is this
    row's, not the supporter's, so it tells a partner nothing about who else knows the person.
    """

    organisation = models.ForeignKey(
        "coalition.Organisation",
        on_delete=models.CASCADE,
        related_name="partner_people",
        verbose_name=_("partner organisation"),
    )
    supporter = models.ForeignKey(
        Supporter,
        on_delete=models.CASCADE,
        related_name="partner_people",
        verbose_name=_("supporter"),
    )
    # Null when the partner never submitted the person (they chose to share with it).
    submitted = EncryptedTextField(_("what the partner submitted"), null=True, blank=True)
    # The partner's own tags on the person (Tag.organisation is the partner).
    tags = models.ManyToManyField(
        Tag, blank=True, related_name="partner_people", verbose_name=_("partner's tags")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("person known to a partner")
        verbose_name_plural = _("people known to partners")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "supporter"], name="one_partner_person_per_partner"
            ),
        ]

    def __str__(self):
        return f"{self.organisation_id} · {self.pk}"


class SupporterImport(ImportJob):
    """A CSV file of supporters from another tool (supporters.imports). The file is
    forgotten once the import is done or refused: only the counts and the report stay."""

    tool = models.CharField(_("exported from"), max_length=40)
    asked_at = models.DateTimeField(_("asked to confirm"), null=True, blank=True, editable=False)

    class Meta(ImportJob.Meta):
        verbose_name = _("import of supporters")
        verbose_name_plural = _("imports of supporters")
