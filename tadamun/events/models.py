import secrets
import zoneinfo

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from tadamun.coalition.member_actions import staffed_owner
from tadamun.coalition.models import Campaign
from tadamun.core.crypto import EncryptedTextField
from tadamun.core.markdown import render_markdown
from tadamun.core.models import Translatable, TranslatableQuerySet, Translation
from tadamun.core.text import validate_plain_text, validate_single_line
from tadamun.events.places import location, location_parts
from tadamun.places.names import name_for_reader


class DayOfActionQuerySet(TranslatableQuerySet):
    def public(self):
        return self.filter(status=DayOfAction.Status.PUBLISHED).exclude(
            campaign__status=Campaign.Status.DRAFT
        )


class DayOfAction(Translatable):
    """A day (or a few days) on which the coalition calls for local actions everywhere."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="days_of_action",
        verbose_name=_("campaign"),
    )
    other_campaigns = models.ManyToManyField(
        Campaign,
        blank=True,
        related_name="shared_days_of_action",
        verbose_name=_("also part of"),
        help_text=_("Other campaigns whose pages show it too."),
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )

    objects = DayOfActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("day of action")
        verbose_name_plural = _("days of action")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="day_of_action_ends_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:day", args=[self.slug])


class DayOfActionTranslation(Translation):
    source_field = "day"

    day = models.ForeignKey(
        DayOfAction,
        on_delete=models.CASCADE,
        related_name="translations",
        verbose_name=_("day of action"),
    )

    class Meta:
        verbose_name = _("day of action translation")
        verbose_name_plural = _("day of action translations")
        constraints = [
            models.UniqueConstraint(
                fields=["day", "language"], name="one_day_translation_per_language"
            )
        ]


def new_manage_key() -> str:
    return secrets.token_urlsafe(16)


class EventQuerySet(models.QuerySet):
    def public(self):
        """Listed, searchable and open to RSVPs."""
        return self.filter(
            staffed_owner(), status=Event.Status.APPROVED, day__in=DayOfAction.objects.public()
        )

    def visible(self):
        """What the public may read (pages, calendars, both APIs, the mirror): the events a
        moderator approved, and those cancelled after approval, whose page and calendar entry
        stay, marked cancelled, for the people who followed a link or subscribed.

        The moderation rule for events lives here and in Event.is_published (see
        docs/security.md, "Moderation"): a proposal cancelled before approval is withdrawn,
        and an event a moderator unpublishes is rejected, so neither is ever shown.
        An organisation's event (`organisation`) is moderated the same way, and is hidden
        while its organisation has no organiser (coalition.member_actions.staffed_owner).
        """
        return self.filter(
            staffed_owner(), status__in=Event.PUBLISHED, day__in=DayOfAction.objects.public()
        )


class EventSeries(models.Model):
    """Events that repeat (a weekly vigil, or a list of dates): each occurrence is an Event
    row of its own, with its own page, answers and calendar entry; the series groups them so
    they are proposed, confirmed and moderated once, and each page lists the other dates."""

    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("event series")
        verbose_name_plural = _("event series")

    def __str__(self):
        first = self.events.order_by("starts_at").first()
        return f"{first} (#{self.pk})" if first else f"#{self.pk}"


class Event(models.Model):
    """A local action on a day of action, proposed by a supporter and moderated."""

    class Kind(models.TextChoices):
        RALLY = "rally", _("Rally")
        VIGIL = "vigil", _("Vigil")
        STALL = "stall", _("Information stall")
        MEETING = "meeting", _("Public meeting")
        ONLINE = "online", _("Online meeting")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not confirmed")
        PENDING = "pending", _("Awaiting moderation")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")
        WITHDRAWN = "withdrawn", _("Withdrawn before moderation")

    # Approved by a moderator, and still so (cancelled is reached only from approved).
    PUBLISHED = (Status.APPROVED, Status.CANCELLED)

    day = models.ForeignKey(
        DayOfAction,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("day of action"),
    )
    title = models.CharField(_("title"), max_length=150, validators=[validate_single_line])
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(
        _("description"), max_length=5000, blank=True, validators=[validate_plain_text]
    )
    description_html = models.TextField(editable=False, blank=True)
    # Stored in UTC; shown in the venue's own zone, which is kept by name.
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    venue_name = models.CharField(_("venue"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_public = models.BooleanField(_("address shown publicly"), default=True)
    city = models.CharField(_("city"), max_length=100, validators=[validate_single_line])
    country = CountryField(_("country"))
    # The gazetteer's city the typed name resolved to: coordinates for the map, and a search
    # in any language finds the event.
    place = models.ForeignKey(
        "places.City",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("city in the gazetteer"),
    )
    online_url = models.URLField(_("online link"), blank=True, max_length=300)
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    series = models.ForeignKey(
        EventSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("series"),
    )
    organiser = models.ForeignKey(
        "supporters.Supporter",
        null=True,
        on_delete=models.SET_NULL,
        related_name="events",
        verbose_name=_("organiser"),
    )
    # A member organisation's event, made by its organisers in the back office (issue 19):
    # moderated like any other (status), public only while the organisation has organisers.
    organisation = models.ForeignKey(
        "coalition.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by the organisation"),
        help_text=_(
            "Empty for events proposed by supporters or the coalition. An organisation's "
            "event is public only once a moderator approved it."
        ),
    )
    on_behalf_of = models.CharField(
        _("organised on behalf of"), max_length=150, blank=True, validators=[validate_single_line]
    )
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=Status.choices,
        default=Status.UNCONFIRMED,
        db_index=True,
    )
    moderation_note = models.TextField(_("reason given to the organiser"), blank=True)
    cancellation_note = models.TextField(_("message sent with the cancellation"), blank=True)
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    edited_at = models.DateTimeField(_("last edited by the organiser"), null=True, blank=True)
    # Part of the organiser's link: a new one is drawn when they ask for the link again, so a
    # link that was forwarded or leaked stops working.
    manage_key = models.CharField(max_length=32, default=new_manage_key, editable=False)
    # RFC 5545 SEQUENCE: raised on every change people's calendars must pick up.
    sequence = models.PositiveIntegerField(default=0, editable=False)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]
        permissions = [("moderate_event", _("Can approve and reject events"))]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.description_html = render_markdown(self.description)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("events:event", args=[self.pk])

    @property
    def is_published(self) -> bool:
        """Approved by a moderator (perhaps cancelled since): see EventQuerySet.visible."""
        return self.status in self.PUBLISHED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def takes_rsvps(self) -> bool:
        return self.status == self.Status.APPROVED and self.starts_at > timezone.now()

    def places_left(self) -> int | None:
        if self.capacity is None:
            return None
        going = self.rsvps.filter(status=Rsvp.Status.GOING).count()
        return max(self.capacity - going, 0)

    @property
    def full_location(self) -> str:
        """Where it is, the address included whether public or not (for its organisers)."""
        return location(self.venue_name, self.address, self.city, self.country.name)

    @property
    def public_location(self) -> str:
        """Venue, address (when the organisers make it public), city and country, each
        piece said once (events/places.py)."""
        address = self.address if self.address_public else ""
        return location(self.venue_name, address, self.city, self.country.name)

    @property
    def full_location_parts(self) -> list[str]:
        return location_parts(self.venue_name, self.address, self.city_name, self.country.name)

    @property
    def public_location_parts(self) -> list[str]:
        """The public location's pieces, the city named as the reader names it."""
        address = self.address if self.address_public else ""
        return location_parts(self.venue_name, address, self.city_name, self.country.name)

    @property
    def city_name(self) -> str:
        """The city as the reader names it (`places.names.name_for_reader`)."""
        language = get_language()
        gazetteer_name = self.place.name_in(language) if self.place_id else ""
        return name_for_reader(self.city, gazetteer_name, language)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.zone)


