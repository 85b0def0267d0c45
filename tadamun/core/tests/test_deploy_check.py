"""The production settings of docs/deploy.md pass `manage.py check --deploy` without a warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_production_settings_pass_check_deploy():
    env = {
        key: value
        for key, value in os.environ.items()
        # Settings of development and of the test run (the browser tests allow sync calls
        # from Playwright's loop), none of which a deployment has.
        if key
        not in {
            "DEBUG",
            "SECURE_COOKIES",
            "SECURE_HSTS_SECONDS",
            "SECURE_HSTS_PRELOAD",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "tadamun.settings",
        "ALLOWED_HOSTS": "tadamun.example",
        "SITE_URL": "https://tadamun.example",
        "BEHIND_HTTPS_PROXY": "1",
        "TRUSTED_PROXIES": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "1",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_a_proxy_whose_forwarded_for_is_not_believed_is_warned_about(settings):
    from tadamun.core.checks import proxy_is_trusted

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = []
    assert [warning.id for warning in proxy_is_trusted(None)] == ["tadamun.W001"]
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert proxy_is_trusted(None) == []
