"""Issue 19's whole flow in Arabic: an organisation's organiser makes an event with two time
slots and a custom question under their organisation in the back office and repeats it weekly, a
moderator approves it, two people answer on a 375-px phone (each a different slot, each
answering the question) and confirm by the mailed link, and the organiser's answers file
holds both people's slots and answers. The organiser asks the custom question on the event's
own page."""

import csv
import io
import re

import pytest
from django.core import mail
from django.utils import timezone, translation

from tadamun.staff import roles
from tests.browser.test_dashboard import NO_OVERFLOW, signed_in

pytestmark = pytest.mark.browser

TITLE = "وقفة أسبوعية مع اللاجئين"
QUESTION = "هل ستحضر لافتة؟"


def _set(field, value):
    """A <select> or a text box, whichever the admin draws for the field."""
    if field.evaluate("element => element.tagName") == "SELECT":
        field.select_option(value)
    else:
        field.fill(value)


def _make_the_event(page, demo_site, organisation, day, date):
    page.goto(f"{demo_site}/ar/admin/events/event/add/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    form = page.locator("#event_form")
    form.locator("select[name=day]").select_option(str(day.pk))
    form.locator("select[name=organisation]").select_option(str(organisation.pk))
    form.locator("input[name=title]").fill(TITLE)
    form.locator("select[name=kind]").select_option("vigil")
    form.locator("textarea[name=description]").fill("نقف معًا كل أسبوع.")
    for name, value in (
        ("starts_at_0", date),
        ("starts_at_1", "18:00:00"),
        ("ends_at_0", date),
        ("ends_at_1", "20:00:00"),
        ("venue_name", "Place Bellecour"),
        ("city", "Lyon"),
    ):
        form.locator(f"input[name={name}]").fill(value)
    for name, value in (("time_zone", "Europe/Paris"), ("country", "FR"), ("language", "ar")):
        _set(form.locator(f"[name={name}]"), value)
    form.locator("input[name=address_public]").check()
    for slot, (start, end) in enumerate((("18:00:00", "19:00:00"), ("19:00:00", "20:00:00"))):
        page.locator("#shifts-group .add-row a").click()
        for name, value in (
            ("starts_at_0", date),
            ("starts_at_1", start),
            ("ends_at_0", date),
            ("ends_at_1", end),
            ("capacity", "10"),
        ):
            form.locator(f"input[name=shifts-{slot}-{name}]").fill(value)
    # The organiser asks the custom question on the same page (questions.admin: their
    # organisations' actions only).
    page.locator("#questions-group .add-row a").click()
    form.locator("input[name=questions-0-key]").fill("banner")
    for name, value in (("kind", "text"), ("language", "ar"), ("title", QUESTION)):
        _set(form.locator(f"[name=questions-0-{name}]"), value)
    with page.expect_navigation():
        form.locator("input[name=_save]").click()
    errors = page.locator(".errornote, .errorlist").all_inner_texts()
    assert errors == [], errors


def _run_action(page, demo_site, event, action, weeks=None):
    page.goto(f"{demo_site}/ar/admin/events/event/")
    page.locator(f"input[name=_selected_action][value='{event.pk}']").check()
    page.locator("select[name=action]").select_option(action)
    with page.expect_navigation():
        page.locator("button[name=index]").click()
    if weeks:
        page.locator("input[name=weeks]").fill(str(weeks))
        with page.expect_navigation():
            page.locator("#content form button[type=submit]").click()


def _answer_on_a_phone(open_page, demo_site, event, shift, name, email, answer, screenshot=None):
    from tadamun.questions.models import Question

    question = Question.objects.get(event=event, key="banner")
    page = open_page(f"/ar/events/{event.pk}/", width=375)
    rsvp = page.locator("form[action$='/rsvp/']")
    assert QUESTION in rsvp.inner_text()
    rsvp.locator("input[name=name]").fill(name)
    rsvp.locator("input[name=email]").fill(email)
    rsvp.locator(f"input[name=shifts][value='{shift.pk}']").check()
    rsvp.locator(f"[name=question_{question.pk}]").fill(answer)
    assert page.evaluate(NO_OVERFLOW)
    if screenshot:
        screenshot(page, "organisation-event-rsvp-ar-375")
    with page.expect_navigation():
        rsvp.locator("button[type=submit]").click()
    letter = [message for message in mail.outbox if email in message.to][-1]
    link = re.search(r"https?://\S+", letter.body).group(0)
    page.goto(demo_site + "/" + link.split("://", 1)[1].split("/", 1)[1])  # the live server
    if page.locator("main form button[type=submit]").count():  # a button, not the mere link
        with page.expect_navigation():
            page.locator("main form button[type=submit]").last.click()
    return page


def test_an_organisations_weekly_event_with_slots_and_a_question_in_arabic(
    browser, demo_site, make_staff, open_page, screenshot, external_requests
):
    from tadamun.coalition.models import Organisation
    from tadamun.events.models import Event, Rsvp
    from tadamun.questions.models import Question

    organiser = make_staff(roles.ORGANISER, username="gaziantep-organiser")
    organisation = Organisation.objects.create(name="تضامن غازي عنتاب", country="TR")
    organisation.organisers.add(organiser)
    model = Event.objects.get(title="Rassemblement place Bellecour")
    date = model.local_start.date().isoformat()

    context = signed_in(browser, demo_site, organiser, 1280)
    page = context.new_page()
    _make_the_event(page, demo_site, organisation, model.day, date)
    event = Event.objects.get(title=TITLE)
    assert (event.organisation, event.status) == (organisation, Event.Status.PENDING)
    assert event.shifts.count() == 2
    assert Question.objects.get(event=event).title == QUESTION
    _run_action(page, demo_site, event, "repeat_weekly", weeks=3)
    assert Event.objects.filter(title=TITLE).count() == 3
    screenshot(page, "organisation-event-series-ar-1280")

    moderator = signed_in(
        browser, demo_site, make_staff(roles.MODERATOR, username="flow-moderator"), 1280
    ).new_page()
    _run_action(moderator, demo_site, event, "approve")
    event.refresh_from_db()
    assert event.status == Event.Status.APPROVED

    early, late = event.shifts.order_by("starts_at")
    people = (
        ("ريم", "reem@example.org", early, "نعم، لافتة كبيرة"),
        ("Omar", "omar@example.org", late, "=HYPERLINK(1)"),
    )
    for number, (name, email, shift, answer) in enumerate(people):
        _answer_on_a_phone(
            open_page,
            demo_site,
            event,
            shift,
            name,
            email,
            answer,
            screenshot if not number else None,
        )
    assert Rsvp.objects.filter(event=event, confirmed_at__isnull=False).count() == 2

    page.goto(f"{demo_site}/ar/admin/exports/")
    link = page.locator(f"a[href$='/exports/events/{event.pk}/answers.csv']")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "organisation-exports-ar-1280")
    with page.expect_download() as download:
        link.click()
    with open(download.value.path(), encoding="utf-8-sig") as file:
        rows = list(csv.reader(io.StringIO(file.read())))
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"ريم", "Omar"}
    assert by_name["ريم"][-1] == "نعم، لافتة كبيرة" and by_name["Omar"][-1] == "'=HYPERLINK(1)"
    with translation.override("ar"), timezone.override(event.zone):  # as the file says them
        assert str(early) in by_name["ريم"][-2] and str(late) in by_name["Omar"][-2]
    assert str(late) not in by_name["ريم"][-2]
    assert early.starts_at.astimezone(event.zone).hour == 18  # as typed, in the venue's time
    context.close()
    assert external_requests == []
