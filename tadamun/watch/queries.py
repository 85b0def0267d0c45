from tadamun.letters.models import LetterCampaign
from tadamun.watch.models import WatchItem


def timeline():
    """Published items, latest first, with their translation into the reader's language."""
    return WatchItem.objects.published().for_reader()


def answering_campaign(item: WatchItem):
    """The public letter campaign that answers `item`, if there is one (drafts stay hidden)."""
    if item.letter_campaign_id is None:
        return None
    return LetterCampaign.objects.public().filter(pk=item.letter_campaign_id).first()


def for_campaign(campaign):
    """The published items a campaign's page lists."""
    return timeline().filter(campaigns=campaign)
