"""`python -m tadamun.core.keys`: print a new SECRET_KEY and field-encryption key as an env file.

Runs without Django settings, since it makes the values the settings need.
"""

from cryptography.fernet import Fernet
from django.core.management.utils import get_random_secret_key


def env_file() -> str:
    return (
        f"SECRET_KEY='{get_random_secret_key()}'\n"
        f"FIELD_ENCRYPTION_KEYS='{Fernet.generate_key().decode()}'\n"
    )


if __name__ == "__main__":
    print(env_file(), end="")
