"""Importing supporters from another tool's CSV export (issue 14, item 3): in a worker, whole
or nothing, a report naming row, column and problem; the consent's provenance recorded and
no mail on it until the person confirms; an erased address comes back as a new person."""

import io
import re
import time

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from tadamun.mailings.audience import audience
from tadamun.mailings.models import Mailing
from tadamun.staff import roles
from tadamun.supporters import consents, imports
from tadamun.supporters import services as supporters
from tadamun.supporters.models import Consent, Supporter, SupporterImport, Tag

ROWS = 10_000
# Action Network's export names, in the case it writes them, and an unknown column.
HEADER = (
    "First_Name,Last_Name,Email,ZIP_Code,Country,Language,Tags,Subscription_Status,"
    "Created_Date,Phone"
)


def good_rows(count: int) -> list[str]:
    return [
        f'Amal{n},Haddad,amal{n}@example.org,6900{n % 10},FR,fr-FR,"lyon, volunteers",'
        f"{'subscribed' if n % 2 else 'unsubscribed'},2024-05-{1 + n % 28:02d},+33 6"
        for n in range(count)
    ]


def upload(client, lines: list[str], tool: str = "Action Network", header: str = HEADER):
    data = ("\n".join([header, *lines]) + "\n").encode()
    file = io.BytesIO(data)
    file.name = "export.csv"
    return client.post(reverse("admin:supporters_import"), {"tool": tool, "file": file})


