"""Reads of letters that the services, tasks and views share."""

import re

from tadamun.coalition.models import part_of
from tadamun.core.models import first_for_reader, related_reader
from tadamun.core.prepared import PreparedRead
from tadamun.letters.models import LetterCampaign, Target
from tadamun.questions.queries import read_asked

PLACEHOLDER = re.compile(r"\{(name|city|target_name|target_title)\}")
# An optional part: words in [square brackets] around a placeholder, "I write[ from {city}]".
OPTIONAL_PART = re.compile(r"\[([^\[\]]*\{(?:name|city|target_name|target_title)\}[^\[\]]*)\]")


def fill(template: str, *, name: str = "", city: str = "", target: Target | None = None) -> str:
    """The template with its placeholders filled in. Only the four known placeholders are
    replaced; any other brace is the writer's own text and stays as it is. Without a
    target, {target_name} and {target_title} stay for each official's copy to fill.

    An optional part ("[ from {city}]") is left out whole when one of its placeholders is
    blank, so a writer who gives no town reads "I write about…", not "I write from  about…";
    it loses its brackets once all its placeholders are filled."""
    values = {"name": name.strip(), "city": city.strip()}
    if target is not None:
        values |= {"target_name": target.name, "target_title": target.role}

    def placeholders(text: str) -> str:
        return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)

    def optional(match: re.Match) -> str:
        used = PLACEHOLDER.findall(match[1])
        if any(key in values and not values[key] for key in used):
            return ""
        if all(key in values for key in used):
            return placeholders(match[1])
        return f"[{placeholders(match[1])}]"  # an official's part, filled in each copy

    return placeholders(OPTIONAL_PART.sub(optional, template))


def as_first_official_reads_it(letter, targets) -> dict:
    """The subject and text of `letter` as the first of `targets` receives it (every
    placeholder filled), for the writer's confirm page and copy; each official's own copy
    carries their name and title."""
    targets = list(targets)
    writer = {"name": letter.name, "city": letter.city, "target": targets[0] if targets else None}
    return {
        "subject": fill(letter.subject, **writer),
        "text": fill(letter.text, **writer),
        "several_officials": len(targets) > 1,
    }


def targets_for(campaign: LetterCampaign, country: str):
    """The officials a writer from `country` writes to."""
    targets = campaign.group.targets.filter(active=True)
    if campaign.choice == LetterCampaign.Choice.OWN_COUNTRY:
        targets = targets.filter(country=country)
    return targets.order_by("country", "name")


def public_for_campaign(campaign):
    """The campaign's letter campaigns the public may read (drafts stay hidden), open first."""
    return (
        LetterCampaign.objects.public()
        .filter(part_of(LetterCampaign, campaign))
        .for_reader()
        .order_by("-status", "-created_at")
    )


def public_by(organisation):
    """The organisation's letter campaigns the public may read, open first, for its page."""
    return (
        LetterCampaign.objects.public()
        .filter(organisation=organisation)
        .for_reader()
        .order_by("-status", "-created_at")
    )


_public_by_slug = PreparedRead(
    lambda slug: (
        LetterCampaign.objects.public()
        .select_related("campaign", "group", "organisation")
        .filter(slug=slug)
    ),
    str,
)


def public_campaign(slug: str, language: str) -> LetterCampaign | None:
    """The public letter campaign at `slug`, read for a reader of `language` (with its
    campaign, group, owner, translation and custom questions), or None. Its SQL is built
    once per process (core/prepared.py)."""
    return first_for_reader(_public_by_slug(slug), language, related_reader("campaign"), read_asked)
