"""What a locked (or destroyed) vault changes: staff pages say so, /healthz says so, workers
wait; the commands and the staff page that lock, unlock and destroy."""

import io
import json
import re
from contextlib import redirect_stdout

import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tadamun import vault
from tadamun.core import keys as core_keys
from tadamun.health.management.commands.db_worker import Worker
from tadamun.staff.roles import MODERATOR
from tadamun.supporters.models import Supporter
from tadamun.vault import holder, sealing, store
from tadamun.vault.tests.conftest import cheap_argon2
from tadamun.vault.tests.tasks import needs_keys
from tadamun.vault.tests.test_agent import FakeInput


def test_healthz_says_locked_and_only_the_full_check_fails(client, locked):
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["vault"] == "locked"
    assert "vault" in response.json()["failing"]
    serving = client.get("/healthz?scope=serving")  # the load balancer keeps the server
    assert serving.status_code == 200
    holder._memory.put(store_bundle(locked))
    assert client.get("/healthz").json()["vault"] == "ok"


def store_bundle(shares):
    from tadamun.vault import keyring

    return keyring.unwrap(store.wrapped(), shares[:2])


@pytest.mark.parametrize("language,words", [("en", "The vault is locked"), ("ar", "الخزنة")])
def test_staff_pages_with_personal_data_say_the_vault_is_locked(
    client, make_staff, sign, sealed, language, words
):
    sign("amal@example.org", confirm=True)
    client.force_login(make_staff(username="root", is_superuser=True))
    holder._memory.lock()
    response = client.get(f"/{language}/admin/supporters/supporter/")
    assert response.status_code == 503
    assert words in response.text
    assert 'href="/' + language + '/admin/vault/"' in response.text  # where to unlock it


def test_the_vault_page_unlocks_with_two_shares_refuses_one_and_locks_now(
    client, make_staff, locked
):
    client.force_login(make_staff(username="root", is_superuser=True))
    page = client.get("/en/admin/vault/")
    assert page.status_code == 200 and 'data-state="locked"' in page.text
    refused = client.post("/en/admin/vault/", {"action": "unlock", "shares": locked[0]})
    assert "These shares do not open the vault." in refused.text
    assert vault.state() == "locked"
    unlocked = client.post(
        "/en/admin/vault/", {"action": "unlock", "shares": "\n".join(locked[1:])}, follow=True
    )
    assert vault.state() == "unlocked" and 'data-state="unlocked"' in unlocked.text
    client.post("/en/admin/vault/", {"action": "lock"})
    assert vault.state() == "locked"


def test_a_coalition_admin_may_lock_and_a_moderator_sees_no_vault(client, make_staff, sealed):
    client.force_login(make_staff(MODERATOR))
    assert client.get("/en/admin/vault/").status_code == 403
    assert client.post("/en/admin/vault/", {"action": "lock"}).status_code == 403
    assert vault.state() == "unlocked"
    client.force_login(make_staff("Coalition admin"))
    client.post("/en/admin/vault/", {"action": "lock"})
    assert vault.state() == "locked"


def test_destroy_needs_the_shares_then_personal_data_is_gone_and_counts_stay(
    client, sign, petition, sealed
):
    sign("amal@example.org", confirm=True)
    sign("rania@example.org", confirm=True)
    with pytest.raises(CommandError):
        call_command("vault_destroy", "--yes", stdin=FakeInput(sealed[:1]))
    assert Supporter.objects.count() == 2 and vault.state() == "unlocked"
    call_command("vault_destroy", "--yes", stdin=FakeInput(sealed[1:]))
    assert vault.state() == "destroyed"
    with pytest.raises(vault.Destroyed):
        list(Supporter.objects.all())
    wiped = store.Seal.objects.get()
    assert bytes(wiped.wrapped) == b"" and bytes(wiped.salt) == b""
    page = client.get("/en/petitions/open-the-borders/")
    assert page.status_code == 200 and "Open the borders" in page.text
    api = client.get("/api/petitions/open-the-borders")
    assert api.status_code == 200 and json.loads(api.content)["confirmed"] == 2
    assert Supporter.objects.count() == 2  # counts survive
    with pytest.raises(CommandError):  # nothing left to destroy, nothing to unlock
        call_command("vault_destroy", "--yes", stdin=FakeInput(sealed[1:]))


def test_vault_init_wraps_the_keys_and_removes_them_from_the_secrets_file(tmp_path, settings, db):
    cheap_argon2(settings)
    secrets_file = tmp_path / "secrets.env"
    core_keys.ensure(secrets_file)
    before = secrets_file.read_text()
    values = dict(line.split("=", 1) for line in before.splitlines())
    settings.FIELD_ENCRYPTION_KEYS = [values["FIELD_ENCRYPTION_KEYS"].strip("'")]
    settings.HASH_KEY = values["HASH_KEY"].strip("'")
    waiting = sealing.seal("a signature accepted before sealing")  # in the intake, unrecorded
    out = io.StringIO()
    with redirect_stdout(out):
        call_command(
            "vault_init", "--threshold", "2", "--shares", "3", "--secrets-file", str(secrets_file),
            stdout=out,
        )  # fmt: skip
    shares = re.findall(r"share \d: ([a-z ]+)", out.getvalue())
    assert len(shares) == 3
    after = secrets_file.read_text()
    for name in ("FIELD_ENCRYPTION_KEYS", "HASH_KEY", "BACKUP_KEY"):  # backups: sealed now
        assert name not in after and values[name].strip("'") not in after
    assert values["SECRET_KEY"] in after and "VAULT_MODE='agent'" in after
    assert core_keys.missing_lines(after) == ""  # `make demo` makes no new keys there
    settings.VAULT_MODE = "memory"
    try:
        call_command("vault_unlock", stdin=FakeInput(shares[::2]))
        # The same keys as before: data written before sealing still reads.
        assert vault.keys().field_keys == tuple(settings.FIELD_ENCRYPTION_KEYS)
        assert vault.keys().hash_key == settings.HASH_KEY
        # What waited in the intake when the keys were sealed still opens, for its worker.
        assert sealing.unseal(waiting) == "a signature accepted before sealing"
    finally:
        holder._memory.lock()
    with pytest.raises(CommandError):
        call_command("vault_init", "--secrets-file", str(secrets_file), stdout=io.StringIO())


def test_a_worker_queues_a_task_again_while_locked_and_runs_it_once_unlocked(
    settings, locked, monkeypatch
):
    # The test's transaction holds the connection: the worker must not close it.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "ENQUEUE_ON_COMMIT": False}
    }
    result = needs_keys.enqueue()

    def one_pass():
        Worker(
            queue_names=["default"], interval=0, batch=True, backend_name="default",
            startup_delay=False, max_tasks=None, worker_id="w", excluded_queue_names=[],
        ).run()  # fmt: skip

    one_pass()
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY
    holder._memory.put(store_bundle(locked))
    one_pass()
    done = DBTaskResult.objects.get(pk=result.id)
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == "done"


def test_a_partners_api_call_while_locked_is_a_json_503(sealed, client):
    from tadamun.api.tests.test_osdi import person, token_of
    from tadamun.coalition.models import Organisation

    lyon = Organisation.objects.create(name="Lyon", country="FR", kind="ngo", partner_code="ly")
    token = token_of(lyon)
    person("amal@example.org", lyon)
    holder._memory.lock()
    response = client.get("/api/osdi/v1/people", HTTP_OSDI_API_TOKEN=token)
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert "locked" in response.json()["detail"]
