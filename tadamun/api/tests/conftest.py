import pytest


@pytest.fixture(autouse=True)
def partners_on_this_machine(settings):
    """The partners' servers of these tests listen on 127.0.0.1 over plain http, which the
    outgoing-request rule (tadamun.core.outgoing) refuses everywhere else."""
    settings.OUTGOING_ALLOW_HTTP = True
    settings.OUTGOING_ALLOW_LOOPBACK = True
