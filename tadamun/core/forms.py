from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries


def choose_country():
    """Countries sorted in the reader's language, after a prompt to choose one."""
    return [("", _("Choose a country")), *countries]


def any_country():
    return [("", _("All countries")), *countries]


class CountryChoiceField(forms.ChoiceField):
    def __init__(self, *, choices=choose_country, **kwargs):
        kwargs.setdefault("label", _("Country"))
        super().__init__(choices=choices, **kwargs)
