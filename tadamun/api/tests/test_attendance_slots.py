"""A partner records an attendance on an event with time slots (issue 19): the body names the
person's slots, in `tadamun:shifts` or, for a client that sends only custom fields, in a
custom field of that name; none named is a 422 naming the event's slots; a full slot puts the
person on its waiting list, as the event's page does."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client

from tadamun.api.tests import test_webhooks as hooks
from tadamun.api.tests.test_osdi import token_of
from tadamun.events import organisers, rsvps
from tadamun.events.models import Rsvp, ShiftAnswer
from tadamun.events.tests import conftest as event_fixtures
from tadamun.supporters.models import PartnerPerson, Supporter

partners = hooks.partners
day = event_fixtures.day
proposal = event_fixtures.proposal
sign_up_event = event_fixtures.sign_up_event


@pytest.fixture
def api(partners):
    return Client(HTTP_OSDI_API_TOKEN=token_of(partners[0]))


@pytest.fixture
def slotted(sign_up_event):
    """An event with two slots: the first with one place, the second without a limit."""
    event = sign_up_event()
    start = event.starts_at
    first = organisers.add_shift(event, start, start + timedelta(hours=1), 1)
    second = organisers.add_shift(
        event, start + timedelta(hours=1), start + timedelta(hours=2), None
    )
    return event, first, second


def rim(**extra) -> dict:
    person = {"given_name": "Rim", "email_addresses": [{"address": "rim@example.org"}]}
    return {"person": {**person, **extra.pop("person", {})}, **extra}


def attend(api, event, body, capture=None):
    path = f"/api/osdi/v1/events/{event.pk}/attendances"
    if capture is None:
        return api.post(path, body, content_type="application/json")
    with capture(execute=True):
        return api.post(path, body, content_type="application/json")


def chosen_by(email: str) -> dict[int, str]:
    rsvp = Rsvp.objects.get(supporter__in=Supporter.objects.with_email(email))
    return dict(ShiftAnswer.objects.filter(rsvp=rsvp).values_list("shift_id", "status"))


def nothing_written() -> bool:
    return not Rsvp.objects.exists() and not PartnerPerson.objects.exists()


def test_slots_named_in_tadamun_shifts_are_the_persons_choice(
    api, slotted, django_capture_on_commit_callbacks
):
    event, first, second = slotted
    body = rim(**{"tadamun:shifts": [f"tadamun:shift:{first.pk}", second.pk]})
    response = attend(api, event, body, django_capture_on_commit_callbacks)
    assert response.status_code == 200, response.content
    assert chosen_by("rim@example.org") == {first.pk: "unconfirmed", second.pk: "unconfirmed"}
    assert [m.to for m in mail.outbox if m.to == ["rim@example.org"]]  # they confirm it
    rsvps.confirm(Rsvp.objects.get())
    assert chosen_by("rim@example.org") == {first.pk: "going", second.pk: "going"}


@pytest.mark.parametrize("where", ["attendance", "person"])
def test_a_generic_client_names_the_slots_in_a_custom_field(api, slotted, where):
    event, first, second = slotted
    field = {"tadamun:shifts": f"tadamun:shift:{second.pk}, {first.pk}"}
    body = (
        rim(custom_fields=field) if where == "attendance" else rim(person={"custom_fields": field})
    )
    response = attend(api, event, body)
    assert response.status_code == 200, response.content
    assert set(chosen_by("rim@example.org")) == {first.pk, second.pk}
    # It named the attendance's slots: nothing the partner says about the person.
    kept = json.loads(PartnerPerson.objects.get().submitted)
    assert "tadamun:shifts" not in kept.get("custom_fields", {})


def test_no_slot_named_is_a_422_naming_the_events_slots(api, slotted):
    event, first, second = slotted
    response = attend(api, event, rim())
    assert response.status_code == 422
    detail = response.json()["detail"]
    for slot in (first, second):
        assert f"tadamun:shift:{slot.pk}" in detail
        assert slot.starts_at.isoformat() in detail
    assert "tadamun:shifts" in detail  # where to name them
    assert nothing_written()


@pytest.mark.parametrize(
    "body",
    [
        {"tadamun:shifts": ["tadamun:shift:999999"]},
        {"tadamun:shifts": [10**30]},
        {"tadamun:shifts": [-1]},
        {"custom_fields": {"tadamun:shifts": "the morning one"}},
    ],
    ids=["another event's", "huge", "negative", "not an identifier"],
)
def test_a_slot_not_of_the_event_is_a_422_and_writes_nothing(api, slotted, body):
    event, first, _second = slotted
    response = attend(api, event, rim(**body))
    assert response.status_code == 422
    assert "tadamun:shift" in str(response.json()["detail"])
    assert nothing_written()


def test_a_badly_typed_slot_is_a_422(api, slotted):
    event, _first, _second = slotted
    response = attend(api, event, rim(**{"tadamun:shifts": ["shift twelve"]}))
    assert response.status_code == 422
    assert nothing_written()


def test_slots_named_on_an_event_without_slots_are_a_422(api, sign_up_event):
    event = sign_up_event()
    response = attend(api, event, rim(**{"tadamun:shifts": ["tadamun:shift:1"]}))
    assert response.status_code == 422 and "no time slots" in response.json()["detail"]
    assert nothing_written()


def test_a_full_slot_puts_the_person_on_its_waiting_list_as_the_page_does(
    api, slotted, django_capture_on_commit_callbacks
):
    event, first, second = slotted
    request = rsvps.RsvpRequest(name="Hugo", email="hugo@example.org", shifts=(first.pk,))
    rsvps.confirm(rsvps.answer(event, request))  # the one place of the first slot
    body = rim(**{"tadamun:shifts": [f"tadamun:shift:{first.pk}", f"tadamun:shift:{second.pk}"]})
    assert attend(api, event, body, django_capture_on_commit_callbacks).status_code == 200
    rsvps.confirm(Rsvp.objects.get(supporter__in=Supporter.objects.with_email("rim@example.org")))
    assert chosen_by("rim@example.org") == {first.pk: "waiting", second.pk: "going"}
    # Hugo cancels: his place goes to the first on the slot's waiting list, as on the page.
    rsvps.cancel(Rsvp.objects.get(supporter__in=Supporter.objects.with_email("hugo@example.org")))
    assert chosen_by("rim@example.org") == {first.pk: "going", second.pk: "going"}


def test_the_openapi_document_says_how_to_name_the_slots():
    document = Client().get("/api/openapi.json").json()
    operation = document["paths"]["/api/osdi/v1/events/{event_id}/attendances"]["post"]
    assert "tadamun:shifts" in operation["description"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    body = document["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "tadamun:shifts" in body["properties"]
