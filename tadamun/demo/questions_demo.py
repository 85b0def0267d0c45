"""The demo's custom question: an optional yes-or-no on the first public event's RSVP form,
in every language (its text in content/question-*.md)."""

from tadamun.demo.content import read, translations
from tadamun.events.models import Event
from tadamun.questions.models import Question, QuestionTranslation

QUESTIONS = ["question-banner"]


def load(other_languages) -> None:
    event = Event.objects.public().order_by("pk").first()
    if event is None:
        return
    for name in QUESTIONS:
        source = read(name, "en")
        question, _created = Question.objects.get_or_create(
            event=event,
            key=source["key"],
            defaults={
                "kind": source["kind"],
                "title": source["title"],
                "summary": source["summary"],
                "language": "en",
            },
        )
        for language, text in translations(name, other_languages).items():
            QuestionTranslation.objects.get_or_create(
                question=question,
                language=language,
                defaults={"title": text["title"], "summary": text["summary"]},
            )
