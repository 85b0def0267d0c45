"""Member organisations' own events (issue 19): their organisers make them (and weekly
series) in the back office under their organisation, moderators approve them through the
events' own status, the public sees them "by" the organisation, the RSVP form asks to hear
from it, and an organiser of another organisation reaches none of it."""

import csv
import io

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import Client
from django.urls import reverse

from tadamun.events import rsvps, services
from tadamun.events.models import Event
from tadamun.petitions.tests import test_organisations_petitions as petitions
from tadamun.petitions.tests.test_organisations_petitions import body, client_of, object_urls
from tadamun.questions.models import Question
from tadamun.staff import roles
from tadamun.supporters import consents, exports
from tadamun.supporters.models import Consent

# The two organisations, each with its organiser, of the petitions' tests.
lyon, gaziantep = petitions.lyon, petitions.gaziantep


def add_form(day, organisation, **overrides) -> dict:
    return {
        "day": day.pk,
        "organisation": organisation.pk if organisation else "",
        "title": "Veillée pour Idlib",
        "kind": "vigil",
        "description": "Apportez une bougie.",
        "starts_at_0": "2027-03-27",
        "starts_at_1": "18:00:00",
        "ends_at_0": "2027-03-27",
        "ends_at_1": "20:00:00",
        "time_zone": "Europe/Paris",
        "venue_name": "Place Bellecour",
        "address": "",
        "address_public": "on",
        "city": "Lyon",
        "country": "FR",
        "online_url": "",
        "capacity": "",
        "on_behalf_of": "",
        "language": "fr",
        "moderation_note": "",
        "cancellation_note": "",
        "shifts-TOTAL_FORMS": "0",
        "shifts-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        **overrides,
    }


@pytest.fixture
def lyons_event(day, lyon):
    response = client_of(lyon).post(reverse("admin:events_event_add"), add_form(day, lyon))
    assert response.status_code == 302, _errors(response)
    return Event.objects.get(title="Veillée pour Idlib")


def admin_urls_of(model, pk) -> list[str]:
    return object_urls(model, admin.site._registry[model], pk)


def _errors(response) -> str:
    context = response.context or {}
    if "adminform" in context:
        form = context["adminform"].form
        return f"{form.errors} {[fs.errors for fs in context.get('inline_admin_formsets', [])]}"
    return response.content.decode()[:2000]


def approve(event):
    services.moderate(Event.objects.filter(pk=event.pk), approve=True)
    event.refresh_from_db()


def test_times_typed_on_adding_are_the_venues(db, day, lyon):
    """18:00 typed for an event in Paris, and for its time slot, is 18:00 in Paris."""
    slot = {
        "shifts-TOTAL_FORMS": "1",
        "shifts-0-starts_at_0": "2027-03-27",
        "shifts-0-starts_at_1": "18:00:00",
        "shifts-0-ends_at_0": "2027-03-27",
        "shifts-0-ends_at_1": "19:00:00",
        "shifts-0-capacity": "5",
    }
    response = client_of(lyon).post(reverse("admin:events_event_add"), add_form(day, lyon, **slot))
    assert response.status_code == 302, _errors(response)
    event = Event.objects.get()
    assert event.local_start.hour == 18
    assert event.shifts.get().starts_at.astimezone(event.zone).hour == 18


def test_an_organiser_makes_an_event_that_waits_for_a_moderator(db, lyons_event, lyon):
    assert (lyons_event.organisation, lyons_event.status) == (lyon, Event.Status.PENDING)
    assert lyons_event.organiser is None
    assert Client().get(lyons_event.get_absolute_url()).status_code == 404
    assert not Event.objects.visible().filter(pk=lyons_event.pk).exists()


@pytest.mark.parametrize("owner", ["another organisation", "the coalition"])
def test_an_organiser_makes_events_for_their_own_organisations_only(
    db, day, lyon, gaziantep, owner
):
    chosen = gaziantep if owner == "another organisation" else None
    response = client_of(lyon).post(reverse("admin:events_event_add"), add_form(day, chosen))
    assert response.status_code == 200  # the form again, with the error beside the field
    assert "organisation" in response.context["adminform"].form.errors
    assert not Event.objects.exists()


