"""Custom questions on an event's RSVP form: asked after its fields, phone numbers checked
against the event's country, answers recorded with the RSVP and in the answers export."""

import csv
import io

import pytest

from tadamun.events import exports, rsvps
from tadamun.events.links import MANAGE_EVENT
from tadamun.events.models import Rsvp
from tadamun.questions.forms import field_name
from tadamun.questions.models import Answer
from tadamun.staff import roles


@pytest.fixture
def event(sign_up_event):
    return sign_up_event()  # in Cologne, Germany


@pytest.fixture
def banner(event, ask):
    return ask(
        event,
        "yes_no",
        key="banner",
        required=True,
        title="Will you bring a banner?",
        ar={"title": "هل ستحضر لافتة؟"},
    )


@pytest.fixture
def phone(event, ask):
    return ask(event, "phone", key="phone")


def rsvp(client, event, language="en", **answers):
    return client.post(
        f"/{language}/events/{event.pk}/rsvp/",
        {"name": "Noor", "email": "noor@example.org", **answers},
    )


def test_the_rsvp_form_asks_the_questions_in_the_readers_language(client, event, banner):
    page = client.get(f"/ar/events/{event.pk}/").content.decode()
    assert "هل ستحضر لافتة؟" in page
    assert page.index('name="email"') < page.index(f'name="{field_name(banner)}"')


def test_a_missing_answer_and_a_bad_phone_are_refused_beside_their_field(
    client, event, banner, phone
):
    response = rsvp(client, event, **{field_name(phone): "12"})
    errors = response.context["form"].errors
    assert set(errors) == {field_name(banner), field_name(phone)}
    assert "Germany" in errors[field_name(phone)][0]  # the event's country
    assert 'value="Noor"' in response.content.decode()
    assert not Rsvp.objects.exists()


def test_answers_are_recorded_with_the_rsvp_and_exported(client, event, banner, phone, make_staff):
    response = rsvp(client, event, **{field_name(banner): "yes", field_name(phone): "030 12345678"})
    assert response.status_code == 302
    stored = dict(Answer.objects.values_list("question__key", "value"))
    assert stored == {"banner": "yes", "phone": "+493012345678"}
    assert Answer.objects.get(question=banner).rsvp == Rsvp.objects.get()

    response = exports.rsvps_csv(make_staff(roles.COALITION_ADMIN), event)
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][-2:] == ["banner", "phone"]
    assert rows[1][-2:] == ["yes", "'+493012345678"]  # a leading + is neutralised too


def test_the_organiser_adds_and_removes_questions_through_their_link(client, event):
    manage = f"/en/events/manage/{MANAGE_EVENT.token(event)}/"
    assert "questions/" in client.get(manage).content.decode()
    page = manage + "questions/"
    refused = client.post(page, {"add": "1", "kind": "choice", "title": "Which day?"})
    assert "at least two options" in refused.content.decode()
    added = client.post(
        page,
        {"add": "1", "kind": "yes_no", "title": "<b>Banner</b>?", "required": "on"},
    )
    assert added.status_code == 302
    question = event.questions.get()
    assert (question.key, question.language, question.required) == ("bbannerb", "en", True)
    event.refresh_from_db()
    assert event.edited_at is not None  # the moderators see the event changed
    form = client.get(f"/en/events/{event.pk}/").content.decode()
    assert "&lt;b&gt;Banner&lt;/b&gt;?" in form

    client.post(page, {"remove": str(question.pk)})
    assert not event.questions.exists()


def test_another_events_link_cannot_remove_a_question(client, event, sign_up_event, ask):
    question = ask(event, "text", key="why")
    other = sign_up_event(title="Another vigil")
    client.post(
        f"/en/events/manage/{MANAGE_EVENT.token(other)}/questions/", {"remove": str(question.pk)}
    )
    assert event.questions.filter(pk=question.pk).exists()


def test_the_organisers_attendee_list_has_the_answers(
    client, event, banner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rsvp(client, event, **{field_name(banner): "no"})
    rsvps.confirm(Rsvp.objects.get())
    response = client.get(f"/en/events/manage/{MANAGE_EVENT.token(event)}/attendees.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "banner"
    assert (rows[1][0], rows[1][-1]) == ("Noor", "no")
