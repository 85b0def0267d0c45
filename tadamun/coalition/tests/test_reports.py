"""An organisation's report (issue 19, item 6): its actions' figures read from the counters,
by day, country and source, the people who agreed to hear from it, a CSV; its organisers only
(the two-organisation walk is in petitions/tests/test_organisations_petitions.py)."""

import csv
import datetime
import io
from datetime import timedelta

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from tadamun.coalition import reports
from tadamun.coalition.models import Organisation
from tadamun.events.models import DayOfAction, Event, Rsvp
from tadamun.letters.counters import reconcile
from tadamun.letters.models import CountryLetterCount, Letter, LetterCampaign, TargetGroup
from tadamun.petitions.models import CountryCount, DailyCount, Petition, Signature
from tadamun.staff import roles
from tadamun.supporters import consents
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent


@pytest.fixture
def lyon(make_staff):
    organisation = Organisation.objects.create(name="Collectif Lyon", country="FR")
    organisation.organisers.add(make_staff(roles.ORGANISER, username="lyon-organiser"))
    return organisation


@pytest.fixture
def petition(campaign, lyon):
    return Petition.objects.create(
        campaign=campaign,
        organisation=lyon,
        slug="ouvrez-la-ville",
        title="=cmd|' /C calc'!A0",  # a hostile title: the CSV must not run it
        target="Le conseil municipal",
        language="fr",
        body="Nous demandons...",
        status=Petition.Status.OPEN,
    )


@pytest.fixture
def counted(petition):
    """Counters that differ from the rows (there are none): the report must read these."""
    today = timezone.now().date()
    Petition.objects.filter(pk=petition.pk).update(confirmed_count=12)
    DailyCount.objects.create(petition=petition, day=today, count=7)
    DailyCount.objects.create(petition=petition, day=today - timedelta(days=3), count=5)
    CountryCount.objects.create(petition=petition, country="FR", count=9)
    CountryCount.objects.create(petition=petition, country="TR", count=3)
    return today


@pytest.fixture
def letters(campaign, lyon):
    letters = LetterCampaign.objects.create(
        campaign=campaign,
        organisation=lyon,
        slug="ecrivez",
        title="Écrivez au conseil",
        subject="Ville refuge",
        letter="Madame, Monsieur,",
        group=TargetGroup.objects.create(name="Conseil", slug="conseil"),
        status=LetterCampaign.Status.OPEN,
    )
    now = timezone.now()
    for country, status in (("DE", "confirmed"), ("DE", "mailto"), ("ES", "unconfirmed")):
        Letter.objects.create(
            campaign=letters, country=country, status=status, language="fr", confirmed_at=now
        )
    reconcile(letters)  # the counters, as the letters' services keep them
    return letters


@pytest.fixture
def vigils(campaign, lyon):
    """Two dates of the organisation's weekly vigil, and another organisation's event: five
    answers, of which three count (going or waiting, confirmed)."""
    day = DayOfAction.objects.create(
        campaign=campaign,
        slug="journee",
        title="Journée",
        starts_on=datetime.date(2027, 3, 27),
        ends_on=datetime.date(2027, 4, 3),
        status=DayOfAction.Status.PUBLISHED,
    )
    other = Organisation.objects.create(name="Gaziantep Dayanışma", country="TR")
    events = [
        Event.objects.create(
            day=day,
            organisation=owner,
            title="Vigile",
            kind="vigil",
            starts_at=datetime.datetime(2027, 3, d, 17, tzinfo=datetime.UTC),
            ends_at=datetime.datetime(2027, 3, d, 19, tzinfo=datetime.UTC),
            time_zone="Europe/Paris",
            city=city,
            country=country,
            language="fr",
            status=Event.Status.APPROVED,
        )
        for owner, d, city, country in (
            (lyon, 27, "Lyon", "FR"),
            (lyon, 28, "Genève", "CH"),
            (other, 27, "Gaziantep", "TR"),
        )
    ]
    now = timezone.now()
    for event, status in (
        (events[0], Rsvp.Status.GOING),
        (events[0], Rsvp.Status.WAITING),
        (events[0], Rsvp.Status.CANCELLED),
        (events[1], Rsvp.Status.GOING),
        (events[1], Rsvp.Status.UNCONFIRMED),
        (events[2], Rsvp.Status.GOING),
    ):
        confirmed = None if status == Rsvp.Status.UNCONFIRMED else now
        Rsvp.objects.create(event=event, status=status, language="fr", confirmed_at=confirmed)
    return events


def test_rsvps_count_the_people_going_or_waiting_at_each_date(db, lyon, vigils):
    found = reports.report(lyon)
    assert found.rsvps.by_action == {vigils[0].pk: 2, vigils[1].pk: 1}
    assert found.rsvps.countries() == [("FR", 2), ("CH", 1)]
    assert found.rsvps.days() == {timezone.now().date(): 3}
    assert len(set(found.rsvps.titles.values())) == 2  # the dates tell a series' events apart


def test_the_figures_are_the_counters(db, lyon, petition, counted):
    found = reports.report(lyon)
    assert found.signatures.by_action == {petition.pk: 12}
    assert found.signatures.days() == {counted: 7, counted - timedelta(days=3): 5}
    assert found.signatures.countries() == [("FR", 9), ("TR", 3)]


