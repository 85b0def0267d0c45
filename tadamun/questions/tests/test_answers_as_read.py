"""The "your data" page shows each answer as the person read the question: its title in their
language, a yes or no and a choice in words of that language, never the codes kept."""

from django.utils import translation

from tadamun.questions import personal_data
from tadamun.questions.models import Answer


def answered(question, signature, value):
    Answer.objects.create(
        question=question, signature=signature, supporter=signature.supporter, value=value
    )


def test_answers_read_in_the_readers_language(petition, ask, sign):
    table = ask(petition, "yes_no", title="Can you bring a table?", ar={"title": "هل تحضر طاولة؟"})
    role = ask(
        petition,
        "choice",
        key="role",
        title="You are",
        options="Student\nTeacher",
        ar={"title": "أنت", "options": "طالب\nمعلّم"},
    )
    note = ask(petition, "text", key="note", title="A note")
    signature = sign("amal@example.org", confirm=True)
    answered(table, signature, "yes")
    answered(role, signature, "Teacher")
    answered(note, signature, "yes")  # typed: kept as typed
    with translation.override("ar"):
        described = personal_data.describe(signature.supporter)
    assert [(item["question"], item["answer"]) for item in described] == [
        ("هل تحضر طاولة؟", "نعم"),
        ("أنت", "معلّم"),
        ("A note", "yes"),
    ]
