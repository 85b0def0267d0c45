from datetime import timedelta

from django.core import mail
from django.utils import timezone

from tadamun.core.privacy import email_hash
from tadamun.events import rsvps
from tadamun.events.models import Event, Rsvp
from tadamun.supporters import services as supporters
from tadamun.supporters.links import MY_DATA
from tadamun.supporters.models import Supporter


def confirmed_rsvp(event, email, name="Noor"):
    answer = rsvps.answer(event, rsvps.RsvpRequest(name=name, email=email))
    return rsvps.confirm(answer)


def test_my_data_lists_events_proposed_and_answered(client, sign_up_event):
    event = sign_up_event(capacity="5")
    confirmed_rsvp(event, "noor@example.org")
    lena = Supporter.objects.get(email_hash=email_hash("lena@example.org"))
    noor = Supporter.objects.get(email_hash=email_hash("noor@example.org"))

    held = supporters.describe(noor)
    assert held["rsvps"] == [
        {
            "event": "Vigil for Idlib",
            "starts": event.local_start.isoformat(),
            "status": "going",
            "answered": held["rsvps"][0]["answered"],
            "confirmed": held["rsvps"][0]["confirmed"],
        }
    ]
    assert supporters.describe(lena)["events"][0]["event"] == "Vigil for Idlib"
    assert supporters.describe(lena)["events"][0]["status"] == "approved"

    page = client.get(f"/en/my-data/{MY_DATA.token(noor)}/").content.decode()
    assert "Events you answered" in page and "Vigil for Idlib" in page


def test_erasing_an_attendee_frees_their_place_for_the_waiting_list(
    sign_up_event, django_capture_on_commit_callbacks
):
    event = sign_up_event(capacity="1")
    going = confirmed_rsvp(event, "first@example.org")
    waiting = confirmed_rsvp(event, "second@example.org")
    assert waiting.status == Rsvp.Status.WAITING
    unconfirmed = rsvps.answer(event, rsvps.RsvpRequest(name="Sam", email="third@example.org"))

    with django_capture_on_commit_callbacks(execute=True):
        supporters.erase(going.supporter)
        supporters.erase(unconfirmed.supporter)

    going.refresh_from_db()
    assert going.supporter is None and going.status == Rsvp.Status.CANCELLED
    assert not Rsvp.objects.filter(pk=unconfirmed.pk).exists()
    waiting.refresh_from_db()
    assert waiting.status == Rsvp.Status.GOING
    assert mail.outbox[-1].to == ["second@example.org"]


def test_past_attendance_is_kept_without_the_person(sign_up_event):
    event = sign_up_event()
    rsvp = confirmed_rsvp(event, "first@example.org")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=2, hours=-1),
    )
    supporters.erase(rsvp.supporter)
    rsvp.refresh_from_db()
    assert rsvp.supporter is None and rsvp.status == Rsvp.Status.GOING  # still counted


def test_erasing_an_organiser_keeps_a_public_event_and_drops_unpublished_ones(
    sign_up_event, day, proposal
):
    from tadamun.events import services
    from tadamun.events.forms import ProposeEventForm

    public = sign_up_event()
    form = ProposeEventForm(proposal(title="Not yet confirmed"), day=day)
    assert form.is_valid()
    unconfirmed = services.propose(day, form.proposal("en"))
    supporters.erase(public.organiser)

    public.refresh_from_db()
    assert public.organiser is None and public.status == Event.Status.APPROVED
    assert not Event.objects.filter(pk=unconfirmed.pk).exists()


def test_unconfirmed_answers_are_forgotten_after_the_retention_time(sign_up_event, settings):
    from tadamun.supporters.retention import forget_unconfirmed

    settings.UNCONFIRMED_RETENTION_DAYS = 30
    event = sign_up_event(capacity="5")
    old = rsvps.answer(event, rsvps.RsvpRequest(name="Sam", email="old@example.org"))
    recent = rsvps.answer(event, rsvps.RsvpRequest(name="Ria", email="recent@example.org"))
    going = confirmed_rsvp(event, "going@example.org")
    long_ago = timezone.now() - timedelta(days=31)
    Rsvp.objects.filter(pk__in=[old.pk, going.pk]).update(created_at=long_ago)
    Supporter.objects.update(created_at=long_ago)

    counts = forget_unconfirmed()
    assert (counts["rsvps"], counts["supporters"]) == (1, 1)
    assert set(Rsvp.objects.values_list("pk", flat=True)) == {recent.pk, going.pk}
    assert not Supporter.objects.filter(email_hash=email_hash("old@example.org")).exists()
    assert event.places_left() == 4  # the confirmed place is kept
