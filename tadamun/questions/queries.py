"""Reads of questions and answers: the forms, exports and the API use these."""

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch

from tadamun.core.prepared import PreparedRead, as_prefetched
from tadamun.questions.models import Answer, Question, QuestionTranslation

CHUNK = 2000


def asked(language: str | None = None) -> Prefetch:
    """A prefetch of an action's questions in order, with the translation a reader of
    `language` needs (every translation when None): one query for all the questions."""
    questions = Question.objects.in_order()
    questions = (
        questions.for_reader(language) if language else questions.prefetch_related("translations")
    )
    return Prefetch("questions", questions)


# By the action's foreign key on Question ("petition_id"...): its questions in order, and
# their translations in one language; their SQL built once per process (core/prepared.py).
_ASKED_READS: dict[str, tuple[PreparedRead, PreparedRead]] = {}


def _asked_reads(action_key: str) -> tuple[PreparedRead, PreparedRead]:
    if (reads := _ASKED_READS.get(action_key)) is None:
        reads = _ASKED_READS[action_key] = (
            PreparedRead(
                lambda action: Question.objects.filter(**{action_key: action}).in_order(), int
            ),
            PreparedRead(
                lambda action, language: QuestionTranslation.objects.filter(
                    **{f"question__{action_key}": action}, language=language
                ),
                int,
                str,
            ),
        )
    return reads


def read_asked(action, language: str) -> None:
    """Give `action` its questions in order, each with the translation a reader of
    `language` needs: what `prefetch_related(asked(language))` gives, in as many queries
    (the translations only for questions written in another language), none built per
    request."""
    action_key = type(action).questions.field.attname
    questions, translations = _asked_reads(action_key)
    found = questions(action.pk)
    by_question: dict[int, list] = {}
    if any(question.language != language for question in found):
        for translation in translations(action.pk, language):
            by_question.setdefault(translation.question_id, []).append(translation)
    for question in found:
        as_prefetched(question, "translations", by_question.get(question.pk, []))
    as_prefetched(action, "questions", found)


def header(questions) -> list[str]:
    """An export's columns for the questions: each one's key (the API's name for it)."""
    return [question.key for question in questions]


def with_answers(rows: Iterable, questions, action: str) -> Iterator[list]:
    """Each row (whose first value is the signature's, RSVP's or letter's id, left out of
    what is yielded) followed by the answers to `questions`, read a chunk of rows at a time."""
    questions = list(questions)
    chunk: list = []

    def flush():
        found = {}
        if questions:
            answers = Answer.objects.filter(
                **{f"{action}_id__in": [row[0] for row in chunk]}, question__in=questions
            ).values_list(f"{action}_id", "question_id", "value")
            found = {(owner, question): value for owner, question, value in answers}
        for row in chunk:
            yield [*row[1:], *(found.get((row[0], q.pk), "") for q in questions)]

    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            yield from flush()
            chunk = []
    if chunk:
        yield from flush()


def custom_fields(action) -> dict[str, str]:
    """The answers given with an action as OSDI custom fields (question key: answer).
    Reads the prefetched `answers` (with their questions) when the caller has them."""
    return {answer.question.key: answer.value for answer in action.answers.all()}
