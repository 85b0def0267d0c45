from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from tadamun.core.confirmation import HoneypotMixin
from tadamun.core.forms import CountryChoiceField, only_countries
from tadamun.core.text import validate_plain_text, validate_single_line
from tadamun.letters.models import LETTER_MAX_LENGTH, LETTER_MIN_LENGTH, SUBJECT_MAX_LENGTH
from tadamun.questions.forms import QuestionsMixin
from tadamun.supporters.consents import CURRENT, OWNER, label, wording

WRITER_FIELDS = ("name", "email", "country", "city", "wants_updates", "hears_from_owner")


class WriterForm(QuestionsMixin, HoneypotMixin):
    """Step one: who writes. The campaign decides which fields it needs: a letter the
    platform sends needs the writer's email (to confirm it and to take the officials'
    replies); a letter sent from the writer's own email program does not. The campaign's
    custom questions follow."""

    name = forms.CharField(label=_("Your name"), max_length=120, validators=[validate_single_line])
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_(
            "We send a link to confirm your letter; officials' replies come to this address. "
            "Never shown publicly."
        ),
    )
    country = CountryChoiceField(label=_("Country where you live"))
    city = forms.CharField(
        label=_("Your town or city"),
        max_length=80,
        required=False,
        validators=[validate_single_line],
        help_text=_("Optional: officials listen more to people they represent."),
    )
    wants_updates = forms.BooleanField(required=False)
    # On a member organisation's letter campaign: to hear from it (consents.OWNER).
    hears_from_owner = forms.BooleanField(required=False)

    def __init__(self, *args, campaign, countries_covered=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.countries_covered = countries_covered
        if campaign.sent_by_platform:
            self.fields["wants_updates"].label = wording(CURRENT["updates"])
        else:
            del self.fields["email"]
            del self.fields["wants_updates"]
        if campaign.sent_by_platform and campaign.organisation_id:
            self.fields["hears_from_owner"].label = label(OWNER, campaign.organisation)
        else:
            del self.fields["hears_from_owner"]
        if countries_covered is not None:
            country = self.fields["country"]
            country.choices = only_countries(frozenset(countries_covered))
            country.help_text = _("We write to the officials of this country.")

    def drawing_key(self) -> tuple:
        """What the form's markup depends on, unbound, besides the language
        (`{% unbound_form %}` in letters/detail.html): the fields the campaign asks for, the
        consents' wording with the owner's name, the countries with officials and the
        questions' text. Read afresh on every view, so a change in another process (an
        official added, a question edited) is never drawn stale."""
        consents = ("wants_updates", "hears_from_owner")
        return (
            tuple(self.fields),
            tuple(str(self.fields[name].label) for name in consents if name in self.fields),
            None if self.countries_covered is None else tuple(sorted(self.countries_covered)),
            self.questions_key(),
        )

    def clean_country(self):
        code = self.cleaned_data["country"]
        if self.countries_covered is not None and code not in self.countries_covered:
            raise forms.ValidationError(
                _("This letter campaign has no officials of %(country)s yet."),
                params={"country": countries.name(code)},
                code="no_target",
            )
        return code


class LetterForm(WriterForm):
    """Step two: the letter, starting from the campaign's template, which the writer may edit."""

    subject = forms.CharField(
        label=_("Subject"), max_length=SUBJECT_MAX_LENGTH, validators=[validate_single_line]
    )
    text = forms.CharField(
        label=_("Your letter"),
        min_length=LETTER_MIN_LENGTH,
        max_length=LETTER_MAX_LENGTH,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Change it as you like: letters in your own words count more. {target_name} and "
            "{target_title} become each official's name and title."
        ),
    )

    # Marks one composed letter, so reloading the page of mailto: links counts it once.
    nonce = forms.CharField(max_length=64, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.writer_fields():
            self.fields[name].widget = forms.HiddenInput()

    def writer_fields(self) -> list[str]:
        """The fields of step one, carried hidden in step two: who writes and their answers."""
        asked = [field.name for field in self.question_fields()]
        return [name for name in (*WRITER_FIELDS, *asked) if name in self.fields]

    def writer_errors(self) -> bool:
        """Errors in the details of step one (only a tampered form has them here)."""
        return any(name in self.errors for name in (*self.writer_fields(), "website"))
