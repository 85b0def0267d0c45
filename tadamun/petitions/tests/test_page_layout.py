"""The petition page's order for a phone: title, the live count, a button to the form, the
text, then the form (site.css sets them side by side on a wide screen)."""

from tadamun.petitions.models import Petition

PAGE = "/en/petitions/open-the-borders/"


def _positions(html: str, *markers: str) -> list[int]:
    return [html.index(marker) for marker in markers]


def test_title_count_and_jump_to_the_form_come_before_the_text(client, sign, petition):
    sign("amal@example.org", confirm=True)
    html = client.get(PAGE).content.decode()
    title, count, jump, text, form = _positions(
        html, "<h1", '<progress max="10" value="1"', 'href="#sign-heading"', "Let them in.", "<form"
    )
    assert title < count < jump < text < form
    assert 'id="sign-heading"' in html  # where the button jumps to
    assert html.count("<progress") == 1


def test_a_closed_petition_shows_its_count_and_no_button_to_a_form(client, petition):
    petition.status = Petition.Status.CLOSED
    petition.save()
    html = client.get(PAGE).content.decode()
    assert "<progress" in html
    assert 'href="#sign-heading"' not in html and 'id="sign-heading"' not in html