class Rsvp(models.Model):
    """A person's answer to an event: going, on the waiting list, or cancelled."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("Email not confirmed")
        GOING = "going", _("Going")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("event")
    )
    supporter = models.ForeignKey(
        "supporters.Supporter",
        null=True,
        on_delete=models.SET_NULL,
        related_name="rsvps",
        verbose_name=_("supporter"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED
    )
    # What was submitted, applied to the supporter record only once they confirm.
    # The name the person gave for this answer: what the organiser sees, whatever name
    # their supporter record holds from elsewhere.
    name = EncryptedTextField(blank=True, editable=False)
    wants_updates = models.BooleanField(default=False, editable=False)
    # On a member organisation's event: to hear from it (consents.OWNER, given on confirming).
    hears_from_owner = models.BooleanField(default=False, editable=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    created_at = models.DateTimeField(_("answered"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("RSVP")
        verbose_name_plural = _("RSVPs")
        ordering = ["confirmed_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "supporter"],
                condition=models.Q(supporter__isnull=False),
                name="one_rsvp_per_person",
            )
        ]
        indexes = [models.Index(fields=["event", "status"], name="rsvp_status")]

    def __str__(self):
        return f"{self.event} #{self.pk}"


class Shift(models.Model):
    """A time slot of an event with its own places (a stall staffed in turns): people choose
    one or several, and each slot has its own waiting list. An event with slots counts places
    per slot only (events/shifts.py)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)

    class Meta:
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            )
        ]

    def __str__(self):
        zone = self.event.zone
        start, end = self.starts_at.astimezone(zone), self.ends_at.astimezone(zone)
        return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"

    @property
    def local_start(self):
        return self.starts_at.astimezone(self.event.zone)

    @property
    def local_end(self):
        return self.ends_at.astimezone(self.event.zone)


class ShiftAnswer(models.Model):
    """One time slot a person chose in their answer: going or waiting for that slot, and
    reminded before it."""

    rsvp = models.ForeignKey(
        Rsvp, on_delete=models.CASCADE, related_name="shift_answers", verbose_name=_("RSVP")
    )
    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="answers", verbose_name=_("time slot")
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Rsvp.Status.choices, default=Rsvp.Status.UNCONFIRMED
    )
    reminded_at = models.DateTimeField(_("reminded"), null=True, blank=True)

    class Meta:
        verbose_name = _("time slot chosen")
        verbose_name_plural = _("time slots chosen")
        ordering = ["shift__starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rsvp", "shift"], name="one_answer_per_shift")
        ]
        indexes = [models.Index(fields=["shift", "status"], name="shift_answer_status")]

    def __str__(self):
        return f"{self.shift} #{self.rsvp_id}"


class OrganiserMessage(models.Model):
    """An email an organiser sent to their attendees through the site, kept so moderators
    can see what was sent in the platform's name."""

    class Audience(models.TextChoices):
        GOING = "going", _("People coming")
        EVERYONE = "everyone", _("People coming and the waiting list")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="messages", verbose_name=_("event")
    )
    subject = models.CharField(_("subject"), max_length=150, validators=[validate_single_line])
    body = models.TextField(_("message"), max_length=5000, validators=[validate_plain_text])
    audience = models.CharField(
        _("sent to"), max_length=10, choices=Audience.choices, default=Audience.GOING
    )
    recipients = models.PositiveIntegerField(_("recipients"), default=0)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)

    class Meta:
        verbose_name = _("message to attendees")
        verbose_name_plural = _("messages to attendees")
        ordering = ["-created_at"]

    def __str__(self):
        return self.subject or f"#{self.pk}"  # blank once its organiser erased their data
