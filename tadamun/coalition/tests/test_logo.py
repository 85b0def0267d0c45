from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tadamun.coalition import services
from tadamun.coalition.models import Endorsement, Organisation

ENDORSE = "/en/campaigns/open-borders/endorse/"


def confirmed_organisation() -> Organisation:
    """The organisation of the one submission, once its contact confirmed (not before)."""
    return services.confirm(Endorsement.objects.get()).organisation


def image_file(fmt="PNG", size=(800, 600), name="logo.png", exif=None):
    buffer = BytesIO()
    image = Image.new("RGB", size, (11, 107, 80))
    if exif:
        image.save(buffer, format=fmt, exif=exif)
    else:
        image.save(buffer, format=fmt)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def form_data(**extra):
    return {
        "organisation_name": "Logo Org",
        "country": "FR",
        "kind": "ngo",
        "contact_name": "Sami",
        "contact_email": "sami@example.org",
        "authorised": "on",
        **extra,
    }


def test_logo_is_re_encoded_small_and_without_metadata(client, campaign):
    exif = Image.Exif()
    exif[0x010F] = "Camera maker with GPS"
    response = client.post(ENDORSE, form_data(logo=image_file("JPEG", (1600, 1200), "a.jpg", exif)))
    assert response.status_code == 302
    organisation = confirmed_organisation()
    with Image.open(organisation.logo.path) as stored:
        assert stored.format == "PNG"
        assert max(stored.size) <= 400
        assert not stored.getexif()
    assert b"Camera maker" not in organisation.logo.read()


def test_a_file_that_is_not_an_image_is_refused(client, campaign):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post(ENDORSE, form_data(logo=fake))
    assert response.status_code == 200
    assert b'id="id_logo_error"' in response.content
    assert Organisation.objects.count() == 0


def test_a_logo_over_the_size_limit_is_refused(client, campaign, settings):
    settings.LOGO_MAX_BYTES = 100
    response = client.post(ENDORSE, form_data(logo=image_file(size=(300, 300))))
    assert b'id="id_logo_error"' in response.content
    assert Organisation.objects.count() == 0


def test_unaccepted_image_formats_are_refused(client, campaign):
    response = client.post(ENDORSE, form_data(logo=image_file("BMP", name="logo.bmp")))
    assert b'id="id_logo_error"' in response.content


def test_logos_are_served_from_this_host(client, campaign):
    client.post(ENDORSE, form_data(logo=image_file()))
    organisation = confirmed_organisation()
    response = client.get(organisation.logo.url)
    assert response.status_code == 200
    assert organisation.logo.url.startswith("/media/logos/")
