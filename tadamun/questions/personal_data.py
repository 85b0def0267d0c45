"""What the questions app holds about a supporter: their answers to custom questions."""

from django.utils.translation import gettext_lazy as _

from tadamun.questions.models import Answer
from tadamun.supporters import registry

LABELS = {
    "question": _("Question"),
    "answer": _("Answer"),
    "answered": _("Answered"),
}


def describe(supporter) -> list[dict]:
    return [
        {
            "question": answer.question.title,
            "answer": answer.value,
            "answered": answer.created_at.isoformat(),
        }
        for answer in Answer.objects.filter(supporter=supporter).select_related("question")
    ]


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
