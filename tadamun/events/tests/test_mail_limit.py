"""Proposing events emails the organiser's address: one address (or network) cannot be made
to receive a stream of them (issue 12, Medium 3)."""

PROPOSE = "/en/days/day-of-solidarity/propose/"


def test_proposals_naming_one_organiser_stop_mailing_them(
    client, day, proposal, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        answers = [
            client.post(PROPOSE, proposal(title=f"Attacker's title {n}", organiser_email=address))
            for n, address in enumerate(["victim@example.org", "Victim+1@EXAMPLE.org"] * 6)
        ]
    assert 1 <= len(mailoutbox) <= 5
    assert answers[-1].status_code == 429
    assert b'id="id_organiser_email_error"' in answers[-1].content
    assert "Attacker&#x27;s title 11" in answers[-1].content.decode()  # the input is kept
