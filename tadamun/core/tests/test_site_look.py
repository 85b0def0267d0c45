"""A coalition's own look: colours checked for contrast and applied through a stylesheet of CSS
variables (no inline style), a logo and a hero image re-encoded on the server and served as
WebP with a fallback, at several sizes."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from django.utils.formats import number_format
from PIL import Image

from tadamun.core import colours, images
from tadamun.core.identity import site_identity
from tadamun.core.models import SiteIdentity
from tadamun.staff.roles import COALITION_ADMIN

CHANGE = "/{language}/admin/core/siteidentity/1/change/"
PLUM = "#7a1f5c"


def upload(size, *, fmt="JPEG", mode="RGB", exif=None, name="photo.jpg"):
    buffer = BytesIO()
    image = Image.new(mode, size, (122, 31, 92, 255)[: len(mode)])
    extra = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **extra)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=f"image/{fmt.lower()}")


def gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    exif[0x8825] = {2: (48.0, 51.0, 24.0)}  # GPSInfo: latitude
    return exif


def form(**fields):
    """The identity's admin form as a browser posts it, with no translation rows."""
    return {
        "language": "en",
        "translations-TOTAL_FORMS": "0",
        "translations-INITIAL_FORMS": "0",
        "translations-MIN_NUM_FORMS": "0",
        "translations-MAX_NUM_FORMS": "1000",
        **fields,
    }


@pytest.fixture
def admin_client(make_staff):
    client = Client()
    client.force_login(make_staff(COALITION_ADMIN))
    return client


def test_colours_are_checked_against_wcag_aa():
    colours.validate_colour("#0b6b50")  # the default design's accent
    colours.validate_colour("7A1F5C")  # normalised: the # and the case do not matter
    assert colours.normalise("#ABC") == "#aabbcc"
    assert round(colours.contrast("#ffffff", "#000000"), 2) == 21.0
    assert colours.ink_for("#7a1f5c") == "#ffffff"
    assert colours.ink_for("#ffcc00") == "#1b1f23"
    for refused, code in [
        ("#ffcc00", "contrast_on_paper"),
        ("#777777", "contrast_on_paper"),  # 4.4:1: just short
        ("red", "format"),
        ("#12345", "format"),
    ]:
        with pytest.raises(colours.ValidationError) as refusal:
            colours.validate_colour(refused)
        assert refusal.value.code == code, refused


def test_a_colour_too_light_to_read_is_refused_naming_its_ratio_in_the_admins_language(
    admin_client,
):
    response = admin_client.post(
        CHANGE.format(language="fr"), form(title="Nord", main_colour="#ffcc00")
    )
    assert response.status_code == 200
    with translation.override("fr"):
        ratio = number_format(int(colours.contrast("#ffcc00", colours.PAPER) * 100) / 100, 2)
    page = response.content.decode()
    assert f"un contraste de {ratio}:1" in page
    assert "il faut au moins 4,5:1" in page
    assert SiteIdentity.objects.get().main_colour == ""


def test_a_second_colour_needs_a_main_one(admin_client):
    response = admin_client.post(CHANGE.format(language="en"), form(second_colour=PLUM))
    assert "Give the main colour as well as the second." in response.content.decode()


def test_the_theme_stylesheet_overrides_the_design_variables_and_passes_the_csp(
    admin_client, client
):
    assert 'href="/theme/' not in client.get("/en/").content.decode()  # the default design
    response = admin_client.post(CHANGE.format(language="en"), form(main_colour="#7A1F5C"))
    assert response.status_code == 302
    home = client.get("/en/")
    version = site_identity("en").theme_version
    assert f'<link rel="stylesheet" href="/theme/{version}.css">' in home.content.decode()
    assert " style=" not in home.content.decode()
    assert "style-src 'self'" in home["Content-Security-Policy"]
    theme = client.get(f"/theme/{version}.css")
    assert theme["Content-Type"] == "text/css; charset=utf-8"
    assert "immutable" in theme["Cache-Control"]
    css = theme.content.decode()
    assert "--accent: #7a1f5c;" in css
    assert f"--accent-dark: {colours.darker(PLUM)};" in css
    assert "--accent-ink: #ffffff;" in css
    # An old address gets today's colours, kept briefly.
    stale = client.get("/theme/0123456789ab.css")
    assert "--accent: #7a1f5c;" in stale.content.decode()
    assert "max-age=60" in stale["Cache-Control"]


