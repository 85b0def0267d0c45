from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tadamun.core.forms import CountryChoiceField, any_country
from tadamun.watch.models import WatchItem
from tadamun.watch.queries import answering_campaign, timeline


class TimelineFilter(forms.Form):
    country = CountryChoiceField(required=False, choices=any_country)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *WatchItem.Status.choices],
    )


@require_GET
def index(request):
    form = TimelineFilter(request.GET or None)
    items = timeline()
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("country"):
        items = items.filter(country=data["country"])
    if data.get("status"):
        items = items.filter(status=data["status"])
    return render(request, "watch/index.html", {"form": form, "items": items[:200]})


@require_GET
def detail(request, slug):
    item = get_object_or_404(timeline(), slug=slug)
    context = {"item": item, "sources": item.sources.all(), "answer": answering_campaign(item)}
    return render(request, "watch/detail.html", context)
