"""Custom questions on a letter campaign: asked with the writer's details in step one,
carried (hidden) through step two, recorded with a letter the platform sends."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from tadamun.letters.models import Letter
from tadamun.letters.tests import conftest as letters_fixtures
from tadamun.letters.tests.test_writing import WRITER, compose, composed_form
from tadamun.questions.forms import field_name
from tadamun.questions.models import Answer
from tadamun.staff import roles

ministers = letters_fixtures.ministers
make_letter_campaign = letters_fixtures.make_letter_campaign
platform_campaign = letters_fixtures.platform_campaign
mailto_campaign = letters_fixtures.mailto_campaign
post = letters_fixtures.post


@pytest.fixture
def phone(platform_campaign, ask):
    return ask(platform_campaign, "phone", key="phone", required=True, title="Your phone")


def test_step_one_checks_the_answer_against_the_writers_country(client, platform_campaign, phone):
    response = compose(client, platform_campaign, **{field_name(phone): "12"})
    errors = response.context["form"].errors
    assert list(errors) == [field_name(phone)]
    assert "Germany" in errors[field_name(phone)][0]
    assert 'value="Amal Haddad"' in response.content.decode()


def test_the_answer_travels_through_step_two_and_is_kept_with_the_letter(
    client, post, platform_campaign, phone
):
    fields = composed_form(compose(client, platform_campaign, **{field_name(phone): "030 1234567"}))
    assert fields[field_name(phone)] == "+49301234567"
    response = post(f"/en/letters/{platform_campaign.slug}/send", fields)
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.letter, answer.value) == (Letter.objects.get(), "+49301234567")


def test_a_letter_handed_to_the_writers_mail_program_keeps_no_answer(
    client, post, mailto_campaign, ask
):
    question = ask(mailto_campaign, "text", key="why")
    writer = {k: v for k, v in WRITER.items() if k != "email"}
    response = client.post(
        f"/en/letters/{mailto_campaign.slug}/compose", {**writer, field_name(question): "because"}
    )
    post(f"/en/letters/{mailto_campaign.slug}/send", composed_form(response))
    assert Letter.objects.filter(status=Letter.Status.HANDED_OVER).exists()
    assert not Answer.objects.exists()


def test_the_writers_answers_export_has_a_column_per_question_with_formulas_neutralised(
    client, post, platform_campaign, ask, make_staff
):
    question = ask(platform_campaign, "text", key="why")
    fields = composed_form(compose(client, platform_campaign, **{field_name(question): "=cmd"}))
    post(f"/en/letters/{platform_campaign.slug}/send", fields)
    staff = Client()
    staff.force_login(make_staff(roles.COALITION_ADMIN))
    response = staff.get(reverse("admin:export_letter_answers", args=[platform_campaign.pk]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][-1] == "why"
    assert rows[1][:2] == ["Amal Haddad", "amal@example.org"]
    assert rows[1][-1] == "'=cmd"
