"""A populated site backed up, changed, then restored: every table as it was."""

from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management import CommandError, call_command


def every_table() -> dict:
    """Every row of every model's table, as plain values, in key order."""
    return {
        model._meta.db_table: sorted(
            tuple(sorted((key, repr(value)) for key, value in row.items()))
            for row in model.objects.values()
        )
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


@pytest.fixture
def backup_key(settings):
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    return settings.BACKUP_KEY


@pytest.mark.django_db(transaction=True)
def test_a_populated_site_comes_back_whole(backup_key, tmp_path, settings):
    from tadamun.demo.loader import load
    from tadamun.petitions.models import Petition, Signature

    load(signers=0.05)
    (tmp_path / "media").mkdir()
    settings.MEDIA_ROOT = str(tmp_path / "media")
    (tmp_path / "media" / "logo.png").write_bytes(b"\x89PNG not really")
    before = every_table()
    output = tmp_path / "site.backup"
    call_command("backup", output=output, stdout=StringIO())
    assert output.read_bytes().startswith(b"TADAMUN-BACKUP-1\n")
    assert b"Idlib" not in output.read_bytes()  # encrypted

    Signature.objects.all().delete()
    Petition.objects.update(title="Defaced")
    (tmp_path / "media" / "logo.png").unlink()
    call_command("restore", str(output), yes=True, stdout=StringIO())
    assert every_table() == before
    assert (tmp_path / "media" / "logo.png").read_bytes() == b"\x89PNG not really"


@pytest.mark.django_db(transaction=True)
def test_a_backup_needs_its_own_key_and_a_confirmation(backup_key, tmp_path, settings):
    output = tmp_path / "site.backup"
    call_command("backup", output=output, stdout=StringIO())
    with pytest.raises(CommandError, match="add --yes"):
        call_command("restore", str(output))
    settings.BACKUP_KEY = Fernet.generate_key().decode()
    with pytest.raises(CommandError, match="cannot be decrypted"):
        call_command("restore", str(output), yes=True)
    (tmp_path / "other").write_bytes(b"hello")
    with pytest.raises(CommandError, match="not a Tadamun backup"):
        call_command("restore", str(tmp_path / "other"), yes=True)
