"""A custom question on an RSVP form, in Arabic on a phone: read right to left, answered,
kept with the RSVP."""

import pytest

from tadamun.questions.models import Answer, Question

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_an_rsvp_with_a_custom_question_in_arabic_on_a_phone(
    open_page, screenshot, external_requests
):
    question = Question.objects.get(key="banner")  # the demo's question (demo/questions_demo)
    page = open_page(f"/ar/events/{question.event_id}/", width=375)
    rsvp = page.locator("form[action$='/rsvp/']")
    asked = rsvp.locator(f"select[name=question_{question.pk}]")
    assert "لافتة" in rsvp.inner_text()  # the question in Arabic
    rsvp.locator("input[name=name]").fill("ريم")
    rsvp.locator("input[name=email]").fill("reem.banner@example.org")
    asked.select_option("yes")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "rsvp-question-ar-375")
    rsvp.locator("button[type=submit]").click()
    page.wait_for_url("**/ar/events/*/rsvp/thanks/")
    assert Answer.objects.get(question=question).value == "yes"
    assert external_requests == []
