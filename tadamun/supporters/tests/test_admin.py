"""Erasing supporters from the admin is a right of its own (issue 12): a coalition admin, who
reads supporters, cannot erase them; a superuser can."""

import pytest
from django.test import Client

from tadamun.staff import roles
from tadamun.supporters.models import Supporter


@pytest.fixture
def supporter(db):
    return Supporter.objects.create(email="amal@example.org", name="Amal", language="ar")


def erase_through_the_admin(user, supporter):
    client = Client()
    client.force_login(user)
    return client.post(
        "/en/admin/supporters/supporter/",
        {"action": "erase", "_selected_action": [supporter.pk], "index": 0},
        follow=True,
    )


def test_a_coalition_admin_cannot_erase_a_supporter(make_staff, supporter):
    page = erase_through_the_admin(make_staff(roles.COALITION_ADMIN), supporter)
    assert "No action selected." in page.content.decode()
    assert Supporter.objects.get(pk=supporter.pk).email == "amal@example.org"


def test_a_superuser_erases_a_supporter(make_staff, supporter):
    page = erase_through_the_admin(make_staff(is_superuser=True), supporter)
    assert "1 supporter erased." in page.content.decode()
    assert not Supporter.objects.filter(email_hash=supporter.email_hash).exists()
