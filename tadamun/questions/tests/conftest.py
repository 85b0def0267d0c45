import pytest

from tadamun.events.tests import conftest as event_fixtures
from tadamun.questions.models import Question

# The events app's fixtures: an approved event made through its real form.
day = event_fixtures.day
proposal = event_fixtures.proposal
sign_up_event = event_fixtures.sign_up_event


@pytest.fixture
def ask():
    """ask(petition, "phone", key="phone", required=True, options="A\\nB", ar={...})"""

    def ask_(owner, kind="text", *, key=None, required=False, options="", title=None, **langs):
        owner_field = {
            "petition": "petition",
            "event": "event",
            "lettercampaign": "letter_campaign",
        }
        question = Question.objects.create(
            **{owner_field[owner._meta.model_name]: owner},
            kind=kind,
            key=key or kind.replace("_", "-"),
            required=required,
            title=title or f"Your {kind.replace('_', ' ')}",
            options=options,
        )
        for language, texts in langs.items():
            question.translations.create(language=language, **texts)
        return question

    return ask_
