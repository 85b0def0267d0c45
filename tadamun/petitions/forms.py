from django import forms
from django.core.validators import slug_re
from django.utils.translation import gettext_lazy as _

from tadamun.core.confirmation import HoneypotMixin
from tadamun.core.forms import CountryChoiceField
from tadamun.core.text import validate_plain_text, validate_single_line
from tadamun.questions.forms import QuestionsMixin
from tadamun.supporters.consents import CURRENT, OWNER, label, wording


def partner_code(value: str) -> str:
    """The partner code of a link, or "" when it is not one (mangled by a chat app, made up):
    a bad code must never stand between a person and their signature."""
    return value if slug_re.fullmatch(value) and len(value) <= 64 else ""


class SignForm(QuestionsMixin, HoneypotMixin):
    """The sign form; the petition's custom questions follow its own fields."""

    name = forms.CharField(label=_("Your name"), max_length=120, validators=[validate_single_line])
    email = forms.EmailField(
        label=_("Your email address"),
        max_length=254,
        help_text=_("We send a link to confirm your signature. Never shown publicly."),
    )
    country = CountryChoiceField()
    comment = forms.CharField(
        label=_("Comment"),
        required=False,
        max_length=1000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Read by the organisers; not published."),
    )
    show_name = forms.BooleanField(
        label=_("Show my first name and country among the recent signers."), required=False
    )
    wants_updates = forms.BooleanField(required=False)
    shares_with_partner = forms.BooleanField(required=False)
    source = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, partner=None, owner=None, **kwargs):
        """`partner`: the organisation whose link brought the signer; `owner`: the member
        organisation whose petition it is. The one sharing question names the partner, or
        on an organisation's petition reached without a partner's link, asks to hear from
        the owner (consents.OWNER)."""
        super().__init__(*args, **kwargs)
        self.fields["wants_updates"].label = wording(CURRENT["updates"])
        if partner is not None:
            self.fields["shares_with_partner"].label = label(CURRENT["partner"], partner)
        elif owner is not None:
            self.fields["shares_with_partner"].label = label(OWNER, owner)
        else:
            del self.fields["shares_with_partner"]

    def drawing_key(self) -> tuple:
        """What the form's markup depends on, unbound, besides the language and the
        petition's version (`{% unbound_form %}` in petitions/detail.html): the partner's
        link and the consents' wording (what a signer agrees to is never an old copy). A field
        added per petition adds the version of its definition."""
        partner = self.fields.get("shares_with_partner")
        return (
            self.initial.get("source", ""),
            str(self.fields["wants_updates"].label),
            str(partner.label) if partner else None,
            self.questions_key(),
        )

    def clean_source(self):
        return partner_code(self.cleaned_data["source"])
