"""The back office's first page: a dashboard per role, whose figures each role may open, with
no name or email for roles that may not read people, at a cost that does not grow with the
number of signatures."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tadamun.core.identity import site_identity
from tadamun.staff import roles
from tadamun.staff.tests.test_role_matrix import ROLES, user_in

ADMIN = "/en/admin/"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_moderation_queues_count_what_waits_and_say_since_when(
    make_staff, make_endorsement, campaign
):
    make_endorsement("Amal Network", status="pending")
    make_endorsement("Sawa Collective", status="pending")
    make_endorsement("Salam Union", status="approved")
    content = (
        client_for(make_staff(roles.MODERATOR, username="queue-moderator"))
        .get(ADMIN)
        .content.decode()
    )
    assert re.search(
        r'status__exact=pending"><span class="figure-value">2</span> '
        r'<span class="figure-label">Endorsements awaiting moderation',
        content,
    )
    assert "oldest waiting" in content


ROLES_WITHOUT_PEOPLE = [
    role
    for role in ROLES
    if role != roles.SUPERUSER and roles.READS_PEOPLE not in roles.ROLE_PERMISSIONS.get(role, [])
]


@pytest.mark.parametrize("role", ROLES_WITHOUT_PEOPLE)
def test_roles_that_may_not_read_people_see_no_name_or_email(
    role, make_staff, make_endorsement, sign, petition
):
    make_endorsement("Amal Network", status="pending")  # contact Rania, contact@amal.example
    sign("zaynab.haddad@example.org", name="Zaynab Haddad", confirm=True)
    content = client_for(user_in(role, make_staff)).get(ADMIN).content.decode()
    for personal in ("Zaynab", "zaynab.haddad@example.org", "Rania", "contact@amal.example"):
        assert personal not in content


def dashboard_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ADMIN).status_code == 200
    return len(queries)


def test_the_dashboard_costs_the_same_whatever_the_number_of_signatures(make_staff, sign, petition):
    client = client_for(user_in(roles.SUPERUSER, make_staff))
    sign("first@example.org", confirm=True)
    site_identity()  # read once a minute (cached), not per page
    client.get(ADMIN)  # the language it is read in, remembered once (staff.languages)
    few = dashboard_queries(client)
    for n in range(30):
        sign(f"signer{n}@example.org", ["FR", "DE", "TR"][n % 3], confirm=True)
    content = client.get(ADMIN).content.decode()
    assert '<span class="figure-value">31</span> <span class="figure-label">Total' in content
    assert dashboard_queries(client) == few
    assert few < 60


def test_translators_see_what_is_missing_and_outdated_per_language(make_staff, petition):
    from tadamun.petitions.models import PetitionTranslation

    PetitionTranslation.objects.create(petition=petition, language="fr", title="Ouvrez")
    PetitionTranslation.objects.create(petition=petition, language="de", title="Öffnet")
    petition.body = "Let them in, now."  # a new version: both translations fall behind
    petition.save()
    PetitionTranslation.objects.filter(language="fr").update(source_version=petition.version)
    client = client_for(make_staff(roles.TRANSLATOR))
    content = client.get(ADMIN).content.decode()
    row = re.search(r'<th scope="row">Petitions</th>(.*?)</tr>', content, re.S).group(1)
    cells = [re.sub(r"<[^>]+>|\s", "", cell) for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]
    # en (the source), ar, fr, de, es, tr: missing / outdated
    assert cells == ["0/0", "1/0", "0/0", "0/1", "1/0", "1/0"]
    assert "language__exact=de&amp;state=outdated" in row


def test_an_organiser_counts_only_their_own_organisations_endorsements(
    make_staff, make_endorsement
):
    ours = make_endorsement("Amal Network", status="approved")
    make_endorsement("Sawa Collective", status="approved")
    make_endorsement("Salam Union", status="pending")
    organiser = make_staff(roles.ORGANISER)
    organiser.organisations.add(ours.organisation)
    content = client_for(organiser).get(ADMIN).content.decode()
    assert 'id="panel-organisations"' in content
    assert '<span class="figure-value">1</span> <span class="figure-label">Approved' in content
    assert "Awaiting moderation" not in content


def test_an_organiser_sees_only_their_own_organisations_mailings_being_sent(
    make_staff, make_endorsement
):
    from tadamun.mailings.models import Mailing

    ours = make_endorsement("Amal Network", status="approved").organisation
    theirs = make_endorsement("Sawa Collective", status="approved").organisation
    for partner, title in ((ours, "Ours goes out"), (theirs, "Theirs goes out"), (None, "All")):
        Mailing.objects.create(
            title=title, body="…", language="en", partner=partner, status=Mailing.Status.SENDING
        )
    organiser = make_staff(roles.ORGANISER)
    organiser.organisations.add(ours)
    content = client_for(organiser).get(ADMIN).content.decode()
    assert "Ours goes out" in content
    assert "Theirs goes out" not in content and ">All<" not in content
    assert 'id="panel-translations"' not in content  # counts would take in everyone's
