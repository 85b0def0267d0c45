"""The organiser's pages, reached through the link emailed to them (organisers.py)."""

from functools import wraps

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tadamun.core import intake, limits
from tadamun.core.confirmation import link_view
from tadamun.events import exports, organisers, shifts
from tadamun.events.forms import (
    CancelEventForm,
    EditEventForm,
    ManageLinkRequestForm,
    MessageForm,
    ShiftForm,
)
from tadamun.events.links import MANAGE_EVENT
from tadamun.events.models import Event, Shift

# A move or a new time would email everyone coming once more than a day allows.
TOO_MANY_NOTICES = gettext_lazy(
    "This change would email the people coming once more than a day allows. Try tomorrow, "
    "or ask the coalition's staff to make it."
)


def organiser_link(view):
    """Decorate a view taking `token`: it receives the event the organiser's link names, or
    the person learns the link does not work. Never cached: the pages hold attendees' names."""

    @link_view(MANAGE_EVENT)
    @wraps(view)
    def page(request, event, token):
        response = view(request, event, token)
        response["X-Robots-Tag"] = "noindex"
        return response

    return page


def _page(
    request, event, token, *, message_form=None, cancel_form=None, shift_form=None, status=200
):
    reach = organisers.can_reach_attendees(event)
    context = {
        "event": event,
        "token": token,
        "attendees": organisers.attendees(event) if reach else [],
        "can_reach_attendees": reach,
        "can_edit": organisers.can_edit(event),
        "message_form": message_form or MessageForm(),
        "cancel_form": cancel_form or CancelEventForm(),
        "messages_left": organisers.messages_left_today(event),
        "sent_messages": event.messages.all()[:10],
        "shifts": shifts.with_places(event),
        "shift_form": shift_form or ShiftForm(event=event),
        "series_dates": [
            (other, MANAGE_EVENT.path(other)) for other in organisers.series_dates(event)
        ],
    }
    return render(request, "events/manage.html", context, status=status)


@require_GET
@organiser_link
def manage(request, event, token):
    return _page(request, event, token)


@require_http_methods(["GET", "POST"])
@organiser_link
def edit(request, event, token):
    if not organisers.can_edit(event):
        return redirect("events:manage", token=token)
    form = EditEventForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            organisers.edit(event, form.proposal(event.language), counted=True)
        except organisers.TooManyMessages:
            form.add_error(None, TOO_MANY_NOTICES)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect("events:manage", token=token)
    status = 429 if form.non_field_errors() else 200
    return render(request, "events/manage_edit.html", {"event": event, "form": form}, status=status)


@require_POST
@organiser_link
def write(request, event, token):
    if not organisers.can_reach_attendees(event):
        return redirect("events:manage", token=token)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _page(request, event, token, message_form=form, status=400)
    data = form.cleaned_data
    try:
        message = organisers.write_to_attendees(
            event, data["subject"], data["body"], data["audience"]
        )
    except organisers.TooManyMessages:
        form.add_error(None, _("You have sent as many messages as a day allows. Try tomorrow."))
        return _page(request, event, token, message_form=form, status=429)
    count = message.recipients
    messages.success(
        request,
        ngettext(
            "Your message is on its way to %(count)s person.",
            "Your message is on its way to %(count)s people.",
            count,
        )
        % {"count": count},
    )
    return redirect("events:manage", token=token)


@require_POST
@organiser_link
def cancel(request, event, token):
    form = CancelEventForm(request.POST)
    if not form.is_valid():
        return _page(request, event, token, cancel_form=form, status=400)
    if form.cleaned_data["every_date"] and event.series_id:
        organisers.cancel_series(event, form.cleaned_data["note"])
        event.refresh_from_db()
    else:
        event = organisers.cancel(event, form.cleaned_data["note"])
    if event.status == event.Status.WITHDRAWN:
        messages.success(request, _("Your proposal is withdrawn: it will not be published."))
    else:
        messages.success(request, _("The event is cancelled. Everyone who was coming is told."))
    return redirect("events:manage", token=token)


