"""A campaign page gathers its parts (only those the public may see); a part may serve
several campaigns; the home page shows the campaigns an admin features, in their order."""

from datetime import date

import pytest

from tadamun.aid.models import AidOrganisation
from tadamun.coalition.models import Campaign
from tadamun.letters.models import LetterCampaign, TargetGroup
from tadamun.rebuttals.models import Claim
from tadamun.watch.models import WatchItem, WatchItemTranslation

pytestmark = pytest.mark.django_db


def other_campaign(slug="libraries", **extra):
    return Campaign.objects.create(
        slug=slug, title=f"Campaign {slug}", status=Campaign.Status.ACTIVE, **extra
    )


def parts(campaign, marker: str, *, public: bool):
    """One of each kind, public or not, belonging to `campaign`."""
    group = TargetGroup.objects.get_or_create(name="Officials", slug="officials")[0]
    LetterCampaign.objects.create(
        campaign=campaign, slug=f"letter-{marker}", title=f"Letter {marker}", subject="s",
        letter="Dear {target_name}", group=group, status="open" if public else "draft",
    )  # fmt: skip
    item = WatchItem.objects.create(
        slug=f"watch-{marker}", title=f"Watch {marker}", actor=f"Actor {marker}",
        country="FR", happened_on=date(2026, 11, 1), status="enacted", published=public,
    )  # fmt: skip
    aid = AidOrganisation.objects.create(
        slug=f"aid-{marker}", title=f"Aid {marker}", status="published" if public else "draft"
    )
    claim = Claim.objects.create(
        slug=f"claim-{marker}", title=f"Claim {marker}", verdict="false", published=public
    )
    for part in (item, aid, claim):
        part.campaigns.add(campaign)
    return item


def test_a_campaign_page_gathers_its_public_parts_only(client, campaign):
    parts(campaign, "shown", public=True)
    parts(campaign, "hidden", public=False)
    parts(other_campaign(), "elsewhere", public=True)
    html = client.get(campaign.get_absolute_url()).content.decode()
    for kind in ("Letter", "Watch", "Aid", "Claim"):
        assert f"{kind} shown" in html
        assert f"{kind} hidden" not in html  # drafts and unpublished stay hidden
        assert f"{kind} elsewhere" not in html  # another campaign's part
    assert "Actor shown" in html


def test_a_part_may_serve_several_campaigns(client, campaign):
    other = other_campaign()
    item = parts(campaign, "shared", public=True)
    item.campaigns.add(other)
    for each in (campaign, other):
        assert "Watch shared" in client.get(each.get_absolute_url()).content.decode()


def test_the_watch_items_actor_is_shown_in_the_readers_language(client, campaign):
    item = parts(campaign, "x", public=True)
    WatchItemTranslation.objects.create(
        item=item, language="fr", title="Veille x", actor="Ministère x (traduit)"
    )
    for path in (campaign.get_absolute_url(), item.get_absolute_url(), "/en/watch/"):
        fr = client.get(path.replace("/en/", "/fr/", 1)).content.decode()
        assert "Ministère x (traduit)" in fr and "Actor x" not in fr
    assert client.get("/api/watch/watch-x").json()["actor_translations"] == {
        "fr": "Ministère x (traduit)"
    }


def test_an_archived_campaign_and_its_parts_stay_readable(client, campaign):
    parts(campaign, "kept", public=True)
    campaign.status = Campaign.Status.ARCHIVED
    campaign.save()
    response = client.get(campaign.get_absolute_url())
    assert response.status_code == 200
    assert "Watch kept" in response.content.decode()
    assert campaign.get_absolute_url() in client.get("/en/campaigns/").content.decode()


def test_the_home_page_shows_the_featured_campaigns_in_the_admins_order(client, campaign):
    second = other_campaign("second", featured_position=3)
    third = other_campaign("third", featured_position=2)
    not_featured = other_campaign("unfeatured", starts_on=date(2026, 12, 1))
    html = client.get("/en/").content.decode()
    lead = html.index('id="campaign-title"')
    assert campaign.title in html[lead : lead + 100]  # position 1 leads
    assert html.index(third.title) < html.index(second.title)  # then 2, then 3
    assert not_featured.title not in html  # the newest running one is not chosen by itself


def test_publishing_a_campaign_does_not_replace_the_one_leading_the_home_page(client, campaign):
    newer = Campaign.objects.create(slug="newer", title="Newer", starts_on=date(2026, 12, 1))
    newer.status = Campaign.Status.ACTIVE
    newer.save()
    assert Campaign.objects.current() == campaign
    assert "Newer" not in client.get("/en/").content.decode()


def test_an_admin_reorders_the_featured_campaigns_from_the_list(admin_client, client, campaign):
    other = other_campaign(featured_position=2)
    data = {
        "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2", "_save": "Save",
        "form-0-id": str(other.pk), "form-0-featured_position": "1",
        "form-1-id": str(campaign.pk), "form-1-featured_position": "2",
    }  # fmt: skip
    admin_client.post("/en/admin/coalition/campaign/?o=1", data)
    assert Campaign.objects.current() == other


def test_a_mailing_audience_may_be_everyone_who_took_part_in_a_campaign(campaign):
    from tadamun.mailings.audience import _activity
    from tadamun.mailings.models import Mailing

    mailing = Mailing.objects.create(title="News", body="Hello")
    assert _activity(mailing) is None
    mailing.campaigns.add(campaign)
    assert _activity(mailing) is not None


def test_a_petition_day_letter_campaign_or_publication_may_be_shared_with_another_campaign(
    client, campaign
):
    from tadamun.events.models import DayOfAction
    from tadamun.petitions.models import Petition
    from tadamun.publications.models import Publication

    other = other_campaign()
    group = TargetGroup.objects.create(name="Officials", slug="officials")
    made = [
        Petition.objects.create(
            campaign=campaign, slug="p", title="Shared petition", target="t", status="open"
        ),
        DayOfAction.objects.create(
            campaign=campaign, slug="d", title="Shared day", status="published",
            starts_on=date(2099, 1, 1), ends_on=date(2099, 1, 1),
        ),
        LetterCampaign.objects.create(
            campaign=campaign, slug="l", title="Shared letters", subject="s",
            letter="Dear {target_name}", group=group, status="open",
        ),
        Publication.objects.create(
            campaign=campaign, slug="a", title="Shared article", status="published"
        ),
    ]  # fmt: skip
    html = client.get(other.get_absolute_url()).content.decode()
    assert not any(part.title in html for part in made)
    for part in made:
        part.other_campaigns.add(other)
    html = client.get(other.get_absolute_url()).content.decode()
    assert [part.title for part in made if part.title not in html] == []
    own = client.get(campaign.get_absolute_url()).content.decode()
    assert own.count("Shared letters") == 1  # still listed once in its own campaign
