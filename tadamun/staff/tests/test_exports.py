"""The back office's exports (issue 14, item 4): coalition admins export supporters with
consents and tags, signatures with language and consent columns, answers to events and letters
counted per official; an organisation organiser the same files holding only the people who
share with their organisations; other roles nothing. Every file streams, neutralises formulas
and is noted in the audit trail."""

import csv
import io
import re

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from tadamun.api.tests.test_partner_boundary import (
    EMAIL,
    act_on_the_site,
    partner_a,  # noqa: F401 - fixtures
    partner_b,  # noqa: F401
    sent_webhooks,  # noqa: F401
)
from tadamun.staff import roles
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, Supporter

FORMULA = '=HYPERLINK("http://x")'


def read_csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def acted(partner_a, django_capture_on_commit_callbacks):  # noqa: F811
    """Rim acted through partner A and asked for the coalition's news; a formula-named
    supporter asked for nothing."""
    rim = supporters.find_or_create_supporter(EMAIL, name="Rim Saleh", country="SY")
    supporters.give_consent(rim, Consent.Purpose.UPDATES, source="petition")
    rim, petition, event, campaign = act_on_the_site(partner_a, django_capture_on_commit_callbacks)
    supporters.find_or_create_supporter("formula@example.org", name=FORMULA)
    return rim, petition, event, campaign


def export_links(client) -> list[str]:
    page = client.get(reverse("admin:exports"))
    assert page.status_code == 200
    return re.findall(r'href="(/[a-z]{2}/admin/[^"]+\.csv)"', page.content.decode())


def test_a_coalition_admin_exports_everyone_with_consents_and_tags(acted, make_staff):
    client = logged_in(make_staff(roles.COALITION_ADMIN, username="exporter"))
    rows = read_csv(client.get(reverse("admin:export_supporters")))
    header, rows = rows[0], rows[1:]
    assert header[:5] == ["Name", "Email address", "Country", "Language", "Shares with"]
    assert header[-2:] == ["Coalition updates since", "Tags"]
    rim = next(row for row in rows if row[1] == EMAIL)
    assert rim[-2].endswith("petition") and rim[-1] == "volunteers Idlib"
    assert rim[4]  # the partner she shares with, by name
    assert [row[0] for row in rows if row[1] == "formula@example.org"] == ["'" + FORMULA]
    assert Supporter.objects.count() == len(rows)


def test_every_export_on_the_page_streams_and_is_in_the_audit_trail(acted, make_staff):
    admin = make_staff(roles.COALITION_ADMIN, username="exporter")
    client = logged_in(admin)
    links = export_links(client)
    _rim, petition, event, campaign = acted
    assert reverse("admin:export_answers", args=[event.pk]) in links
    assert reverse("admin:export_letters", args=[campaign.pk]) in links
    assert reverse("admin:petitions_petition_export", args=[petition.pk]) in links
    for link in links:
        before = LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count()
        rows = read_csv(client.get(link))
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
        assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS).count() == before + 1, link


def test_signatures_answers_and_letters_carry_language_consent_and_counts_only(acted, make_staff):
    rim, petition, event, campaign = acted
    client = logged_in(make_staff(roles.COALITION_ADMIN, username="exporter"))
    signatures = read_csv(
        client.get(reverse("admin:petitions_petition_export", args=[petition.pk]))
    )
    assert signatures[0][-3:] == [
        "Language",
        "Coalition updates",
        "Shares with the partner who brought them",
    ]
    assert [row[-3:] for row in signatures if row[1] == EMAIL] == [["ar", "Yes", "Yes"]]
    answers = read_csv(client.get(reverse("admin:export_answers", args=[event.pk])))
    assert [row[-1] for row in answers if row[1] == EMAIL] == ["Yes"]
    letters = read_csv(client.get(reverse("admin:export_letters", args=[campaign.pk])))
    assert letters[0][:4] == ["Official", "Title", "Institution", "Country"]
    body = repr(letters)
    assert EMAIL not in body and "Saleh" not in body and "safe routes" not in body.lower()
    sent = letters[0].index("Sent")
    assert sum(int(row[sent]) for row in letters[1:]) >= 1


def test_an_organiser_exports_only_the_people_who_share_with_their_organisation(
    acted,
    partner_a,  # noqa: F811
    partner_b,  # noqa: F811
    make_staff,
):
    rim, petition, event, campaign = acted
    of_a, of_b = (
        make_staff(roles.ORGANISER, username="org-a"),
        make_staff(roles.ORGANISER, username="org-b"),
    )
    partner_a.organisers.add(of_a)
    partner_b.organisers.add(of_b)
    a, b = logged_in(of_a), logged_in(of_b)
    people = read_csv(a.get(reverse("admin:export_supporters")))
    assert "Tags" not in people[0] and "Coalition updates since" not in people[0]
    assert EMAIL in [row[1] for row in people] and "formula@example.org" not in repr(people)
    assert [row[4] for row in people[1:]] == [partner_a.name] * (len(people) - 1)
    answers = read_csv(a.get(reverse("admin:export_answers", args=[event.pk])))
    assert EMAIL in repr(answers)
    for link in export_links(b):
        assert EMAIL not in repr(read_csv(b.get(link))), link


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.TRANSLATOR, None])
def test_other_staff_export_nothing(acted, make_staff, role):
    client = logged_in(make_staff(role, username="someone"))
    _rim, _petition, event, campaign = acted
    for name, args in (
        ("exports", []),
        ("export_supporters", []),
        ("export_answers", [event.pk]),
        ("export_letters", [campaign.pk]),
        ("export_letter_answers", [campaign.pk]),
    ):
        assert client.get(reverse(f"admin:{name}", args=args)).status_code == 403, name
