import pytest


@pytest.fixture
def response(client, db):
    return client.get("/en/")


def test_content_security_policy_is_strict(response):
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["default-src"] == ["'none'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def test_framing_referrer_sniffing_and_features_are_locked(response):
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_hsts_only_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 63072000
    assert "Strict-Transport-Security" not in client.get("/en/")
    secure = client.get("/en/", secure=True)
    assert secure["Strict-Transport-Security"].startswith("max-age=63072000")


def test_production_defaults_keep_debug_off(settings):
    assert settings.DEBUG is False