def test_pictures_are_re_encoded_without_metadata_at_every_size():
    stored = images.store_picture(upload((2400, 1200), exif=gps_exif().tobytes()), images.HERO)
    assert [(f["width"], f["height"]) for f in stored["files"]] == [
        (480, 240),
        (960, 480),
        (1600, 800),
    ]
    for file in stored["files"]:
        for fmt in ("WEBP", "JPEG"):
            with images.default_storage.open(file[fmt]) as data, Image.open(data) as image:
                assert image.format == fmt
                assert not image.getexif()
                assert "exif" not in image.info and "icc_profile" not in image.info
            with images.default_storage.open(file[fmt]) as data:
                assert b"Camera maker" not in data.read()


def test_a_small_picture_is_never_enlarged_and_a_logo_keeps_its_transparency():
    logo = images.store_picture(
        upload((300, 60), fmt="PNG", mode="RGBA", name="logo.png"), images.LOGO
    )
    assert [(f["width"], f["height"]) for f in logo["files"]] == [(240, 48), (300, 60)]
    with images.default_storage.open(logo["files"][0]["PNG"]) as data, Image.open(data) as png:
        assert png.mode == "RGBA"
    small = images.store_picture(upload((400, 300)), images.HERO)
    assert [f["width"] for f in small["files"]] == [400]


def test_an_uploaded_logo_and_hero_are_served_as_webp_with_a_fallback(admin_client, client):
    response = admin_client.post(
        CHANGE.format(language="en"),
        form(
            logo_upload=upload((400, 100), fmt="PNG", mode="RGBA", name="logo.png"),
            hero_upload=upload((2000, 800)),
            hero_alt="People marching",
        ),
    )
    assert response.status_code == 302
    identity = site_identity("en")
    home = client.get("/en/").content.decode()
    logo, hero = identity.logo, identity.hero
    assert logo.webp_srcset.endswith("-384.webp 2x")
    assert (
        f'<source type="image/webp" srcset="{logo.webp_srcset}">'
        f'<img src="{logo.src}" srcset="{logo.fallback_srcset}" width="192" height="48" alt=""'
    ) in home
    assert f'srcset="{hero.webp_srcset}" sizes="(min-width: 72rem) 72rem, 100vw"' in home
    assert 'alt="People marching" class="hero-image" fetchpriority="high"' in home
    assert hero.webp_srcset.count("w,") == 2
    served = client.get(logo.src)
    assert served.status_code == 200
    webp = client.get(logo.webp_srcset.split(" ")[0])
    assert webp.status_code == 200
    assert b"".join(webp.streaming_content)[8:12] == b"WEBP"
    # Removing the logo removes it from the header and its files from the media.
    admin_client.post(
        CHANGE.format(language="en"), form(remove_logo="on", hero_alt="People marching")
    )
    assert "<picture>" in client.get("/en/").content.decode()  # the hero stays
    assert site_identity("en").logo is None


def test_a_file_that_is_not_an_image_is_refused_with_a_clear_error(admin_client):
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = admin_client.post(CHANGE.format(language="en"), form(logo_upload=fake))
    assert response.status_code == 200
    assert "This file is not an image we can read." in response.content.decode()
    assert SiteIdentity.objects.get().logo == {}


def test_nobody_adds_or_deletes_the_one_record(admin_client, make_staff):
    root = Client()
    root.force_login(make_staff(username="root", is_superuser=True))
    assert root.get("/en/admin/core/siteidentity/add/").status_code == 403
    assert root.get("/en/admin/core/siteidentity/1/delete/").status_code == 403
    assert SiteIdentity.objects.count() == 1


def test_replacing_a_picture_deletes_the_old_files_but_not_the_same_image_uploaded_again(
    admin_client, django_capture_on_commit_callbacks
):
    def post_logo(size):
        with django_capture_on_commit_callbacks(execute=True):
            admin_client.post(
                CHANGE.format(language="en"),
                form(logo_upload=upload(size, fmt="PNG", mode="RGBA", name="logo.png")),
            )
        return images.picture_files(SiteIdentity.objects.get().logo)

    first = post_logo((400, 100))
    assert post_logo((400, 100)) == first  # the same pixels: the same files, kept
    assert all(images.default_storage.exists(name) for name in first)
    second = post_logo((300, 100))
    assert not any(images.default_storage.exists(name) for name in first - second)
    assert all(images.default_storage.exists(name) for name in second)
