"""Where a token or a webhook endpoint is made (issue 14, items 2 and 5): only coalition
admins make them, the coalition's own included; each one made is in the audit trail; the page
says, in the reader's language, what each kind will and will not see."""

import html

import pytest
from auditlog.models import LogEntry
from django.conf import settings
from django.utils import translation

from tadamun.api.admin import (
    COALITION_HOOK_HEARS,
    COALITION_TOKEN_SEES,
    PARTNER_HOOK_HEARS,
    PARTNER_TOKEN_SEES,
)
from tadamun.api.models import ApiToken, WebhookEndpoint
from tadamun.coalition.models import Organisation
from tadamun.staff import roles

TOKENS = "/en/admin/api/apitoken/add/"
HOOKS = "/en/admin/api/webhookendpoint/add/"


@pytest.fixture
def admin_client(client, make_staff):
    client.force_login(make_staff(roles.COALITION_ADMIN))
    return client


def test_a_coalition_admin_makes_the_coalition_s_token_and_the_trail_names_them(admin_client):
    answer = admin_client.post(TOKENS, {"kind": "coalition", "name": "Our CRM"}, follow=True)
    token = ApiToken.objects.get()
    assert token.kind == ApiToken.Kind.COALITION and token.organisation is None
    assert "Copy it now" in answer.content.decode()
    made = LogEntry.objects.get_for_object(token).get(action=LogEntry.Action.CREATE)
    assert made.actor.username == "coalition-admin" and "coalition" in str(made.changes)


@pytest.mark.parametrize(
    ("kind", "names_a_partner", "error"),
    [
        ("partner", False, "A partner&#x27;s token names its partner."),
        ("coalition", True, "The coalition&#x27;s own token names no partner."),
    ],
)
def test_a_token_names_a_partner_exactly_when_it_is_one(admin_client, kind, names_a_partner, error):
    partner = Organisation.objects.create(name="Lyon", country="FR", kind="ngo", partner_code="ly")
    sent = {"kind": kind, "name": "sync", "organisation": partner.pk if names_a_partner else ""}
    answer = admin_client.post(TOKENS, sent)
    assert answer.status_code == 200 and error in answer.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("role", [roles.ORGANISER, roles.MODERATOR, roles.TRANSLATOR])
def test_no_other_role_makes_a_token_or_an_endpoint(client, make_staff, role):
    client.force_login(make_staff(role))
    assert client.post(TOKENS, {"kind": "coalition", "name": "x"}).status_code == 403
    hook = {"url": "https://hooks.example.org/x", "events": ["letter.sent"], "active": "on"}
    assert client.post(HOOKS, hook).status_code == 403
    assert not ApiToken.objects.exists() and not WebhookEndpoint.objects.exists()


def test_the_coalition_s_own_endpoint_names_no_partner_and_is_in_the_trail(admin_client):
    hook = {"url": "https://hooks.example.org/crm", "events": ["letter.sent"], "active": "on"}
    assert admin_client.post(HOOKS, hook).status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.organisation is None
    assert LogEntry.objects.get_for_object(endpoint).get().actor.username == "coalition-admin"


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_where_a_token_or_endpoint_is_made_the_page_says_what_it_will_and_will_not_see(
    admin_client, language
):
    for path, texts in (
        (TOKENS, (PARTNER_TOKEN_SEES, COALITION_TOKEN_SEES)),
        (HOOKS, (PARTNER_HOOK_HEARS, COALITION_HOOK_HEARS)),
    ):
        page = html.unescape(
            admin_client.get(path.replace("/en/", f"/{language}/")).content.decode()
        )
        for text in texts:
            with translation.override(language):
                said = str(text)
            assert said in page, (language, path)
            with translation.override("en"):
                assert (said != str(text)) is (language != "en"), (language, "untranslated")
