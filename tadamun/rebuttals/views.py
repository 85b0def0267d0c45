import hashlib

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import condition, require_GET

from tadamun.core.text import validate_plain_text
from tadamun.rebuttals import cards
from tadamun.rebuttals.models import Claim, Tag
from tadamun.rebuttals.queries import library, search
from tadamun.rebuttals.search import MAX_QUERY_LENGTH

CARD_CACHE_SECONDS = 7 * 24 * 3600


class LibraryFilter(forms.Form):
    q = forms.CharField(
        label=_("Search the claims"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        validators=[validate_plain_text],
    )
    verdict = forms.ChoiceField(
        label=_("Verdict"), required=False, choices=[("", _("Any verdict")), *Claim.Verdict.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        language = get_language()
        self.fields["tag"].choices = [("", _("Any tag"))] + [
            (tag.slug, tag.name_in(language)) for tag in Tag.objects.all()
        ]


@require_GET
def index(request):
    form = LibraryFilter(request.GET or None)
    claims = library()
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("verdict"):
        claims = claims.filter(verdict=data["verdict"])
    if data.get("tag"):
        claims = claims.filter(tags__slug=data["tag"])
    found = search(claims, data["q"]) if data.get("q") else list(claims[:200])
    context = {"form": form, "claims": found, "searched": bool(data.get("q"))}
    return render(request, "rebuttals/index.html", context)


@require_GET
def detail(request, slug):
    claim = get_object_or_404(library(), slug=slug)
    context = {
        "claim": claim,
        "sources": claim.sources.all(),
        "tags": [(tag.slug, tag.name_in(get_language())) for tag in claim.tags.all()],
        "card_url": request.build_absolute_uri(f"{claim.get_absolute_url()}card.png"),
        "page_url": request.build_absolute_uri(claim.get_absolute_url()),
    }
    return render(request, "rebuttals/detail.html", context)


def _card_key(request, slug) -> str | None:
    claim = Claim.objects.published().filter(slug=slug).first()
    if claim is None:
        return None
    language = get_language()
    translated = getattr(claim.localized(language).text, "updated_at", claim.updated_at)
    return f"claim-card:{claim.pk}:{language}:{claim.updated_at:%s%f}:{translated:%s%f}"


def _card_etag(request, slug) -> str | None:
    key = _card_key(request, slug)
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else None


@require_GET
@condition(etag_func=_card_etag)
def card(request, slug):
    """The claim's share card in the reader's language, drawn once per version of the text."""
    claim = get_object_or_404(library(), slug=slug)
    key = _card_key(request, slug)
    if (png := cache.get(key)) is None:
        text = claim.localized(get_language())
        png = cards.draw_card(
            claim_text=text.title,
            verdict=claim.verdict,
            verdict_label=str(claim.get_verdict_display()),
            site=settings.SITE_URL.split("://")[-1],
            rtl=get_language_bidi(),
        )
        cache.set(key, png, CARD_CACHE_SECONDS)
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response
