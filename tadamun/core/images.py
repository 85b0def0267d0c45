"""Uploaded images (organisation logos, the site's logo and hero image): checked, then
re-encoded.

Re-encoding drops every byte of the upload except the pixels: camera metadata such as GPS
positions, embedded scripts in polyglot files, oversized colour profiles.
"""

import hashlib
from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

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
    validate_image(upload)


def validate_picture(upload) -> None:
    """An image up to settings.PICTURE_MAX_BYTES (the site's hero image)."""
    if upload.size > settings.PICTURE_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; please upload one of at most %(limit)s.")
            % {
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(settings.PICTURE_MAX_BYTES),
            },
            code="too_large",
        )
    validate_image(upload)


def validate_image(upload) -> None:
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


def pixels(upload) -> Image.Image:
    """The upload's pixels only, upright (a phone's rotation applied), in RGBA."""
    upload.seek(0)
    with Image.open(upload) as image:
        upright = ImageOps.exif_transpose(image).convert("RGBA")
    clean = Image.new("RGBA", upright.size)
    clean.paste(upright)
    return clean


def reencode_logo(upload) -> ContentFile:
    """A PNG of at most 400×400 pixels holding only the upload's pixels."""
    clean = pixels(upload)
    clean.thumbnail(LOGO_SIZE)
    output = BytesIO()
    clean.save(output, format="PNG", optimize=True)
    return ContentFile(output.getvalue(), name="logo.png")


@dataclass(frozen=True)
class Sizes:
    """How a kind of picture is served: scaled to each of `heights` (a logo, drawn at a fixed
    height: 1x and 2x) or `widths` (a photo filling the page), as WebP and as `fallback` for
    browsers without WebP."""

    fallback: str  # "PNG" keeps a logo's transparency; "JPEG" is smaller for photos
    widths: tuple[int, ...] = ()
    heights: tuple[int, ...] = ()


LOGO = Sizes(fallback="PNG", heights=(48, 96))
HERO = Sizes(fallback="JPEG", widths=(480, 960, 1600))
EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp"}


def store_picture(upload, sizes: Sizes) -> dict:
    """Re-encode `upload` at every size (never enlarged) in WebP and the fallback format,
    under media/identity/ with names made from the pixels (so a URL never changes meaning and
    can be cached for good). Returns what `core.identity.Picture` reads."""
    clean = pixels(upload)
    if sizes.fallback == "JPEG":  # an opaque photo: no alpha channel to carry
        opaque = Image.new("RGB", clean.size, (255, 255, 255))
        opaque.paste(clean, mask=clean.getchannel("A"))
        clean = opaque
    digest = hashlib.sha256(clean.tobytes()).hexdigest()[:16]
    scales = sorted(
        {min(1.0, w / clean.width) for w in sizes.widths}
        | {min(1.0, h / clean.height) for h in sizes.heights}
    )
    files = []
    for scale in scales:
        size = (max(1, round(clean.width * scale)), max(1, round(clean.height * scale)))
        scaled = clean.resize(size, Image.Resampling.LANCZOS)
        names = {
            fmt: _save(scaled, fmt, f"identity/{digest}-{size[0]}.{EXTENSIONS[fmt]}")
            for fmt in ("WEBP", sizes.fallback)
        }
        files.append({"width": size[0], "height": size[1], **names})
    return {"files": files}


def picture_files(picture: dict) -> set[str]:
    return {
        file[key]
        for file in picture.get("files", [])
        for key in ("WEBP", "PNG", "JPEG")
        if file.get(key)
    }


def delete_picture(picture: dict, *, keep: dict | None = None) -> None:
    """Delete `picture`'s files but those `keep` names too (the same image uploaded again)."""
    for name in picture_files(picture) - picture_files(keep or {}):
        default_storage.delete(name)


def _save(image: Image.Image, fmt: str, name: str) -> str:
    output = BytesIO()
    if fmt == "JPEG":
        image.save(output, format="JPEG", quality=80, optimize=True, progressive=True)
    elif fmt == "WEBP":
        image.save(output, format="WEBP", quality=78, method=6)
    else:
        image.save(output, format=fmt, optimize=True)
    if default_storage.exists(name):  # the same pixels at the same size: the same bytes
        return name
    return default_storage.save(name, ContentFile(output.getvalue()))
