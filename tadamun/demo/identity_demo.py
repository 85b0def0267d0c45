"""The demo's identity: its name and texts in every language, in the one SiteIdentity record."""

from tadamun.core.models import SiteIdentity, SiteIdentityTranslation
from tadamun.demo.content import read, translations


def _texts(text: dict[str, str]) -> dict[str, str]:
    return {name: value for name, value in text.items() if name != "body"}


def load(*, other_languages: list[str]) -> SiteIdentity:
    """The record as the demo's coalition fills it in (once: an admin's later edits stay)."""
    identity, _created = SiteIdentity.objects.get_or_create(pk=1)
    if identity.title:
        return identity
    for name, value in _texts(read("identity", "en")).items():
        setattr(identity, name, value)
    identity.language = "en"
    identity.save()
    for language, text in translations("identity", other_languages).items():
        SiteIdentityTranslation.objects.update_or_create(
            identity=identity, language=language, defaults=_texts(text)
        )
    return identity
