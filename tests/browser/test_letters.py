import re

import pytest

pytestmark = pytest.mark.browser

NO_OVERFLOW = "document.documentElement.scrollWidth <= window.innerWidth"


def test_writing_to_ones_own_government_in_french_on_a_phone(
    open_page, screenshot, external_requests, demo_site
):
    from django.core import mail

    from tadamun.letters.delivery import deliver_due

    page = open_page("/fr/letters/write-to-your-minister/", width=375)
    assert page.locator("h1").inner_text().startswith("Ouvrez les frontières")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "letter-fr-375")
    page.locator("input[name=name]").fill("Hugo Petit")
    page.locator("input[name=email]").fill("hugo@example.org")
    page.locator("select[name=country]").select_option("FR")
    page.locator("input[name=city]").fill("Lyon")
    page.locator("form[action$='/compose'] button").click()

    page.wait_for_url("**/compose")
    assert "Claire Martin" in page.locator(".targets").inner_text()  # France's minister only
    letter = page.locator("textarea[name=text]")
    assert "Je vous écris depuis Lyon" in letter.input_value()
    assert letter.input_value().rstrip().endswith("Hugo Petit")
    letter.fill(letter.input_value().replace("Notre pays", "La France"))
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "letter-compose-fr-375")
    mail.outbox.clear()
    page.locator("form[action$='/send'] button[type=submit]").click()
    page.wait_for_url("**/check-your-email")
    assert page.evaluate(NO_OVERFLOW)

    (confirmation,) = mail.outbox
    link = re.search(r"https?://\S+(/fr/letters/confirm/\S+/)", confirmation.body)[1]
    page.goto(demo_site + link)
    assert "La France" in page.locator(".letter-text").inner_text()
    page.locator("form button[type=submit]").click()
    page.wait_for_url("**/sent")
    assert page.evaluate(NO_OVERFLOW)
    screenshot(page, "letter-sent-fr-375")

    deliver_due()
    (to_minister,) = [m for m in mail.outbox if m.to == ["ministre@interieur-fr.example.org"]]
    assert to_minister.reply_to == ["hugo@example.org"]
    assert to_minister.body.startswith("À l'attention de Claire Martin, ministre de l'Intérieur")
    assert "La France en a les moyens" in to_minister.body
    assert external_requests == []
