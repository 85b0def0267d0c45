from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from tadamun.coalition.models import Organisation
from tadamun.coalition.services import OrganisationDetails
from tadamun.core.forms import CountryChoiceField, any_country
from tadamun.core.images import validate_logo
from tadamun.core.text import (
    normalise_name,
    validate_plain_text,
    validate_single_line,
    validate_web_address,
)


class EndorsementForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Name of your organisation"), max_length=200, validators=[validate_single_line]
    )
    country = CountryChoiceField()
    kind = forms.ChoiceField(
        label=_("Kind of organisation"), choices=[("", _("Choose one"))] + Organisation.Kind.choices
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=300,
        assume_scheme="https",
        validators=[validate_web_address],
        help_text=_("Shown on the public list."),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        validators=[validate_logo],
        help_text=_("PNG, JPEG, WebP or GIF, at most 1 MB."),
    )
    public_message = forms.CharField(
        label=_("Why your organisation endorses"),
        required=False,
        max_length=600,
        widget=forms.Textarea(attrs={"rows": 4}),
        validators=[validate_plain_text],
        help_text=_("Shown on the public list with your organisation's name."),
    )
    contact_name = forms.CharField(
        label=_("Your name"),
        max_length=120,
        validators=[validate_single_line],
        help_text=_("Never shown publicly."),
    )
    contact_email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a confirmation link here. Never shown publicly."),
    )
    authorised = forms.BooleanField(
        label=_("I am authorised to endorse this statement on behalf of my organisation."),
        error_messages={"required": _("Please confirm that you may speak for your organisation.")},
    )

    def clean_organisation_name(self):
        # Normalised before it is measured: some characters grow under Unicode NFC.
        name = normalise_name(self.cleaned_data["organisation_name"])
        MaxLengthValidator(200)(name)
        return name

    def organisation_details(self) -> OrganisationDetails:
        data = self.cleaned_data
        return OrganisationDetails(
            name=data["organisation_name"],
            country=data["country"],
            kind=data["kind"],
            website=data["website"],
            logo=data["logo"],
        )


class EndorsementSearchForm(forms.Form):
    q = forms.CharField(label=_("Search organisations"), required=False, max_length=100)
    country = CountryChoiceField(required=False, choices=any_country)
