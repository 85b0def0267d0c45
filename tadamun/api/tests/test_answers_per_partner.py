"""One person, several petitions, two partners (the partner boundary, supporters.partners):
each partner reads back, on the person, only the custom fields it sent itself, and on each
signature only the answers the rule gives it (answers_go_to): its own petition's, and another
petition's once the person shares what they do with it; never through the other partner."""

import pytest
from django.test import Client

from tadamun.api.tests import test_webhooks as hooks
from tadamun.api.tests.test_osdi import token_of
from tadamun.coalition.member_actions import Review
from tadamun.petitions import services as petitions
from tadamun.petitions.models import Petition, Signature
from tadamun.questions.tests import conftest as question_fixtures
from tadamun.supporters import partners as partner_people
from tadamun.supporters.models import Supporter

partners = hooks.partners
ask = question_fixtures.ask
EMAIL = "rim@example.org"


def rim(**custom_fields) -> dict:
    return {
        "given_name": "Rim",
        "email_addresses": [{"address": EMAIL}],
        "postal_addresses": [{"country": "FR"}],
        "custom_fields": custom_fields,
    }


@pytest.fixture
def two_petitions(campaign, partners, ask, django_user_model):
    """Lyon's own petition (approved, Lyon has an organiser) asking "city", and the
    coalition's asking "town"."""
    partners[0].organisers.add(django_user_model.objects.create_user("lyon-organiser"))
    own = Petition.objects.create(
        campaign=campaign, slug="lyon-own", title="Ours", target="Mayor", status="open",
        organisation=partners[0], review=Review.APPROVED,
    )  # fmt: skip
    coalition = Petition.objects.create(
        campaign=campaign, slug="coalition", title="All", target="Ministers", status="open"
    )
    ask(own, "text", key="city")
    ask(coalition, "text", key="town")
    return own, coalition


def test_each_partner_reads_only_its_own_custom_fields_and_the_answers_it_may(
    partners, two_petitions, django_capture_on_commit_callbacks
):
    lyon, other = (Client(HTTP_OSDI_API_TOKEN=token_of(p)) for p in partners)
    own, coalition = two_petitions
    with django_capture_on_commit_callbacks(execute=True):
        for petition, answer in ((own, {"city": "Lyon"}), (coalition, {"town": "Vaulx"})):
            sent = lyon.post(
                f"/api/osdi/v1/petitions/{petition.slug}/signatures",
                {"person": rim(met_at="stall"), "custom_fields": answer},
                content_type="application/json",
            )
            assert sent.status_code == 200, sent.content
        signed_up = other.post(
            "/api/osdi/v1/people", {"person": rim(volunteer="yes")}, content_type="application/json"
        )
        assert signed_up.status_code == 200, signed_up.content
    for signature in Signature.objects.all():
        petitions.confirm(signature)
    person = Supporter.objects.with_email(EMAIL).get()

    def answers(client, petition) -> list[dict]:
        page = client.get(f"/api/osdi/v1/petitions/{petition.slug}/signatures").json()
        return [shown["custom_fields"] for shown in page["_embedded"]["osdi:signatures"]]

    def custom_fields(client) -> list[dict]:
        people = client.get("/api/osdi/v1/people").json()["_embedded"]["osdi:people"]
        return [shown["custom_fields"] for shown in people]

    # Before she says yes to sharing with Lyon: each partner reads the person it sent, with
    # its own custom fields only, and no signature.
    assert custom_fields(lyon) == [{"met_at": "stall"}]
    assert custom_fields(other) == [{"volunteer": "yes"}]
    assert answers(lyon, own) == answers(lyon, coalition) == []

    partner_people.confirm_sharing(person.partner_people.get(organisation=partners[0]))
    assert answers(lyon, own) == [{"city": "Lyon"}]  # its own petition's question
    assert answers(lyon, coalition) == [{"town": "Vaulx"}]  # she shares what she does
    assert custom_fields(lyon) == [{"met_at": "stall"}]  # never the answers, nor Other's
    # Other sent her too, but she shares nothing with it: its own word about her, no more.
    assert custom_fields(other) == [{"volunteer": "yes"}]
    assert answers(other, own) == answers(other, coalition) == []
