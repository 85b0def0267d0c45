import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tadamun.staff import roles, views
from tadamun.staff.models import EnrolmentWindow

LOGIN = "/en/admin/login/"
INDEX = "/en/admin/"
PASSWORD = "a-long-test-password"


def current_code(device):
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits).token():06d}"


def recovery_codes(page):
    return re.findall(r'<code dir="ltr">([a-z2-7]{8})</code>', page.content.decode())


def enter_password(client, username, password=PASSWORD, next_url=INDEX):
    return client.post(LOGIN, {"username": username, "password": password, "next": next_url})


@pytest.fixture
def moderator(make_staff):
    return make_staff(roles.MODERATOR, email="moderator@example.org")


@pytest.fixture
def enrolled(client, moderator, django_capture_on_commit_callbacks):
    """A moderator who set up an authenticator at their first login; returns the codes."""
    enter_password(client, "moderator")
    client.get("/en/admin/login/enrol/")
    device = TOTPDevice.objects.get(user=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post("/en/admin/login/enrol/", {"code": current_code(device), "next": INDEX})
    client.logout()
    return recovery_codes(page)


def test_a_password_alone_never_opens_the_admin(client, moderator):
    assert client.login(username="moderator", password=PASSWORD)  # the password is right
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_first_login_sets_up_an_authenticator_and_shows_recovery_codes(client, moderator):
    response = enter_password(client, "moderator")
    assert response.status_code == 302 and "/login/enrol/" in response["Location"]
    assert client.get(INDEX).status_code == 302  # not logged in between the steps

    page = client.get(response["Location"])
    assert re.search(rb'<figure class="qr-code"><svg[^>]*><path d="M[^"]+"', page.content)
    assert page.context["title"] == "Set up your second step"
    device = TOTPDevice.objects.get(user=moderator, confirmed=False)
    assert page.context["secret"].replace(" ", "") in device.config_url
    assert "no-cache" in page["Cache-Control"]

    wrong = client.post("/en/admin/login/enrol/", {"code": "000000", "next": INDEX})
    assert "That code is not right" in wrong.content.decode()
    assert client.get(INDEX).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp makes the next try wait
    device.throttle_reset()

    done = client.post("/en/admin/login/enrol/", {"code": current_code(device), "next": INDEX})
    codes = recovery_codes(done)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "no-store" in done["Cache-Control"]
    assert client.get(INDEX).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_later_logins_ask_for_the_code(client, moderator, enrolled):
    response = enter_password(client, "moderator")
    assert "/login/code/" in response["Location"]
    device = TOTPDevice.objects.get(user=moderator)
    device.last_t = -1  # the enrolment used this time step's code
    device.save()
    client.post(response["Location"], {"code": current_code(device), "next": INDEX})
    assert client.get(INDEX).status_code == 200


def test_a_recovery_code_works_once(client, moderator, enrolled):
    enter_password(client, "moderator")
    response = client.post("/en/admin/login/code/", {"code": enrolled[0].upper(), "next": INDEX})
    assert response.status_code == 302
    page = client.get(INDEX)
    assert page.status_code == 200 and "9 are left" in page.content.decode()
    client.logout()

    enter_password(client, "moderator")
    again = client.post("/en/admin/login/code/", {"code": enrolled[0], "next": INDEX})
    assert "That code is not right" in again.content.decode()
    assert client.get(INDEX).status_code == 302


def test_a_password_cannot_replace_an_authenticator(client, moderator, enrolled):
    enter_password(client, "moderator")
    response = client.get("/en/admin/login/enrol/")
    assert response.status_code == 302 and "/login/code/" in response["Location"]
    assert TOTPDevice.objects.filter(user=moderator).count() == 1


def test_the_second_step_needs_a_fresh_first_step(client, moderator, enrolled, monkeypatch):
    assert client.get("/en/admin/login/code/").status_code == 302
    enter_password(client, "moderator")
    later = views.time.time() + views.PENDING_SECONDS + 1
    monkeypatch.setattr(views.time, "time", lambda: later)
    response = client.post("/en/admin/login/code/", {"code": enrolled[1], "next": INDEX})
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get(INDEX).status_code == 302


def test_repeated_wrong_passwords_lock_the_account(client, moderator, enrolled):
    for _attempt in range(5):
        assert enter_password(client, "moderator", "wrong").status_code == 200
    locked = enter_password(client, "moderator")  # even the right password now
    assert locked.status_code == 429
    assert "Too many failed attempts" in locked.content.decode()
    assert "staff_password_ok" not in client.session


def test_an_unknown_username_locks_like_a_real_one(client, db):
    for _attempt in range(5):
        enter_password(client, "nobody", "wrong")
    assert enter_password(client, "Nobody ").status_code == 429


def test_repeated_wrong_codes_lock_the_account(client, moderator, enrolled):
    enter_password(client, "moderator")
    for _attempt in range(5):
        response = client.post("/en/admin/login/code/", {"code": "123456", "next": INDEX})
    assert "Too many failed attempts" in response.content.decode()
    assert enter_password(client, "moderator").status_code == 429


def test_the_next_address_stays_on_this_site(client, moderator, enrolled):
    enter_password(client, "moderator", next_url="https://evil.example/")
    response = client.post("/en/admin/login/code/", {"code": enrolled[2], "next": "//evil.example"})
    assert response["Location"] == INDEX


def test_new_recovery_codes_cancel_the_old_ones(client, moderator, enrolled):
    enter_password(client, "moderator")
    client.post("/en/admin/login/code/", {"code": enrolled[3], "next": INDEX})
    assert "9 recovery codes left" in client.get("/en/admin/recovery-codes/").content.decode()
    page = client.post("/en/admin/recovery-codes/")
    fresh = recovery_codes(page)
    assert len(fresh) == 10 and not set(fresh) & set(enrolled)
    client.logout()
    enter_password(client, "moderator")
    client.post("/en/admin/login/code/", {"code": enrolled[4], "next": INDEX})
    assert client.get(INDEX).status_code == 302


def test_staff_sessions_end_after_eight_hours(client, moderator, monkeypatch):
    client.force_login(moderator)
    assert client.get(INDEX).status_code == 200

    later = timezone.now() + timedelta(hours=8, seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    response = client.get(INDEX)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_the_owner_hears_of_a_new_authenticator_and_of_recovery_codes(
    client, moderator, enrolled, django_capture_on_commit_callbacks
):
    [set_up] = mail.outbox
    assert set_up.to == ["moderator@example.org"]
    assert "An authenticator app was just set up" in set_up.body
    assert "tell a site administrator at once" in set_up.body

    with django_capture_on_commit_callbacks(execute=True):
        enter_password(client, "moderator")
        client.post("/fr/admin/login/code/", {"code": enrolled[0], "next": INDEX})
        client.post("/en/admin/recovery-codes/")
    used, renewed = mail.outbox[1:]
    assert "avec l’un de ses codes de secours" in used.body  # the language of the page
    assert "New recovery codes were just made" in renewed.body
    assert enrolled[1] not in renewed.body  # codes are never emailed


def test_an_account_that_waited_too_long_cannot_set_up_with_its_password_alone(
    client, moderator, settings
):
    settings.STAFF_ENROLMENT_DAYS = 7
    EnrolmentWindow.objects.filter(user=moderator).update(
        opened_at=timezone.now() - timedelta(days=8)
    )
    response = enter_password(client, "moderator")
    closed = client.get(response["Location"])
    assert closed.status_code == 403
    assert "had 7 days to set up its second step" in closed.content.decode()
    assert not TOTPDevice.objects.filter(user=moderator).exists()  # no key was ever shown
    assert client.post("/en/admin/login/enrol/", {"code": "123456"}).status_code == 302


def let_them_set_up_again(user, make_staff):
    """A month after the user's window closed, a superuser reopens it from the users' admin."""
    EnrolmentWindow.objects.filter(user=user).update(opened_at=timezone.now() - timedelta(30))
    boss = Client()
    boss.force_login(make_staff(is_superuser=True, username="boss"))
    boss.post(
        "/en/admin/auth/user/",
        {"action": "let_them_set_up_a_new_authenticator", "_selected_action": [user.pk]},
    )


def test_a_lost_phone_opens_a_new_window_through_the_admin(client, moderator, enrolled, make_staff):
    let_them_set_up_again(moderator, make_staff)
    assert not TOTPDevice.objects.filter(user=moderator).exists()
    assert not StaticDevice.objects.filter(user=moderator).exists()  # old codes die too
    response = enter_password(client, "moderator")
    assert "/login/enrol/" in response["Location"]
    assert client.get(response["Location"]).status_code == 200


def test_the_admin_reopens_a_window_that_ran_out_before_any_set_up(client, moderator, make_staff):
    let_them_set_up_again(moderator, make_staff)
    response = enter_password(client, "moderator")
    assert client.get(response["Location"]).status_code == 200


def test_a_staff_account_with_an_authenticator_can_be_deleted(client, moderator, enrolled):
    moderator.delete()
    assert not EnrolmentWindow.objects.exists() and not TOTPDevice.objects.exists()


def test_staff_made_later_get_their_window_then(db):
    helper = get_user_model().objects.create_user("helper", password=PASSWORD)
    assert not EnrolmentWindow.objects.filter(user=helper).exists()
    helper.is_staff = True
    helper.save()
    assert EnrolmentWindow.objects.get(user=helper).opened_at > timezone.now() - timedelta(1)
