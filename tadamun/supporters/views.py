import json

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods, require_POST

from tadamun.core import limits
from tadamun.core.confirmation import confirm_view, link_view
from tadamun.core.paths import this_page
from tadamun.supporters import partners, registry, services
from tadamun.supporters.consents import CURRENT, SHARE_REQUEST, label, wording
from tadamun.supporters.forms import EraseForm, MyDataRequestForm
from tadamun.supporters.links import CONFIRM_NEWS, MY_DATA, SHARE, UNSUBSCRIBE
from tadamun.supporters.models import Consent


@require_http_methods(["GET", "POST"])
def my_data_request(request):
    form = MyDataRequestForm(request.POST or None)
    context = {"form": form, "counts_clicks": settings.MAILING_COUNT_CLICKS}
    if request.method != "POST" or not form.is_valid():
        return render(request, "supporters/my_data_request.html", context)
    if held := limits.hold_back(request, form, "my-data"):
        context["challenge"] = held.challenge
        return render(request, "supporters/my_data_request.html", context, status=held.status)
    services.request_my_data_link(form.cleaned_data["email"], get_language())
    return render(request, "supporters/my_data_sent.html")


@require_http_methods(["GET", "POST"])
@link_view(MY_DATA)
def my_data(request, supporter, token):
    if request.method == "POST" and "withdraw" in request.POST:
        chosen = [pk for pk in request.POST.getlist("consent") if pk.isdigit()]
        services.withdraw_consents(supporter, consent_ids=chosen)
        return redirect(this_page(request, query=False))
    return _my_data_page(request, supporter, token)


def _my_data_page(request, supporter, token, erase_form=None):
    consents = [
        (consent, label(consent.wording, consent.organisation))
        for consent in supporter.consents.select_related("organisation")
    ]
    context = {
        "supporter": supporter,
        "consents": consents,
        "sections": [
            (provider.title, provider.sections(supporter)) for provider in registry.providers()
        ],
        "token": token,
        "erase_form": erase_form or EraseForm(),
    }
    return render(request, "supporters/my_data.html", context)


@require_POST
@link_view(MY_DATA)
def my_data_download(request, supporter, token):
    response = HttpResponse(
        json.dumps(services.describe(supporter), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="tadamun-my-data.json"'
    return response


@require_POST
@link_view(MY_DATA)
def erase(request, supporter, token):
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _my_data_page(request, supporter, token, erase_form=form)
    services.erase(supporter)
    return render(request, "supporters/erased.html")


def _stop_updates(supporter):
    services.withdraw_consents(supporter, purpose="updates")
    return supporter


def _share(person):
    partners.confirm_sharing(person)
    return person


# A mail scanner opening the link changes nothing.
unsubscribe = confirm_view(
    UNSUBSCRIBE,
    template="supporters/unsubscribe.html",
    context=lambda supporter: {},
    act=_stop_updates,
    done_template="supporters/unsubscribed.html",
)
share = confirm_view(
    SHARE,
    template="supporters/share.html",
    context=lambda person: {
        "partner": person.organisation,
        "wording": label(SHARE_REQUEST, person.organisation),
    },
    act=_share,
)


def _confirm_news(supporter):
    services.give_consent(supporter, Consent.Purpose.UPDATES, source="re-permission")
    return supporter


confirm_news = confirm_view(
    CONFIRM_NEWS,
    template="supporters/confirm_news.html",
    context=lambda supporter: {"wording": wording(CURRENT["updates"])},
    act=_confirm_news,
)
