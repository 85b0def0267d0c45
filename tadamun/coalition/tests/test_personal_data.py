"""An endorsement's contact finds it in "Your data", and erasing their data removes them from
it: the organisation's endorsement stays, without a contact."""

from tadamun.coalition import services as coalition
from tadamun.coalition.models import Endorsement
from tadamun.supporters import services as supporters
from tadamun.supporters.links import MY_DATA


def test_the_contact_sees_their_endorsements_and_erasure_takes_them_off(
    client, make_endorsement, make_staff, mailoutbox, django_capture_on_commit_callbacks
):
    approved = make_endorsement("Amal Network", "FR")
    pending = make_endorsement("Amal Youth", "FR", status="pending")
    unconfirmed = make_endorsement("Amal Relief", "FR", status="unconfirmed")
    others = make_endorsement("Other Aid", "DE")
    Endorsement.objects.filter(pk=others.pk).update(contact_email="someone@else.example")
    # The contact typed their address in another case on another form.
    supporter = supporters.find_or_create_supporter("Contact@Amal.example", name="Rania")

    held = supporters.describe(supporter)["endorsements"]
    assert {item["organisation"] for item in held} == {"Amal Network", "Amal Relief", "Amal Youth"}
    page = client.get(f"/en/my-data/{MY_DATA.token(supporter)}/").content.decode()
    assert "Endorsements you submitted" in page and "Amal Network" in page

    client.post(f"/en/my-data/{MY_DATA.token(supporter)}/erase/", {"confirm": "on"})

    assert not Endorsement.objects.filter(pk=unconfirmed.pk).exists()
    approved.refresh_from_db()
    assert (approved.status, approved.contact_name, approved.contact_email) == ("approved", "", "")
    others.refresh_from_db()
    assert others.contact_email == "someone@else.example"
    # A moderator approves what was waiting: nobody is left to tell, and nothing breaks.
    with django_capture_on_commit_callbacks(execute=True):
        coalition.moderate_endorsements(
            Endorsement.objects.filter(pk=pending.pk), approve=True, by=make_staff()
        )
    assert Endorsement.objects.get(pk=pending.pk).status == "approved" and mailoutbox == []
