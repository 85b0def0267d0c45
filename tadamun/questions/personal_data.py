"""What the questions app holds about a supporter: their answers to custom questions."""

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from tadamun.questions.forms import NO, YES
from tadamun.questions.models import Answer, Question
from tadamun.supporters import registry

LABELS = {
    "question": _("Question"),
    "answer": _("Answer"),
    "answered": _("Answered"),
}


def describe(supporter) -> list[dict]:
    """Each answer as the person read its question: in their language where it is translated."""
    language = get_language()
    answers = Answer.objects.filter(supporter=supporter).select_related("question")
    return [
        {
            "question": answer.question.localized(language).title,
            "answer": as_read(answer.question, answer.value, language),
            "answered": answer.created_at.isoformat(),
        }
        for answer in answers.prefetch_related("question__translations")
    ]


def as_read(question: Question, value: str, language: str) -> str:
    """A yes or no, or a choice (kept as its source's code or option), in the words the form
    showed in `language`; anything typed, as typed."""
    if question.kind == Question.Kind.YES_NO:
        return {YES: gettext("Yes"), NO: gettext("No")}.get(value, value)
    options = question.option_list()
    if question.kind == Question.Kind.CHOICE and value in options:
        return question.option_list(language)[options.index(value)]
    return value


def anonymise(supporter) -> None:
    """Answers say something of the person who gave them: they go, whatever their kind (the
    counts of signatures, RSVPs and letters never read them)."""
    Answer.objects.filter(supporter=supporter).delete()


DECLARATION = registry.Declaration(
    models=[
        registry.PersonalDataModel(
            "questions.Answer", made_by_the_public=True, never_by_hand=registry.EVERYTHING
        ),
    ],
    providers=[
        registry.PersonalDataProvider(
            "answers",
            title=_("Your answers to questions"),
            labels=LABELS,
            describe=describe,
            anonymise=anonymise,
        )
    ],
)
