"""Custom questions on a petition: asked after the form's own fields, checked with a
translated error beside them, sealed in the intake with the rest and recorded by the worker,
encrypted at rest, in the export, and gone with the person."""

import csv
import io
import json
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tadamun.core.templatetags import tadamun as tags
from tadamun.petitions import services
from tadamun.petitions.models import SignatureIntake
from tadamun.petitions.tasks import process_intake
from tadamun.petitions.tests.helpers import sign_form
from tadamun.questions.forms import field_name
from tadamun.questions.models import Answer, Question
from tadamun.staff import roles
from tadamun.supporters import services as supporters

PAGE = "/en/petitions/open-the-borders/"
SIGN = PAGE + "sign/"


@pytest.fixture
def questions(petition, ask):
    return {
        "text": ask(petition, "text", key="why"),
        "choice": ask(petition, "choice", key="role", options="Student\nTeacher\n=Other"),
        "yes_no": ask(petition, "yes_no", key="banner", required=True),
        "postal_code": ask(petition, "postal_code", key="postcode"),
        "phone": ask(petition, "phone", key="phone"),
    }


def answered(questions, **values):
    return {field_name(questions[kind]): value for kind, value in values.items()}


def test_the_sign_page_asks_the_questions_after_its_own_fields(client, questions):
    page = client.get(PAGE).content.decode()
    assert page.index('name="comment"') < page.index(f'name="{field_name(questions["text"])}"')
    for question in questions.values():
        assert f'name="{field_name(question)}"' in page
    assert 'type="tel"' in page
    assert "=Other</option>" in page


@pytest.mark.parametrize(
    ("values", "kind", "message"),
    [
        ({}, "yes_no", "This field is required."),
        ({"yes_no": "maybe"}, "yes_no", "Select a valid choice."),
        ({"yes_no": "yes", "choice": "Admiral"}, "choice", "Select a valid choice."),
        ({"yes_no": "yes", "phone": "12345"}, "phone", "Enter a valid phone number for France."),
        ({"yes_no": "yes", "postal_code": "<b>75</b>"}, "postal_code", "Enter a postal code"),
        ({"yes_no": "yes", "text": "a\u202ebc"}, "text", "invisible text-direction characters"),
        ({"yes_no": "yes", "text": "x" * 501}, "text", "at most 500 characters"),
    ],
)
def test_each_kind_of_answer_is_checked_and_the_rest_of_the_input_kept(
    client, questions, values, kind, message
):
    response = client.post(SIGN, {**sign_form(name="Amal Kept"), **answered(questions, **values)})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field_name(questions[kind])]
    assert message in " ".join(errors[field_name(questions[kind])])
    page = response.content.decode()
    assert 'value="Amal Kept"' in page
    assert not SignatureIntake.objects.exists()


def test_errors_are_translated_beside_the_question(client, questions):
    response = client.post(
        "/ar/petitions/open-the-borders/sign/",
        {**sign_form(), **answered(questions, yes_no="yes", phone="12345")},
    )
    errors = " ".join(response.context["form"].errors[field_name(questions["phone"])])
    assert "phone" not in errors and "فرنسا" in errors  # France, in Arabic
    assert errors in response.content.decode()


