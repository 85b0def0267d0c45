"""Each role holds the least its work needs, across every app (re-checked for issue "Trust")."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tadamun.staff import roles


def codenames(role):
    return set(Group.objects.get(name=role).permissions.values_list("codename", flat=True))


@pytest.mark.parametrize("role", list(roles.ROLE_PERMISSIONS))
def test_no_role_writes_or_deletes_what_people_made_by_hand(db, role):
    assert not codenames(role) & set(roles.NEVER_BY_HAND)


def test_translators_only_read_sources_and_write_translations(db):
    for codename in codenames(roles.TRANSLATOR):
        assert codename.startswith("view_") or codename.endswith("translation"), codename
        assert not codename.startswith("delete_"), codename


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.ORGANISER])
def test_moderators_and_organisers_add_and_delete_nothing(db, role):
    """Except what an organiser makes for their organisation: its own actions (issue 19),
    scoped to it and public only once a moderator approved them (coalition.member_actions),
    and its events with their time slots (moderated through the events' own status), and its
    requests to feature another member's action (the owner's organisers approve them); and,
    made and deleted, the custom questions of its own actions and its mailings to its people
    (both scoped to its organisations: tadamun/coalition/tests/test_permissions.py)."""
    from django.apps import apps

    from tadamun.coalition.member_actions import MemberAction
    from tadamun.coalition.models import Feature
    from tadamun.events.models import Event, Shift

    own_actions = {
        f"add_{model._meta.model_name}"
        for model in apps.get_models()
        if (issubclass(model, MemberAction) or model in (Event, Shift, Feature))
        and role == roles.ORGANISER
    }
    if role == roles.ORGANISER:
        made_and_deleted = ["question", "questiontranslation", "mailing", "mailingtranslation"]
        own_actions |= {f"{a}_{m}" for m in made_and_deleted for a in ("add", "delete")}
        own_actions |= {"delete_shift"}  # the people who chose a removed slot are told
    assert not {c for c in codenames(role) if c.startswith(("add_", "delete_"))} - own_actions


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.TRANSLATOR, roles.ORGANISER])
def test_only_coalition_admins_see_supporters_tokens_mailings_and_the_audit_trail(db, role):
    held = codenames(role)
    for codename in ["view_supporter", "view_apitoken", "view_recipient", "view_logentry"]:
        assert codename not in held
    assert "view_logentry" in codenames(roles.COALITION_ADMIN)


def test_no_role_manages_staff_accounts(db):
    for role in roles.ROLE_PERMISSIONS:
        held = codenames(role)
        assert not {"add_user", "change_user", "change_group", "delete_totpdevice"} & held


@pytest.mark.parametrize(
    "listing", ["/en/admin/mailings/suppression/", "/en/admin/letters/letter/"]
)
def test_coalition_admins_cannot_delete_suppressions_or_letters(make_staff, listing):
    admin = Client()
    admin.force_login(make_staff(roles.COALITION_ADMIN))
    page = admin.get(listing)
    assert page.status_code == 200
    assert b'value="delete_selected"' not in page.content