@pytest.fixture
def importer(make_staff, django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(make_staff(roles.COALITION_ADMIN, username="importer"))

    def run(lines, **options):
        with django_capture_on_commit_callbacks(execute=True):
            answer = upload(client, lines, **options)
        assert answer.status_code == 302
        page = client.get(answer["Location"])
        return SupporterImport.objects.latest("pk"), page.content.decode()

    run.client = client
    return run


def test_a_file_with_bad_rows_imports_nothing_and_names_each_problem(importer):
    lines = good_rows(ROWS)
    lines[10] = lines[10].replace("amal10@example.org", "not-an-address")
    lines[500] = lines[500].replace("FR,fr-FR", "Atlantis,fr-FR")
    lines[7000] = lines[7000].replace("subscribed", "maybe")
    lines[9998] = lines[9998].replace("amal9998@", "AMAL1@")  # a second row for one address
    lines[9999] = lines[9999].replace("Amal9999", "=HYPERLINK(1)")
    started = time.monotonic()
    job, page = importer(lines)
    assert time.monotonic() - started < 60
    assert job.status == SupporterImport.Status.REFUSED and job.data == b""
    assert (job.rows, job.checked) == (ROWS, ROWS)
    assert [problem[:2] for problem in job.report["problems"]] == [
        [12, "email"],
        [502, "country"],
        [7002, "subscription_status"],
        [10000, "email"],
        [10001, "first_name"],
    ]
    assert "Nothing was imported: 5 problems to fix." in page and "subscription_status" in page
    assert not Supporter.objects.exists() and not Tag.objects.exists()


def test_a_good_file_imports_everyone_with_the_consent_s_provenance_and_no_mail(importer):
    supporters.find_or_create_supporter("amal1@example.org", name="Amal Her Own Name")
    job, page = importer(good_rows(ROWS))
    assert job.status == SupporterImport.Status.DONE and job.data == b""
    # The unsubscribed rows of new people are not kept: only the subscribed half is.
    assert job.report == {
        "created": ROWS // 2 - 1,
        "updated": 1,
        "skipped": ROWS // 2,
        "problems": [],
    }
    assert "4999 new supporters, 1 already here, 5000 not subscribed" in page
    assert Supporter.objects.count() == ROWS // 2
    assert not Supporter.objects.with_email("amal2@example.org").exists()
    three = Supporter.objects.with_email("amal3@example.org").get()
    assert (three.name, three.country.code, three.language) == ("Amal3 Haddad", "FR", "fr")
    assert three.created_at.date().isoformat() == "2024-05-04"
    assert set(three.tags.values_list("name", flat=True)) == {"lyon", "volunteers"}
    assert Supporter.objects.with_email("amal1@example.org").get().name == "Amal Her Own Name"
    stated = Consent.objects.filter(wording=consents.IMPORTED)
    assert stated.count() == ROWS // 2  # the subscribed rows only
    (source,) = set(stated.values_list("source", flat=True))
    assert source == (
        f"import {job.pk}: imported from Action Network on {job.created_at:%Y-%m-%d} by importer, "
        "consent stated by the coalition"
    )
    assert LogEntry.objects.filter(additional_data__has_key="import").exists()
    # No mail on the coalition's word alone; the person's own yes is theirs to give.
    news = Mailing.objects.create(title="News", body="Hello", language="en")
    assert not audience(news).exists()
    one = Supporter.objects.with_email("amal1@example.org").get()
    supporters.give_consent(one, Consent.Purpose.UPDATES, source="petition")
    assert list(audience(news)) == [one]


def test_an_erased_address_comes_back_as_a_new_person_with_nothing_revived(importer):
    gone = supporters.find_or_create_supporter("amal3@example.org", name="Old Name")
    gone.tags.add(Tag.objects.create(name="old tag"))
    supporters.give_consent(gone, Consent.Purpose.UPDATES, source="petition")
    supporters.erase(gone)
    importer(good_rows(5))
    back = Supporter.objects.with_email("amal3@example.org").get()
    assert back.pk != gone.pk and back.name == "Amal3 Haddad"
    assert list(back.consents.values_list("wording", flat=True)) == [consents.IMPORTED]
    assert "old tag" not in set(back.tags.values_list("name", flat=True))


@pytest.mark.parametrize(
    ("header", "refusal"),
    [
        ("name,country", "The file has no email column."),
        ("email,E-Mail", "Two columns of the file say the same thing"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(importer, header, refusal):
    job, page = importer(["a@example.org,b@example.org"], header=header)
    assert job.status == SupporterImport.Status.REFUSED and refusal in job.report["refused"]
    assert refusal in page and not Supporter.objects.exists()


@pytest.mark.parametrize("role", [roles.ORGANISER, roles.MODERATOR, roles.TRANSLATOR])
def test_only_coalition_admins_import(make_staff, role):
    client = Client()
    client.force_login(make_staff(role))
    assert client.get(reverse("admin:supporters_import")).status_code == 403
    assert upload(client, good_rows(1)).status_code == 403
    assert not SupporterImport.objects.exists()


def test_the_re_permission_mailing_is_one_action_and_a_yes_is_the_person_s_own(
    importer, django_capture_on_commit_callbacks
):
    job, page = importer(good_rows(6))  # rows 1, 3 and 5 are marked subscribed
    assert "Ask 3 people to confirm" in page
    ask = reverse("admin:supporters_import_ask", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert importer.client.post(ask).status_code == 302
    asked = sorted(m.to[0] for m in mail.outbox)
    assert asked == ["amal1@example.org", "amal3@example.org", "amal5@example.org"]
    assert all("nouvelles de la coalition" in m.subject for m in mail.outbox)  # in French
    with django_capture_on_commit_callbacks(execute=True):
        importer.client.post(ask)  # asking again sends nothing
    assert len(mail.outbox) == 3
    news = Mailing.objects.create(title="News", body="Hello", language="en")
    assert not audience(news).exists()
    path = re.search(r"https?://[^/\s]+(/[a-z]{2}/news/\S+/)", mail.outbox[0].body)[1]
    person = Client()
    assert "<form" in person.get(path).content.decode() and not audience(news).exists()
    assert person.post(path).status_code == 200
    (confirmed,) = audience(news)
    assert confirmed.email == mail.outbox[0].to[0]
    assert confirmed.consents.filter(wording="updates-1", source="re-permission").exists()


def test_someone_who_stopped_the_news_here_is_not_signed_up_again_by_an_import(importer):
    stopped = supporters.find_or_create_supporter("amal1@example.org", name="Amal")
    supporters.give_consent(stopped, Consent.Purpose.UPDATES, source="petition")
    supporters.withdraw_consents(stopped, purpose=Consent.Purpose.UPDATES)
    job, page = importer(good_rows(2))  # amal1 is marked subscribed in the file
    assert job.status == SupporterImport.Status.DONE
    assert not stopped.consents.active().exists()
    assert not imports.held_people(job).exists() and "Ask 1 person" not in page


def test_a_waiting_file_is_stored_encrypted_and_forgotten_once_imported(importer):
    """The uploaded file holds people's addresses: at rest it is ciphertext, and it is gone
    once the worker is done, whatever the outcome."""
    upload(importer.client, good_rows(3))
    job = SupporterImport.objects.latest("pk")
    with connection.cursor() as cursor:
        cursor.execute("SELECT data FROM supporters_supporterimport WHERE id = %s", [job.pk])
        stored = bytes(cursor.fetchone()[0])
    assert b"amal1@example.org" not in stored
    assert b"amal1@example.org" in job.data  # the worker reads it back

    imports.run(job)
    job.refresh_from_db()
    assert job.status == SupporterImport.Status.DONE
    assert job.data == b""