def test_an_organiser_cannot_approve_their_own_event(db, lyons_event, lyon):
    client_of(lyon).post(
        reverse("admin:events_event_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [lyons_event.pk]},
    )
    lyons_event.refresh_from_db()
    assert lyons_event.status == Event.Status.PENDING


def test_a_moderator_approves_and_the_event_shows_by_its_organisation(
    db, lyons_event, lyon, make_staff
):
    client = Client()
    client.force_login(make_staff(roles.MODERATOR))
    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "approve", ACTION_CHECKBOX_NAME: [lyons_event.pk]},
    )
    lyons_event.refresh_from_db()
    assert lyons_event.status == Event.Status.APPROVED
    by = f'<a href="/en/organisations/{lyon.pk}/">by <bdi dir="auto">Collectif Lyon</bdi></a>'
    assert by in Client().get(lyons_event.get_absolute_url()).content.decode()
    assert by in Client().get("/en/events/").content.decode()
    organisations_page = Client().get(f"/en/organisations/{lyon.pk}/").content.decode()
    assert lyons_event.get_absolute_url() in organisations_page


def test_an_organisers_weekly_series_is_moderated_once(db, lyons_event, lyon, make_staff):
    client_of(lyon).post(
        reverse("admin:events_event_changelist"),
        {"action": "repeat_weekly", ACTION_CHECKBOX_NAME: [lyons_event.pk], "weeks": "3"},
    )
    dates = Event.objects.filter(organisation=lyon).order_by("starts_at")
    assert dates.count() == 3
    assert {event.status for event in dates} == {Event.Status.PENDING}
    approve(lyons_event)
    assert Event.objects.visible().filter(organisation=lyon).count() == 3


def test_a_change_to_a_published_event_is_marked_for_the_moderators(db, lyons_event, lyon):
    approve(lyons_event)
    change = reverse("admin:events_event_change", args=[lyons_event.pk])
    response = client_of(lyon).post(change, add_form(lyons_event.day, lyon, venue_name="Quai"))
    assert response.status_code == 302, _errors(response)
    lyons_event.refresh_from_db()
    assert lyons_event.venue_name == "Quai"
    assert lyons_event.edited_at is not None and lyons_event.sequence == 1
    assert lyons_event.status == Event.Status.APPROVED


def test_an_event_whose_organisers_all_left_is_hidden_until_reassigned(
    db, lyons_event, lyon, make_staff
):
    approve(lyons_event)
    assert Client().get(lyons_event.get_absolute_url()).status_code == 200
    lyon.organisers.clear()
    assert Client().get(lyons_event.get_absolute_url()).status_code == 404
    lyon.organisers.add(make_staff(roles.ORGANISER, username="new-lyon-organiser"))
    assert Client().get(lyons_event.get_absolute_url()).status_code == 200


def test_the_rsvp_form_asks_to_hear_from_the_organisation(db, lyons_event, lyon):
    approve(lyons_event)
    page = Client().get(lyons_event.get_absolute_url()).content.decode()
    assert 'name="hears_from_owner"' in page
    assert consents.label(consents.OWNER, lyon) in page
    assert "see the name you give" in page and "only if you agree to hear from them" in page
    for email, agrees in (("amal@example.org", True), ("omar@example.org", False)):
        answer = rsvps.answer(
            lyons_event, rsvps.RsvpRequest(name="A", email=email, hears_from_owner=agrees)
        )
        rsvps.confirm(answer)
    given = Consent.objects.get(organisation=lyon)
    assert (given.purpose, given.wording) == (Consent.Purpose.PARTNER, consents.OWNER)
    assert given.supporter.email == "amal@example.org"


def test_a_supporters_event_asks_nothing_for_an_organisation(db, day, client, proposal):
    event = Event.objects.create(
        day=day,
        title="Vigil",
        kind="vigil",
        starts_at="2027-03-27T17:00Z",
        ends_at="2027-03-27T19:00Z",
        time_zone="Europe/Berlin",
        city="Cologne",
        country="DE",
        language="en",
        status=Event.Status.APPROVED,
    )
    page = client.get(event.get_absolute_url()).content.decode()
    assert 'name="hears_from_owner"' not in page and "by-organisation" not in page
    assert "never your email address" in page  # what the organiser sees, said on the form
    answer = rsvps.answer(
        event, rsvps.RsvpRequest(name="A", email="a@example.org", hears_from_owner=True)
    )
    assert not answer.hears_from_owner


