"""Reads of letters that the services, tasks and views share."""

import re

from tadamun.letters.models import LetterCampaign, Target

PLACEHOLDER = re.compile(r"\{(name|city|target_name|target_title)\}")


def fill(template: str, *, name: str = "", city: str = "", target: Target | None = None) -> str:
    """The template with its placeholders filled in. Only the four known placeholders are
    replaced; any other brace is the writer's own text and stays as it is. Without a
    target, {target_name} and {target_title} stay for each official's copy to fill."""
    values = {"name": name, "city": city}
    if target is not None:
        values |= {"target_name": target.name, "target_title": target.role}
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), template)


def targets_for(campaign: LetterCampaign, country: str):
    """The officials a writer from `country` writes to."""
    targets = campaign.group.targets.filter(active=True)
    if campaign.choice == LetterCampaign.Choice.OWN_COUNTRY:
        targets = targets.filter(country=country)
    return targets.order_by("country", "name")
