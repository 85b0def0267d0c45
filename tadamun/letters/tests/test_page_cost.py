"""The letter campaign's page, drawn on every view (a shared link brings a crowd to it): the
faster drawing (widgets written in Python, the layout's parts drawn once) writes the same page as
the plain drawing, in both directions, with and without errors."""

import pytest

from tadamun.events.tests.test_page_cost import page_bytes


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("data", [None, {"name": "", "email": "not <an> address", "city": ""}])
def test_the_letter_page_is_the_page_drawn_plainly(
    client, make_letter_campaign, drawn_plainly, language, data
):
    campaign = make_letter_campaign()
    path = f"/{language}/letters/{campaign.slug}/"

    def draw():
        return client.get(path) if data is None else client.post(f"{path}compose", data)

    draw()  # the layout's parts drawn and kept
    fast = draw()
    with drawn_plainly():
        plain = draw()
    assert fast.status_code == plain.status_code == 200
    assert page_bytes(fast) == page_bytes(plain)
    assert b'name="city"' in fast.content
    if data:
        assert b'class="errorlist"' in fast.content


def test_the_unbound_writer_form_is_drawn_once_per_language_and_follows_other_processes(
    client, make_letter_campaign, ministers, monkeypatch
):
    """The form nobody has submitted is kept per language, without the visitor's CSRF
    token; what another process changes (an official in a new country, a question's text,
    the consents' wording) reaches no memo by a signal: the form's drawing key reads it."""
    from django.utils import translation

    from tadamun.core.templatetags import tadamun as tags
    from tadamun.letters.models import Target
    from tadamun.questions.models import Question
    from tadamun.supporters import consents

    campaign = make_letter_campaign()
    path = f"/en/letters/{campaign.slug}/"
    tags._UNBOUND_FORMS.clear()
    first, second = client.get(path), client.get(path)
    assert len(tags._UNBOUND_FORMS) == 1
    assert page_bytes(first) == page_bytes(second)
    assert second.content.count(b'name="csrfmiddlewaretoken"') == 1
    assert not any("csrfmiddlewaretoken" in html for html in tags._UNBOUND_FORMS.values())
    arabic = client.get(path.replace("/en/", "/ar/")).content.decode()
    assert len(tags._UNBOUND_FORMS) == 2
    with translation.override("ar"):
        assert f'<label for="id_name">{translation.gettext("Your name")}</label>' in arabic

    assert '<option value="TR">' not in client.get(path).content.decode()
    official = Target.objects.create(
        reference="tr-interior",
        name="Ali Yilmaz",
        role="bakan",
        institution="Ministry",
        country="TR",
        email="ali@interior-tr.example.org",
    )
    official.groups.add(ministers)
    question = Question.objects.create(letter_campaign=campaign, key="town", title="Your school")
    page = client.get(path).content.decode()
    assert '<option value="TR">' in page and "Your school" in page
    Question.objects.filter(pk=question.pk).update(title="Your union")
    monkeypatch.setitem(consents.WORDINGS, "updates-1", "Send me the coalition's news, please.")
    page = client.get(path).content.decode()
    assert "Your union" in page and "Your school" not in page
    assert "Send me the coalition&#x27;s news, please." in page
