from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tadamun.aid.models import AidOrganisation, AidOrganisationTranslation, Appeal
from tadamun.staff import roles


@pytest.fixture
def make_organisation(db, make_endorsement):
    verifier = make_endorsement("Amal Network").organisation

    def make(title="Field Clinics", sectors=("medical",), served=("SY",), **extra):
        organisation = AidOrganisation(
            title=title,
            slug=title.lower().replace(" ", "-"),
            summary=f"{title} helps.",
            status=extra.pop("status", AidOrganisation.Status.PUBLISHED),
            countries_served=list(served),
            donation_url="https://clinics.example.org/give",
            verified_by=verifier,
            verified_on=timezone.localdate() - timedelta(days=extra.pop("verified_days_ago", 10)),
            **extra,
        )
        organisation.sector_list = sectors
        organisation.save()
        return organisation

    return make


def names(response):
    return [line.split(">")[-1] for line in response.content.decode().split("</a></h2>")[:-1]]


def test_the_directory_lists_published_organisations_and_filters_them(client, make_organisation):
    make_organisation("Field Clinics", sectors=["medical"], served=["SY"])
    make_organisation("Winter Collective", sectors=["winter", "shelter"], served=["SY", "TR"])
    make_organisation("Legal Aid", sectors=["legal"], served=["DE"])
    make_organisation("Draft Org", status=AidOrganisation.Status.DRAFT)
    assert names(client.get("/en/aid/")) == ["Field Clinics", "Legal Aid", "Winter Collective"]
    assert names(client.get("/en/aid/", {"sector": "shelter"})) == ["Winter Collective"]
    assert names(client.get("/en/aid/", {"country": "TR"})) == ["Winter Collective"]
    assert names(client.get("/en/aid/", {"sector": "legal", "country": "SY"})) == []
    bad = client.get("/en/aid/", {"sector": "<script>", "country": "ZZ"})
    assert bad.status_code == 200 and b'id="id_sector_error"' in bad.content
    assert client.get("/en/aid/draft-org/").status_code == 404


def test_an_entry_not_verified_for_six_months_is_flagged(client, make_organisation):
    fresh = make_organisation("Field Clinics")
    stale = make_organisation("Winter Collective", verified_days_ago=200)
    fresh_page = client.get(fresh.get_absolute_url()).content.decode()
    assert 'Verified by <bdi dir="auto">Amal Network</bdi> on' in fresh_page
    page = client.get(stale.get_absolute_url()).content.decode()
    assert "Not verified by the coalition for more than six months" in page
    assert stale.needs_reverification() and not fresh.needs_reverification()


def test_only_running_appeals_show_and_they_link_to_the_organisations_own_page(
    client, make_organisation
):
    organisation = make_organisation("Winter Collective", sectors=["winter"])
    today = timezone.localdate()
    Appeal.objects.create(
        organisation=organisation,
        title="Winter fuel",
        sector="winter",
        starts_on=today - timedelta(days=1),
        ends_on=today + timedelta(days=30),
    )
    Appeal.objects.create(
        organisation=organisation,
        title="Last year's fuel",
        sector="winter",
        starts_on=today - timedelta(days=400),
        ends_on=today - timedelta(days=300),
    )
    for url in ("/en/aid/", organisation.get_absolute_url()):
        page = client.get(url).content.decode()
        assert "Winter fuel" in page and "Last year" not in page
        assert 'href="https://clinics.example.org/give" rel="noopener noreferrer"' in page


def test_readers_get_their_language_or_the_original_said_so(client, make_organisation):
    organisation = make_organisation("Field Clinics")
    AidOrganisationTranslation.objects.create(
        organisation=organisation, language="ar", title="العيادات الميدانية", summary="تساعد."
    )
    arabic = client.get(f"/ar/aid/{organisation.slug}/").content.decode()
    assert "العيادات الميدانية" in arabic and 'dir="rtl"' in arabic
    french = client.get(f"/fr/aid/{organisation.slug}/").content.decode()
    assert "Field Clinics" in french and 'lang="en"' in french  # the original, marked


def test_admins_choose_sectors_and_links_must_be_web_addresses(make_staff):
    admin = Client()
    admin.force_login(make_staff(roles.COALITION_ADMIN))
    form = {
        "title": "Bread Kitchen",
        "slug": "bread-kitchen",
        "status": "published",
        "language": "en",
        "summary": "Meals.",
        "body": "",
        "sector_choices": ["food", "shelter"],
        "countries_served": ["SY", "LB"],
        "website": "javascript:alert(1)",
        "donation_url": "",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
    }
    refused = admin.post("/en/admin/aid/aidorganisation/add/", form)
    assert refused.status_code == 200 and not AidOrganisation.objects.exists()
    admin.post("/en/admin/aid/aidorganisation/add/", {**form, "website": "https://b.example"})
    saved = AidOrganisation.objects.get()
    assert saved.sector_list == ["food", "shelter"] and saved.sectors == "|food|shelter|"
    assert sorted(c.code for c in saved.countries_served) == ["LB", "SY"]


def test_translators_translate_but_do_not_change_the_entry(make_staff, make_organisation):
    organisation = make_organisation()
    translator = Client()
    translator.force_login(make_staff(roles.TRANSLATOR))
    change = f"/en/admin/aid/aidorganisation/{organisation.pk}/change/"
    assert translator.post(change, {"title": "Changed"}).status_code == 403
    assert translator.get("/en/admin/aid/aidorganisationtranslation/add/").status_code == 200


def test_the_directory_finds_an_area_however_it_is_written(client, make_organisation, gazetteer):
    make_organisation("Field Clinics", areas_served="Idlib, Harem, Jisr al-Shughur")
    make_organisation("Winter Collective", areas_served="Atmeh, Sarmada")
    make_organisation("Legal Aid", served=["DE"])
    for typed in ("idlib", "إدلب", "Idleb", "jisr ash shughur", "IDLIB "):
        assert names(client.get("/en/aid/", {"area": typed})) == ["Field Clinics"], typed
    assert names(client.get("/en/aid/", {"area": "Atmeh", "country": "SY"})) == [
        "Winter Collective"
    ]
    assert names(client.get("/en/aid/", {"area": "Aleppo"})) == []
    bad = client.get("/en/aid/", {"area": "Idlib\u202e"})
    assert bad.status_code == 200 and b'id="id_area_error"' in bad.content
