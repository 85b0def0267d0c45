from django.core.management import call_command

from tadamun.coalition.models import Campaign, Endorsement, Organisation
from tadamun.publications.models import Publication


def counts():
    return (
        Campaign.objects.count(),
        Publication.objects.count(),
        Organisation.objects.count(),
        Endorsement.objects.count(),
    )


def test_demo_loads_every_state_and_is_idempotent(db, capsys):
    call_command("load_demo")
    first = counts()
    assert "password" in capsys.readouterr().out
    call_command("load_demo")
    assert counts() == first
    assert "password" in capsys.readouterr().out  # a fresh one each run

    assert Organisation.objects.count() >= 12
    assert len(set(Organisation.objects.values_list("country", flat=True))) >= 10
    states = set(Endorsement.objects.values_list("status", flat=True))
    assert states == {"unconfirmed", "pending", "approved", "rejected"}


def test_statement_exists_in_all_six_languages(demo_loaded, db, settings):
    statement = Publication.objects.get(kind="statement")
    languages = {statement.language} | set(
        statement.translations.values_list("language", flat=True)
    )
    assert languages == {code for code, _name in settings.LANGUAGES}
    for campaign in Campaign.objects.all():  # the main one and the small second one
        assert campaign.translations.count() == 5


def test_demo_shows_an_outdated_translation(demo_loaded, db):
    article = Publication.objects.get(kind="article")
    assert article.translations.get(language="fr").is_outdated


def test_home_page_leads_with_the_campaign(client, demo_loaded, db):
    html = client.get("/en/").content.decode()
    assert "Defend the civilians of Idlib" in html
    assert "We, the undersigned organisations" in html  # the statement's opening
    assert "<strong>8</strong>" in html  # approved organisations
    assert "/en/campaigns/idlib-solidarity/endorse/" in html


def test_demo_day_of_action_has_events_in_every_state(demo_loaded, db):
    from tadamun.events.models import DayOfAction, Event

    day = DayOfAction.objects.get()
    assert day.translations.count() == 5
    assert set(Event.objects.values_list("status", flat=True)) == {
        "unconfirmed",
        "pending",
        "approved",
    }
    assert len(set(Event.objects.values_list("time_zone", flat=True))) >= 6


def test_demo_has_an_organisations_series_in_slots_with_a_question_and_answers(demo_loaded, db):
    """Issue 19 in the demo: a member organisation's series on dates of its choosing, each
    date in two slots, a custom question, and people answering in several languages."""
    from django.test import Client

    from tadamun.demo import series_demo
    from tadamun.events.models import Event, Rsvp, ShiftAnswer

    first = Event.objects.filter(title=series_demo.TITLE, rsvps__isnull=False).distinct().get()
    dates = Event.objects.visible().filter(series=first.series).order_by("starts_at")
    assert first.organisation is not None and dates.count() == 3
    gaps = [(b.starts_at - a.starts_at).days for a, b in zip(dates, dates[1:], strict=False)]
    assert gaps == [7, 14]  # its own dates, not every week
    assert all(date.shifts.count() == 2 for date in dates)
    assert first.questions.get().translations.count() == 5
    answers = Rsvp.objects.filter(event=first, status=Rsvp.Status.GOING)
    assert set(answers.values_list("language", flat=True)) >= {"ar", "fr", "tr"}
    slots = set(ShiftAnswer.objects.filter(rsvp__event=first).values_list("shift", flat=True))
    assert len(slots) == 2  # people in different slots
    page = Client().get(f"/ar{first.get_absolute_url()[3:]}").content.decode()
    assert "هل يمكنك إحضار طاولة قابلة للطي للكشك؟" in page
