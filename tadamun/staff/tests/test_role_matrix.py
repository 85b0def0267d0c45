"""Every role against every admin of the site, over HTTP: what each role may view, add,
change and delete, and which actions it may run, is what `roles.stated_rights()` says (the one
table of rights, printed in docs/security.md). A new admin or action is walked here without
anyone listing it."""

from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.translation import override

from tadamun.staff import roles

DOCS = Path(__file__).resolve().parents[3] / "docs" / "security.md"
ROLES = [roles.SUPERUSER, *roles.ROLE_PERMISSIONS, roles.NO_ROLE]
REFUSED_ACTION = "No action selected."


@pytest.fixture
def one_of_each(demo, make_staff):
    """At least one row for every model of the admin (the demo has most of them)."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_tasks_db.models import DBTaskResult, get_date_max

    from tadamun.api.models import ApiToken, WebhookDelivery, WebhookEndpoint
    from tadamun.coalition.member_actions import MemberAction
    from tadamun.coalition.models import Organisation, OrganisationChange
    from tadamun.mailings.models import Suppression
    from tadamun.supporters.models import Tag

    owner = make_staff(username="device-owner")
    StaticDevice.objects.create(user=owner, name="backup")
    organisation = Organisation.objects.first()
    # The actions the matrix tries are an organisation's (organisers change only their own;
    # tadamun/petitions/tests/test_organisations_petitions.py walks a second organisation's).
    from tadamun.events.models import Event

    for model in apps.get_models():
        if issubclass(model, MemberAction) or model is Event:  # events: their own moderation
            first = model.objects.order_by("pk").values("pk")[:1]
            model.objects.filter(pk__in=first).update(organisation=organisation)
    OrganisationChange.objects.create(organisation=organisation, name=f"{organisation.name} 2")
    # The organisation's mailings, and questions on its own actions (organisers reach only
    # theirs: tadamun/coalition/tests/test_permissions.py walks a second organisation's).
    from tadamun.mailings.models import Mailing
    from tadamun.questions.models import Question

    Mailing.objects.update(partner=organisation)
    for question in Question.objects.all():
        type(question.action).objects.filter(pk=question.action.pk).update(
            organisation=organisation
        )
    from tadamun.coalition.models import Feature
    from tadamun.petitions.models import Petition

    Feature.objects.create(
        organisation=Organisation.objects.exclude(pk=organisation.pk).first(),
        petition=Petition.objects.filter(organisation=organisation).first(),
    )
    token = ApiToken(organisation=organisation, name="sync")
    token.issue()
    token.save()
    endpoint = WebhookEndpoint.objects.create(
        organisation=organisation, url="https://partner.example/hook", events=["signature"]
    )
    WebhookDelivery.objects.create(endpoint=endpoint, event="signature", payload={})
    Suppression.objects.create(email_hash="0" * 64, reason=Suppression.Reason.BOUNCE)
    Tag.objects.create(name="volunteers")
    DBTaskResult.objects.create(
        task_path="tadamun.mailings.tasks.kick_mailings",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        run_after=get_date_max(),  # none: the test settings' backend supports no delay
    )


def user_in(role, make_staff):
    if role == roles.SUPERUSER:
        return make_staff(username="root", is_superuser=True)
    user = make_staff(None if role == roles.NO_ROLE else role, username=f"matrix-{role}")
    if role == roles.ORGANISER:  # scoping to their organisations is tested in coalition
        from tadamun.coalition.models import Organisation

        user.organisations.set(Organisation.objects.all())
    return user


def url(model, view, *args):
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


def some_row(model):
    return model._default_manager.order_by("pk").first()


def action_is_refused(client, model, name, row) -> bool:
    """POST the action on one row, in a savepoint rolled back after (it may erase or delete)."""
    client.cookies.pop("messages", None)  # only this request's messages
    with transaction.atomic():
        response = client.post(
            url(model, "changelist"),
            {"action": name, ACTION_CHECKBOX_NAME: [row.pk], "index": 0},
        )
        transaction.set_rollback(True)
    with override("en"):
        said = [str(message) for message in get_messages(response.wsgi_request)]
    rendered = [template.name for template in response.templates]
    return (
        response.status_code == 403
        or REFUSED_ACTION in said
        or "admin/change_list.html" in rendered
    )


def page_outcomes(client, model, row) -> dict[str, bool]:
    """What the admin's pages let this client do, asked the way a browser asks."""
    change_page = client.get(url(model, "change", row.pk))
    return {
        "view": client.get(url(model, "changelist")).status_code == 200,
        "add": client.get(url(model, "add")).status_code == 200,
        "change": change_page.status_code == 200 and b'name="_save"' in change_page.content,
        "delete": client.get(url(model, "delete", row.pk)).status_code == 200,
    }


