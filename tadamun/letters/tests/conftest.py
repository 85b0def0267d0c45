import pytest

from tadamun.letters.models import LetterCampaign, LetterCampaignTranslation, Target, TargetGroup

TEMPLATE = (
    "Dear {target_name},\n\nI live in {city} and I ask you, as {target_title}, to open safe "
    "routes for the civilians of Idlib.\n\nYours,\n{name}"
)


@pytest.fixture
def ministers(db):
    group = TargetGroup.objects.create(name="Interior ministers", slug="interior-ministers")
    officials = {
        "DE": ("Jana Albers", "Bundesministerin des Innern", "jana@interior-de.example.org", ""),
        "FR": ("Claire Martin", "ministre de l'Intérieur", "claire@interieur.example.org", ""),
        "NL": ("Pieter de Vries", "minister", "", "https://asiel-nl.example.org/contact"),
    }
    for country, (name, role, email, form) in officials.items():
        target = Target.objects.create(
            reference=f"{country.lower()}-interior",
            name=name,
            role=role,
            institution="Ministry",
            country=country,
            email=email,
            contact_form_url=form,
        )
        target.groups.add(group)
    return group


@pytest.fixture
def make_letter_campaign(campaign, ministers):
    def make(slug="write-to-your-minister", *, choice="country", delivery="platform", **extra):
        letter_campaign = LetterCampaign.objects.create(
            campaign=campaign,
            slug=slug,
            title="Write to your minister",
            summary="Ask for safe routes.",
            subject="Safe routes for Idlib",
            letter=TEMPLATE,
            group=ministers,
            choice=choice,
            delivery=delivery,
            **{"status": LetterCampaign.Status.OPEN, **extra},
        )
        LetterCampaignTranslation.objects.create(
            letter_campaign=letter_campaign,
            language="fr",
            title="Écrivez à votre ministre",
            subject="Des voies sûres pour Idlib",
            letter="À l'attention de {target_name},\n\nJ'habite à {city} et je vous demande "
            "d'ouvrir des voies sûres pour les civils d'Idlib.\n\n{name}",
        )
        return letter_campaign

    return make


@pytest.fixture
def platform_campaign(make_letter_campaign):
    return make_letter_campaign()


@pytest.fixture
def mailto_campaign(make_letter_campaign):
    return make_letter_campaign("winter", choice="all", delivery="mailto")


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """client.post, running what the request queued for after its commit (mail, delivery)."""

    def post_(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data or {})

    return post_
