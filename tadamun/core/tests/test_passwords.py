from django.conf import settings
from django.contrib.auth.hashers import identify_hasher, make_password
from django.test import override_settings


def test_staff_passwords_are_hashed_with_argon2():
    from tadamun import settings as site_settings

    with override_settings(PASSWORD_HASHERS=site_settings.PASSWORD_HASHERS):
        hashed = make_password("a-long-staff-password")
        assert identify_hasher(hashed).algorithm == "argon2"
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
