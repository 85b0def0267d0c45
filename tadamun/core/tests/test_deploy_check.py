"""The production settings of docs/deploy.md pass `manage.py check --deploy` without a warning."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def manage(*args, **settings) -> subprocess.CompletedProcess:
    """`manage.py *args` with the environment of a deployment that sets only `settings`."""
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
            "SECURE_SSL_REDIRECT",
            "BEHIND_HTTPS_PROXY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env |= {"DJANGO_SETTINGS_MODULE": "tadamun.settings", **settings}
    return subprocess.run(  # noqa: S603 (the test's own arguments)
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def check_deploy(**settings) -> subprocess.CompletedProcess:
    return manage("check", "--deploy", "--fail-level", "WARNING", **settings)


def test_production_settings_pass_check_deploy():
    done = check_deploy(
        ALLOWED_HOSTS="tadamun.example",
        SITE_URL="https://tadamun.example",
        BEHIND_HTTPS_PROXY="1",
        TRUSTED_PROXIES="127.0.0.1",
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


def test_https_is_required_by_default_with_debug_off():
    """Nothing set but the secrets: no warning that http is not redirected (security.W008)."""
    done = check_deploy()
    assert "security.W008" not in done.stdout + done.stderr


ASK = """
from django.test import Client
client = Client(raise_request_exception=False)
for path, headers in [
    ("/en/", {}),
    ("/en/", {"HTTP_X_FORWARDED_PROTO": "https"}),
    ("/healthz", {}),
]:
    answer = client.get(path, **headers)
    print(path, headers, answer.status_code, answer.get("Location"))
"""


def test_plain_http_is_redirected_to_https_behind_the_documented_proxy():
    """The proxy says `X-Forwarded-Proto: https` (BEHIND_HTTPS_PROXY); the load balancer's
    health check may ask /healthz over plain http."""
    done = manage("shell", "-c", ASK, ALLOWED_HOSTS="testserver", BEHIND_HTTPS_PROXY="1")
    plain, proxied, health = done.stdout.splitlines()[-3:]
    assert plain.endswith("301 https://testserver/en/"), done.stdout + done.stderr
    assert not proxied.endswith("https://testserver/en/")
    assert not health.startswith("301")


ONION = "abcdefghijklmnopqrstuvwxyz234567abcdefghijklmnopqrstuvwx.onion"
ASK_ONION = f"""
from django.test import Client
client = Client(raise_request_exception=False)
for host in ["{ONION}", "tadamun.example"]:
    answer = client.get("/en/", HTTP_HOST=host)
    print(host, answer.status_code, answer.get("Location"))
"""


def test_the_http_onion_service_is_not_sent_to_https():
    """Tor encrypts the onion service end to end; https on it needs a certificate few have
    (review finding: every page of the documented http onion redirected to nowhere)."""
    done = manage(
        "shell",
        "-c",
        ASK_ONION,
        ALLOWED_HOSTS=f"tadamun.example,{ONION}",
        ONION_ADDRESS=f"http://{ONION}",
    )
    onion, clearnet = done.stdout.splitlines()[-2:]
    assert not onion.split()[1].startswith("30"), done.stdout + done.stderr
    assert clearnet.endswith("https://tadamun.example/en/"), done.stdout + done.stderr
