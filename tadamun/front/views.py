"""The home page and the campaign pages: each gathers the public parts of a campaign (or an
organisation) from the apps that hold them, through each app's own public queries, so no app
imports the others for its pages."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django_countries import countries
from django_countries.fields import Country

from tadamun.aid import queries as aid
from tadamun.coalition import queries
from tadamun.coalition.models import Feature
from tadamun.coalition.queries import coalition_size, public_campaigns
from tadamun.events import queries as events
from tadamun.events.models import Event
from tadamun.events.queries import upcoming_days
from tadamun.front import members as member_actions
from tadamun.letters import queries as letters
from tadamun.letters.models import LetterCampaign
from tadamun.petitions import queries as petitions
from tadamun.petitions.queries import open_for_campaign
from tadamun.publications.queries import published_for_campaign, statement_for
from tadamun.rebuttals import queries as rebuttals
from tadamun.watch import queries as watch

PARTS_SHOWN = 6  # the latest of each kind on a campaign's page; the kind's own index has all
MEMBERS_ACTIONS_PER_PAGE = 30


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
    return render(request, "front/home.html", context)


def campaign_list(request):
    return render(request, "front/campaign_list.html", {"campaigns": public_campaigns()})


def campaign_detail(request, slug):
    """The campaign and every part of it the public may see (each app's own public reads)."""
    campaign = get_object_or_404(public_campaigns(), slug=slug)
    return render(
        request,
        "front/campaign_detail.html",
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
            "members_by_country": member_actions.by_country(campaign),
            "shown_per_country": member_actions.SHOWN_PER_COUNTRY,
        },
    )


def members(request, slug):
    """Every member organisation's public action in the campaign (of one country's members
    with `?country=`), by country in the reader's collation, a page at a time."""
    campaign = get_object_or_404(public_campaigns(), slug=slug)
    country = request.GET.get("country", "").upper()
    if country and country not in countries:
        raise Http404
    entries = member_actions.index(campaign, country or None)
    page = Paginator(entries, MEMBERS_ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "campaign": campaign,
        "country": Country(country) if country else None,
        "page": page,
        "query": urlencode({"country": country}) if country else "",
        "by_country": member_actions.grouped(campaign, page.object_list),
    }
    return render(request, "front/members.html", context)


def organisation(request, pk):
    """An endorsing or member organisation's page: who it is, the campaigns it endorses and
    its own actions the public may see, each read through its app's public query (so an
    action waiting for a moderator, or whose organisation lost its organisers, is not here)."""
    organisation = get_object_or_404(queries.public_organisations(), pk=pk)
    return render(
        request,
        "front/organisation.html",
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
