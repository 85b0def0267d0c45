"""Importing officials from CSV: all or nothing, with a report by row and column."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import now

from tadamun.letters import imports
from tadamun.letters.models import Target, TargetGroup
from tadamun.staff import roles

HEADER = "reference,name,title,institution,country,email,contact_form,groups,active\n"
GOOD = (
    HEADER + "de-interior,Jana Albers,Bundesministerin des Innern,BMI,DE,jana@bmi.example.org,,"
    "Interior ministers|EU,yes\n"
    + "fr-interior,Claire Martin,ministre de l'Intérieur,Ministère,france,,"
    "https://interieur.example.org/contact,Interior ministers,\n"
)


def run(text: str, encoding="utf-8"):
    return imports.import_targets(text.encode(encoding))


@pytest.mark.django_db
def test_a_good_file_creates_officials_and_their_groups():
    report = run(GOOD)
    assert (report.created, report.updated, report.unchanged, report.problems) == (2, 0, 0, [])
    jana = Target.objects.get(reference="de-interior")
    assert jana.role == "Bundesministerin des Innern" and jana.country == "DE"
    assert sorted(g.name for g in jana.groups.all()) == ["EU", "Interior ministers"]
    claire = Target.objects.get(reference="fr-interior")
    assert claire.country == "FR"  # an English country name is read too
    assert TargetGroup.objects.get(name="Interior ministers").targets.count() == 2


@pytest.mark.django_db
def test_importing_again_updates_by_reference_and_leaves_the_others_alone():
    run(GOOD)
    Target.objects.create(
        reference="it-interior", name="Giulia", role="ministra", institution="Interno",
        country="IT", email="giulia@interno.example.org",
    )  # fmt: skip
    changed = GOOD.replace("Jana Albers", "Jana Albers-Kurz")
    report = run(changed)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Target.objects.get(reference="de-interior").name == "Jana Albers-Kurz"
    assert Target.objects.filter(reference="it-interior").exists()


@pytest.mark.django_db
def test_semicolons_a_byte_order_mark_and_blank_lines_are_read():
    text = "\ufeff" + GOOD.replace(",", ";").replace("\n", "\n\n", 1)
    text = text.replace("Interior ministers|EU", "EU")
    report = run(text)
    assert report.created == 2 and not report.problems


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("x-1,,Minister,Ministry,DE,a@example.org,,,", "name", "This field is required."),
        ("x-1,Name,Minister,Ministry,XX,a@example.org,,,", "country", "is not one of the"),
        ("x-1,Name,Minister,Ministry,DE,not-an-email,,,", "email", "valid email address"),
        ("x-1,Name,Minister,Ministry,DE,,javascript:alert(1),,", "contact_form", "valid URL"),
        ("x-1,Name,Minister,Ministry,DE,,,,", "", "contact email, their contact form"),
        ("has space,Name,Minister,Ministry,DE,a@example.org,,,", "reference", "valid “slug”"),
        ("x-1,=HYPERLINK(1),Minister,Ministry,DE,a@example.org,,,", "name", "formula"),
        ("x-1,Name\u202e,Minister,Ministry,DE,a@example.org,,,", "name", "text-direction"),
        ("x-1,Name,Minister,Ministry,DE,a@example.org,,,maybe", "active", "Write yes or no."),
        ("x-1,Name,Minister,Ministry,DE,a@example.org,," + "G" * 121 + ",", "groups", "120"),
    ],
)
def test_a_bad_row_is_reported_by_row_and_column_and_nothing_is_imported(row, column, message):
    report = run(GOOD + row + "\n")
    (problem,) = report.problems
    assert (problem.row, problem.column) == (4, column)
    assert message in problem.message
    assert not Target.objects.exists() and not TargetGroup.objects.exists()


@pytest.mark.django_db
def test_a_reference_twice_in_the_file_is_a_problem():
    report = run(GOOD + GOOD.splitlines()[1] + "\n")
    assert [(p.row, p.column) for p in report.problems] == [(4, "reference")]
    assert "already in row 2" in report.problems[0].message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"name,title\nA,B\n", "The column “reference” is missing."),
        ((HEADER.strip() + ",twitter\n").encode(), "Unknown column “twitter”."),
        (GOOD.encode("latin-1"), "save it as “CSV UTF-8”"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8"),
        (b"PK\x03\x04\x00\x00", "This is not a CSV file."),
        ((HEADER + "a,b,c,d,DE,e@example.org,,,\n" * 5001).encode(), "at most 5000"),
        (b"x" * (2 * 1024 * 1024 + 1), "larger than 2 MB"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_a_reason(data, message):
    with pytest.raises(imports.ImportRefused) as refused:
        imports.import_targets(data)
    assert message in str(refused.value)
    assert not Target.objects.exists()


@pytest.fixture
def admin_client(client, make_staff):
    client.force_login(make_staff(roles.COALITION_ADMIN))
    return client


@pytest.fixture
def upload(django_capture_on_commit_callbacks):
    """Upload a file to the admin's import, run the import it queues, follow to its page."""

    def upload_(client, text: str | bytes):
        data = text.encode() if isinstance(text, str) else text
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                "/en/admin/letters/target/import/",
                {"file": SimpleUploadedFile("officials.csv", data, content_type="text/csv")},
            )
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return upload_


