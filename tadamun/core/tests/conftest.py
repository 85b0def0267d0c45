import pytest

from tadamun.demo.loader import load


@pytest.fixture
def demo(db):
    """The demo site: a campaign, its publications in several languages, organisations."""
    load(signers=0.1)
