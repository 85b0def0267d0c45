from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from tadamun.aid.areas import serving
from tadamun.aid.models import Appeal, Sector
from tadamun.aid.queries import organisations
from tadamun.core.forms import CountryChoiceField, any_country
from tadamun.core.text import validate_single_line


class DirectoryFilter(forms.Form):
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("All sectors")), *Sector.choices]
    )
    country = CountryChoiceField(label=_("Country served"), required=False, choices=any_country)
    area = forms.CharField(
        label=_("Area served"),
        required=False,
        max_length=100,
        validators=[validate_single_line],
        help_text=_("A governorate, district, town or camp, in any language."),
    )


@require_GET
def index(request):
    """The directory, filtered by sector, country and area served, with the appeals running
    now."""
    form = DirectoryFilter(request.GET or None)
    found = organisations()
    data = form.cleaned_data if form.is_valid() else {}
    if data.get("sector"):
        found = found.in_sector(data["sector"])
    if data.get("country"):
        found = found.filter(countries_served__contains=data["country"])
    if data.get("area", "").strip():
        found = serving(found, data["area"])
    appeals = Appeal.objects.current().select_related("organisation").for_reader()
    context = {"form": form, "organisations": found, "appeals": appeals}
    return render(request, "aid/index.html", context)


@require_GET
def detail(request, slug):
    organisation = get_object_or_404(organisations(), slug=slug)
    appeals = organisation.appeals.current().for_reader()
    context = {"organisation": organisation, "appeals": appeals}
    return render(request, "aid/detail.html", context)
