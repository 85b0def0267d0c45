from tadamun.coalition.models import Campaign

LIST = "/en/campaigns/open-borders/endorsements/"


def test_only_approved_endorsements_are_listed_grouped_by_country(client, make_endorsement):
    make_endorsement("Amal Network", "FR")
    make_endorsement("Beirut Aid", "LB")
    make_endorsement("Cologne Circle", "DE")
    make_endorsement("Dijon Solidarité", "FR")
    for status in ("unconfirmed", "pending", "rejected"):
        make_endorsement(f"Hidden {status}", "FR", status=status)

    html = client.get(LIST).content.decode()
    assert "Endorsed by 4 organisations from 3 countries." in html
    assert "Hidden" not in html
    france = html.index('id="country-FR"')
    assert html.index("Amal Network") > france and html.index("Dijon Solidarité") > france
    # France, Germany, Lebanon: sorted by the country's name in the reader's language.
    assert (
        html.index('id="country-FR"')
        < html.index('id="country-DE"')
        < html.index('id="country-LB"')
    )
    assert 'France <span class="muted">(2)</span>' in html


def test_country_headings_follow_the_readers_language(client, make_endorsement):
    make_endorsement("Amal Network", "DE")
    html = client.get("/fr/campaigns/open-borders/endorsements/").content.decode()
    assert "Allemagne" in html


def test_search_by_name_and_country(client, make_endorsement):
    make_endorsement("Amal Network", "FR")
    make_endorsement("Amal Berlin", "DE")
    make_endorsement("Beirut Aid", "LB")
    html = client.get(LIST, {"q": "amal"}).content.decode()
    assert "Amal Network" in html and "Amal Berlin" in html and "Beirut Aid" not in html
    assert "2 organisations found." in html
    html = client.get(LIST, {"q": "amal", "country": "DE"}).content.decode()
    assert "Amal Berlin" in html and "Amal Network" not in html


def test_an_empty_search_says_so(client, make_endorsement):
    make_endorsement("Amal Network", "FR")
    html = client.get(LIST, {"q": "zzz"}).content.decode()
    assert "No organisation matches this search." in html


def test_counts_are_per_campaign(client, campaign, make_endorsement):
    other = Campaign.objects.create(slug="other", title="Other", status="active")
    make_endorsement("Amal Network", "FR", on=other)
    html = client.get(LIST).content.decode()
    assert "Amal Network" not in html
    assert "No organisation has endorsed yet." in html


def test_draft_campaigns_are_not_public(client, campaign):
    campaign.status = Campaign.Status.DRAFT
    campaign.save()
    assert client.get(LIST).status_code == 404
    assert client.get("/en/campaigns/open-borders/").status_code == 404


def test_each_organisation_listed_links_to_its_own_page(client, make_endorsement):
    """An approved endorsement of a public campaign gives the organisation its page
    (coalition.queries.public_organisations): the list leads there, where its website is."""
    organisation = make_endorsement("Amal Network", "FR").organisation
    html = client.get(LIST).content.decode()
    assert f'href="{organisation.get_absolute_url()}"' in html
    assert client.get(organisation.get_absolute_url()).status_code == 200
