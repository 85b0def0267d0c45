"""The back office's exports page: every CSV the staff member may download, in one list.

Who may export whom is decided in tadamun.supporters.exports (coalition admins everything;
an organisation organiser the people who share with their organisations); each file is made
by its app's own exports module and noted in the audit trail there.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from tadamun.coalition.access import actions_for
from tadamun.events import exports as event_exports
from tadamun.events import organisers
from tadamun.events.models import Event, Rsvp
from tadamun.letters import exports as letter_exports
from tadamun.letters.models import LetterCampaign
from tadamun.petitions import access as petition_access
from tadamun.petitions.models import Petition
from tadamun.supporters import exports, partners

MAX_EVENTS = 200  # the latest events with answers; older ones by their id in the address


def _exporter(request):
    if not exports.can_export(request.user):
        raise PermissionDenied


def index(site, request):
    _exporter(request)
    answered = Rsvp.objects.filter(status__in=[Rsvp.Status.GOING, Rsvp.Status.WAITING])
    context = {
        **site.each_context(request),
        "title": _("Exports (CSV)"),
        "petitions": actions_for(request.user, Petition.objects.order_by("-created_at"))
        if petition_access.can_export(request.user)
        else [],
        "events": actions_for(
            request.user,
            Event.objects.filter(pk__in=answered.values("event")).order_by("-starts_at"),
        )[:MAX_EVENTS],
        "letter_campaigns": actions_for(
            request.user, LetterCampaign.objects.order_by("-created_at")
        ),
        "everything": exports.exports_everything(request.user),
    }
    request.current_app = site.name
    return TemplateResponse(request, "admin/staff/exports.html", context)


def supporters(site, request):
    _exporter(request)
    return exports.supporters_csv(request.user)


def answers(site, request, pk: int):
    """An event's answers. Its own organisation's organisers get the attendee file, as a
    supporter organising an event sees it, with the email addresses of those who agreed to
    hear from the organisation, while its attendees may be reached; everyone else (and they,
    later) the answers of the people who share with them (event_exports.rsvps_csv)."""
    _exporter(request)
    found = actions_for(request.user, Event.objects.all())
    event = get_object_or_404(found, pk=pk)
    own = partners.organised_by(request.user).filter(pk=event.organisation_id)
    everything = exports.exports_everything(request.user)
    if not everything and own.exists() and organisers.can_reach_attendees(event):
        return event_exports.attendees_csv(event, sharing_with=own)
    return event_exports.rsvps_csv(request.user, event)


def letter_answers(site, request, pk: int):
    _exporter(request)
    return letter_exports.answers_csv(request.user, get_object_or_404(LetterCampaign, pk=pk))


def letters(site, request, pk: int):
    _exporter(request)
    found = actions_for(request.user, LetterCampaign.objects.all())
    return letter_exports.officials_csv(get_object_or_404(found, pk=pk))
