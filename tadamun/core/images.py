"""Uploaded images (organisation logos): checked, then re-encoded.

Re-encoding drops every byte of the upload except the pixels: camera metadata such as GPS
positions, embedded scripts in polyglot files, oversized colour profiles.
"""

from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

ACCEPTED_FORMATS = {"PNG", "JPEG", "WEBP", "GIF"}
MAX_PIXELS = 5000 * 5000
LOGO_SIZE = (400, 400)


def validate_logo(upload) -> None:
    if upload.size > settings.LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s; please upload one of at most %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.LOGO_MAX_BYTES),
            },
            code="too_large",
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in ACCEPTED_FORMATS:
                raise ValidationError(
                    _("Please upload a PNG, JPEG, WebP or GIF image."), code="format"
                )
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(
                    _("This image is too large in pixels."), code="too_many_pixels"
                )
            image.load()  # decodes every pixel: a truncated or corrupt file fails here, not later
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        SyntaxError,
        ValueError,
        Image.DecompressionBombError,
    ) as error:
        raise ValidationError(
            _("This file is not an image we can read. Please upload a PNG, JPEG, WebP or GIF."),
            code="not_an_image",
        ) from error
    finally:
        upload.seek(0)


def reencode_logo(upload) -> ContentFile:
    """A PNG of at most 400×400 pixels holding only the upload's pixels."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = image.convert("RGBA")
        image.thumbnail(LOGO_SIZE)
        clean = Image.new("RGBA", image.size)
        clean.paste(image)
    output = BytesIO()
    clean.save(output, format="PNG", optimize=True)
    return ContentFile(output.getvalue(), name="logo.png")
