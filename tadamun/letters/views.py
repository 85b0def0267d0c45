"""Writing to officials in two steps, without JavaScript: who writes (name, country, city),
then the letter, filled in from the campaign's template, which the writer may change."""

import secrets

from django.core.cache import cache
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import get_language, get_language_bidi, gettext, ngettext
from django.views.decorators.http import require_GET, require_POST

from tadamun.core import cards, intake, limits
from tadamun.core.confirmation import confirm_view
from tadamun.letters import queries, services
from tadamun.letters.forms import LetterForm, WriterForm
from tadamun.letters.links import CONFIRM_LETTER
from tadamun.letters.models import LetterCampaign

HANDED_OVER_KEY = "letters:handed-over:{}"


def _campaign(slug: str) -> LetterCampaign:
    if (campaign := queries.public_campaign(slug, get_language())) is None:
        raise Http404
    return campaign


def _writer_form(campaign, data=None, form_class=WriterForm, **kwargs):
    covered = (
        services.countries_with_targets(campaign)
        if campaign.choice == LetterCampaign.Choice.OWN_COUNTRY
        else None
    )
    return form_class(
        data,
        campaign=campaign,
        countries_covered=covered,
        questions=campaign.questions.all(),
        language=get_language(),
        **kwargs,
    )


def _campaign_page(request, campaign, form, status=200):
    context = {
        "letter_campaign": campaign,
        "form": form,
        "letter_count": services.letter_count(campaign),
        "by_target": services.counts_by_target(campaign),
        "by_country": services.counts_by_country(campaign),
    }
    return render(request, "letters/detail.html", context, status=status)


def _compose_page(request, campaign, form, *, challenge=None, status=200):
    country = form.data.get("country") or form.initial.get("country", "")
    context = {
        "letter_campaign": campaign,
        "form": form,
        "challenge": challenge,
        "targets": queries.targets_for(campaign, country),
    }
    return render(request, "letters/compose.html", context, status=status)


@require_GET
def campaign_list(request):
    campaigns = LetterCampaign.objects.public().select_related("campaign", "organisation")
    return render(request, "letters/list.html", {"campaigns": campaigns})


@require_GET
def detail(request, slug):
    campaign = _campaign(slug)
    return _campaign_page(request, campaign, _writer_form(campaign))


@require_POST
def compose(request, slug):
    """Step two: the template filled in with the writer's name and city, ready to edit."""
    campaign = _campaign(slug)
    form = _writer_form(campaign, request.POST)
    if not campaign.is_open() or not form.is_valid():
        return _campaign_page(request, campaign, form)
    writer = form.cleaned_data
    template = campaign.localized(get_language())
    initial = {
        **writer,
        "subject": queries.fill(template.subject, name=writer["name"], city=writer["city"]),
        "text": queries.fill(template.letter, name=writer["name"], city=writer["city"]),
        "nonce": secrets.token_urlsafe(16),
    }
    return _compose_page(
        request, campaign, _writer_form(campaign, form_class=LetterForm, initial=initial)
    )


@require_POST
def send(request, slug):
    campaign = _campaign(slug)
    if not campaign.is_open():
        raise Http404
    form = _writer_form(campaign, request.POST, form_class=LetterForm)
    if not form.is_valid():
        if form.writer_errors():
            return _campaign_page(request, campaign, _writer_form(campaign, request.POST))
        return _compose_page(request, campaign, form)
    if form.is_bot():
        return redirect("letters:detail", slug=campaign.slug)
    data = form.cleaned_data
    letter = services.LetterRequest(
        name=data["name"],
        country=data["country"],
        city=data["city"],
        subject=data["subject"],
        text=data["text"],
        email=data.get("email", ""),
        wants_updates=data.get("wants_updates", False),
        hears_from_owner=data.get("hears_from_owner", False),
        language=get_language(),
        answers=form.answers(),
    )
    if campaign.sent_by_platform:
        if held := limits.hold_back(request, form, "letter"):
            return _compose_page(
                request, campaign, form, challenge=held.challenge, status=held.status
            )
        intake.submit(services.write, campaign, letter)
        return redirect("letters:check_email", slug=campaign.slug)
    return _hand_over(request, campaign, form, letter)


def _hand_over(request, campaign, form, letter):
    """The mailto: links, one per official. The letter is counted once per composed form,
    however often the page is reloaded (the form's one-time nonce)."""
    if challenge := limits.network_challenge(request, "letter"):
        form.add_error(None, limits.network_limit_message(challenge))
        return _compose_page(request, campaign, form, challenge=challenge, status=429)
    nonce = form.cleaned_data["nonce"]
    if cache.add(HANDED_OVER_KEY.format(nonce), 1, 24 * 3600):
        services.hand_over(campaign, letter)
    messages = [
        {
            "target": target,
            "subject": queries.fill(letter.subject, target=target),
            "text": queries.fill(letter.text, target=target),
        }
        for target in queries.targets_for(campaign, letter.country)
    ]
    for message in messages:
        if message["target"].email:
            message["mailto"] = services.mailto_link(
                message["target"], message["subject"], message["text"]
            )
    return render(
        request, "letters/handed_over.html", {"letter_campaign": campaign, "messages": messages}
    )


@require_GET
def check_email(request, slug):
    return render(request, "letters/check_email.html", {"letter_campaign": _campaign(slug)})


def _confirm_page(letter) -> dict:
    targets = list(queries.targets_for(letter.campaign, letter.country.code))
    return {
        "letter": letter,
        "targets": targets,
        **queries.as_first_official_reads_it(letter, targets),
    }


# GET shows the letter and a button; only the POST sends (mail scanners open links).
confirm = confirm_view(
    CONFIRM_LETTER,
    template="letters/confirm.html",
    context=_confirm_page,
    act=services.confirm,
    done_url=lambda letter: reverse("letters:confirmed", args=[letter.campaign.slug]),
)


@require_GET
def confirmed(request, slug):
    return render(request, "letters/confirmed.html", {"letter_campaign": _campaign(slug)})


@require_GET
def card(request, slug):
    """The letter campaign's link-preview picture: its title and how many have written."""
    campaign = _campaign(slug)
    language = get_language()
    count = services.letter_count(campaign)
    letters = ngettext("%(count)s letter sent", "%(count)s letters sent", count) % {
        "count": number_format(count, force_grouping=True)
    }

    return cards.card_response(
        request,
        max_age=300,
        label=gettext("Write a letter"),
        headline=campaign.localized(language).title,
        facts=[letters],
        site=cards.site_name(),
        rtl=get_language_bidi(),
    )
