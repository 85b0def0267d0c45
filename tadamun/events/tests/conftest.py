from datetime import date

import pytest

from tadamun.events.models import DayOfAction


@pytest.fixture
def day(campaign, gazetteer):
    return DayOfAction.objects.create(
        campaign=campaign,
        slug="day-of-solidarity",
        title="Day of solidarity",
        starts_on=date(2027, 3, 27),
        ends_on=date(2027, 3, 28),  # Europe's clocks go forward in the night to the 28th
        status=DayOfAction.Status.PUBLISHED,
    )


@pytest.fixture
def proposal():
    def make(**overrides):
        return {
            "title": "Vigil for Idlib",
            "kind": "vigil",
            "description": "Bring a candle.",
            "date": "2027-03-27",
            "start_time": "18:00",
            "end_time": "20:00",
            "time_zone": "Europe/Berlin",
            "venue_name": "Cathedral square",
            "address": "Domkloster 4",
            "address_public": "on",
            "city": "Cologne",
            "country": "DE",
            "online_url": "",
            "capacity": "",
            "organiser_name": "Lena",
            "organiser_email": "lena@example.org",
            **overrides,
        }

    return make


@pytest.fixture
def sign_up_event(day, proposal, client):
    """An approved event made through the real form and services."""
    from tadamun.events import services
    from tadamun.events.forms import ProposeEventForm
    from tadamun.events.models import Event

    def make(**overrides):
        form = ProposeEventForm(proposal(**overrides), day=day)
        assert form.is_valid(), form.errors
        event = services.propose(day, form.proposal("en"))
        services.confirm(event)
        services.moderate(Event.objects.filter(pk=event.pk), approve=True)
        event.refresh_from_db()
        return event

    return make
