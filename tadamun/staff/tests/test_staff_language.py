"""Staff have no supporter record: the back office remembers the language each staff member
reads it in, and every email to a staff account is written in it (staff.languages), else in
the best guess its sender has, else in the site's language."""

from django.conf import settings
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tadamun.coalition import services
from tadamun.coalition.tests.test_promotion import member, organiser
from tadamun.front.tests.test_organisation_page import petition
from tadamun.staff import languages, notices, roles
from tadamun.staff.models import StaffLanguage


def stored(user) -> str | None:
    return StaffLanguage.objects.filter(user=user).values_list("language", flat=True).first()


def test_the_back_office_remembers_the_language_last_read_in(make_staff):
    moderator = make_staff(roles.MODERATOR, username="moderator")
    client = Client()
    client.force_login(moderator)
    assert stored(moderator) is None
    assert languages.language_of(moderator) == settings.LANGUAGE_CODE
    assert client.get("/ar/admin/").status_code == 200
    assert stored(moderator) == "ar"
    client.get("/fr/admin/coalition/organisation/")
    assert stored(moderator) == "fr" and languages.language_of(moderator) == "fr"
    with CaptureQueriesContext(connection) as run:  # known: the page writes nothing
        client.get("/fr/admin/")
    assert not [q for q in run.captured_queries if "staff_stafflanguage" in q["sql"]]


def test_a_page_refused_or_posted_remembers_nothing(make_staff):
    moderator = make_staff(roles.MODERATOR, username="moderator")
    assert Client().get("/ar/admin/").status_code == 302  # not logged in
    client = Client()
    client.force_login(moderator)
    client.post("/tr/admin/coalition/organisation/", {})
    assert not StaffLanguage.objects.exists()


def test_an_organiser_who_reads_arabic_gets_a_feature_request_in_arabic(
    campaign, make_staff, make_endorsement, django_capture_on_commit_callbacks
):
    lyon = member("Collectif Lyon", "FR", make_staff)
    berlin = member("Berlin hilft", "DE", make_staff)
    endorsement = make_endorsement("Collectif Lyon", "FR")
    type(endorsement).objects.filter(pk=endorsement.pk).update(language="fr")  # the guess
    owner = organiser(lyon)
    owner.email = "lyon@example.org"
    owner.save()
    reader = Client()
    reader.force_login(owner)
    reader.get("/ar/admin/")

    action = petition(campaign, lyon, "ville-refuge")
    with django_capture_on_commit_callbacks(execute=True):
        services.request_feature(organiser(berlin), berlin, action)
    (sent,) = mail.outbox
    assert sent.to == ["lyon@example.org"]
    assert sent.subject == "تطلب Berlin hilft إبراز تحرّككم"
    assert "/ar/admin/coalition/feature/" in sent.body


def test_a_notice_reaches_its_owner_in_their_language_whatever_the_page(make_staff):
    """A stolen recovery code may be used on a page in another language: the owner reads
    the notice in theirs."""
    owner = make_staff(roles.MODERATOR, username="moderator", email="owner@example.org")
    StaffLanguage.objects.create(user=owner, language="ar")
    notices.send_notice.call(owner.pk, notices.RECOVERY_CODE_USED, "2027-01-01 10:00 UTC", "tr")
    (sent,) = mail.outbox
    assert "سجّل أحدهم الدخول للتوّ إلى حسابك" in sent.body
