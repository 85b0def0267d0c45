import os
from unittest import mock

import environ
from cryptography.fernet import Fernet

from tadamun.core.keys import ensure


def read(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_generated_file_holds_every_secret_and_a_working_fernet_key(tmp_path):
    path = tmp_path / "secrets.env"
    ensure(path)
    values = read(path)
    assert set(values) == {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "HASH_KEY", "BACKUP_KEY"}
    assert len(values["SECRET_KEY"].strip("'")) >= 50
    for name in ("FIELD_ENCRYPTION_KEYS", "BACKUP_KEY"):
        key = values[name].strip("'").encode()
        assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_existing_secrets_are_kept_and_missing_ones_added(tmp_path):
    path = tmp_path / "secrets.env"
    path.write_text("SECRET_KEY='kept'\n")
    ensure(path)
    ensure(path)
    values = read(path)
    assert values["SECRET_KEY"] == "'kept'"
    assert "HASH_KEY" in values and len(path.read_text().splitlines()) == 4


def test_every_generated_secret_reads_back_unchanged_through_django_environ(tmp_path):
    """django-environ takes a value starting with "$" for the name of another variable, so a
    generated key must never start with one (Django's own generator does, one time in 50)."""
    env = environ.Env()
    for attempt in range(300):
        path = tmp_path / f"secrets{attempt}.env"
        ensure(path)
        written = {name: value.strip("'") for name, value in read(path).items()}
        with mock.patch.dict(os.environ, clear=True):
            environ.Env.read_env(path)
            assert {name: env.str(name) for name in written} == written


def test_a_sealed_installation_gets_no_key_the_vault_holds_and_sealing_removes_them(tmp_path):
    """Once sealed (`vault_init`), the data keys live wrapped in the database and backups are
    sealed to the vault: none of them is written beside the data again."""
    from tadamun.vault.terminal import remove_keys_from

    path = tmp_path / "secrets.env"
    ensure(path)
    assert sorted(remove_keys_from(path)) == ["BACKUP_KEY", "FIELD_ENCRYPTION_KEYS", "HASH_KEY"]
    ensure(path)
    assert set(read(path)) == {"SECRET_KEY", "VAULT_MODE"}
