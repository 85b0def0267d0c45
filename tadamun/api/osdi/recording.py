"""What the helpers recording an action (a signature, an attendance, an outreach) do alike:
check all the partner sent before anything is written (`submission`), then keep the person
within the mail limit, with their tags, record the action through the site's own service,
note the write in the audit trail and answer with what the partner sent (`record_action`).
Each resource adds only its own rules and its service's request."""

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from ninja.errors import HttpError

from tadamun.api.osdi.person import (
    Answering,
    Signup,
    answers_sent,
    checked,
    full_name,
    submission_out,
    submitted_person,
    tagged_as_sent,
)
from tadamun.core.audit import record_partner_write


class ActionIn(Signup, Answering):
    """A helper's body: the person with the partner's tags, and the answers to the action's
    custom questions."""


@dataclass(frozen=True)
class Submission:
    """What the partner sent with an action, checked: nothing of it is written yet."""

    person: dict  # person.checked()
    answers: dict[str, str]  # to the action's custom questions, by question id

    @property
    def country(self) -> str:
        return self.person.get("country", "")

    @property
    def language(self) -> str:
        return self.person.get("language", settings.LANGUAGE_CODE)

    def request_fields(self) -> dict:
        """What every action's service request takes: who, in which language, answering what."""
        return {
            "name": full_name(self.person),
            "email": self.person["email"],
            "language": self.language,
            "answers": self.answers,
        }


def submission(
    payload: ActionIn, questions, *, country_needed: str = "", default_country: str = ""
) -> Submission:
    """The person and the answers to `questions` as the partner sent them, checked, or a 422.
    `country_needed`: the 422's words when the action needs the person's country;
    `default_country`: the one answers are checked against when the person gave none (a
    phone number's)."""
    person = checked(payload.person)
    if country_needed and not person.get("country"):
        raise HttpError(422, country_needed)
    return Submission(
        person, answers_sent(questions, payload, person.get("country") or default_country)
    )


def record_action(
    request,
    payload: ActionIn,
    submitted: Submission,
    *,
    route: str,
    record: Callable[[], object],
    audit: tuple[str, str],
    links: dict,
    echo: dict | None = None,
) -> dict:
    """Keep the person the partner submitted (`route` names the mail limit's counter) with
    its tags, then `record()` the action through its service, and note it: `audit` is the
    helper's name and what the action was on ("record_signature", "on <slug>"). The answer
    echoes `echo` (what the partner sent of the action) and the person as sent, with `links`."""
    known_as = submitted_person(request, route, submitted.person)
    tagged_as_sent(known_as, payload)
    record()
    helper, where = audit
    record_partner_write(request.auth, f"OSDI {helper}: person {known_as.pk} {where}")
    return submission_out(known_as, echo or {}, links)
