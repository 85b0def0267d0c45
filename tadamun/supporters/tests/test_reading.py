"""The supporters list for those who read people (issue 18 item 4): each supporter's name,
consents, tags and activity, found by exact email address, each view in the audit trail, at the
cost of one page whatever the number of supporters."""

import re
from collections import Counter

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tadamun.core import crypto
from tadamun.staff import roles
from tadamun.staff.tests.test_dashboard import client_for
from tadamun.supporters.models import Consent, Supporter, Tag

SUPPORTERS = "/en/admin/supporters/supporter/"


@pytest.fixture
def amal(db, petition, sign):
    sign("amal.haddad@example.org", "DE", name="Amal Haddad", confirm=True)
    supporter = Supporter.objects.with_email("amal.haddad@example.org").get()
    supporter.tags.add(Tag.objects.create(name="volunteers Lyon"))
    Consent.objects.create(supporter=supporter, purpose="updates", wording="v1")
    return supporter


def test_a_coalition_admin_reads_each_supporters_name_consents_tags_and_activity(amal, make_staff):
    content = client_for(make_staff(roles.COALITION_ADMIN)).get(SUPPORTERS).content.decode()
    row = re.search(r"<tr>.*?Amal Haddad.*?</tr>", content, re.S).group()
    assert "Germany" in row
    assert "Campaign updates from the coalition" in row
    assert "volunteers Lyon" in row
    assert re.search(r'field-signature_count"[^>]*>1<', row)
    assert re.search(r'field-rsvp_count"[^>]*>0<', row)
    assert "amal.haddad@example.org" not in content  # the address is on the person's page


def test_each_view_of_a_person_is_in_the_audit_trail(amal, make_staff):
    admin = make_staff(roles.COALITION_ADMIN)
    client = client_for(admin)
    client.get(SUPPORTERS)
    page = client.get(f"{SUPPORTERS}{amal.pk}/change/").content.decode()
    assert "amal.haddad@example.org" in page
    views = LogEntry.objects.get_for_object(amal).filter(action=LogEntry.Action.ACCESS)
    assert sorted(entry.additional_data["viewed"] for entry in views) == [
        "supporter page",
        "supporters list",
    ]
    assert {entry.actor for entry in views} == {admin}


def test_a_supporter_is_found_by_their_exact_email_address_only(amal, sign, make_staff):
    sign("other@example.org", name="Sami Other", confirm=True)
    client = client_for(make_staff(roles.COALITION_ADMIN))
    found = client.get(SUPPORTERS, {"q": " Amal.Haddad@example.org "}).content.decode()
    assert "Amal Haddad" in found
    assert "Sami Other" not in found
    partial = client.get(SUPPORTERS, {"q": "amal.haddad@example"}).content.decode()
    assert "Amal Haddad" not in partial


def list_page_cost(client, monkeypatch) -> tuple[int, int]:
    """(queries, values decrypted) to show the supporters list's first page."""
    decrypted = Counter()
    real = crypto.decrypt
    monkeypatch.setattr(crypto, "decrypt", lambda token: decrypted.update([1]) or real(token))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(SUPPORTERS).status_code == 200
    monkeypatch.setattr(crypto, "decrypt", real)
    return len(queries), decrypted[1]


def test_the_list_reads_and_decrypts_one_page_not_the_table(make_staff, monkeypatch, db):
    client = client_for(make_staff(roles.COALITION_ADMIN))
    for n in range(3):
        Supporter.objects.create(email=f"few{n}@example.org", name=f"Few {n}", language="fr")
    list_page_cost(client, monkeypatch)  # caches filled (content types, session)
    few_queries, few_decrypted = list_page_cost(client, monkeypatch)
    Supporter.objects.bulk_create(
        Supporter(email=f"many{n}@example.org", email_hash=f"{n:064}", name="M", language="fr")
        for n in range(120)
    )
    many_queries, many_decrypted = list_page_cost(client, monkeypatch)
    assert many_queries == few_queries
    assert few_decrypted > 0
    assert many_decrypted <= 2 * 50  # a name and an address at most, for one page of 50
