import json
from functools import wraps

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tadamun.core import limits
from tadamun.core.paths import this_page
from tadamun.supporters import partners, registry, services
from tadamun.supporters.consents import SHARE_REQUEST, wording
from tadamun.supporters.forms import EraseForm, MyDataRequestForm


@require_http_methods(["GET", "POST"])
def my_data_request(request):
    form = MyDataRequestForm(request.POST or None)
    context = {"form": form}
    if request.method != "POST" or not form.is_valid():
        return render(request, "supporters/my_data_request.html", context)
    if held := limits.hold_back(request, form, "my-data"):
        context["challenge"] = held.challenge
        return render(request, "supporters/my_data_request.html", context, status=held.status)
    services.request_my_data_link(form.cleaned_data["email"], get_language())
    return render(request, "supporters/my_data_sent.html")


def supporter_from_link(find):
    """Decorate a view taking `token`: it receives the supporter the token names (found by
    `find`), or the person gets a page explaining the link does not work."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, token):
            supporter = find(token)
            if supporter is None:
                return render(request, "supporters/link_invalid.html", status=400)
            return view(request, supporter, token)

        return never_cache(wrapper)

    return decorator


@require_http_methods(["GET", "POST"])
@supporter_from_link(services.supporter_from_my_data_token)
def my_data(request, supporter, token):
    if request.method == "POST" and "withdraw" in request.POST:
        chosen = [pk for pk in request.POST.getlist("consent") if pk.isdigit()]
        services.withdraw_consents(supporter, consent_ids=chosen)
        return redirect(this_page(request, query=False))
    return _my_data_page(request, supporter, token)


def _my_data_page(request, supporter, token, erase_form=None):
    consents = [
        (consent, wording(consent.wording, consent.organisation))
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
@supporter_from_link(services.supporter_from_my_data_token)
def my_data_download(request, supporter, token):
    response = HttpResponse(
        json.dumps(services.describe(supporter), ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="tadamun-my-data.json"'
    return response


@require_POST
@supporter_from_link(services.supporter_from_my_data_token)
def erase(request, supporter, token):
    form = EraseForm(request.POST)
    if not form.is_valid():
        return _my_data_page(request, supporter, token, erase_form=form)
    services.erase(supporter)
    return render(request, "supporters/erased.html")


@require_http_methods(["GET", "POST"])
@supporter_from_link(services.supporter_from_unsubscribe_token)
def unsubscribe(request, supporter, token):
    """GET asks, POST unsubscribes: a mail scanner opening the link changes nothing."""
    if request.method == "POST":
        services.withdraw_consents(supporter, purpose="updates")
        return render(request, "supporters/unsubscribed.html")
    return render(request, "supporters/unsubscribe.html")


@require_http_methods(["GET", "POST"])
@never_cache
def share(request, token):
    """GET shows the question and a button (mail scanners open links); only the POST shares."""
    person = partners.person_from_share_token(token)
    if person is None:
        return render(request, "supporters/link_invalid.html", status=400)
    if request.method == "POST":
        partners.confirm_sharing(person)
    context = {
        "partner": person.organisation,
        "wording": wording(SHARE_REQUEST, person.organisation),
        "shared": request.method == "POST",
    }
    return render(request, "supporters/share.html", context)
