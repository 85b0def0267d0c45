import zoneinfo
from datetime import datetime

from django import forms
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tadamun.core import time_zones
from tadamun.core.forms import CountryChoiceField, FastSelect
from tadamun.core.text import validate_plain_text, validate_single_line, validate_web_address
from tadamun.events.models import Event, OrganiserMessage
from tadamun.events.services import EventProposal, weekly
from tadamun.places import services as places
from tadamun.questions.forms import QuestionsMixin
from tadamun.supporters.consents import CURRENT, OWNER, label, wording


def time_zone_choices():
    """The zones in use, by country and city, in the reader's language (core/time_zones.py)."""
    return [("", _("The city's own time zone")), *time_zones.grouped_choices(get_language())]


MAX_WEEKS = 26  # a weekly series of half a year at most


class EventDetailsForm(forms.Form):
    """What an event is, when and where: proposing and editing share it."""

    title = forms.CharField(label=_("Title"), max_length=150, validators=[validate_single_line])
    kind = forms.ChoiceField(
        label=_("Kind of event"), choices=[("", _("Choose one")), *Event.Kind.choices]
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What will happen, what to bring, whom to ask. Markdown is allowed."),
    )
    on_behalf_of = forms.CharField(
        label=_("On behalf of an organisation"),
        required=False,
        max_length=150,
        validators=[validate_single_line],
        help_text=_("The group or organisation that organises it, if any. Shown on the event."),
    )
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    start_time = forms.TimeField(
        label=_("Starts at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    end_time = forms.TimeField(
        label=_("Ends at"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        choices=time_zone_choices,
        widget=FastSelect,
        help_text=_("Choose one only if the venue is not in the city's zone."),
    )
    venue_name = forms.CharField(
        label=_("Venue"), required=False, max_length=150, validators=[validate_single_line]
    )
    address = forms.CharField(
        label=_("Address"), required=False, max_length=300, validators=[validate_single_line]
    )
    address_public = forms.BooleanField(
        label=_("Show the exact address publicly"),
        required=False,
        initial=True,
        help_text=_(
            "Untick it if the people who come could be put at risk: the address is then "
            "shown to nobody on the site."
        ),
    )
    city = forms.CharField(
        label=_("City or town"),
        max_length=100,
        validators=[validate_single_line],
        help_text=_("In any language: Köln, Cologne and كولونيا are the same city."),
    )
    country = CountryChoiceField()
    online_url = forms.URLField(
        label=_("Link for an online event"),
        required=False,
        max_length=300,
        assume_scheme="https",
        validators=[validate_web_address],
    )
    capacity = forms.IntegerField(
        label=_("How many people can come"),
        required=False,
        validators=[MinValueValidator(1)],
        help_text=_("Leave empty if there is no limit."),
    )

    def __init__(self, *args, day, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day
        # Dates allowed outside the day of action: an occurrence of a weekly series keeps its own.
        self.own_dates = set()

    def clean(self):
        data = super().clean()
        data["place"] = self._place(data.get("city"), data.get("country"))
        if data["place"] and not data.get("time_zone"):
            data["time_zone"] = data["place"].time_zone
        if not data.get("time_zone") and "city" not in self.errors:
            self.add_error("time_zone", _("Choose the time zone of the venue."))
        date, start, end, zone = (
            data.get(k) for k in ("date", "start_time", "end_time", "time_zone")
        )
        if data.get("kind") == Event.Kind.ONLINE and not data.get("online_url"):
            self.add_error("online_url", _("An online event needs its link."))
        if not (date and start and end and zone):
            return data
        if not (self.day.starts_on <= date <= self.day.ends_on) and date not in self.own_dates:
            self.add_error("date", _("Choose a date within the day of action."))
            return data
        starts_at = self._aware(date, start, zone, "start_time")
        ends_at = self._aware(date, end, zone, "end_time")
        if starts_at and ends_at:
            if ends_at <= starts_at:
                self.add_error("end_time", _("The event must end after it starts."))
            elif starts_at < timezone.now():
                self.add_error("date", _("This time has already passed."))
            data["starts_at"], data["ends_at"] = starts_at, ends_at
        return data

    def _place(self, city, country):
        """The gazetteer's city for what was typed, or None with an error beside the field."""
        if not (city and country):
            return None
        place = places.resolve_city(city, country)
        if place is None:
            self.add_error(
                "city",
                _(
                    "We do not know a town called “%(city)s” in %(country)s. Check the "
                    "spelling, or give the nearest larger town."
                )
                % {"city": city, "country": countries.name(country)},
            )
        return place

    def _aware(self, date, time, zone_name, field):
        """The moment `date time` in the venue's zone; None (with an error) for a clock time
        the zone skips when its clocks go forward."""
        zone = zoneinfo.ZoneInfo(zone_name)
        naive = datetime.combine(date, time)
        aware = naive.replace(tzinfo=zone)
        if (
            aware.astimezone(zoneinfo.ZoneInfo("UTC")).astimezone(zone).replace(tzinfo=None)
            != naive
        ):
            self.add_error(
                field, _("This time does not exist there: the clocks change that night.")
            )
            return None
        return aware

    def proposal(self, language: str) -> EventProposal:
        data = self.cleaned_data
        return EventProposal(
            title=data["title"],
            kind=data["kind"],
            description=data["description"],
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            time_zone=data["time_zone"],
            city=data["city"],
            country=data["country"],
            place=data["place"],
            organiser_name=data.get("organiser_name", ""),
            organiser_email=data.get("organiser_email", ""),
            venue_name=data["venue_name"],
            on_behalf_of=data["on_behalf_of"],
            address=data["address"],
            address_public=data["address_public"],
            online_url=data["online_url"],
            capacity=data["capacity"],
            language=language,
        )


class ProposeEventForm(EventDetailsForm):
    organiser_name = forms.CharField(
        label=_("Your name"), max_length=120, validators=[validate_single_line]
    )
    organiser_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a confirmation link here. Never shown publicly."),
    )
    weeks = forms.IntegerField(
        label=_("Repeat it every week"),
        required=False,
        min_value=1,
        max_value=MAX_WEEKS,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["weeks"].help_text = gettext(
            "How many weeks in a row, this date included (at most %(max)s). Leave empty "
            "for a single date."
        ) % {"max": MAX_WEEKS}

    def dates(self):
        """The dates of the series the form asks for (just the first when it does not)."""
        data = self.cleaned_data
        return weekly(data["date"], data["weeks"] or 1)


class ShiftForm(forms.Form):
    """A time slot the organiser adds to their event, on the event's date, in its zone."""

    # The event's own fields, as the organiser knows them from proposing it.
    start_time = EventDetailsForm.base_fields["start_time"]
    end_time = EventDetailsForm.base_fields["end_time"]
    capacity = EventDetailsForm.base_fields["capacity"]

    def __init__(self, *args, event: Event, **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end:
            day = self.event.local_start.date()
            data["starts_at"] = datetime.combine(day, start, tzinfo=self.event.zone)
            data["ends_at"] = datetime.combine(day, end, tzinfo=self.event.zone)
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("end_time", _("The time slot must end after it starts."))
        return data


class EditEventForm(EventDetailsForm):
    """The organiser's form, filled with the event as it stands, in the venue's zone."""

    def __init__(self, *args, event: Event, **kwargs):
        start, end = event.local_start, event.local_end
        initial = {
            **{name: getattr(event, name) for name in EDITABLE_AS_IS},
            # Left on "the city's own zone" when it is, so a new city brings its own.
            "time_zone": ""
            if event.place and event.place.time_zone == event.time_zone
            else event.time_zone,
            "country": event.country.code,
            "date": start.date(),
            "start_time": start.time(),
            "end_time": end.time(),
        }
        super().__init__(*args, day=event.day, initial=initial, **kwargs)
        if event.series_id:
            self.own_dates = {start.date()}
        if initial["time_zone"] and initial["time_zone"] not in time_zones.zone_names():
            # A zone kept from before the curated list: still offered, so saving keeps it.
            zone = initial["time_zone"]
            self.fields["time_zone"].choices = [*time_zone_choices(), (zone, zone)]


EDITABLE_AS_IS = (
    "title", "kind", "description", "on_behalf_of", "venue_name", "address",
    "address_public",
    "city", "online_url", "capacity",
)  # fmt: skip


class MessageForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=150, validators=[validate_single_line])
    body = forms.CharField(
        label=_("Message"),
        max_length=5000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    audience = forms.TypedChoiceField(
        label=_("Send to"),
        choices=OrganiserMessage.Audience.choices,
        initial=OrganiserMessage.Audience.GOING,
        widget=forms.RadioSelect,
    )


class CancelEventForm(forms.Form):
    note = forms.CharField(
        label=_("A message for the people who said they would come"),
        required=False,
        max_length=2000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    confirm = forms.BooleanField(label=_("Yes, cancel this event"))
    # Shown for a series only: the whole series is cancelled through any of its dates.
    every_date = forms.BooleanField(
        label=_("Cancel every date still to come, not only this one"), required=False
    )


class ManageLinkRequestForm(forms.Form):
    email = forms.EmailField(label=_("Your email address"), max_length=254)


class RsvpForm(QuestionsMixin, forms.Form):
    """The RSVP form; the event's custom questions follow its own fields."""

    name = forms.CharField(label=_("Your name"), max_length=120, validators=[validate_single_line])
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a link to confirm, then the details and a reminder the day before."),
    )
    wants_updates = forms.BooleanField(required=False)
    # On a member organisation's event: to hear from it (consents.OWNER).
    hears_from_owner = forms.BooleanField(required=False)

    def __init__(self, *args, owner=None, **kwargs):
        """`owner`: the member organisation whose event it is, if any: the form then asks
        to hear from it, as an organisation's petition's sign form does."""
        super().__init__(*args, **kwargs)
        self.fields["wants_updates"].label = wording(CURRENT["updates"])
        if owner is not None:
            self.fields["hears_from_owner"].label = label(OWNER, owner)
        else:
            del self.fields["hears_from_owner"]

    def drawing_key(self) -> tuple:
        """What the form's markup depends on, unbound, besides the language
        (`{% unbound_form %}` in events/event_detail.html): the consents' wording, the
        owner's name, the time slots with their places left and the questions' text. Read
        afresh on every view, so a change in another process is never drawn stale."""
        owner, slots = self.fields.get("hears_from_owner"), self.fields.get("shifts")
        return (
            str(self.fields["wants_updates"].label),
            str(owner.label) if owner else None,
            tuple((value, str(text)) for value, text in slots.choices) if slots else None,
            self.questions_key(),
        )


def shift_label(shift) -> str:
    """A slot as the reader reads it, in the venue's time, with the places left."""
    start, end = shift.local_start, shift.local_end
    when = f"{date_format(start, 'DATETIME_FORMAT')} – {time_format(end, 'TIME_FORMAT')}"
    if shift.places_left is None:
        return when
    if shift.places_left == 0:
        return f"{when} · {_('full: waiting list')}"
    left = ngettext("%(counter)s place left.", "%(counter)s places left.", shift.places_left)
    return f"{when} · {left % {'counter': shift.places_left}}"


def add_shift_choice(form: forms.Form, event_shifts) -> forms.Form:
    """Add the choice of time slots to an RSVP form, when the event has slots (its own
    field, kept apart from the rest of the form)."""
    if event_shifts:
        form.fields["shifts"] = forms.TypedMultipleChoiceField(
            label=_("Time slots"),
            help_text=_("Choose one or more. A full slot puts you on its waiting list."),
            choices=[(shift.pk, shift_label(shift)) for shift in event_shifts],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            error_messages={"required": _("Choose at least one time slot.")},
        )
    return form


class SeriesDatesForm(forms.Form):
    """The dates an organiser picks for their series in the back office, one a line (no
    fixed rhythm: a vigil on the first Friday of each month, a date skipped for a holiday)."""

    dates = forms.CharField(
        label=_("Dates, one a line"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 20, "dir": "ltr"}),
        max_length=MAX_WEEKS * 40,
        help_text=_("As 2027-04-03. Dates the series already has are left as they are."),
    )

    def clean_dates(self):
        field = forms.DateField()
        lines = [line.strip() for line in self.cleaned_data["dates"].splitlines() if line.strip()]
        if len(lines) > MAX_WEEKS:
            raise forms.ValidationError(
                gettext("At most %(max)s dates at once.") % {"max": MAX_WEEKS}
            )
        dates, today = [], timezone.localdate()
        for line in lines:
            try:
                day = field.clean(line)
            except forms.ValidationError:
                raise forms.ValidationError(
                    gettext("“%(line)s” is not a date.") % {"line": line[:20]}
                ) from None
            if day < today:
                raise forms.ValidationError(
                    gettext("%(date)s has passed.") % {"date": date_format(day)}
                )
            dates.append(day)
        return dates
