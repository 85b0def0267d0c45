"""Pages read a translatable object with only the translation their reader needs: one
`for_reader()` on every translatable model's QuerySet."""

from django.apps import apps
from django.utils import translation

from tadamun.coalition.models import Campaign, CampaignTranslation
from tadamun.core.models import Translatable


def test_every_translatable_model_reads_for_its_reader():
    for model in apps.get_models():
        if issubclass(model, Translatable):
            assert hasattr(model.objects.all(), "for_reader"), model._meta.label


def test_for_reader_brings_only_the_readers_translation(campaign, django_assert_num_queries):
    for language in ("fr", "de"):
        CampaignTranslation.objects.create(
            campaign=campaign, language=language, title=f"title {language}", body="…"
        )
    with translation.override("fr"), django_assert_num_queries(2):
        read = Campaign.objects.filter(pk=campaign.pk).for_reader().get()
        assert [t.language for t in read.translations.all()] == ["fr"]
        assert read.localized("fr").title == "title fr"
    read = Campaign.objects.filter(pk=campaign.pk).for_reader("de").get()
    assert [t.language for t in read.translations.all()] == ["de"]
