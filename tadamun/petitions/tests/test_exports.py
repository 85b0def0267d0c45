import csv
import io

import pytest
from django.test import Client

from tadamun.core.csv import safe_cell
from tadamun.staff import roles
from tadamun.supporters.models import Consent


def read_csv(response):
    assert response.streaming
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def partner(make_endorsement):
    organisation = make_endorsement("Amal Network", "FR").organisation
    organisation.partner_code = "amal"
    organisation.save()
    return organisation


@pytest.fixture
def signed(sign, partner):
    sign(
        "shares@example.org",
        name="Sara Shares",
        source="amal",
        shares_with_partner=True,
        confirm=True,
    )
    sign("private@example.org", name="Pia Private", confirm=True)
    sign("=cmd|' /C calc'!A0@example.org", name='=HYPERLINK("http://x")', confirm=True)


def test_coalition_admin_exports_every_signature_with_formulas_neutralised(
    petition, signed, make_staff
):
    response = logged_in(make_staff(roles.COALITION_ADMIN)).get(
        f"/en/admin/petitions/petition/{petition.pk}/export.csv"
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert rows[0][:3] == ["Name", "Email address", "Country"]
    names = [row[0] for row in rows[1:]]
    assert {"Sara Shares", "Pia Private"} <= set(names)
    assert '\'=HYPERLINK("http://x")' in names
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_organiser_exports_only_supporters_who_agreed_to_share_with_them(
    petition, signed, partner, make_staff
):
    organiser = make_staff(roles.ORGANISER)
    partner.organisers.add(organiser)
    rows = read_csv(
        logged_in(organiser).get(f"/en/admin/petitions/petition/{petition.pk}/export.csv")
    )
    assert [row[0] for row in rows[1:]] == ["Sara Shares"]


def test_a_withdrawn_consent_leaves_the_partners_export(petition, signed, partner, make_staff):
    Consent.objects.filter(purpose="partner").update(withdrawn_at="2026-11-01T00:00:00Z")
    organiser = make_staff(roles.ORGANISER)
    partner.organisers.add(organiser)
    rows = read_csv(
        logged_in(organiser).get(f"/en/admin/petitions/petition/{petition.pk}/export.csv")
    )
    assert rows[1:] == []


def test_staff_without_an_organisation_cannot_export(petition, signed, make_staff):
    response = logged_in(make_staff(roles.TRANSLATOR)).get(
        f"/en/admin/petitions/petition/{petition.pk}/export.csv"
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1", "'+33 1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("Amal", "Amal"),
        (None, ""),
        ("a=b", "a=b"),
    ],
)
def test_formula_prefixes_are_neutralised(value, expected):
    assert safe_cell(value) == expected


def test_an_unconfirmed_address_never_reaches_a_partner(petition, partner, sign, make_staff):
    # Someone typed a stranger's address and ticked "share with partner".
    sign("victim@example.org", name="Not Their Name", source="amal", shares_with_partner=True)
    organiser = make_staff(roles.ORGANISER)
    partner.organisers.add(organiser)
    rows = read_csv(
        logged_in(organiser).get(f"/en/admin/petitions/petition/{petition.pk}/export.csv")
    )
    assert rows[1:] == []
    assert not Consent.objects.exists()


def test_moderators_cannot_export_partner_shared_supporters(petition, signed, make_staff):
    response = logged_in(make_staff(roles.MODERATOR)).get(
        f"/en/admin/petitions/petition/{petition.pk}/export.csv"
    )
    assert response.status_code == 403


def test_an_export_shows_the_name_given_on_that_petition(petition, sign, campaign, make_staff):
    from tadamun.petitions.models import Petition

    other = Petition.objects.create(
        campaign=campaign, slug="other", title="Other", target="Ministers", status="open"
    )
    sign("aya@example.org", name="Aya D.", confirm=True)
    sign("aya@example.org", name="Aya Darwish", confirm=True, on=other)  # signed later
    rows = read_csv(
        logged_in(make_staff(roles.COALITION_ADMIN)).get(
            f"/en/admin/petitions/petition/{petition.pk}/export.csv"
        )
    )
    assert [row[0] for row in rows[1:]] == ["Aya D."]


def test_the_petition_page_explains_why_the_export_has_fewer_rows_than_the_count(
    petition, signed, make_staff
):
    from tadamun.supporters import services as supporters
    from tadamun.supporters.models import Supporter

    admin = logged_in(make_staff(roles.COALITION_ADMIN))
    page = f"/en/admin/petitions/petition/{petition.pk}/change/"
    assert 'id="export-gap"' not in admin.get(page).content.decode()
    supporters.erase(Supporter.objects.with_email("private@example.org").get())
    petition.refresh_from_db()
    rows = read_csv(admin.get(f"/en/admin/petitions/petition/{petition.pk}/export.csv"))
    assert petition.confirmed_count == 3 and len(rows) - 1 == 2
    html = admin.get(page).content.decode()
    assert (
        "1 confirmed signature belongs to a signer who asked us to erase their data: "
        "it stays in the count but is not in the export."
    ) in html
