"""The site's identity as pages, emails, letters and the API read it: the one `SiteIdentity`
record in the reader's language, with neutral defaults for what a coalition left blank.

Read once per language and kept in the cache (a page asks for it on every request); saving
the record or a translation forgets the cached copies. The copies also expire after a minute:
with the default in-process cache, each app server process keeps its own, and only the one
that saved forgets at once.
"""

import hashlib
from dataclasses import dataclass, field
from email.headerregistry import Address
from email.utils import parseaddr

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import DatabaseError
from django.utils import translation
from django.utils.translation import gettext as _

from tadamun.core import colours

CACHE_KEY = "site-identity:{language}"
CACHE_SECONDS = 60


def neutral_defaults() -> dict[str, str]:
    """What a site shows before its coalition says anything, in the active language."""
    return {
        "name": _("Tadamun"),
        # %(name)s: the site's name, default or the coalition's.
        "description": _("%(name)s: an international solidarity campaign platform."),
        # The writer's name as the {name} placeholder a coalition's own footer uses too.
        "letter_footer": _(
            "Written by %(name)s and sent through the campaign site of a coalition of "
            "organisations. Replies go to the writer."
        )
        % {"name": "{name}"},
        "letters_intro": _(
            "Write to the officials who decide: start from a letter the coalition prepared "
            "and make it yours."
        ),
        "rebuttals_intro": _(
            "Claims that circulate about the campaign's cause, checked against the sources. "
            "We answer claims; we keep no files on the people who make them."
        ),
        "aid_intro": _(
            "Humanitarian organisations checked by members of the coalition. We handle no "
            "money: you give on each organisation's own site."
        ),
        "api_message": _("%(name)s: a coalition's campaign platform."),
    }


@dataclass(frozen=True)
class Picture:
    """An image re-encoded at several sizes (see core.images.store_picture), as `<picture>`
    needs it: a WebP `srcset` and a fallback `src`/`srcset`."""

    files: tuple[dict, ...]
    by_height: bool  # a logo: 1x/2x descriptors; a photo: width descriptors and `sizes`

    def _srcset(self, fmt: str) -> str:
        if self.by_height:
            base = self.files[0]["height"]
            return ", ".join(
                f"{default_storage.url(f[fmt])} {f['height'] / base:g}x"
                for f in self.files
                if fmt in f
            )
        return ", ".join(f"{default_storage.url(f[fmt])} {f['width']}w" for f in self.files)

    @property
    def webp_srcset(self) -> str:
        return self._srcset("WEBP")

    @property
    def fallback_format(self) -> str:
        return next(key for key in ("PNG", "JPEG") if key in self.files[0])

    @property
    def fallback_srcset(self) -> str:
        return self._srcset(self.fallback_format)

    @property
    def src(self) -> str:
        return default_storage.url(self.files[0][self.fallback_format])

    @property
    def width(self) -> int:
        return self.files[0]["width"]

    @property
    def height(self) -> int:
        return self.files[0]["height"]

    @classmethod
    def of(cls, stored: dict, *, by_height: bool) -> "Picture | None":
        files = stored.get("files") if stored else None
        return cls(tuple(files), by_height) if files else None


@dataclass(frozen=True)
class Identity:
    """The site's identity for a reader of one language."""

    name: str
    description: str
    sender_name: str
    sender_address: str
    sign_off: str
    letter_footer: str  # with a {name} placeholder for the writer
    letters_intro: str
    rebuttals_intro: str
    aid_intro: str
    api_message: str
    theme: dict[str, str] = field(default_factory=dict)  # CSS variable -> colour
    logo: Picture | None = None
    hero: Picture | None = None
    hero_alt: str = ""

    @property
    def from_email(self) -> str:
        """The From: of every email the site sends, as Django's mail takes it (the name
        quoted if it must be, encoded when the message is built)."""
        return str(Address(display_name=self.sender_name, addr_spec=self.sender_address))

    @property
    def theme_version(self) -> str:
        """Part of the stylesheet's URL: a new look is a new URL, so browsers may keep the
        stylesheet for good. Empty when the default design applies (no stylesheet linked)."""
        if not self.theme:
            return ""
        return hashlib.sha256(theme_css(self.theme).encode()).hexdigest()[:12]


def site_identity(language: str | None = None) -> Identity:
    """The identity in `language` (the active language by default), from the cache."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    key = CACHE_KEY.format(language=language)
    identity = cache.get(key)
    if identity is None:
        from tadamun.core.models import SiteIdentity

        with translation.override(language):
            try:
                record = SiteIdentity.objects.filter(pk=1).for_reader(language).first()
            except DatabaseError:
                # The database is down: the page saying so (core.unavailable) still names
                # the site, neutrally; nothing is kept, so the real identity is back after.
                return _identity(None, language)
            identity = _identity(record, language)
        cache.set(key, identity, CACHE_SECONDS)
    return identity


def forget_site_identity() -> None:
    cache.delete_many([CACHE_KEY.format(language=code) for code, _name in settings.LANGUAGES])


def _identity(record, language: str) -> Identity:
    defaults = neutral_defaults()
    texts = _texts(record, language)
    name = texts["title"] or defaults["name"]
    _name, default_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return Identity(
        name=name,
        description=texts["summary"] or defaults["description"] % {"name": name},
        sender_name=texts["sender_name"] or name,
        sender_address=(record and record.sender_address) or default_address,
        sign_off=texts["sign_off"] or name,
        letter_footer=texts["letter_footer"] or defaults["letter_footer"],
        letters_intro=texts["letters_intro"] or defaults["letters_intro"],
        rebuttals_intro=texts["rebuttals_intro"] or defaults["rebuttals_intro"],
        aid_intro=texts["aid_intro"] or defaults["aid_intro"],
        api_message=texts["api_message"] or defaults["api_message"] % {"name": name},
        theme=theme_variables(record.main_colour, record.second_colour) if record else {},
        logo=Picture.of(record.logo, by_height=True) if record else None,
        hero=Picture.of(record.hero, by_height=False) if record else None,
        hero_alt=texts["hero_alt"],
    )


def _texts(record, language: str) -> dict[str, str]:
    """Each text in the reader's translation, else in the source, else blank (the default)."""
    from tadamun.core.models import SiteTexts

    names = SiteTexts.text_fields
    if record is None:
        return dict.fromkeys(names, "")
    translated = next((t for t in record.translations.all() if t.language == language), None)
    return {
        name: (translated and getattr(translated, name)) or getattr(record, name) for name in names
    }


def theme_variables(main: str, second: str) -> dict[str, str]:
    """The CSS variables of static/css/site.css a coalition's colours override."""
    if not main:
        return {}
    dark = second or colours.darker(main)
    return {
        "--accent": main,
        "--accent-dark": dark,
        "--accent-ink": colours.ink_for(main, dark),
    }


def theme_css(variables: dict[str, str]) -> str:
    lines = "".join(f"  {name}: {value};\n" for name, value in variables.items())
    return f":root {{\n{lines}}}\n"
