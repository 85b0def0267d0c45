from csp.decorators import csp_replace
from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_bidi, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from tadamun.core import cards, limits
from tadamun.core.confirmation import confirm_view
from tadamun.core.countries import country_name
from tadamun.core.privacy import ip_hash
from tadamun.petitions import charts, queries, rows, services, submissions
from tadamun.petitions.forms import SignForm, partner_code
from tadamun.petitions.links import CONFIRM_SIGNATURE
from tadamun.petitions.models import Petition
from tadamun.publications.queries import statement_for
from tadamun.supporters.consents import CURRENT, wording


def _public_or_404(slug: str, *, questions: bool = False) -> Petition:
    if (petition := queries.public_petition(slug, get_language(), questions=questions)) is None:
        raise Http404
    return petition


def petition_list(request):
    petitions = queries.public_petitions().for_reader()
    return render(request, "petitions/list.html", {"petitions": petitions})


def _petition_page(
    request, petition: Petition, form: SignForm, *, challenge=None, status=200, shared=False
):
    countries, country_total = queries.top_countries(petition)
    recent = queries.recent_public_signers(petition)
    context = {
        # A page served to everyone from the cache must show nothing of one visitor's session.
        "shared_page": shared,
        "petition": petition,
        "form": form,
        "challenge": challenge,
        "countries": countries,
        "country_chart": charts.country_bars(
            [(country_name(country.code), count) for country, count in countries],
            rtl=get_language_bidi(),
        ),
        "country_total": country_total,
        "timeline": charts.timeline(
            queries.timeline(petition), end=timezone.now().date(), rtl=get_language_bidi()
        ),
        "recent": recent,
        # The lists' rows written in Python (petitions/rows.py): the same markup.
        "country_rows": rows.country_rows(countries),
        "recent_signers": rows.recent_signers(recent),
    }
    return render(request, "petitions/detail.html", context, status=status)


@require_GET
def detail(request, slug):
    """The petition page, kept rendered in the cache for a few seconds.

    It holds no CSRF token and reads no session, so one rendering serves every reader of a
    language (and partner link): under a rush of readers the page costs a cache read, and
    the counts it shows are at most PETITION_PAGE_CACHE_SECONDS old.
    """
    # Only a real partner's code makes a page of its own: made-up codes share the plain one.
    source = queries.known_partner_code(partner_code(request.GET.get("source", "")))
    key = queries.page_cache_key(get_language(), slug, source)
    if (html := cache.get(key)) is not None:
        return HttpResponse(html)
    language = get_language()
    petition = _public_or_404(slug, questions=True)
    form = SignForm(
        initial={"source": source},
        partner=services.partner_for(source),
        owner=petition.organisation,
        questions=petition.questions.all(),
        language=language,
    )
    response = _petition_page(request, petition, form, shared=True)
    cache.set(key, response.content, settings.PETITION_PAGE_CACHE_SECONDS)
    return response


# Signing needs no CSRF token: it acts for no logged-in session (a forged submission can do
# nothing its sender could not do directly, and counts only once the email is confirmed), and
# a form without a token lets the page be cached and served to everyone.
@csrf_exempt
@require_POST
def sign(request, slug):
    if (petition := queries.petition_to_sign(slug, get_language())) is None:
        raise Http404
    partner = services.partner_for(partner_code(request.POST.get("source", "")))
    form = SignForm(
        request.POST,
        partner=partner,
        owner=petition.organisation,
        questions=petition.questions.all(),
        language=get_language(),
    )
    if not petition.is_open():
        form.is_valid()
        form.add_error(None, _("This petition is closed: it no longer takes signatures."))
        return _petition_page(request, petition, form, status=409)
    if not form.is_valid():
        return _petition_page(request, petition, form)
    if form.is_bot():
        return redirect("petitions:thanks", slug=petition.slug)

    if held := limits.hold_back(request, form, "sign"):
        return _petition_page(request, petition, form, challenge=held.challenge, status=held.status)

    data = form.cleaned_data
    submissions.accept(
        petition,
        services.SignatureRequest(
            name=data["name"],
            email=data["email"],
            country=data["country"],
            comment=data["comment"],
            show_name=data["show_name"],
            wants_updates=data["wants_updates"],
            shares_with_partner=data.get("shares_with_partner", False),
            source=data["source"],
            # Without a partner's link, an organisation's petition brought the signer to it.
            partner_id=None if partner else petition.organisation_id,
            language=get_language(),
            ip_hash=ip_hash(request),
            answers=form.answers(),
        ),
    )
    return redirect("petitions:thanks", slug=petition.slug)


def thanks(request, slug):
    petition = _public_or_404(slug)
    others = (
        queries.public_petitions()
        .for_reader()
        .filter(status=Petition.Status.OPEN)
        .exclude(pk=petition.pk)
    )
    return render(
        request,
        "petitions/thanks.html",
        {
            "petition": petition,
            "other_petitions": others[:3],
            "statement": statement_for(petition.campaign),
        },
    )


def _confirm_page(signature) -> dict:
    partner = signature.partner if signature.shares_with_partner else None
    return {
        "signature": signature,
        "updates_wording": wording(CURRENT["updates"]),
        "partner_wording": wording(services.sharing_wording(signature), partner) if partner else "",
    }


confirm = confirm_view(
    CONFIRM_SIGNATURE,
    template="petitions/confirm.html",
    context=_confirm_page,
    act=services.confirm,
    done_url=lambda signature: reverse("petitions:confirmed", args=[signature.petition.slug]),
)


def confirmed(request, slug):
    petition = _public_or_404(slug)
    return render(request, "petitions/confirmed.html", {"petition": petition})


@require_GET
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})
def embed(request, slug):
    """The one page partner websites may frame: count, progress and a link to sign."""
    petition = _public_or_404(slug)
    source = queries.known_partner_code(partner_code(request.GET.get("source", "")))
    response = render(request, "petitions/embed.html", {"petition": petition, "source": source})
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def signatures_json(request, slug):
    """The data behind the charts: confirmed signatures by day and by country."""
    petition = _public_or_404(slug)
    response = JsonResponse(
        {
            "petition": petition.slug,
            "confirmed": petition.confirmed_count,
            "goal": petition.goal,
            "by_day": [
                {"day": day.isoformat(), "confirmed": count}
                for day, count in queries.daily(petition, days=None).items()
            ],
            "by_country": [
                {"country": country.code, "confirmed": count}
                for country, count in queries.by_country(petition, limit=None)
            ],
        }
    )
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def card(request, slug):
    """The petition's link-preview picture: its title and live count, redrawn when either
    changes (the count read from its counter, one query)."""
    petition = _public_or_404(slug)
    language = get_language()
    count = petition.confirmed_count
    signatures = ngettext("%(count)s signature", "%(count)s signatures", count) % {
        "count": number_format(count, force_grouping=True)
    }

    return cards.card_response(
        request,
        max_age=300,
        label=_("Petition"),
        headline=petition.localized(language).title,
        facts=[signatures],
        site=cards.site_name(),
        rtl=get_language_bidi(),
    )
