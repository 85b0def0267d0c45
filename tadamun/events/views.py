from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_bidi
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tadamun.coalition.models import Campaign
from tadamun.core import cards, intake, limits
from tadamun.core.confirmation import confirm_view
from tadamun.events import calendars, queries, rsvps, search, services, shifts
from tadamun.events.forms import ProposeEventForm, RsvpForm, add_shift_choice
from tadamun.events.links import CANCEL_RSVP, CONFIRM_EVENT, CONFIRM_RSVP
from tadamun.events.models import Event
from tadamun.events.search import EventSearchForm
from tadamun.questions.queries import asked


def public_days():
    """The public days of action, as a page shows them to its reader."""
    return queries.public_days().for_reader()


def day_list(request):
    days = public_days().annotate(
        event_count=Count("events", filter=Q(events__status=Event.Status.APPROVED))
    )
    return render(request, "events/day_list.html", {"days": days})


@require_GET
def day_detail(request, slug):
    day = get_object_or_404(public_days(), slug=slug)
    form = EventSearchForm(request.GET or None)
    events = Event.objects.public().filter(day=day)
    results = results_html(request, form, events, cache_key=f"day-{day.pk}")
    return render(request, "events/day_detail.html", {"day": day, "results": results})


@require_GET
def find(request):
    """Every published event still to come, searchable across days of action."""
    # A day that ended yesterday in UTC can still be running west of Greenwich.
    days = public_days().filter(ends_on__gte=timezone.localdate() - timedelta(days=1))
    form = EventSearchForm(request.GET or None, days=days)
    # Not only the days listed: a weekly series goes on after its day of action.
    upcoming = Event.objects.public().filter(ends_at__gt=timezone.now())
    results = results_html(request, form, upcoming, cache_key="find")
    return render(request, "events/find.html", {"results": results})


def results_html(request, form, events, *, cache_key: str) -> str:
    """The counts, the search form, the map and the events or cities found.

    With nothing searched it is the same for everyone and the costliest (every event of the
    day), so it is kept for EVENTS_PAGE_CACHE_SECONDS per language.
    """
    cacheable = form.searches_nothing and settings.EVENTS_PAGE_CACHE_SECONDS > 0
    key = f"events-results:{cache_key}:{get_language()}"
    if cacheable and (html := cache.get(key)):
        return mark_safe(html)  # rendered by the template below
    found = search.matching(events, form)
    groups = search.by_country_and_city(found, form.data)
    context = {
        "form": form,
        "groups": groups,
        "map": search.map_markers(groups),
        "listed": len(found) <= settings.EVENTS_LISTED_AT_ONCE,
        "event_count": len(found),
        "attendee_count": sum(event.attendees for event in found),
        "country_count": len(groups),
    }
    html = render_to_string("events/results.html", context, request)
    if cacheable:
        cache.set(key, str(html), settings.EVENTS_PAGE_CACHE_SECONDS)
    return html


def rsvp_form(event, data=None) -> RsvpForm:
    """The RSVP form of `event`, asking its custom questions (prefetched with `asked`)."""
    return RsvpForm(
        data,
        questions=event.questions.all(),
        language=get_language(),
        country=event.country.code,
        owner=event.organisation,
    )


def event_detail(request, pk, form=None, challenge=None, status=200):
    if (event := queries.visible_event(pk, get_language())) is None:
        raise Http404
    event_shifts = shifts.with_places(event)
    context = {
        "event": event,
        "form": form or add_shift_choice(rsvp_form(event), event_shifts),
        "challenge": challenge,
        "places_left": None if event_shifts else event.places_left(),
        "shifts": event_shifts,
        "other_dates": queries.other_dates(event),
    }
    return render(request, "events/event_detail.html", context, status=status)


