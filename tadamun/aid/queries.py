"""Reads of the aid directory that its views and other apps' pages share."""

from tadamun.aid.models import AidOrganisation


def organisations():
    """Published organisations, with their translation into the reader's language."""
    return AidOrganisation.objects.public().for_reader()


def for_campaign(campaign):
    """The published organisations a campaign's page lists."""
    return organisations().filter(campaigns=campaign)
