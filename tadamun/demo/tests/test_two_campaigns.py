"""Two campaigns side by side in the demo: nothing in one changes when the other is edited,
imported into or archived."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tadamun.coalition.models import Campaign
from tadamun.demo import libraries_demo
from tadamun.demo.loader import CAMPAIGN_SLUG
from tadamun.letters import services as letters
from tadamun.letters.models import Target

# An import for the second campaign: its French official renamed, a Spanish one added.
CULTURE_IMPORT = (
    "reference,name,title,institution,country,email,contact_form,groups,active\n"
    "fr-culture,Nadia Roux,ministre de la Culture,Ministère de la Culture,FR,"
    "ministre@culture-fr.example.org,,Culture ministers (demo),yes\n"
    "es-culture,Marta Ruiz,ministra de Cultura,Ministerio de Cultura,ES,"
    "ministra@cultura-es.example.org,,Culture ministers (demo),yes\n"
)


def as_read(client, slug: str) -> dict:
    """What readers and partners read of a campaign, and what its letters count."""
    campaign = Campaign.objects.get(slug=slug)
    paths = [
        campaign.get_absolute_url(),
        campaign.get_absolute_url().replace("/en/", "/ar/", 1),
        f"/en/campaigns/{slug}/endorsements/",
    ]
    read = {path: client.get(path).content for path in paths}
    for letter_campaign in campaign.letter_campaigns.all():
        read[letter_campaign.slug] = client.get(f"/api/letters/{letter_campaign.slug}").json()
        read[f"{letter_campaign.slug} officials"] = sorted(
            Target.objects.filter(groups=letter_campaign.group).values_list(
                "reference", "name", "role", "email", "active"
            )
        )
        read[f"{letter_campaign.slug} counts"] = [
            (official.reference, official.name, official.role, count)
            for official, count in letters.counts_by_target(letter_campaign)
        ]
    return read


@pytest.fixture
def first(client, demo_loaded, db):
    before = as_read(client, CAMPAIGN_SLUG)
    assert b'id="part-watch"' in before[f"/en/campaigns/{CAMPAIGN_SLUG}/"]  # all its parts
    return lambda: as_read(client, CAMPAIGN_SLUG) == before


def test_the_demo_runs_two_campaigns_both_featured(client, demo_loaded, db):
    second = Campaign.objects.get(slug=libraries_demo.SLUG)
    assert list(Campaign.objects.featured().values_list("slug", flat=True)) == [
        CAMPAIGN_SLUG,
        libraries_demo.SLUG,
    ]
    home = client.get("/en/").content.decode()
    assert second.title in home
    page = client.get(second.get_absolute_url()).content.decode()
    assert "Write to your culture minister" in page
    assert 'id="part-watch"' not in page  # the first campaign's parts are its own


def test_editing_the_second_campaign_changes_nothing_in_the_first(first, admin_client):
    second = Campaign.objects.get(slug=libraries_demo.SLUG)
    second.title = "Libraries for all"
    second.save()
    second.translations.filter(language="ar").update(title="مكتبات للجميع")
    letter_campaign = second.letter_campaigns.get()
    letter_campaign.letter = "Dear {target_name}, please fund libraries. {name}"
    letter_campaign.save()
    assert first()


def test_importing_officials_for_the_second_campaign_changes_nothing_in_the_first(
    first, admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/en/admin/letters/target/import/",
            {"file": SimpleUploadedFile("culture.csv", CULTURE_IMPORT.encode(), "text/csv")},
        )
    preview = admin_client.get(response["Location"]).content.decode()
    # The change reaches only the campaign that writes to culture ministers, and says so.
    second = Campaign.objects.get(slug=libraries_demo.SLUG)
    assert f"<bdi>{second.title}</bdi>" in preview
    first_title = Campaign.objects.get(slug=CAMPAIGN_SLUG).title
    assert f"<bdi>{first_title}</bdi>" not in preview
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(response["Location"], {"confirm": "1"})
    assert Target.objects.get(reference="fr-culture").name == "Nadia Roux"
    # The second campaign's past letters keep the official they were sent to.
    counts = letters.counts_by_target(second.letter_campaigns.get())
    assert ("Élise Moreau", 3) in [(official.name, count) for official, count in counts]
    assert first()


def test_archiving_the_second_campaign_changes_nothing_in_the_first(first, client):
    second = Campaign.objects.get(slug=libraries_demo.SLUG)
    second.status = Campaign.Status.ARCHIVED
    second.save()
    assert first()
    assert client.get(second.get_absolute_url()).status_code == 200  # still readable


def test_archiving_the_first_campaign_changes_nothing_in_the_second(client, demo_loaded, db):
    before = as_read(client, libraries_demo.SLUG)
    Campaign.objects.filter(slug=CAMPAIGN_SLUG).update(status=Campaign.Status.ARCHIVED)
    assert as_read(client, libraries_demo.SLUG) == before
