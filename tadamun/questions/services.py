"""Every write of answers: the petitions, events and letters services call these with the
signature, RSVP or letter the answers were given with."""

from django.core.exceptions import ValidationError
from django.db import transaction

from tadamun.questions.forms import checked_answer
from tadamun.questions.models import ACTIONS, Answer, Question

OWNER_OF = {action: owner for owner, action in ACTIONS.items()}
# Where each kind of action names what it was done on.
OWNER_ID = {"signature": "petition_id", "rsvp": "event_id", "letter": "campaign_id"}


def _action_field(action) -> str:
    return action._meta.model_name  # "signature", "rsvp" or "letter"


def _questions_of(actions) -> dict[int, Question]:
    """The questions the actions' petitions, events or letter campaigns ask, by id."""
    field = _action_field(actions[0])
    owner = OWNER_OF[field]
    owners = {getattr(action, OWNER_ID[field]) for action in actions}
    return {q.pk: q for q in Question.objects.filter(**{f"{owner}_id__in": owners})}


def record_many(given: list[tuple]) -> None:
    """Keep the answers of each (action, answers by question id): they replace what was
    answered with that action before. Answers to a question the action's petition, event
    or letter campaign does not ask are ignored."""
    # A letter handed to the writer's mail program keeps no one: nor do its answers.
    given = [
        (action, answers)
        for action, answers in given
        if action.pk is not None and action.supporter_id is not None
    ]
    if not given:
        return
    field = _action_field(given[0][0])
    owner = OWNER_OF[field]
    asked = _questions_of([action for action, _answers in given])
    Answer.objects.filter(**{f"{field}__in": [action for action, _answers in given]}).delete()
    Answer.objects.bulk_create(
        [
            Answer(
                question_id=question.pk,
                supporter_id=action.supporter_id,
                value=value,
                **{field: action},
            )
            for action, answers in given
            for key, value in (answers or {}).items()
            if value
            and (question := asked.get(int(key)))
            and getattr(question, f"{owner}_id") == getattr(action, OWNER_ID[field])
        ]
    )


def record(action, answers: dict[str, str]) -> None:
    record_many([(action, answers)])


def from_custom_fields(questions, custom_fields: dict, country: str = "") -> dict[str, str]:
    """The answers an API client sent as OSDI custom fields (named by question key), checked
    as the form checks them; a ValidationError naming the key otherwise. Custom fields that
    name no question are left to the caller (the person's own custom fields)."""
    answers, problems = {}, []
    for question in questions:
        try:
            value = checked_answer(question, custom_fields.get(question.key, ""), country)
        except ValidationError as error:
            problems.append(f"{question.key}: {' '.join(error.messages)}")
            continue
        if value:
            answers[str(question.pk)] = value
    if problems:
        raise ValidationError(problems)
    return answers


def add_to_event(
    event, *, kind: str, title: str, summary: str = "", options: str = "", required: bool = False
) -> Question:
    """An event's organiser adds a question to its RSVP form, in the event's language. Like
    their other changes, it is live at once and marks the event changed for the moderators."""
    from django.utils import timezone
    from django.utils.text import slugify

    with transaction.atomic():
        taken = set(event.questions.values_list("key", flat=True))
        base = slugify(title)[:30] or kind.replace("_", "-")
        key = next(
            k for n in range(1, 100) if (k := base if n == 1 else f"{base}-{n}") not in taken
        )
        question = Question(
            event=event,
            key=key,
            kind=kind,
            title=title,
            summary=summary,
            options=options,
            required=required,
            language=event.language,
            position=1 + max((q.position for q in event.questions.all()), default=0),
        )
        question.full_clean()
        question.save()
        type(event).objects.filter(pk=event.pk).update(edited_at=timezone.now())
    return question


def remove_from_event(event, question_id: int) -> None:
    """The organiser takes a question off their RSVP form; the answers to it go with it."""
    Question.objects.filter(event=event, pk=question_id).delete()
