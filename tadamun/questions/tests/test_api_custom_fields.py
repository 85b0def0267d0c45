"""Answers in the OSDI API as `custom_fields`: written through the record helpers (checked
as the forms check them), read on the signatures and attendances a partner may see."""

import pytest
from django.test import Client

from tadamun.api.tests.test_osdi import token_of
from tadamun.coalition.models import Organisation
from tadamun.events import rsvps
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Signature
from tadamun.questions.models import Answer
from tadamun.supporters import partners as partner_people
from tadamun.supporters.models import Supporter


@pytest.fixture
def partner(db):
    return Organisation.objects.create(
        name="Comité Lyon", country="FR", kind="ngo", partner_code="lyon"
    )


@pytest.fixture
def api(partner):
    return Client(HTTP_OSDI_API_TOKEN=token_of(partner))


@pytest.fixture
def questions(petition, ask):
    return (
        ask(petition, "phone", key="phone", required=True),
        ask(petition, "choice", key="role", options="Student\nTeacher"),
    )


def signup(**custom):
    return {
        "person": {
            "given_name": "Hugo",
            "email_addresses": [{"address": "hugo@example.org"}],
            "postal_addresses": [{"country": "FR"}],
            "custom_fields": custom.pop("person_fields", {}),
        },
        **custom,
    }


def post(api, path, body, capture):
    with capture(execute=True):
        return api.post(f"/api/osdi/v1/{path}", body, content_type="application/json")


def test_a_recorded_signature_keeps_its_custom_fields_and_the_partner_reads_them(
    api, partner, questions, django_capture_on_commit_callbacks
):
    body = signup(custom_fields={"phone": "06 12 34 56 78"}, person_fields={"role": "Teacher"})
    response = post(
        api, "petitions/open-the-borders/signatures", body, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200, response.content
    assert dict(Answer.objects.values_list("question__key", "value")) == {
        "phone": "+33612345678",
        "role": "Teacher",
    }
    signature = petitions.confirm(Signature.objects.get())
    hugo = Supporter.objects.with_email("hugo@example.org").get()
    partner_people.confirm_sharing(hugo.partner_people.get(organisation=partner))
    listed = api.get("/api/osdi/v1/petitions/open-the-borders/signatures").json()
    (shown,) = listed["_embedded"]["osdi:signatures"]
    assert shown["custom_fields"] == {"phone": "+33612345678", "role": "Teacher"}
    one = api.get(f"/api/osdi/v1/petitions/open-the-borders/signatures/{signature.pk}").json()
    assert one["custom_fields"] == shown["custom_fields"]


@pytest.mark.parametrize(
    ("custom", "message"),
    [
        ({}, "phone: Please answer this question."),
        ({"phone": "12345"}, "phone: Enter a valid phone number for France."),
        ({"phone": "+33612345678", "role": "Admiral"}, "role: Please choose one of the options."),
        ({"phone": "+33612345678", "role": "<script>"}, "role: Please choose one of the options."),
    ],
)
def test_wrong_answers_are_a_422_naming_the_question_and_record_nothing(
    api, questions, custom, message, django_capture_on_commit_callbacks
):
    body = signup(custom_fields=custom)
    response = post(
        api, "petitions/open-the-borders/signatures", body, django_capture_on_commit_callbacks
    )
    assert response.status_code == 422
    assert message in response.json()["detail"]
    assert not Signature.objects.exists() and not Answer.objects.exists()


def test_attendances_take_and_show_custom_fields(
    api, partner, sign_up_event, ask, django_capture_on_commit_callbacks
):
    event = sign_up_event()
    ask(event, "yes_no", key="banner", required=True)
    refused = post(
        api, f"events/{event.pk}/attendances", signup(), django_capture_on_commit_callbacks
    )
    assert refused.status_code == 422 and "banner" in refused.json()["detail"]
    body = signup(custom_fields={"banner": "YES"})
    assert (
        post(
            api, f"events/{event.pk}/attendances", body, django_capture_on_commit_callbacks
        ).status_code
        == 200
    )
    rsvps.confirm(event.rsvps.get())
    hugo = Supporter.objects.with_email("hugo@example.org").get()
    partner_people.confirm_sharing(hugo.partner_people.get(organisation=partner))
    listed = api.get(f"/api/osdi/v1/events/{event.pk}/attendances").json()
    (shown,) = listed["_embedded"]["osdi:attendances"]
    assert shown["custom_fields"] == {"banner": "yes"}