@require_POST
def rsvp(request, pk):
    public = Event.objects.public().select_related("organisation")
    event = get_object_or_404(public.prefetch_related(asked(get_language())), pk=pk)
    form = add_shift_choice(rsvp_form(event, request.POST), shifts.with_places(event))
    if not event.takes_rsvps() or not form.is_valid():
        return event_detail(request, pk, form=form)
    if held := limits.hold_back(request, form, "rsvp"):
        return event_detail(request, pk, form=form, challenge=held.challenge, status=held.status)
    data = form.cleaned_data
    intake.submit(  # while the vault is locked: sealed, recorded after unlock
        rsvps.answer,
        event,
        rsvps.RsvpRequest(
            name=data["name"],
            email=data["email"],
            wants_updates=data["wants_updates"],
            hears_from_owner=data.get("hears_from_owner", False),
            language=get_language(),
            answers=form.answers(),
            shifts=tuple(data.get("shifts", ())),
        ),
    )
    return redirect("events:rsvp_thanks", pk=event.pk)


def rsvp_thanks(request, pk):
    event = get_object_or_404(Event.objects.public(), pk=pk)
    return render(request, "events/rsvp_thanks.html", {"event": event})


def _answer_page(answer) -> dict:
    return {"rsvp": answer, "event": answer.event, "shifts": shifts.chosen(answer)}


rsvp_confirm = confirm_view(
    CONFIRM_RSVP, template="events/rsvp_confirm.html", context=_answer_page, act=rsvps.confirm
)
# A mail scanner opening the link cancels nothing.
rsvp_cancel = confirm_view(
    CANCEL_RSVP, template="events/rsvp_cancel.html", context=_answer_page, act=rsvps.cancel
)


@require_http_methods(["GET", "POST"])
def propose(request, slug):
    day = get_object_or_404(public_days(), slug=slug)
    form = ProposeEventForm(request.POST or None, day=day)
    context = {"day": day, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "events/propose.html", context)
    if held := limits.hold_back(request, form, "propose-event", email_field="organiser_email"):
        context["challenge"] = held.challenge
        return render(request, "events/propose.html", context, status=held.status)
    intake.submit(services.propose, day, form.proposal(get_language()), dates=form.dates())
    return redirect("events:proposed", slug=day.slug)


def proposed(request, slug):
    day = get_object_or_404(public_days(), slug=slug)
    return render(request, "events/proposed.html", {"day": day})


confirm = confirm_view(
    CONFIRM_EVENT,
    template="events/confirm.html",
    context=lambda event: {"event": event},
    act=services.confirm,
    done_template="events/confirmed.html",
)


@require_GET
def event_ics(request, pk):
    event = get_object_or_404(Event.objects.visible(), pk=pk)
    calendar = calendars.calendar_for([event], event.title)
    return calendars.ics_response(calendar, event.title, f"event-{pk}")


@require_GET
def day_ics(request, slug):
    day = get_object_or_404(public_days(), slug=slug)
    events = Event.objects.visible().filter(day=day)
    title = day.localized(get_language()).title
    return calendars.ics_response(calendars.calendar_for(events, title), title, day.slug)


@require_GET
def campaign_ics(request, slug):
    campaign = get_object_or_404(Campaign.objects.public().for_reader(), slug=slug)
    title = campaign.localized(get_language()).title
    events = Event.objects.visible().filter(day__campaign=campaign).select_related("day")
    return calendars.ics_response(calendars.calendar_for(events, title), title, slug)


@require_GET
def event_card(request, pk):
    """The event's link-preview picture: its kind, title, date and time, city."""
    event = get_object_or_404(Event.objects.visible().select_related("place"), pk=pk)
    start = event.local_start
    when = f"{date_format(start, 'DATE_FORMAT')} · {time_format(start, 'TIME_FORMAT')}"
    return cards.card_response(
        request,
        label=str(event.get_kind_display()),
        headline=event.title,
        facts=[when, f"{event.city_name} · {event.country.name}"],
        site=cards.site_name(),
        rtl=get_language_bidi(),
    )