def outcomes(client, model, model_admin, row) -> dict[str, bool]:
    found = page_outcomes(client, model, row)
    for name in actions_of(model_admin):
        found[f"action {name}"] = not action_is_refused(client, model, name, row)
    return found


def survives_delete_selected(client, model, row) -> bool:
    """Confirm the deletion of the row through the list's action; rolled back after."""
    with transaction.atomic():
        client.post(
            url(model, "changelist"),
            {"action": "delete_selected", ACTION_CHECKBOX_NAME: [row.pk], "post": "yes"},
        )
        survived = model._default_manager.filter(pk=row.pk).exists()
        transaction.set_rollback(True)
    return survived


def actions_of(model_admin) -> dict:
    """Every action of the admin (the site's and its own), before any role filters them."""
    return {action[1]: action for action in model_admin._get_base_actions()}


def held_by(role) -> set[str]:
    """Every "app.codename" the table gives the role."""
    return {
        f"{model._meta.app_label}.{codename}"
        for model, codenames in roles.stated_rights()[role].items()
        for codename in codenames
    }


def expected(model, model_admin, held) -> dict[str, bool]:
    opts = model._meta

    def holds(action):
        return f"{opts.app_label}.{action}_{opts.model_name}" in held

    stated = {
        "view": holds("view") or holds("change"),  # Django lets a changer read
        "add": holds("add"),
        "change": holds("change"),
        "delete": holds("delete"),
    }
    for name, (function, _name, _description) in actions_of(model_admin).items():
        needs = getattr(function, "allowed_permissions", ())
        stated[f"action {name}"] = bool(needs) and all(
            roles.action_permission(model, permission) in held for permission in needs
        )
    return stated


@pytest.mark.parametrize("role", ROLES)
def test_every_admin_gives_each_role_its_stated_rights(one_of_each, make_staff, role):
    client = Client()
    client.force_login(user_in(role, make_staff))
    held = held_by(role)
    mismatches = []
    for model, model_admin in admin.site._registry.items():
        row = some_row(model)
        assert row is not None, f"no {model._meta.label} to try the admin on"
        found = outcomes(client, model, model_admin, row)
        for right, allowed in expected(model, model_admin, held).items():
            if found[right] != allowed:
                mismatches.append(
                    f"{model._meta.label} {right}: stated {allowed}, got {found[right]}"
                )
    assert not mismatches, "\n".join(mismatches)


@pytest.mark.parametrize("role", ROLES)
def test_no_one_changes_or_deletes_a_row_that_is_locked(one_of_each, make_staff, role):
    """Rows that say they are no longer editable (a mailing being sent and its translations:
    what the workers send) are read-only in every admin, whatever the role's rights."""
    from tadamun.mailings.models import Mailing

    Mailing.objects.update(status=Mailing.Status.SENDING)
    client = Client()
    client.force_login(user_in(role, make_staff))
    locked = 0
    for model in admin.site._registry:
        row = some_row(model)
        if getattr(row, "is_editable", True):
            continue
        locked += 1
        found = page_outcomes(client, model, row)
        assert not found["change"] and not found["delete"], model._meta.label
        assert survives_delete_selected(client, model, row), model._meta.label
    assert locked >= 2


def test_every_admin_action_declares_the_permission_it_needs():
    for model, model_admin in admin.site._registry.items():
        for name, (function, _name, _description) in actions_of(model_admin).items():
            assert getattr(function, "allowed_permissions", None), f"{model._meta.label}: {name}"


def test_the_docs_show_the_stated_rights():
    """docs/security.md carries the table `manage.py roles_table` prints."""
    printed = StringIO()
    call_command("roles_table", stdout=printed)
    assert printed.getvalue().strip() in DOCS.read_text()
