from itertools import groupby

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext
from django.views.decorators.http import require_GET, require_http_methods
from django_countries.fields import Country

from tadamun.aid import queries as aid
from tadamun.coalition import queries, services
from tadamun.coalition.forms import EndorsementForm, EndorsementSearchForm
from tadamun.coalition.links import CONFIRM_ENDORSEMENT
from tadamun.coalition.models import Campaign, Endorsement, Feature, part_of
from tadamun.core import cards, intake, limits
from tadamun.core.confirmation import confirm_view
from tadamun.core.countries import by_name
from tadamun.core.identity import site_identity
from tadamun.events import queries as events
from tadamun.events.models import DayOfAction, Event
from tadamun.events.queries import upcoming_days
from tadamun.letters import queries as letters
from tadamun.letters.models import LetterCampaign
from tadamun.petitions import queries as petitions
from tadamun.petitions.models import Petition
from tadamun.petitions.queries import open_for_campaign
from tadamun.publications.queries import published_for_campaign, statement_for
from tadamun.rebuttals import queries as rebuttals
from tadamun.watch import queries as watch

ENDORSEMENTS_PER_PAGE = 300
PARTS_SHOWN = 6  # the latest of each kind on a campaign's page; the kind's own index has all


def public_campaigns():
    """Campaigns readers may see, with only the translation in the reader's language."""
    return Campaign.objects.public().for_reader()


def coalition_size(campaign: Campaign) -> dict:
    return (
        Endorsement.objects.approved()
        .filter(campaign=campaign)
        .aggregate(
            organisations=Count("pk"), countries=Count("organisation__country", distinct=True)
        )
    )


def home(request):
    """The first campaign a coalition admin features leads; the others featured follow, in
    their order."""
    featured = list(public_campaigns().featured())
    campaign = featured[0] if featured else None
    context = {"campaign": campaign}
    if campaign:
        context |= {
            "statement": statement_for(campaign),
            "petitions": open_for_campaign(campaign)[:2],
            "days": upcoming_days(campaign)[:1],
            "size": coalition_size(campaign),
            "other_campaigns": featured[1:],
        }
    return render(request, "coalition/home.html", context)


def campaign_list(request):
    return render(request, "coalition/campaign_list.html", {"campaigns": public_campaigns()})


def campaign_detail(request, slug):
    """The campaign and every part of it the public may see (each app's own public reads)."""
    campaign = get_object_or_404(public_campaigns(), slug=slug)
    return render(
        request,
        "coalition/campaign_detail.html",
        {
            "campaign": campaign,
            "statement": statement_for(campaign),
            "petitions": open_for_campaign(campaign)[:2],
            "days": upcoming_days(campaign)[:1],
            "publications": published_for_campaign(campaign),
            "letter_campaigns": letters.public_for_campaign(campaign),
            "watch_items": watch.for_campaign(campaign)[:PARTS_SHOWN],
            "aid_organisations": aid.for_campaign(campaign)[:PARTS_SHOWN],
            "claims": rebuttals.for_campaign(campaign)[:PARTS_SHOWN],
            "size": coalition_size(campaign),
            "members_by_country": members_actions_by_country(campaign),
        },
    )


def members_actions_by_country(campaign) -> list[tuple[Country, dict]]:
    """The member organisations' public actions in the campaign (each app's own public
    query), grouped by the organisation's country, countries in the reader's collation."""
    day = DayOfAction.objects.filter(part_of(DayOfAction, campaign))
    kinds = {
        "petitions": petitions.public_petitions().for_reader().filter(part_of(Petition, campaign)),
        "letter_campaigns": letters.public_for_campaign(campaign),
        "events": Event.objects.public()
        .filter(day__in=day, ends_at__gte=timezone.now())
        .select_related("place")
        .order_by("starts_at"),
    }
    groups: dict = {}
    for kind, actions in kinds.items():
        for action in actions.filter(organisation__isnull=False).select_related("organisation"):
            country = action.organisation.country
            groups.setdefault(country.code, (country, {name: [] for name in kinds}))
            groups[country.code][1][kind].append(action)
    return [groups[country.code] for country in by_name(c for c, _ in groups.values())]


def organisation(request, pk):
    """An endorsing or member organisation's page: who it is, the campaigns it endorses and
    its own actions the public may see, each read through its app's public query (so an
    action waiting for a moderator, or whose organisation lost its organisers, is not here)."""
    organisation = get_object_or_404(queries.public_organisations(), pk=pk)
    return render(
        request,
        "coalition/organisation.html",
        {
            "organisation": organisation,
            "campaigns": queries.endorsed_campaigns(organisation),
            "petitions": petitions.public_by(organisation),
            "letter_campaigns": letters.public_by(organisation),
            "events": events.public_by(organisation),
            **featured_by(organisation),
        },
    )


def featured_by(organisation) -> dict:
    """Other organisations' actions the organisation features (their organisers approved),
    each read through its app's own public query: an action that stops being public leaves
    this list too."""
    approved = Feature.objects.approved().filter(organisation=organisation)
    return {
        "featured_petitions": petitions.public_petitions()
        .for_reader()
        .filter(pk__in=approved.values("petition"))
        .select_related("organisation"),
        "featured_letter_campaigns": LetterCampaign.objects.public()
        .for_reader()
        .filter(pk__in=approved.values("letter_campaign"))
        .select_related("organisation"),
        "featured_events": Event.objects.public()
        .filter(pk__in=approved.values("event"), ends_at__gte=timezone.now())
        .select_related("place", "organisation"),
    }


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