def test_letters_are_counted_once_confirmed_or_handed_over(db, lyon, letters):
    found = reports.report(lyon)
    assert found.letters.by_action == {letters.pk: 2}
    assert found.letters.countries() == [("DE", 2)]
    assert sum(found.letters.days().values()) == 2


def test_sources_and_people(db, lyon, petition, make_staff):
    other = Organisation.objects.create(name="Gaziantep Dayanışma", country="TR")
    now = timezone.now()
    for partner in (lyon, None, None):
        Signature.objects.create(
            petition=petition,
            status="confirmed",
            country="FR",
            language="fr",
            confirmed_at=now,
            partner=partner,
        )
    Signature.objects.create(petition=petition, country="FR", language="fr", partner=lyon)
    for email, organisation in (("amal@example.org", lyon), ("omar@example.org", other)):
        supporters.give_consent(
            supporters.find_or_create_supporter(email, language="fr"),
            Consent.Purpose.PARTNER,
            organisation=organisation,
            source="test",
            wording=consents.OWNER,
        )
    found = reports.report(lyon)
    assert found.sources == {reports.PARTNER: 1, reports.DIRECT: 2}
    assert found.people == 1


def test_another_organisations_actions_are_not_in_the_report(db, lyon, petition, counted):
    other = Organisation.objects.create(name="Gaziantep Dayanışma", country="TR")
    assert reports.report(other).signatures.by_action == {}
    assert reports.report(other).signatures.days() == {}


def csv_rows(response) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_csv_has_every_figure_neutralises_formulas_and_is_audited(
    db, lyon, petition, counted, letters, vigils
):
    client = Client()
    client.force_login(lyon.organisers.get())
    response = client.get(reverse("admin:coalition_organisation_report_csv", args=[lyon.pk]))
    assert response.status_code == 200
    rows = csv_rows(response)
    titles = {row[1] for row in rows[1:]}
    assert "'=cmd|' /C calc'!A0" in titles
    assert not any(cell.startswith("=") for row in rows for cell in row)
    assert ["Signatures", "'=cmd|' /C calc'!A0", "Total", "12"] in rows
    assert ["Signatures", "'=cmd|' /C calc'!A0", counted.isoformat(), "7"] in rows
    assert ["Signatures", "'=cmd|' /C calc'!A0", "France", "9"] in rows
    assert ["Letters", "Écrivez au conseil", "Total", "2"] in rows
    assert ["RSVPs", "Vigile (March 27, 2027)", "France", "2"] in rows
    exported = LogEntry.objects.filter(object_pk=str(lyon.pk), action=LogEntry.Action.ACCESS)
    assert exported.filter(additional_data__export="organisation report CSV").exists()


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.COALITION_ADMIN])
def test_moderators_and_coalition_admins_read_any_report(db, lyon, counted, make_staff, role):
    client = Client()
    client.force_login(make_staff(role))
    page = client.get(reverse("admin:coalition_organisation_report", args=[lyon.pk]))
    assert page.status_code == 200
    assert "Collectif Lyon" in page.content.decode()


def test_the_page_draws_the_charts_in_arabic(db, lyon, petition, counted, letters, vigils):
    client = Client()
    client.force_login(lyon.organisers.get())
    with translation.override("ar"):
        url = reverse("admin:coalition_organisation_report", args=[lyon.pk])
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert page.count('<svg class="chart"') == 7
    assert "تأكيدات الحضور حسب البلد" in page
    assert '<bdi dir="auto">Collectif Lyon</bdi>' in page
    assert "الرسائل حسب البلد" in page  # the charts' titles in the reader's language
    assert "<script" not in page.split('<div class="report">')[1]
    change = client.get(reverse("admin:coalition_organisation_change", args=[lyon.pk]))
    assert reverse("admin:coalition_organisation_report", args=[lyon.pk]) in change.content.decode()


def test_a_kind_of_action_the_organisation_has_none_of_is_left_out(db, lyon, petition, counted):
    client = Client()
    client.force_login(lyon.organisers.get())
    page = client.get(reverse("admin:coalition_organisation_report", args=[lyon.pk]))
    text = page.content.decode()
    assert text.count('<svg class="chart"') == 3
    assert 'id="letters-heading"' not in text and 'id="signatures-heading"' in text


def test_the_report_reads_a_fixed_number_of_queries_however_many_actions(
    db, lyon, petition, counted, letters, campaign
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            reports.report(lyon)
        return len(captured)

    few = queries()
    for n in range(5):
        Petition.objects.create(
            campaign=campaign,
            organisation=lyon,
            slug=f"autre-{n}",
            title=f"Autre {n}",
            target="Le conseil",
            language="fr",
            body="...",
            status=Petition.Status.OPEN,
        )
    assert queries() == few <= 12


def test_letters_per_country_and_in_all_are_read_from_the_campaigns_counters(db, lyon, letters):
    CountryLetterCount.objects.filter(campaign=letters, country="DE").update(count=40)
    CountryLetterCount.objects.create(campaign=letters, country="TR", count=2)
    found = reports.report(lyon)
    assert found.letters.by_action == {letters.pk: 42}
    assert found.letters.countries() == [("DE", 40), ("TR", 2)]
