from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.text import Truncator
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tadamun.core import cards
from tadamun.core.text import validate_plain_text
from tadamun.rebuttals.models import Claim, Tag
from tadamun.rebuttals.queries import library, search
from tadamun.rebuttals.search import MAX_QUERY_LENGTH


def the_fact(verdict: str, summary: str) -> str:
    """The answer without a verdict it may repeat: a summary written "False. The UN…" under
    the verdict "False" read "False: False. The UN…"."""
    words = summary.lstrip()
    if words.casefold().startswith(verdict.casefold()):
        rest = words[len(verdict) :]
        if not rest or not rest[0].isalnum():
            return rest.lstrip(" .:،,–—-")
    return summary


def verdict_first(claim) -> dict:
    """The link preview's title and description: the verdict and the fact before the claim."""
    text = claim.localized(get_language())
    verdict = str(claim.get_verdict_display())
    fact = the_fact(verdict, text.summary)
    return {
        "title": f"{verdict}: {text.title}",
        "description": f"{verdict}. {fact}" if fact else verdict,
    }


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
        "preview": verdict_first(claim),
    }
    return render(request, "rebuttals/detail.html", context)


VERDICT_COLOURS = {
    "false": "#b3261e",
    "misleading": "#b85c00",
    "context": "#7a5c00",
    "unproven": "#5a5a5a",
    "true": "#1b6b45",
}


@require_GET
def card(request, slug):
    """The claim's share card in the reader's language: the verdict, then the fact (the
    answer), and the claim only last and small; drawn once per version of the text."""
    claim = get_object_or_404(library(), slug=slug)
    language = get_language()
    text = claim.localized(language)
    verdict = str(claim.get_verdict_display())
    claim_line = _("The claim: “%(claim)s”") % {"claim": Truncator(text.title).chars(70)}

    return cards.card_response(
        request,
        label=verdict,
        headline=the_fact(verdict, text.summary) or text.title,
        facts=[claim_line] if text.summary else [],
        site=cards.site_name(),
        rtl=get_language_bidi(),
        colour=VERDICT_COLOURS.get(claim.verdict, "#5a5a5a"),
    )