def test_answers_travel_sealed_and_are_recorded_by_the_intake_worker(client, questions):
    client.post(
        SIGN,
        {
            **sign_form(),
            **answered(
                questions,
                text="<script>alert(1)</script>",
                choice="=Other",
                yes_no="yes",
                postal_code="75011",
                phone="06 12 34 56 78",
            ),
        },
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT sealed FROM petitions_signatureintake")
        assert "75011" not in cursor.fetchone()[0]
    assert not Answer.objects.exists()

    process_intake.call()
    stored = {a.question.key: a.value for a in Answer.objects.select_related("question")}
    assert stored == {
        "why": "<script>alert(1)</script>",
        "role": "=Other",
        "banner": "yes",
        "postcode": "75011",
        "phone": "+33612345678",
    }
    answer = Answer.objects.get(question=questions["postal_code"])
    assert answer.signature.supporter == answer.supporter
    with connection.cursor() as cursor:
        cursor.execute("SELECT value FROM questions_answer")
        assert all("75011" not in row[0] for row in cursor.fetchall())  # encrypted at rest


def test_signing_again_before_confirming_replaces_the_answers(petition, questions):
    def sign(**answers):
        request = services.SignatureRequest(
            name="Amal", email="amal@example.org", country="FR", answers=answers
        )
        return services.sign(petition, request)

    sign(**{str(questions["text"].pk): "first", str(questions["yes_no"].pk): "no"})
    signature = sign(**{str(questions["text"].pk): "second"})
    assert list(signature.answers.values_list("value", flat=True)) == ["second"]
    services.confirm(signature)
    sign(**{str(questions["text"].pk): "third"})
    assert list(signature.answers.values_list("value", flat=True)) == ["second"]


def test_an_answer_to_another_petitions_question_is_ignored(petition, questions, ask, campaign):
    other = type(petition).objects.create(
        campaign=campaign, slug="other", title="Other", target="x", status="open"
    )
    elsewhere = ask(other, "text", key="elsewhere")
    request = services.SignatureRequest(
        name="Amal", email="amal@example.org", country="FR", answers={str(elsewhere.pk): "no"}
    )
    services.sign(petition, request)
    assert not Answer.objects.exists()


def test_the_export_has_a_column_per_question_with_formulas_neutralised(
    petition, questions, sign, make_staff
):
    signature = sign("amal@example.org", confirm=True)
    Answer.objects.create(
        question=questions["text"],
        signature=signature,
        supporter=signature.supporter,
        value="=cmd|' /C calc'!A0",
    )
    sign("pia@example.org", confirm=True)
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN))
    response = client.get(f"/en/admin/petitions/petition/{petition.pk}/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][-5:] == ["why", "role", "banner", "postcode", "phone"]
    by_email = {row[1]: row for row in rows[1:]}
    assert by_email["amal@example.org"][-5:] == ["'=cmd|' /C calc'!A0", "", "", "", ""]
    assert by_email["pia@example.org"][-5:] == ["", "", "", "", ""]


def test_erasure_removes_the_answers(petition, questions, sign):
    signature = sign("amal@example.org", confirm=True)
    Answer.objects.create(
        question=questions["text"], signature=signature, supporter=signature.supporter, value="x"
    )
    supporters.erase(signature.supporter)
    assert not Answer.objects.exists()
    signature.refresh_from_db()
    assert signature.status == "confirmed"  # the count stays


def test_questions_read_in_arabic(client, petition, ask):
    ask(
        petition,
        "choice",
        key="role",
        options="Student\nTeacher",
        title="Your role",
        ar={"title": "دورك", "summary": "اختر واحدا", "options": "طالب\nمعلم"},
    )
    page = client.get("/ar/petitions/open-the-borders/").content.decode()
    assert "دورك" in page and "اختر واحدا" in page
    assert '<option value="Teacher">معلم</option>' in page
    assert "Your role" not in page


def test_a_change_to_the_questions_changes_the_kept_page_and_form(client, petition, ask):
    assert "Bring a banner" not in client.get(PAGE).content.decode()
    question = ask(petition, "yes_no", key="banner", required=True, title="Bring a banner?")
    assert "Bring a banner" in client.get(PAGE).content.decode()
    response = client.post(SIGN, sign_form())
    assert field_name(question) in response.context["form"].errors


def test_questions_are_read_in_one_query_whatever_their_number(client, petition, ask):
    ask(petition, "text", key="one")
    with CountQueries() as one:
        client.get(PAGE)
    for key in ("two", "three", "four"):
        ask(petition, "choice", key=key, options="A\nB", ar={"title": key, "options": "ا\nب"})
    with CountQueries() as four:
        client.get(PAGE)
    assert four.count == one.count


class CountQueries:
    def __enter__(self):
        from django.core.cache import cache
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        self.context = CaptureQueriesContext(connection)
        self.context.__enter__()
        return self

    def __exit__(self, *exc):
        self.context.__exit__(*exc)
        self.count = len(self.context.captured_queries)


def test_hostile_labels_and_answers_are_escaped_on_the_pages(
    client, petition, ask, sign, django_capture_on_commit_callbacks
):
    question = ask(petition, "text", key="why", title="<script>alert('label')</script>")
    page = client.get(PAGE).content.decode()
    assert "<script>alert('label')" not in page and "&lt;script&gt;alert(" in page
    signature = sign("amal@example.org", confirm=True)
    Answer.objects.create(
        question=question,
        signature=signature,
        supporter=signature.supporter,
        value="<img src=x onerror=alert(1)>",
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/en/my-data/", {"email": "amal@example.org"})
    link = re.search(r"https?://[^/\s]+(/\S*/my-data/\S*)", mail.outbox[-1].body)[1]
    page = client.get(link).content.decode()
    assert "Your answers to questions" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    data = json.loads(client.post(link + "download/").content)
    assert data["answers"][0]["answer"] == "<img src=x onerror=alert(1)>"


def test_a_choice_needs_options_and_a_translation_all_of_them(petition, ask):
    from django.core.exceptions import ValidationError

    from tadamun.questions.models import Question, QuestionTranslation

    with pytest.raises(ValidationError, match="at least two options"):
        Question(
            petition=petition, key="one", kind="choice", title="One?", options="A"
        ).full_clean()
    question = ask(petition, "choice", key="role", options="Student\nTeacher")
    with pytest.raises(ValidationError, match="Translate every option"):
        QuestionTranslation(question=question, language="fr", title="Rôle", options="Élève").clean()
    QuestionTranslation(question=question, language="fr", title="Rôle", options="A\nB").clean()


def test_a_question_changed_elsewhere_is_never_drawn_from_a_kept_form(client, petition, ask):
    """Another process's memo of the unbound sign form (`{% unbound_form %}`) cannot see the
    signal that drops the shared cache: the questions' own text keys the kept drawing."""
    tags._UNBOUND_FORMS.clear()
    question = ask(petition, "text", title="Your city")
    assert "Your city" in client.get(PAGE).content.decode()
    Question.objects.filter(pk=question.pk).update(title="Your town")  # no signal, no save
    cache.clear()  # the page cache, as if it had expired
    drawn = client.get(PAGE).content.decode()
    assert "Your town" in drawn and "Your city" not in drawn
