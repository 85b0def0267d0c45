"""The custom questions as form fields, and the one check of an answer that the forms and
the API share (`checked_answer`)."""

import re

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from tadamun.core.text import validate_plain_text, validate_single_line
from tadamun.questions.models import Question

PREFIX = "question_"
TEXT_LENGTH = 500
POSTAL_CODE = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9 -]{0,10}[A-Za-z0-9])?")
YES, NO = "yes", "no"


def field_name(question: Question) -> str:
    return f"{PREFIX}{question.pk}"


def validate_postal_code(value: str) -> None:
    if not POSTAL_CODE.fullmatch(value):
        raise ValidationError(
            _("Enter a postal code: letters, digits, spaces and hyphens."), code="postal_code"
        )


def phone_value(value: str, country: str) -> str:
    """The number in international form (E.164), checked against the numbering plan of
    `country` (the country the person gave), or a translated ValidationError."""
    try:
        number = phonenumbers.parse(value, (country or "").upper() or None)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        name = countries.name(country) if country else ""
        message = (
            _("Enter a valid phone number for %(country)s.") % {"country": name}
            if name
            else _("Enter a valid phone number, with its international prefix.")
        )
        raise ValidationError(message, code="phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def checked_answer(question: Question, value: str, country: str = "") -> str:
    """The answer as stored ("" for none), or a translated ValidationError: the rule for
    every kind, whether typed into a form or sent through the API."""
    value = (value or "").strip()
    if not value:
        if question.required:
            raise ValidationError(_("Please answer this question."), code="required")
        return ""
    if question.kind == Question.Kind.PHONE:
        validate_single_line(value)
        return phone_value(value[:40], country)
    if question.kind == Question.Kind.POSTAL_CODE:
        validate_single_line(value)
        value = value.upper()
        validate_postal_code(value)
        return value
    if question.kind == Question.Kind.YES_NO:
        if value.lower() not in (YES, NO):
            raise ValidationError(_("Please answer yes or no."), code="yes_no")
        return value.lower()
    if question.kind == Question.Kind.CHOICE:
        if value not in question.option_list():
            raise ValidationError(_("Please choose one of the options."), code="choice")
        return value
    validate_plain_text(value)
    if len(value) > TEXT_LENGTH:
        raise ValidationError(
            ngettext(
                "Please keep your answer to %(count)s character or fewer.",
                "Please keep your answer to %(count)s characters or fewer.",
                TEXT_LENGTH,
            )
            % {"count": TEXT_LENGTH},
            code="length",
        )
    return value


def form_field(question: Question, language: str) -> forms.Field:
    """The field asking `question` of a reader of `language`."""
    text = question.localized(language)
    common = {"label": text.title, "help_text": text.summary, "required": question.required}
    kind = question.kind
    if kind == Question.Kind.CHOICE:
        shown = question.option_list(language)
        choices = [("", "—"), *zip(question.option_list(), shown, strict=True)]
        return forms.ChoiceField(choices=choices, **common)
    if kind == Question.Kind.YES_NO:
        return forms.ChoiceField(
            choices=[("", "—"), (YES, gettext_lazy("Yes")), (NO, gettext_lazy("No"))], **common
        )
    if kind == Question.Kind.PHONE:
        widget = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "dir": "ltr"})
        return forms.CharField(max_length=40, widget=widget, **common)
    if kind == Question.Kind.POSTAL_CODE:
        widget = forms.TextInput(attrs={"autocomplete": "postal-code", "dir": "auto"})
        return forms.CharField(max_length=16, widget=widget, **common)
    widget = forms.TextInput(attrs={"dir": "auto"})
    return forms.CharField(max_length=TEXT_LENGTH, widget=widget, **common)


class QuestionsMixin(forms.Form):
    """A form asking custom questions after its own fields. The view passes `questions`
    (read with the action); a phone number is checked against the country the person gave
    in the field `country_field`, or the action's `country` on a form without one (an
    event's). `answers()` gives the cleaned answers by question id."""

    country_field = "country"

    def __init__(self, *args, questions=(), language: str = "en", country: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        self.country = country
        for question in self.questions:
            self.fields[field_name(question)] = form_field(question, language)
        if "website" in self.fields:  # the honeypot stays last
            self.fields["website"] = self.fields.pop("website")

    def questions_key(self) -> tuple:
        """What the questions' fields draw (labels, help, options, required) in this
        language: part of a kept drawing's key, so a question changed in one process is never
        drawn stale by another."""
        return tuple(
            (
                name,
                str(field.label),
                str(field.help_text),
                field.required,
                tuple(getattr(field, "choices", ())),
            )
            for name, field in self.fields.items()
            if name.startswith(PREFIX)
        )

    def question_fields(self):
        return [self[field_name(question)] for question in self.questions]

    def clean(self):
        cleaned = super().clean()
        country = str(cleaned.get(self.country_field) or self.country)
        for question in self.questions:
            name = field_name(question)
            if name not in cleaned:
                continue  # its field already has an error
            try:
                cleaned[name] = checked_answer(question, cleaned[name], country)
            except ValidationError as error:
                self.add_error(name, error)
        return cleaned

    def answers(self) -> dict[str, str]:
        return {
            str(question.pk): self.cleaned_data[field_name(question)]
            for question in self.questions
            if self.cleaned_data.get(field_name(question))
        }


class OrganiserQuestionForm(forms.Form):
    """An event organiser's new question for their RSVP form."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind of answer"), choices=Question.Kind.choices)
    title = forms.CharField(
        label=gettext_lazy("Question"), max_length=200, validators=[validate_single_line]
    )
    summary = forms.CharField(
        label=gettext_lazy("Help text"),
        required=False,
        max_length=300,
        validators=[validate_single_line],
    )
    options = forms.CharField(
        label=gettext_lazy("Options"),
        required=False,
        max_length=2000,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("For a choice question: one option per line."),
    )
    required = forms.BooleanField(label=gettext_lazy("An answer is required"), required=False)

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("kind") == Question.Kind.CHOICE
            and len([line for line in cleaned.get("options", "").splitlines() if line.strip()]) < 2
        ):
            self.add_error(
                "options", _("A choice question needs at least two options, one per line.")
            )
        return cleaned
