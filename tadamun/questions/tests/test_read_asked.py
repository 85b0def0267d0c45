"""`read_asked`: an action's questions read for a reader through prepared reads (their SQL
built once per process) give what the `asked(language)` prefetch gave, and show what
another process changed at the next read."""

import pytest

from tadamun.petitions.models import Petition
from tadamun.questions.models import Question
from tadamun.questions.queries import asked, read_asked


def _asked(petition, language):
    return [
        (question.pk, question.localized(language).title, question.option_list(language))
        for question in petition.questions.all()
    ]


@pytest.mark.parametrize("language", ["en", "ar", "fr"])
def test_the_questions_are_what_the_prefetch_gave(
    petition, ask, language, django_assert_num_queries
):
    ask(petition, "choice", key="role", options="Student\nTeacher", ar={"title": "دورك؟"})
    ask(petition, "text", key="why", fr={"title": "Pourquoi ?"})
    first = ask(petition, "yes_no", key="banner")
    Question.objects.exclude(pk=first.pk).update(position=1)  # the last made is asked first
    expected = Petition.objects.prefetch_related(asked(language)).get(pk=petition.pk)
    read = Petition.objects.get(pk=petition.pk)
    # The questions, then their translations, unless all are written in the reader's language.
    with django_assert_num_queries(1 if language == "en" else 2):
        read_asked(read, language)
    with django_assert_num_queries(0):
        assert _asked(read, language) == _asked(expected, language)
    assert _asked(read, language)[0][0] == first.pk


def test_an_action_without_questions_reads_one_empty_list(petition, django_assert_num_queries):
    with django_assert_num_queries(1):
        read_asked(petition, "ar")
    assert list(petition.questions.all()) == []


def test_a_question_changed_elsewhere_shows_at_the_next_read(petition, ask):
    """The SQL is kept, never the answer: questions added, translated or edited without a
    signal (by another process) show at the next read."""
    read_asked(petition, "fr")
    assert list(petition.questions.all()) == []
    question = ask(petition, "text", key="why", fr={"title": "Pourquoi ?"})
    read_asked(petition, "fr")
    assert _asked(petition, "fr") == [(question.pk, "Pourquoi ?", [])]
    question.translations.update(title="Pour quelle raison ?")
    read_asked(petition, "fr")
    assert _asked(petition, "fr") == [(question.pk, "Pour quelle raison ?", [])]
