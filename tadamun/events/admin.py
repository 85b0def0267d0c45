import zoneinfo

from django.contrib import admin
from django.db.models import Count, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tadamun.coalition.member_admin import OwnedByOrganisationAdmin
from tadamun.core.admin import HTTPS_BY_DEFAULT, ReaderTitles, TranslationAdmin, TranslationInline
from tadamun.events import organisers, services
from tadamun.events.forms import MAX_WEEKS, SeriesDatesForm
from tadamun.events.models import (
    DayOfAction,
    DayOfActionTranslation,
    Event,
    EventSeries,
    OrganiserMessage,
    Shift,
)
from tadamun.places import services as places
from tadamun.questions.admin import QuestionInline


class DayOfActionTranslationInline(TranslationInline):
    model = DayOfActionTranslation


@admin.register(DayOfAction)
class DayOfActionAdmin(ReaderTitles, admin.ModelAdmin):
    list_display = ["title", "campaign", "starts_on", "ends_on", "status"]
    list_filter = ["status", "campaign"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["other_campaigns"]
    fields = [
        "campaign",
        "other_campaigns",
        "title",
        "slug",
        "starts_on",
        "ends_on",
        "status",
        "language",
        "summary",
        "body",
    ]
    inlines = [DayOfActionTranslationInline]


@admin.register(DayOfActionTranslation)
class DayOfActionTranslationAdmin(TranslationAdmin):
    pass


class OrganiserMessageInline(admin.TabularInline):
    """What organisers sent to their attendees in the site's name, for moderators to see."""

    model = OrganiserMessage
    fields = ["created_at", "subject", "body", "audience", "recipients"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class ShiftInline(admin.TabularInline):
    """The event's time slots, in the venue's time (EventAdmin.change_view). Saved through
    EventAdmin.save_formset: the people who chose a slot hear when it moves or goes."""

    model = Shift
    fields = ["starts_at", "ends_at", "capacity", "people"]
    readonly_fields = ["people"]
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(people=Count("answers", filter=Q(answers__status__in=organisers.CONFIRMED)))
        )

    @admin.display(description=_("people coming or waiting (told if it moves or is removed)"))
    def people(self, shift):
        return getattr(shift, "people", 0)


class EditedAfterApprovalFilter(admin.SimpleListFilter):
    title = _("changed by the organiser")
    parameter_name = "edited"

    def lookups(self, request, model_admin):
        return [("yes", _("Changed since a moderator last saw it"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(edited_at__isnull=False)
        return queryset


@admin.register(Event)
class EventAdmin(ReaderTitles, OwnedByOrganisationAdmin):
    """The moderation queue: filter by status, approve or reject with a reason.

    A member organisation's organisers make its events here (issue 19): they wait for a
    moderator as a supporter's proposal does, and an organiser's later change to a published
    one is marked for the moderators as a change through the organiser's link is."""

    list_display = ["title", "day", "city", "country", "venue_start", "status", "edited_at"]
    list_filter = ["status", EditedAfterApprovalFilter, "day", "kind", "country", "organisation"]
    search_fields = ["title", "city"]
    list_select_related = ["day"]
    readonly_fields = [
        "venue_start", "organiser", "status", "created_at", "updated_at", "edited_at"
    ]  # fmt: skip
    # 170,000 cities: a search box, never a <select> of all of them.
    autocomplete_fields = ["place"]
    formfield_overrides = HTTPS_BY_DEFAULT
    inlines = [ShiftInline, OrganiserMessageInline, QuestionInline]
    actions = [
        "approve",
        "reject",
        "unpublish",
        "mark_changes_seen",
        "repeat_weekly",
        "add_dates",
        "cancel_dates",
    ]
    change_list_template = "admin/events/event/change_list.html"

    @admin.display(description=_("starts (the venue's time)"), ordering="starts_at")
    def venue_start(self, event):
        """18:00 for an 18:00 event in Paris, whatever the server's or the staff's zone,
        with the zone said."""
        when = date_format(event.local_start, "SHORT_DATETIME_FORMAT")
        return f"{when} ({event.time_zone})"

    def changelist_view(self, request, extra_context=None):
        counts = dict(Event.objects.values_list("status").annotate(n=Count("pk")).order_by())
        extra_context = {
            **(extra_context or {}),
            "changed_count": Event.objects.filter(edited_at__isnull=False).count(),
            "status_counts": [
                (value, label, counts.get(value, 0)) for value, label in Event.Status.choices
            ],
        }
        return super().changelist_view(request, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """Times typed in the venue's zone on adding too: the zone the form names, if real."""
        named = request.POST.get("time_zone", "")
        if named not in zoneinfo.available_timezones():
            return super().add_view(request, form_url, extra_context)
        with timezone.override(zoneinfo.ZoneInfo(named)):
            response = super().add_view(request, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """Times read and typed in the venue's zone: an 18:00 slot in Paris is 18:00."""
        event = self.get_object(request, object_id)
        if event is None:
            return super().change_view(request, object_id, form_url, extra_context)
        with timezone.override(event.zone):
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    @admin.action(description=_("Repeat the selected events every week"), permissions=["add"])
    def repeat_weekly(self, request, queryset):
        """First a page asking for how many weeks, then one more date of each event a week
        apart, at the same time in the venue's zone, in the event's series."""
        queryset = self.owned(request, queryset)  # never another organisation's event
        if "weeks" in request.POST:
            try:
                weeks = min(max(int(request.POST["weeks"]), 1), MAX_WEEKS)
            except ValueError:
                weeks = 1
            added = sum(
                len(services.repeat(event, services.weekly(event.local_start.date(), weeks)))
                for event in queryset
            )
            self.message_user(request, ngettext("%d date added.", "%d dates added.", added) % added)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "events": queryset,
            "title": _("Repeat events every week"),
            "max_weeks": MAX_WEEKS,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/repeat.html", context)

    @admin.action(
        description=_("Add dates of your choice to the selected events' series"),
        permissions=["add"],
    )
    def add_dates(self, request, queryset):
        """First a page asking for the dates, one a line, then a copy of each event on each
        date its series does not have yet (services.repeat, as "every week" does)."""
        queryset = self.owned(request, queryset)  # never another organisation's event
        form = SeriesDatesForm(request.POST if "dates" in request.POST else None)
        if form.is_valid():
            added = sum(
                len(services.repeat(event, form.cleaned_data["dates"])) for event in queryset
            )
            self.message_user(request, ngettext("%d date added.", "%d dates added.", added) % added)
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "events": queryset,
            "form": form,
            "title": _("Add dates of your choice to the selected events' series"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/dates.html", context)

    # "add": those who make events and their dates (organisers, coalition admins), not moderators
    # (who unpublish, with a reason).
    @admin.action(
        description=_("Cancel the selected dates (people coming are told)"), permissions=["add"]
    )
    def cancel_dates(self, request, queryset):
        """Skip a date of a series (or cancel a single event): each as its organiser's link
        cancels it, its own people told; a date not yet approved is withdrawn."""
        cancelled = [organisers.cancel(event) for event in self.owned(request, queryset)]
        done = sum(
            event.status in (Event.Status.CANCELLED, Event.Status.WITHDRAWN) for event in cancelled
        )
        self.message_user(
            request, ngettext("%d date cancelled.", "%d dates cancelled.", done) % done
        )

    def get_queryset(self, request):
        """Unlike a petition's, a public event's back-office page holds what its public page
        keeps back (an address kept off the site for the safety of the people who come, the
        moderators' note): an organiser reads only their own organisations' events."""
        return self.owned(request, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "series":  # named after their first date: only the staff's own
            own = self.owned(request, Event.objects.all())
            kwargs["queryset"] = EventSeries.objects.filter(events__in=own).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_formset(self, request, form, formset, change):
        """Slots through the organisers' own functions: people who chose a slot hear of its
        new time or of its removal, in their language."""
        if formset.model is not Shift:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for slot in formset.deleted_objects:
            if told := organisers.remove_shift(slot):
                self.message_user(request, organisers.removal_said(told))
        for slot, _changed in formset.changed_objects:
            organisers.change_shift(slot, slot.starts_at, slot.ends_at, slot.capacity)
        for slot in formset.new_objects:
            organisers.add_shift(form.instance, slot.starts_at, slot.ends_at, slot.capacity)
        return None

    def save_model(self, request, obj, form, change):
        if not change and obj.status == Event.Status.UNCONFIRMED:
            obj.status = Event.Status.PENDING  # made by staff: no email to confirm
        elif change and obj.is_published and not self._moderates(request):
            obj.edited_at = timezone.now()
            obj.sequence += 1  # people's calendars pick the change up
        moved = {"city", "country"} & set(form.changed_data)
        if "place" not in form.changed_data and (obj.place_id is None or moved):
            # On the map and found in any language, as a proposal is.
            obj.place = places.resolve_city(obj.city, obj.country.code)
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Approve the selected events"), permissions=["moderate"])
    def approve(self, request, queryset):
        changed = services.moderate(queryset, approve=True)
        self.message_user(
            request, ngettext("%d event approved.", "%d events approved.", changed) % changed
        )

    @admin.action(description=_("Mark the organisers' changes as seen"), permissions=["moderate"])
    def mark_changes_seen(self, request, queryset):
        """Organisers change published events without waiting (a time, a room): moderators
        read the changes afterwards, fix or reject what is wrong, and clear the mark."""
        seen = queryset.filter(edited_at__isnull=False).update(edited_at=None)
        self.message_user(request, ngettext("%d change seen.", "%d changes seen.", seen) % seen)

    @admin.action(
        description=_("Reject the selected events, with a reason"), permissions=["moderate"]
    )
    def reject(self, request, queryset):
        """First a page asking for the reason sent to the organisers, then the rejection."""
        return self._with_reason(
            request,
            queryset,
            lambda reason: services.moderate(queryset, approve=False, reason=reason),
            lambda n: ngettext("%d event rejected.", "%d events rejected.", n) % n,
            action="reject",
            title=_("Reject events"),
            intro=_("These events will be rejected and their organisers told why:"),
        )

    @admin.action(
        description=_("Unpublish the selected events (approved, changed or cancelled)"),
        permissions=["moderate"],
    )
    def unpublish(self, request, queryset):
        """Takes a published event off the site whatever its organiser did since approval."""
        return self._with_reason(
            request,
            queryset,
            lambda reason: services.unpublish(queryset, reason=reason),
            lambda n: ngettext("%d event unpublished.", "%d events unpublished.", n) % n,
            action="unpublish",
            title=_("Unpublish events"),
            intro=_("These events will be taken off the site and their organisers told why:"),
        )

    def _with_reason(self, request, queryset, act, done, *, action, title, intro):
        """First a page asking for the reason sent to the organisers, then the action."""
        if "reason" in request.POST:
            changed = act(request.POST["reason"].strip()[:1000])
            self.message_user(request, done(changed))
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "events": queryset,
            "title": title,
            "intro": intro,
            "action": action,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/events/event/reject.html", context)
