"""The audit trail: every change, approval, deletion and export of personal data is recorded
with who did it, holds none of the personal values, and nobody can edit it."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Group
from django.test import Client

from tadamun.coalition.models import Endorsement
from tadamun.staff import roles
from tadamun.supporters.models import Supporter


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def entries_for(instance):
    return LogEntry.objects.get_for_object(instance).order_by("pk")


def all_entries_text():
    return json.dumps(
        [
            [entry.object_repr, entry.changes, entry.additional_data, entry.changes_text]
            for entry in LogEntry.objects.all()
        ],
        ensure_ascii=False,
    )


def test_an_approval_names_the_moderator_and_hides_the_contact(make_endorsement, make_staff):
    endorsement = make_endorsement("Amal Network", status=Endorsement.Status.PENDING)
    moderator = make_staff(roles.MODERATOR)
    logged_in(moderator).post(
        "/en/admin/coalition/endorsement/",
        {"action": "approve", "_selected_action": [endorsement.pk]},
    )
    change = entries_for(endorsement).last()
    assert change.action == LogEntry.Action.UPDATE
    assert change.actor == moderator
    assert change.changes["status"] == ["pending", "approved"]
    assert change.remote_addr is None
    assert not entries_for(endorsement).filter(action=LogEntry.Action.CREATE).exists()
    assert "contact@amal.example" not in all_entries_text()
    assert "Rania" not in all_entries_text()


def test_an_erasure_is_recorded_without_the_persons_data(sign, make_staff):
    sign("amal@example.org", name="Amal Haddad", confirm=True)
    supporter = Supporter.objects.get()
    # Signing is the person's own act, kept on the row: the trail starts with what staff do.
    assert not LogEntry.objects.filter(action=LogEntry.Action.CREATE).exists()
    admin = make_staff(is_superuser=True, username="boss")
    logged_in(admin).post(
        "/en/admin/supporters/supporter/",
        {"action": "erase", "_selected_action": [supporter.pk]},
    )
    assert not Supporter.objects.exists()
    deleted = LogEntry.objects.get(action=LogEntry.Action.DELETE, object_pk=str(supporter.pk))
    assert deleted.actor == admin
    text = all_entries_text()
    assert "amal@example.org" not in text and "Amal Haddad" not in text


def test_exports_are_recorded(petition, sign, make_staff):
    sign("amal@example.org", confirm=True)
    admin = make_staff(roles.COALITION_ADMIN)
    response = logged_in(admin).get(f"/en/admin/petitions/petition/{petition.pk}/export.csv")
    b"".join(response.streaming_content)
    export = entries_for(petition).get(action=LogEntry.Action.ACCESS)
    assert export.actor == admin
    assert export.additional_data == {"export": "signatures CSV"}


def test_tags_put_on_supporters_are_recorded(sign, make_staff):
    sign("amal@example.org", confirm=True)
    supporter = Supporter.objects.get()
    admin = make_staff(roles.COALITION_ADMIN)
    logged_in(admin).post(
        "/en/admin/supporters/supporter/",
        {"action": "tag", "_selected_action": [supporter.pk], "tag_name": "volunteers Lyon"},
    )
    assert list(supporter.tags.values_list("name", flat=True)) == ["volunteers Lyon"]
    tagged = entries_for(supporter).get(action=LogEntry.Action.UPDATE, actor=admin)
    assert tagged.actor == admin
    assert tagged.changes["tags"]["objects"] == ["volunteers Lyon"]


def test_a_role_given_is_recorded(make_staff):
    boss = make_staff(is_superuser=True, username="boss")
    helper = make_staff(username="helper")
    coalition_admins = Group.objects.get(name=roles.COALITION_ADMIN)
    response = logged_in(boss).post(
        f"/en/admin/auth/user/{helper.pk}/change/",
        {
            "username": "helper",
            "email": "helper@example.org",
            "is_active": "on",
            "is_staff": "on",
            "groups": [coalition_admins.pk],
            "date_joined_0": "2026-11-25",
            "date_joined_1": "10:00:00",
            "initial-date_joined_0": "2026-11-25",
            "initial-date_joined_1": "10:00:00",
        },
    )
    assert response.status_code == 302
    changes = {}
    for entry in entries_for(helper).filter(actor=boss):  # the fields, then the roles
        changes.update(entry.changes)
    assert changes["groups"]["objects"] == [roles.COALITION_ADMIN]
    assert changes["email"] == ["•••", "•••"]  # that it changed, never what it is
    assert "helper@example.org" not in all_entries_text()


def test_coalition_admins_read_the_trail_and_nobody_edits_it(make_staff):
    make_staff(username="someone")
    entry = LogEntry.objects.first()
    admin = logged_in(make_staff(roles.COALITION_ADMIN))
    assert admin.get("/en/admin/auditlog/logentry/").status_code == 200
    page = admin.get(f"/en/admin/auditlog/logentry/{entry.pk}/change/")
    assert page.status_code == 200 and b'name="_save"' not in page.content
    assert admin.post(f"/en/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403
    assert admin.post(f"/en/admin/auditlog/logentry/{entry.pk}/change/").status_code == 403
    boss = logged_in(make_staff(is_superuser=True, username="boss"))
    assert boss.post(f"/en/admin/auditlog/logentry/{entry.pk}/delete/").status_code == 403
    assert LogEntry.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("role", [roles.MODERATOR, roles.TRANSLATOR, roles.ORGANISER])
def test_other_roles_cannot_read_the_trail(make_staff, role, db):
    assert logged_in(make_staff(role)).get("/en/admin/auditlog/logentry/").status_code == 403
