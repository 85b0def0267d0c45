from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_countries.fields import Country

from tadamun.coalition import services
from tadamun.coalition.forms import EndorsementForm, EndorsementSearchForm
from tadamun.coalition.links import CONFIRM_ENDORSEMENT
from tadamun.coalition.models import Campaign, Endorsement
from tadamun.coalition.queries import coalition_size, public_campaigns
from tadamun.core import cards, intake, limits
from tadamun.core.confirmation import confirm_view
from tadamun.core.identity import site_identity

ENDORSEMENTS_PER_PAGE = 300


@require_http_methods(["GET", "POST"])
def endorse(request, slug):
    campaign = get_object_or_404(public_campaigns(), slug=slug)
    if not campaign.is_running():
        raise Http404
    form = EndorsementForm(request.POST or None, request.FILES or None)
    context = {"campaign": campaign, "form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "coalition/endorse.html", context)
    if held := limits.hold_back(request, form, "endorse", email_field="contact_email"):
        context["challenge"] = held.challenge
        return render(request, "coalition/endorse.html", context, status=held.status)
    # The same answer whether or not the organisation already endorses: the email tells.
    intake.submit(
        services.submit_endorsement,
        campaign,
        form.organisation_details(),
        contact_name=form.cleaned_data["contact_name"],
        contact_email=form.cleaned_data["contact_email"],
        public_message=form.cleaned_data["public_message"],
        language=get_language(),
    )
    return redirect("coalition:endorse_thanks", slug=campaign.slug)


def endorse_thanks(request, slug):
    campaign = get_object_or_404(public_campaigns(), slug=slug)
    return render(request, "coalition/endorse_thanks.html", {"campaign": campaign})


confirm = confirm_view(
    CONFIRM_ENDORSEMENT,
    template="coalition/confirm.html",
    context=lambda endorsement: {"endorsement": endorsement},
    act=services.confirm,
    done_template="coalition/confirmed.html",
)


def endorsements(request, slug):
    campaign = get_object_or_404(public_campaigns(), slug=slug)
    # Contacts are never shown here, so they are never read (nor decrypted) either.
    approved = (
        Endorsement.objects.approved()
        .filter(campaign=campaign)
        .defer("contact_name", "contact_email")
    )
    form = EndorsementSearchForm(request.GET or None)
    found = approved.select_related("organisation")
    if form.is_valid():
        if query := form.cleaned_data["q"].strip():
            found = found.filter(organisation__name__icontains=query)
        if country := form.cleaned_data["country"]:
            found = found.filter(organisation__country=country)
    page = Paginator(
        found.order_by("organisation__country", "organisation__name"), ENDORSEMENTS_PER_PAGE
    ).get_page(request.GET.get("page"))
    by_country = [
        (country, list(items))
        for country, items in groupby(page.object_list, key=lambda e: e.organisation.country)
    ]
    by_country.sort(key=lambda group: group[0].name)
    country_counts = sorted(
        (
            (Country(row["organisation__country"]), row["n"])
            for row in approved.values("organisation__country").annotate(n=Count("pk"))
        ),
        key=lambda item: item[1],
        reverse=True,
    )
    return render(
        request,
        "coalition/endorsements.html",
        {
            "campaign": campaign,
            "form": form,
            "page": page,
            "by_country": by_country,
            "size": coalition_size(campaign),
            "found_count": page.paginator.count,
            "country_counts": country_counts,
            "query": _without_page(request.GET),
        },
    )


def _without_page(query_dict) -> str:
    query = query_dict.copy()
    query.pop("page", None)
    return query.urlencode()


def _campaign_card(request, campaign: Campaign | None):
    language = get_language()
    if campaign is None:  # a site with no campaign yet: its name
        headline, facts = site_identity(language).name, []
    else:
        size = coalition_size(campaign)
        headline = campaign.localized(language).title
        organisations, countries = size["organisations"], size["countries"]
        facts = [
            gettext("Endorsed by %(organisations)s from %(countries)s.")
            % {
                "organisations": ngettext(
                    "%(counter)s organisation", "%(counter)s organisations", organisations
                )
                % {"counter": number_format(organisations, force_grouping=True)},
                "countries": ngettext("%(counter)s country", "%(counter)s countries", countries)
                % {"counter": number_format(countries, force_grouping=True)},
            }
        ]

    return cards.card_response(
        request,
        label=gettext("Campaign"),
        headline=headline,
        facts=facts,
        site=cards.site_name(),
        rtl=get_language_bidi(),
    )


@require_GET
def site_card(request):
    """The picture of links to pages with none of their own: the current campaign's card."""
    return _campaign_card(request, public_campaigns().current())


@require_GET
def campaign_card(request, slug):
    return _campaign_card(request, get_object_or_404(public_campaigns(), slug=slug))
