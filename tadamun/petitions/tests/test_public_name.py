"""What a signer lets the petition page show of them."""

import pytest

from tadamun.petitions.services import shown_first_name


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Aya Darwish", "Aya"),
        ("رنا الحلبي", "رنا"),
        ("Jean-Luc Picard", "Jean-Luc"),
        ("O'Brien", "O'Brien"),
        ("visit-scam.example now", ""),
        ("www.scam.example", ""),
        ("Aya2", ""),
        ("https://x.example", ""),
        ("A" * 31, ""),
    ],
)
def test_only_a_first_name_that_reads_as_a_name_is_shown_among_recent_signers(typed, shown):
    """The recent signers' list is public without a moderator (review finding)."""
    assert shown_first_name(typed) == shown
