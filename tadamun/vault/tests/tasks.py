from django_tasks import task

from tadamun import vault


@task()
def needs_keys() -> str:
    """A task that reads personal data (any that decrypts or hashes does the same)."""
    return vault.keys().hash_key[:0] + "done"
