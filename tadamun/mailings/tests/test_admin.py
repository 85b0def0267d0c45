"""The back office: composing, counting, previewing, testing, sending, pausing, progress."""

import pytest
from django.core import mail

from tadamun.mailings.models import Mailing
from tadamun.staff import roles


@pytest.fixture
def admin_client(client, make_staff):
    client.force_login(make_staff(roles.COALITION_ADMIN))
    return client


@pytest.fixture
def post(admin_client, django_capture_on_commit_callbacks):
    def post_(url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            return admin_client.post(url, data or {})

    return post_


def change_page(client, mailing):
    return client.get(f"/en/admin/mailings/mailing/{mailing.pk}/change/").content.decode()


def test_the_admin_composes_a_mailing_and_sees_its_audience_before_sending(
    admin_client, make_supporter
):
    for number in range(3):
        make_supporter(f"p{number}@example.org", country="FR")
    make_supporter("de@example.org", country="DE")
    make_supporter("no@example.org", consent=False)
    response = admin_client.post(
        "/en/admin/mailings/mailing/add/",
        {
            "title": "Saturday",
            "language": "en",
            "body": "Dear {name}, come on **Saturday**.",
            "countries": ["FR"],
            "languages": ["en", "fr"],
            "translations-TOTAL_FORMS": 0,
            "translations-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    mailing = Mailing.objects.get()
    assert mailing.languages == ["en", "fr"]
    assert "The audience is 3 supporters today." in change_page(admin_client, mailing)


def test_preview_in_each_language_with_a_sample_name(admin_client, make_mailing):
    mailing = make_mailing()
    html = admin_client.get(
        f"/en/admin/mailings/mailing/{mailing.pk}/preview/", {"language": "fr"}
    ).content.decode()
    assert "La journée d&#x27;action approche" in html or "La journée d'action approche" in html
    assert "Cher·e Amal" in html and "<strong>événement local</strong>" in html
    assert "\x00" not in html


def test_a_test_send_goes_only_to_the_addresses_given(post, make_mailing, make_supporter):
    make_supporter("supporter@example.org")
    mailing = make_mailing()
    response = post(
        f"/en/admin/mailings/mailing/{mailing.pk}/test/",
        {"addresses": "me@example.org, you@example.org", "language": "fr"},
    )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["me@example.org", "you@example.org"]
    assert mail.outbox[0].subject == "[TEST] La journée d'action approche"
    assert not mailing.recipients.exists()


def test_a_bad_test_address_is_said_and_nothing_is_sent(post, admin_client, make_mailing):
    mailing = make_mailing()
    response = post(
        f"/en/admin/mailings/mailing/{mailing.pk}/test/",
        {"addresses": "me@example.org, <script>", "language": "en"},
    )
    page = admin_client.get(response["Location"]).content.decode()
    assert "is not an email address" in page and "&lt;script&gt;" in page
    assert not mail.outbox


def test_send_pause_resume_and_progress(post, admin_client, make_mailing, make_supporter):
    for number in range(3):
        make_supporter(f"p{number}@example.org")
    mailing = make_mailing()
    post(f"/en/admin/mailings/mailing/{mailing.pk}/state/", {"action": "send"})
    mailing.refresh_from_db()
    assert mailing.status == "sent"  # the tasks ran at once here
    assert len(mail.outbox) == 3
    page = change_page(admin_client, mailing)
    assert '<progress max="3" value="3"' in page
    assert "3 sent, 0 failed, 0 skipped, 0 remaining, of 3." in page
    # A sent mailing can no longer be edited or paused.
    response = post(f"/en/admin/mailings/mailing/{mailing.pk}/state/", {"action": "pause"})
    page = admin_client.get(response["Location"]).content.decode()
    assert "That cannot be done in the mailing" in page


def test_a_paused_mailing_resumes(post, make_mailing, make_supporter):
    from tadamun.mailings import sending

    make_supporter("p@example.org")
    mailing = make_mailing()
    sending.start(mailing)
    post(f"/en/admin/mailings/mailing/{mailing.pk}/state/", {"action": "pause"})
    mailing.refresh_from_db()
    assert mailing.status == "paused" and not mail.outbox
    post(f"/en/admin/mailings/mailing/{mailing.pk}/state/", {"action": "resume"})
    mailing.refresh_from_db()
    assert mailing.status == "sent" and len(mail.outbox) == 1


def test_scheduling_needs_a_future_time(post, admin_client, make_mailing):
    from datetime import timedelta

    from django.utils import timezone

    mailing = make_mailing()
    response = post(f"/en/admin/mailings/mailing/{mailing.pk}/state/", {"action": "schedule"})
    assert (
        "Choose a time in the future first."
        in admin_client.get(response["Location"]).content.decode()
    )
    Mailing.objects.filter(pk=mailing.pk).update(send_at=timezone.now() + timedelta(hours=2))
    post(f"/en/admin/mailings/mailing/{mailing.pk}/state/", {"action": "schedule"})
    mailing.refresh_from_db()
    assert mailing.status == "scheduled"


def test_a_scheduled_mailing_starts_when_its_time_comes(make_mailing, make_supporter):
    from datetime import timedelta

    from django.utils import timezone

    from tadamun.mailings import services
    from tadamun.mailings.tasks import kick_mailings

    make_supporter("p@example.org")
    mailing = make_mailing()
    services.schedule(mailing, timezone.now() + timedelta(hours=1))
    kick_mailings.call()
    assert Mailing.objects.get().status == "scheduled"
    Mailing.objects.update(send_at=timezone.now() - timedelta(seconds=1))
    kick_mailings.call()
    assert Mailing.objects.get().status == "sent"
    assert len(mail.outbox) == 1


def test_only_those_allowed_to_send_can(client, make_staff, make_mailing):
    mailing = make_mailing()
    client.force_login(make_staff(roles.TRANSLATOR))
    response = client.post(f"/en/admin/mailings/mailing/{mailing.pk}/state/", {"action": "send"})
    assert response.status_code == 403
    assert Mailing.objects.get().status == "draft"
