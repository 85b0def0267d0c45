"""The event page, drawn on every view (a shared link brings a crowd to it): the faster
drawing (widgets written in Python, the layout's parts drawn once) writes the same page as
the plain drawing, in both directions, with and without errors."""

import re

import pytest

from tadamun.events.tests.test_organisations_events import (  # noqa: F401 (fixtures)
    lyon,
    lyons_event,
)

CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')


def page_bytes(response) -> bytes:
    """The page without its CSRF token, masked afresh on every view."""
    return CSRF.sub(b"csrf", response.content)


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("data", [None, {"name": "", "email": "not <an> address"}])
def test_the_event_page_is_the_page_drawn_plainly(
    client, sign_up_event, drawn_plainly, language, data
):
    event = sign_up_event()
    path = f"/{language}/events/{event.pk}/"

    def draw():
        if data is None:
            return client.get(path)
        return client.post(f"{path}rsvp/", data)

    draw()  # the layout's parts drawn and kept
    fast = draw()
    with drawn_plainly():
        plain = draw()
    assert fast.status_code == plain.status_code == 200
    assert page_bytes(fast) == page_bytes(plain)
    assert b'name="email"' in fast.content
    if data:
        assert b'class="errorlist"' in fast.content


def _kept_forms() -> dict:
    from tadamun.core.templatetags import tadamun as tags

    return tags._UNBOUND_FORMS


def test_the_unbound_rsvp_form_is_drawn_once_per_language_without_its_csrf_token(
    client, sign_up_event
):
    from django.utils import translation

    event = sign_up_event()
    path = f"/en/events/{event.pk}/"
    _kept_forms().clear()
    first, second = client.get(path), client.get(path)
    assert len(_kept_forms()) == 1
    arabic = client.get(path.replace("/en/", "/ar/")).content.decode()
    assert len(_kept_forms()) == 2
    with translation.override("ar"):
        assert f'<label for="id_name">{translation.gettext("Your name")}</label>' in arabic
    # Each page has its own visitor's token, outside the kept drawing.
    for page in (first, second):
        assert page.content.count(b'name="csrfmiddlewaretoken"') == 1
    assert page_bytes(first) == page_bytes(second)
    assert not any("csrfmiddlewaretoken" in html for html in _kept_forms().values())


def test_the_kept_rsvp_form_follows_what_another_process_changed(client, lyons_event):  # noqa: F811
    """Nothing another process changes reaches this process's memo by a signal: the form's
    drawing key (the owner's name, the slots' places, the questions' text) is read afresh."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from tadamun.coalition.models import Organisation
    from tadamun.events import organisers
    from tadamun.events.models import Shift
    from tadamun.events.tests.test_organisations_events import approve
    from tadamun.questions.models import Question

    paris = ZoneInfo("Europe/Paris")
    organisers.add_shift(
        lyons_event,
        datetime(2027, 3, 27, 18, tzinfo=paris),
        datetime(2027, 3, 27, 19, tzinfo=paris),
        5,
    )
    question = Question.objects.create(event=lyons_event, key="town", title="Your town")
    approve(lyons_event)
    path = f"/en/events/{lyons_event.pk}/"
    page = client.get(path).content.decode()
    assert "5 places left." in page and "Your town" in page and "Collectif Lyon" in page
    Organisation.objects.filter(pk=lyons_event.organisation_id).update(name="Collectif Rhône")
    Shift.objects.filter(event=lyons_event).update(capacity=3)
    Question.objects.filter(pk=question.pk).update(title="Your district")
    page = client.get(path).content.decode()
    assert "Collectif Lyon" not in page
    assert page.count('<bdi dir="auto">Collectif Rhône</bdi>') == 3  # header, consent, note
    assert page.count("3 places left.") == 2  # the slots' list and the slot's checkbox
    assert "5 places left." not in page
    assert "Your district" in page and "Your town" not in page


def test_the_event_is_read_with_its_city(client, sign_up_event):
    """The city's name for the reader comes with the event's one read, not a query of its own."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    event = sign_up_event()
    assert event.place_id
    path = f"/ar/events/{event.pk}/"
    client.get(path)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    assert not [q for q in queries if 'FROM "places_city"' in q["sql"]]
    assert sum('JOIN "places_city"' in q["sql"] for q in queries) == 1
