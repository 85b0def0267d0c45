"""A prepared read (core/prepared.py) gives what its QuerySet gives, for any argument, with
the SQL built once: models with their select_related objects and annotations, or values."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db.models import F

from tadamun.coalition.models import Campaign, Organisation
from tadamun.core.prepared import PreparedRead
from tadamun.petitions import queries
from tadamun.petitions.models import Petition


def by_slug(slug):
    return (
        Petition.objects.filter(slug=slug)
        .select_related("campaign", "organisation")
        .annotate(doubled=F("confirmed_count") * 2)
    )


def test_models_come_with_their_related_objects_and_annotations(
    petition, campaign, django_assert_num_queries
):
    organisation = Organisation.objects.create(name="Gaziantep Aid Network")
    other = Petition.objects.create(
        campaign=campaign,
        slug="second",
        title="Second",
        summary="…",
        body="…",
        target="Council",
        organisation=organisation,
        confirmed_count=21,
    )
    read = PreparedRead(by_slug, str)
    for wanted in (petition, other):
        with django_assert_num_queries(1):  # related objects come with it
            (found,) = read(wanted.slug)
            campaign, organisation, doubled = found.campaign, found.organisation, found.doubled
        expected = by_slug(wanted.slug).get()
        assert (campaign, organisation) == (expected.campaign, expected.organisation)
        assert doubled == expected.doubled == 2 * wanted.confirmed_count
        assert {f.attname: getattr(found, f.attname) for f in Petition._meta.concrete_fields} == {
            f.attname: getattr(expected, f.attname) for f in Petition._meta.concrete_fields
        }
    assert read("no-such-petition") == []


def test_the_sql_is_built_once_per_database(petition):
    built = []
    read = PreparedRead(lambda slug: built.append(slug) or by_slug(slug), str)
    read(petition.slug)
    read("other")
    assert len(built) == 1


def test_values_rows_are_converted_as_the_queryset_converts_them(petition, sign):
    sign("amal@example.org", confirm=True, show_name=True)
    sign("omar@example.org", confirm=True)
    assert queries.timeline(petition) == queries.daily(petition)
    assert queries.timeline(petition)  # a day with its count, as a date
    signers = queries.recent_public_signers(petition)
    assert [s.public_name for s in signers] == list(
        petition.signatures.confirmed()
        .exclude(public_name="")
        .values_list("public_name", flat=True)
    )


def test_a_moderation_change_shows_at_once(petition):
    """The SQL is kept, never the answer: a petition made a draft is gone from the next read."""
    assert queries.public_petition(petition.slug, "en") == petition
    Campaign.objects.filter(pk=petition.campaign_id).update(status=Campaign.Status.DRAFT)
    assert queries.public_petition(petition.slug, "en") is None


@pytest.mark.parametrize(
    ("build", "kinds"),
    [
        (lambda slug: Petition.objects.filter(slug=slug).prefetch_related("translations"), (str,)),
        (lambda slug: Petition.objects.filter(slug=slug).values("slug"), (str,)),
        (lambda slug: Petition.objects.filter(slug=slug, title=slug), (str,)),
        (lambda slug: Petition.objects.all(), (str,)),
    ],
)
def test_what_cannot_be_prepared_is_refused(db, build, kinds):
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(build, *kinds)("x")


def test_only_ints_and_strings_vary(db):
    with pytest.raises(ImproperlyConfigured):
        PreparedRead(lambda day: Petition.objects.filter(opens_at__gt=day), object)


def test_columns_added_only_to_order_are_dropped_as_the_queryset_drops_them(petition, campaign):
    Petition.objects.create(campaign=campaign, slug="b", title="A first", target="Council")

    def build(campaign_id):
        return (
            Petition.objects.filter(campaign_id=campaign_id)
            .order_by("title")
            .values_list("slug")
            .distinct()
        )

    assert (
        PreparedRead(build, int)(campaign.pk)
        == list(build(campaign.pk))
        == [("b",), (petition.slug,)]
    )


def _text(obj, language):
    text = obj.localized(language)
    return (text.title, text.language, text.is_fallback, text.is_outdated)


@pytest.mark.parametrize("language", ["en", "fr", "ar", "de"])
def test_the_readers_translation_is_what_for_reader_gives(
    petition, language, django_assert_num_queries
):
    """`read_for_reader` (a prepared read, none in the source language) leaves what
    `for_reader()`'s prefetch leaves: the reader's translation, outdated or not, or the
    source; each translation knows its petition without a query."""
    from tadamun.core.models import read_for_reader
    from tadamun.petitions.models import PetitionTranslation

    PetitionTranslation.objects.create(petition=petition, language="fr", title="Ouvrez")
    PetitionTranslation.objects.create(petition=petition, language="ar", title="افتحوا")
    petition.title = "Open the borders now"
    petition.save()  # the translations are now outdated
    PetitionTranslation.objects.filter(language="fr").update(source_version=petition.version)
    expected = Petition.objects.for_reader(language).get(pk=petition.pk)
    read = Petition.objects.get(pk=petition.pk)
    with django_assert_num_queries(0 if language == "en" else 1):
        read_for_reader(read, language)
    with django_assert_num_queries(0):
        assert _text(read, language) == _text(expected, language)
        assert all(t.petition is read for t in read.translations.all())


def test_a_translation_made_elsewhere_shows_at_the_next_read(petition):
    from tadamun.petitions.models import PetitionTranslation

    assert queries.public_petition(petition.slug, "ar").localized("ar").is_fallback
    PetitionTranslation.objects.create(petition=petition, language="ar", title="افتحوا")
    assert queries.public_petition(petition.slug, "ar").localized("ar").title == "افتحوا"
    assert queries.public_petition(petition.slug, "fr").localized("fr").is_fallback


def test_rows_given_as_prefetched_are_read_without_a_query(petition, django_assert_num_queries):
    """`as_prefetched` leaves what prefetch_related() leaves: `.all()` gives the rows and each
    row knows its object; a QuerySet chained from it finds nothing, never another's rows."""
    from tadamun.core.prepared import as_prefetched
    from tadamun.petitions.models import PetitionTranslation

    translation = PetitionTranslation.objects.create(petition=petition, language="fr", title="O")
    other = Petition.objects.create(campaign=petition.campaign, slug="other", title="Other")
    PetitionTranslation.objects.create(petition=other, language="de", title="Andere")
    read = Petition.objects.get(pk=petition.pk)
    row = PetitionTranslation.objects.get(pk=translation.pk)
    as_prefetched(read, "translations", [row])
    with django_assert_num_queries(0):
        assert list(read.translations.all()) == [row]
        assert row.petition is read
    assert list(read.translations.filter(language="de")) == []
