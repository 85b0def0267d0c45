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
