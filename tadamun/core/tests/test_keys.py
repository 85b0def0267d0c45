from cryptography.fernet import Fernet

from tadamun.core.keys import env_file


def test_generated_env_file_holds_a_secret_key_and_a_working_fernet_key():
    lines = dict(line.split("=", 1) for line in env_file().splitlines())
    assert len(lines["SECRET_KEY"].strip("'")) >= 50
    key = lines["FIELD_ENCRYPTION_KEYS"].strip("'")
    assert Fernet(key.encode()).decrypt(Fernet(key.encode()).encrypt(b"x")) == b"x"
    assert env_file() != env_file()