@require_POST
@organiser_link
def add_shift(request, event, token):
    if not organisers.can_edit(event):
        return redirect("events:manage", token=token)
    form = ShiftForm(request.POST, event=event)
    if not form.is_valid():
        return _page(request, event, token, shift_form=form, status=400)
    data = form.cleaned_data
    organisers.add_shift(event, data["starts_at"], data["ends_at"], data["capacity"])
    messages.success(request, _("The time slot is added."))
    return redirect("events:manage", token=token)


def _own_slot(request, event) -> Shift | None:
    """The slot of `event` the page names (`?slot=` or the form's `slot`), or None when no
    slot has that number any more (a second click on "Remove"). Another event's slot, or
    no number, is not found: the link is the key to its own event only."""
    number = request.POST.get("slot", request.GET.get("slot", ""))
    if not (number.isascii() and number.isdigit() and len(number) < 19):
        raise Http404
    shift = Shift.objects.filter(pk=int(number)).first()
    if shift is not None and shift.event_id != event.pk:
        raise Http404
    if shift is not None:
        shift.event = event  # its local times, without a query
    return shift


@require_http_methods(["GET", "POST"])
@organiser_link
def change_shift(request, event, token):
    """Move a slot or change its places, as the back office does (organisers.change_shift):
    its people hear of a new time and are reminded again before it."""
    if not organisers.can_edit(event):
        return redirect("events:manage", token=token)
    if (shift := _own_slot(request, event)) is None:
        raise Http404
    initial = {
        "start_time": shift.local_start.time(),
        "end_time": shift.local_end.time(),
        "capacity": shift.capacity,
    }
    posted = request.method == "POST"
    form = ShiftForm(request.POST if posted else None, event=event, initial=initial)
    if posted and form.is_valid():
        data = form.cleaned_data
        try:
            changed = organisers.change_shift(
                shift, data["starts_at"], data["ends_at"], data["capacity"], counted=True
            )
        except organisers.TooManyMessages:
            form.add_error(None, TOO_MANY_NOTICES)
            context = {"event": event, "token": token, "shift": shift, "form": form}
            return render(request, "events/manage_shift.html", context, status=429)
        if not changed:
            raise Http404  # removed meanwhile
        messages.success(
            request,
            _("The time slot is changed. If its time moved, the people who chose it are told."),
        )
        return redirect("events:manage", token=token)
    context = {"event": event, "token": token, "shift": shift, "form": form}
    return render(request, "events/manage_shift.html", context, status=400 if posted else 200)


@require_http_methods(["GET", "POST"])
@organiser_link
def remove_shift(request, event, token):
    """Remove a slot, once the organiser confirmed on a page saying who will be told (the
    GET); its people hear in their language which of their slots remain."""
    if not organisers.can_edit(event):
        return redirect("events:manage", token=token)
    shift = _own_slot(request, event)
    if request.method == "POST":
        told = organisers.remove_shift(shift) if shift is not None else 0
        messages.success(request, organisers.removal_said(told))
        return redirect("events:manage", token=token)
    if shift is None:
        raise Http404
    people = organisers.slot_people(shift).count()
    context = {"event": event, "token": token, "shift": shift, "people": people}
    return render(request, "events/manage_shift_remove.html", context)


@require_GET
@organiser_link
def attendees_csv(request, event, token):
    if not organisers.can_reach_attendees(event):
        return redirect("events:manage", token=token)
    return exports.attendees_csv(event, by="the event's organiser, through their link")


@require_http_methods(["GET", "POST"])
def request_link(request, pk):
    """ "I organise this event": the manage link, again, to the organiser's address only."""
    event = get_object_or_404(Event.objects.visible(), pk=pk)
    form = ManageLinkRequestForm(request.POST or None)
    context = {"event": event, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "events/manage_request.html", context)
    if held := limits.hold_back(request, form, "manage-link"):
        context["challenge"] = held.challenge
        return render(request, "events/manage_request.html", context, status=held.status)
    intake.submit(organisers.request_manage_link, event, form.cleaned_data["email"])
    return render(request, "events/manage_request_sent.html", {"event": event})
