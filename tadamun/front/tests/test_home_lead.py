"""The home page leads with the campaign's main action and its live figure."""


def test_home_leads_with_the_first_open_petition_its_count_and_a_sign_button(
    client, sign, petition
):
    sign("amal@example.org", confirm=True)
    sign("noor@example.org", confirm=True)
    html = client.get("/en/").content.decode()
    featured = html.index('class="featured-action"')
    assert featured < html.index('id="act"')  # before the list of ways to take part
    lead = html[featured : html.index('id="act"')]
    assert '<progress max="10" value="2"' in lead
    assert 'href="/en/petitions/open-the-borders/#sign-heading"' in lead
    assert "Sign the petition" in lead


def test_without_an_open_petition_home_has_no_featured_petition(client, petition):
    petition.status = "closed"
    petition.save()
    html = client.get("/en/").content.decode()
    assert "<progress" not in html