def test_the_admin_imports_a_good_file_and_says_what_changed(
    admin_client, upload, django_capture_on_commit_callbacks
):
    page = admin_client.get("/en/admin/letters/target/")
    assert 'href="/en/admin/letters/target/import/"' in page.content.decode()
    preview = upload(admin_client, GOOD)
    assert "2 new officials" in preview.content.decode()
    assert not Target.objects.exists()  # nothing saved before the admin confirms
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(preview.wsgi_request.path, {"confirm": "1"})
    html = admin_client.get(response["Location"]).content.decode()
    assert "Imported 2 rows: 2 new officials, 0 updated, 0 unchanged." in html
    assert 'http-equiv="refresh"' not in html  # finished: the page stops following
    assert Target.objects.count() == 2


def test_the_admin_shows_the_report_and_imports_nothing(admin_client, upload):
    response = upload(admin_client, GOOD + "x-1,,Minister,Ministry,XX,a@example.org,,,\n")
    html = response.content.decode()
    assert "Nothing was imported: 2 problems to fix." in html
    assert "<td>4</td><td><code>name</code></td><td>This field is required.</td>" in html
    assert not Target.objects.exists()


def test_the_admin_says_why_a_file_cannot_be_read_and_offers_the_form_again(admin_client, upload):
    html = upload(admin_client, b"\xff\xfe\x00b\x00a\x00d").content.decode()
    assert "not UTF-8" in html
    assert 'type="file"' in html


def test_the_progress_page_follows_an_import_while_it_runs(admin_client):
    from tadamun.letters.models import TargetImport

    running = TargetImport.objects.create(
        filename="officials.csv", data=b"", status="checking", rows=400, checked=150
    )
    html = admin_client.get(f"/en/admin/letters/target/import/{running.pk}/").content.decode()
    assert '<progress max="400" value="150"' in html
    assert "150 of 400 rows checked." in html
    assert '<meta http-equiv="refresh" content="2">' in html


def test_an_import_runs_once_however_many_workers_get_it(db):
    from tadamun.letters.models import TargetImport

    previewed = imports.preview(imports.check_targets(GOOD.encode())[0])
    target_import = TargetImport.objects.create(  # confirmed, waiting for a worker
        filename="officials.csv",
        data=GOOD.encode(),
        report={"preview": previewed},
        confirmed_at=now(),
    )
    imports.run(target_import)
    Target.objects.all().delete()
    imports.run(target_import)  # a second worker, or the queue retrying
    assert not Target.objects.exists()
    target_import.refresh_from_db()
    assert (target_import.status, target_import.rows, target_import.checked) == ("done", 2, 2)


def test_only_roles_that_may_add_officials_can_import(client, make_staff, upload):
    client.force_login(make_staff(roles.TRANSLATOR))
    assert client.get("/en/admin/letters/target/import/").status_code == 403
    client.force_login(make_staff(roles.MODERATOR, username="mod"))
    assert upload(client, GOOD).status_code == 403
    assert not Target.objects.exists()


def test_translators_translate_letter_campaigns(client, make_staff, platform_campaign):
    client.force_login(make_staff(roles.TRANSLATOR))
    assert client.get("/en/admin/letters/lettercampaigntranslation/add/").status_code == 200
    assert client.get("/en/admin/letters/lettercampaign/add/").status_code == 403
    page = client.get(f"/en/admin/letters/lettercampaign/{platform_campaign.pk}/change/")
    assert page.status_code == 200  # they read the source they translate
