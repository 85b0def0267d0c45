"""The letters admin says "Sent" once a confirmed letter's deliveries have all gone out."""

import re

from django.core import mail
from django.test import Client

from tadamun.letters.models import Delivery, Letter
from tadamun.letters.tests.test_writing import compose, composed_form, confirm_link


def admin_status(staff, letter) -> str:
    """The status column of `letter`'s row in the admin's list."""
    page = staff.get("/en/admin/letters/letter/").content.decode()
    row = page[page.index(f'href="/en/admin/letters/letter/{letter.pk}/change/"') :]
    return re.search(r'<td class="field-state"[^>]*>([^<]*)<', row)[1]


def test_status_follows_the_deliveries(post, client, make_letter_campaign, make_staff):
    staff = Client()
    staff.force_login(make_staff("Coalition admin"))
    campaign = make_letter_campaign(choice="all")
    post(f"/en/letters/{campaign.slug}/send", composed_form(compose(client, campaign)))
    letter = Letter.objects.get()
    assert admin_status(staff, letter) == "Email not confirmed"

    post(confirm_link(mail.outbox[0]))
    letter.refresh_from_db()
    assert letter.status == Letter.Status.CONFIRMED
    deliveries = letter.deliveries.all()
    assert {d.status for d in deliveries} == {Delivery.Status.SENT}
    assert admin_status(staff, letter) == "Sent"

    deliveries.filter(pk=deliveries[0].pk).update(status=Delivery.Status.QUEUED)
    assert (
        admin_status(staff, letter) == f"Sending: {len(deliveries) - 1} of {len(deliveries)} sent"
    )
    deliveries.filter(pk=deliveries[0].pk).update(status=Delivery.Status.FAILED)
    assert admin_status(staff, letter) == f"Failed: 1 of {len(deliveries)}"
    detail = staff.get(f"/en/admin/letters/letter/{letter.pk}/change/").content.decode()
    assert f"Failed: 1 of {len(deliveries)}" in detail
