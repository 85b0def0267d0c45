"""An import of officials previews what it would change (new, changed field by field with
the campaigns it reaches, unchanged) and saves only once an admin confirms; past letters keep
the official as they were when sent."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tadamun.coalition.models import Campaign
from tadamun.letters import imports, services
from tadamun.letters.models import LetterCampaign, Target, TargetGroup, TargetImport

HEADER = "reference,name,title,institution,country,email,contact_form,groups,active\n"
# The same references as the `ministers` fixture: fr-interior renamed, de-interior as it is.
FILE = (
    HEADER + "de-interior,Jana Albers,Bundesministerin des Innern,Ministry,DE,"
    "jana@interior-de.example.org,,Interior ministers,yes\n"
    + "fr-interior,Luc Bernard,ministre de l'Intérieur,Ministry,FR,"
    "luc@interieur.example.org,,Interior ministers,yes\n"
    + "es-interior,Javier Ortega,ministro del Interior,Ministerio,ES,"
    "javier@interior-es.example.org,,Interior ministers,yes\n"
)


@pytest.fixture
def second_campaign(ministers):
    """Another campaign, on another cause, writing to the same ministers."""
    other = Campaign.objects.create(slug="libraries", title="Keep libraries open", status="active")
    LetterCampaign.objects.create(
        campaign=other,
        slug="libraries-letter",
        title="Write about libraries",
        subject="Libraries",
        letter="Dear {target_name}, {name}",
        group=ministers,
        status=LetterCampaign.Status.OPEN,
    )
    return other


@pytest.fixture
def upload(admin_client, django_capture_on_commit_callbacks):
    def upload_(text: str):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post(
                "/en/admin/letters/target/import/",
                {"file": SimpleUploadedFile("officials.csv", text.encode(), "text/csv")},
            )
        return admin_client.get(response["Location"])

    return upload_


def confirm(admin_client, page, capture):
    with capture(execute=True):
        response = admin_client.post(page.wsgi_request.path, {"confirm": "1"})
    return admin_client.get(response["Location"])


def test_the_preview_lists_new_changed_and_unchanged_officials_and_saves_nothing(
    platform_campaign, second_campaign
):
    before = list(Target.objects.values_list("reference", "name", "email"))
    checked, problems = imports.check_targets(FILE.encode())
    assert problems == []
    preview = imports.preview(checked)
    assert [entry["reference"] for entry in preview["new"]] == ["es-interior"]
    assert preview["unchanged"] == 1
    [changed] = preview["changed"]
    assert changed["reference"] == "fr-interior" and changed["row"] == 3
    assert changed["changes"] == [
        ["name", "Claire Martin", "Luc Bernard"],
        ["email", "claire@interieur.example.org", "luc@interieur.example.org"],
    ]
    # Both campaigns write to the ministers: the preview names each one the change reaches.
    assert changed["campaigns"] == ["Keep libraries open", "Open the borders"]
    assert list(Target.objects.values_list("reference", "name", "email")) == before


def test_a_group_change_is_shown_and_names_the_campaigns_of_the_old_and_new_group(
    platform_campaign,
):
    TargetGroup.objects.create(name="Culture ministers", slug="culture")
    moved = FILE.replace("Jana Albers,Bundesministerin des Innern,Ministry,DE,"
                         "jana@interior-de.example.org,,Interior ministers",
                         "Jana Albers,Bundesministerin des Innern,Ministry,DE,"
                         "jana@interior-de.example.org,,Culture ministers")  # fmt: skip
    preview = imports.preview(imports.check_targets(moved.encode())[0])
    jana = next(entry for entry in preview["changed"] if entry["reference"] == "de-interior")
    assert jana["changes"] == [["groups", "Interior ministers", "Culture ministers"]]
    assert jana["campaigns"] == ["Open the borders"]  # it loses her


def test_the_admin_sees_the_preview_and_the_import_waits_for_confirmation(
    admin_client, upload, platform_campaign, second_campaign, django_capture_on_commit_callbacks
):
    page = upload(FILE)
    html = page.content.decode()
    assert "1 new official" in html and "1 official changed" in html
    assert "1 official unchanged." in html
    changed_name = "<td><code>name</code></td><td><bdi>Claire Martin</bdi></td>"
    assert changed_name + "<td><bdi>Luc Bernard</bdi></td>" in html
    assert "<bdi>Keep libraries open</bdi>, <bdi>Open the borders</bdi>" in html
    assert 'name="confirm"' in html
    assert Target.objects.get(reference="fr-interior").name == "Claire Martin"
    assert not Target.objects.filter(reference="es-interior").exists()

    done = confirm(admin_client, page, django_capture_on_commit_callbacks).content.decode()
    assert "Imported 3 rows: 1 new officials, 1 updated, 1 unchanged." in done
    assert Target.objects.get(reference="fr-interior").name == "Luc Bernard"
    job = TargetImport.objects.get()
    assert job.confirmed_by.username == "admin" and job.confirmed_at


def test_an_import_is_refused_when_the_officials_changed_after_its_preview(
    admin_client, upload, platform_campaign, django_capture_on_commit_callbacks
):
    page = upload(FILE)
    Target.objects.filter(reference="fr-interior").update(name="Someone else")
    html = confirm(admin_client, page, django_capture_on_commit_callbacks).content.decode()
    assert "The officials have changed since this file was checked." in html
    assert Target.objects.get(reference="fr-interior").name == "Someone else"
    assert not Target.objects.filter(reference="es-interior").exists()


def test_confirming_twice_imports_once(admin_client, upload, platform_campaign):
    upload(FILE)
    job = TargetImport.objects.get()
    assert services.confirm_import(job, None)
    assert not services.confirm_import(job, None)


def test_past_letters_keep_the_official_as_they_were_when_sent(
    admin_client, upload, platform_campaign, django_capture_on_commit_callbacks
):
    request = services.LetterRequest(
        name="Hugo", country="FR", city="Lyon", subject="Safe routes", text="x" * 60,
        email="hugo@example.org",
    )  # fmt: skip
    services.confirm(services.write(platform_campaign, request))
    confirm(admin_client, upload(FILE), django_capture_on_commit_callbacks)
    assert Target.objects.get(reference="fr-interior").name == "Luc Bernard"
    [(official, count)] = services.counts_by_target(platform_campaign)
    assert (official.name, official.role, count) == ("Claire Martin", "ministre de l'Intérieur", 1)
    page = admin_client.get(platform_campaign.get_absolute_url()).content.decode()
    assert "Claire Martin" in page and "Luc Bernard" not in page


def test_a_letter_waiting_to_be_sent_is_named_as_the_official_it_goes_to(platform_campaign):
    from tadamun.letters.delivery import deliver_due

    request = services.LetterRequest(
        name="Hugo", country="FR", city="Lyon", subject="Safe routes", text="x" * 60,
        email="hugo@example.org",
    )  # fmt: skip
    letter = services.write(platform_campaign, request)
    services.confirm(letter)
    Target.objects.filter(reference="fr-interior").update(name="Luc Bernard")
    deliver_due()
    delivery = letter.deliveries.get()
    assert (delivery.status, delivery.target_name) == ("sent", "Luc Bernard")
