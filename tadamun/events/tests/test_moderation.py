"""Moderation of events: only what a moderator approved is public, whatever the organiser
does with their link, and moderators can take any event off the site."""

import pytest
from django.core import mail
from django.test import Client

from tadamun.events import organisers, rsvps, services
from tadamun.events.forms import ProposeEventForm
from tadamun.events.links import MANAGE_EVENT
from tadamun.events.models import Event


@pytest.fixture
def pending_event(day, proposal):
    form = ProposeEventForm(proposal(title="Never seen by a moderator"), day=day)
    assert form.is_valid(), form.errors
    return services.confirm(services.propose(day, form.proposal("en")))


def public_surfaces(event) -> dict:
    client = Client()
    return {
        url: client.get(url)
        for url in (
            f"/en/events/{event.pk}/",
            f"/en/events/{event.pk}/event.ics",
            f"/en/days/{event.day.slug}/calendar.ics",
            f"/en/campaigns/{event.day.campaign.slug}/calendar.ics",
            f"/api/events/{event.pk}",
            "/api/events",
        )
    }


def shows(event) -> list[str]:
    return [url for url, page in public_surfaces(event).items() if event.title in page.text]


def test_a_pending_proposal_cancelled_by_its_organiser_is_withdrawn_not_published(
    client, pending_event
):
    manage = f"/en/events/manage/{MANAGE_EVENT.token(pending_event)}/"
    page = client.post(manage + "cancel/", {"confirm": "on"}, follow=True)
    assert "Your proposal is withdrawn: it will not be published." in page.text
    assert shows(pending_event) == []
    pending_event.refresh_from_db()
    assert pending_event.status == Event.Status.WITHDRAWN


def test_an_approved_event_cancelled_by_its_organiser_stays_marked_cancelled(sign_up_event):
    event = organisers.cancel(sign_up_event(title="Approved then called off"))
    assert event.status == Event.Status.CANCELLED
    assert f"/en/events/{event.pk}/" in shows(event)


def test_a_cancellation_note_is_marked_for_moderators_like_an_edit(sign_up_event):
    """The note is the organiser's own text on a public page (review finding)."""
    quiet = organisers.cancel(sign_up_event(title="Called off quietly"))
    noted = organisers.cancel(sign_up_event(title="Called off"), "See my-scam.example")
    assert quiet.edited_at is None
    assert noted.edited_at is not None
    assert noted in Event.objects.filter(edited_at__isnull=False)


@pytest.mark.parametrize("then", ["approved", "edited", "cancelled"])
def test_moderators_unpublish_any_event_from_the_admin(
    client, make_staff, sign_up_event, proposal, then, django_capture_on_commit_callbacks
):
    event = sign_up_event(title="Published, then found wrong")
    if then == "edited":
        form = ProposeEventForm(proposal(title="Edited after approval"), day=event.day)
        assert form.is_valid(), form.errors
        event = organisers.edit(event, form.proposal("en"))
    if then == "cancelled":
        event = organisers.cancel(event)
    assert shows(event)
    mail.outbox.clear()
    client.force_login(make_staff("Moderator"))
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/en/admin/events/event/",
            {
                "action": "unpublish",
                "_selected_action": [event.pk],
                "reason": "Not a peaceful gathering.",
            },
        )
    assert page.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.REJECTED and event.edited_at is None
    assert shows(event) == []
    assert "Not a peaceful gathering." in mail.outbox[-1].body  # the organiser is told why


def test_unpublishing_asks_for_the_reason_first(client, make_staff, sign_up_event):
    event = sign_up_event()
    client.force_login(make_staff("Moderator"))
    page = client.post(
        "/en/admin/events/event/", {"action": "unpublish", "_selected_action": [event.pk]}
    )
    assert page.status_code == 200 and 'name="reason"' in page.text
    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED


def test_only_moderators_unpublish(client, make_staff, sign_up_event):
    event = sign_up_event()
    client.force_login(make_staff("Translator"))
    client.post(
        "/en/admin/events/event/",
        {"action": "unpublish", "_selected_action": [event.pk], "reason": "x"},
    )
    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED


def test_people_coming_hear_that_an_unpublished_event_is_off_the_site(
    sign_up_event, django_capture_on_commit_callbacks
):
    event = sign_up_event(title="Found to be a hoax")
    rsvps.confirm(rsvps.answer(event, rsvps.RsvpRequest(name="Amal", email="amal@example.org")))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.unpublish(Event.objects.filter(pk=event.pk), reason="A hoax.")
    to_attendee = [message for message in mail.outbox if message.to == ["amal@example.org"]]
    assert len(to_attendee) == 1
    assert "off the site" in to_attendee[0].body and "A hoax." not in to_attendee[0].body
