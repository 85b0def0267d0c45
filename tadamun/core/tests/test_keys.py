from cryptography.fernet import Fernet

from tadamun.core.keys import ensure


def read(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines())


def test_generated_file_holds_every_secret_and_a_working_fernet_key(tmp_path):
    path = tmp_path / "secrets.env"
    ensure(path)
    values = read(path)
    assert set(values) == {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "HASH_KEY"}
    assert len(values["SECRET_KEY"].strip("'")) >= 50
    key = values["FIELD_ENCRYPTION_KEYS"].strip("'").encode()
    assert Fernet(key).decrypt(Fernet(key).encrypt(b"x")) == b"x"
    assert path.stat().st_mode & 0o077 == 0  # readable by its owner only


def test_existing_secrets_are_kept_and_missing_ones_added(tmp_path):
    path = tmp_path / "secrets.env"
    path.write_text("SECRET_KEY='kept'\n")
    ensure(path)
    ensure(path)
    values = read(path)
    assert values["SECRET_KEY"] == "'kept'"
    assert "HASH_KEY" in values and len(path.read_text().splitlines()) == 3