def test_another_organisations_organiser_reaches_none_of_its_events(
    db, lyons_event, lyon, gaziantep
):
    """Every address of the events' admin about one object, as the second organisation's
    organiser, on a waiting and on an approved event: nothing of the waiting one to read,
    nothing to change, no date to add to its series."""
    client_of(lyon).post(  # a weekly series, named after its first date
        reverse("admin:events_event_changelist"),
        {"action": "repeat_weekly", ACTION_CHECKBOX_NAME: [lyons_event.pk], "weeks": "2"},
    )
    lyons_event.refresh_from_db()
    assert lyons_event.series is not None
    client = client_of(gaziantep)
    for page in ("changelist", "add"):
        listed = client.get(reverse(f"admin:events_event_{page}")).content.decode()
        assert "Veillée pour Idlib" not in listed, page
    assert "Veillée pour Idlib" in client_of(lyon).get(reverse("admin:events_event_add")).text
    for url in admin_urls_of(Event, lyons_event.pk):
        response = client.get(url)
        assert response.status_code != 200 or b"Veill" not in response.content, url
    approve(lyons_event)
    Event.objects.filter(pk=lyons_event.pk).update(address="12 rue Secrète", address_public=False)
    for url in admin_urls_of(Event, lyons_event.pk):
        seen = client.get(url).content
        assert b'name="_save"' not in seen and "rue Secrète".encode() not in seen, url
    change = reverse("admin:events_event_change", args=[lyons_event.pk])
    assert client.get(change).status_code == 302  # redirected away: it does not exist for them
    client.post(change, add_form(lyons_event.day, lyon, title="Pris par un autre"))
    client.post(
        reverse("admin:events_event_changelist"),
        {"action": "repeat_weekly", ACTION_CHECKBOX_NAME: [lyons_event.pk], "weeks": "3"},
    )
    lyons_event.refresh_from_db()
    assert lyons_event.title == "Veillée pour Idlib"
    assert Event.objects.count() == 2  # the two dates Lyon's organiser made
    answer = rsvps.answer(
        lyons_event,
        rsvps.RsvpRequest(name="Amal", email="amal@example.org", hears_from_owner=True),
    )
    rsvps.confirm(answer)
    for pattern in admin.site.export_urls():  # the exports page and every file on it
        args = [lyons_event.pk] if "<" in str(pattern.pattern) else []
        seen = body(client.get(reverse(f"admin:{pattern.name}", args=args)))
        assert b"amal@example.org" not in seen and b"Amal" not in seen, pattern.name
    # The organisation's people (the letters' and petitions' rule): Lyon's, not Gaziantep's.
    lyons = body(exports.supporters_csv(lyon.organisers.get()))
    others = body(exports.supporters_csv(gaziantep.organisers.get()))
    assert b"amal@example.org" in lyons and b"amal@example.org" not in others


def test_the_organisations_organiser_exports_its_events_attendees(db, lyons_event, lyon):
    """The attendee file a supporter organising an event gets through their link, from the
    back office's exports page: everyone coming with their slots and answers (a hostile
    answer neutralised), and the email address only of those who agreed to hear from Lyon."""
    approve(lyons_event)
    early, late = (
        lyons_event.shifts.create(starts_at=f"2027-03-27T{start}Z", ends_at=f"2027-03-27T{end}Z")
        for start, end in (("17:00", "18:00"), ("18:00", "19:00"))
    )
    banner = Question.objects.create(event=lyons_event, key="banner", title="Une banderole ?")
    for name, email, shift, answer, agrees in (
        ("Amal", "amal@example.org", early, "Oui, la grande", True),
        ("Omar", "omar@example.org", late, "=HYPERLINK(1)", False),
    ):
        rsvps.confirm(
            rsvps.answer(
                lyons_event,
                rsvps.RsvpRequest(
                    name=name,
                    email=email,
                    hears_from_owner=agrees,
                    shifts=(shift.pk,),
                    answers={str(banner.pk): answer},
                ),
            )
        )
    client = client_of(lyon)
    index = client.get(reverse("admin:exports")).content.decode()
    url = reverse("admin:export_answers", args=[lyons_event.pk])
    assert url in index
    assert "their file holds everyone coming" in index.replace("&#x27;", "'")
    rows = list(csv.reader(io.StringIO(body(client.get(url)).decode("utf-8-sig"))))
    assert rows[0][:4] == ["Name", "Email address", "Status", "Confirmed"]
    assert rows[0][-2:] == ["Time slots", "banner"]  # the question by its key
    people = {row[0]: row for row in rows[1:]}
    assert set(people) == {"Amal", "Omar"}
    assert people["Amal"][1] == "amal@example.org" and people["Omar"][1] == ""
    assert "18:00" in people["Amal"][-2] and "19:00" in people["Omar"][-2]
    assert people["Amal"][-1] == "Oui, la grande"
    assert people["Omar"][-1] == "'=HYPERLINK(1)"  # a formula is never a formula in a sheet
    assert LogEntry.objects.filter(additional_data={"export": "attendees CSV"}).exists()
