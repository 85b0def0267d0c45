import functools
import html

from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.utils.choices import CallableChoiceIterator
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries import countries


@functools.lru_cache(maxsize=len(settings.LANGUAGES))
def _countries_in(language: str) -> tuple:
    """The 250 countries, named and sorted in `language` (the active one): worked out once
    per language, not on every form."""
    return tuple(countries)


def choose_country():
    """Countries sorted in the reader's language, after a prompt to choose one."""
    return [("", _("Choose a country")), *_countries_in(get_language())]


def any_country():
    return [("", _("All countries")), *_countries_in(get_language())]


@functools.lru_cache(maxsize=256)
def only_countries(codes: frozenset[str]):
    """`choose_country` narrowed to `codes` (letters: the countries with officials): the same
    function for the same codes, so its options too are written once per language."""

    def choices():
        return [(code, name) for code, name in choose_country() if not code or code in codes]

    return choices


def _option(value, label) -> str:
    if isinstance(label, list | tuple):  # a group: (group name, ((value, label), ...))
        inner = "".join(_option(v, text) for v, text in label)
        return f'<optgroup label="{escape(value)}">{inner}</optgroup>'
    return f'<option value="{escape(value)}">{escape(label)}</option>'


class FastSelect(forms.Select):
    """A <select> whose options (and option groups) are written in Python.

    Django renders each option through a template: for the 250 countries that is most of
    the time a petition page takes (about 20 ms). The output is the same markup.
    """

    def options_html(self) -> str:
        return "".join(_option(value, label) for value, label in self.choices)

    def render(self, name, value, attrs=None, renderer=None):
        options = self.options_html()
        for chosen in {str(v) for v in self.format_value(value)}:
            unmarked = f'<option value="{escape(chosen)}">'
            options = options.replace(unmarked, f"{unmarked[:-1]} selected>", 1)
        final_attrs = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(f'<select name="{escape(name)}"{final_attrs}>{options}</select>')


@functools.lru_cache(maxsize=4 * len(settings.LANGUAGES))
def _options_in(choices, language: str) -> str:
    """The <option> elements of `choices()` in `language` (the active one), written once per
    process: 250 escaped country names are the same for every form in a language."""
    return "".join(_option(value, label) for value, label in choices())


class CountrySelect(FastSelect):
    """The country list, whose choices (`choose_country`, `any_country`) depend only on the
    language: its options are written once per language and process. A form that replaces
    them with a list of its own (letters: the countries with officials) is drawn as usual."""

    def _per_language(self) -> bool:
        return isinstance(self.choices, CallableChoiceIterator)

    def options_html(self) -> str:
        if self._per_language():
            return _options_in(self.choices.func, get_language())
        return super().options_html()

    def use_required_attribute(self, initial) -> bool:
        # Select's own reads the first choice, which makes the 250 countries' list again;
        # the first of `choose_country` and `any_country` is always the empty prompt.
        if self._per_language():
            return not self.is_hidden
        return super().use_required_attribute(initial)


class CountryChoiceField(forms.ChoiceField):
    """`choices` is a function of the active language only (see CountrySelect)."""

    widget = CountrySelect

    def __init__(self, *, choices=choose_country, **kwargs):
        kwargs.setdefault("label", _("Country"))
        super().__init__(choices=choices, **kwargs)

    def valid_value(self, value):
        # A dictionary look-up instead of walking 250 translated, sorted choices per submission.
        return value in countries.countries


def escaped(value) -> str:
    """`conditional_escape(value)` without the lazy-string wrapper around Django's escape():
    a submitted form escapes about a hundred names and values, and the wrapper cost more than
    the escaping."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attributes(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ` name="value"`, a bare ` name` for True, none for False."""
    return "".join(
        f" {escaped(name)}" + ("" if value is True else f'="{escaped(str(value))}"')
        for name, value in attrs.items()
        if value is not False
    )


def _input(context: dict) -> str:
    """django/forms/widgets/input.html (text, email, checkbox, hidden... share it)."""
    widget = context["widget"]
    value = "" if widget["value"] is None else f' value="{escaped(str(widget["value"]))}"'
    return (
        f'<input type="{escaped(widget["type"])}" '
        f'name="{escaped(widget["name"])}"{value}{_attributes(widget["attrs"])}>'
    )


def _textarea(context: dict) -> str:
    """django/forms/widgets/textarea.html."""
    widget = context["widget"]
    value = escaped(widget["value"]) if widget["value"] else ""
    return (
        f'<textarea name="{escaped(widget["name"])}"{_attributes(widget["attrs"])}>'
        f"\n{value}</textarea>"
    )


def _label(context: dict) -> str:
    """django/forms/label.html (a field's label_tag)."""
    label = escaped(context["label"])
    if not context["use_tag"]:
        return label
    tag = escaped(context["tag"])
    return f"<{tag}{_attributes(context['attrs'])}>{label}</{tag}>"


class PythonWidgets(DjangoTemplates):
    """Django's form renderer, with the common widgets and the label written in Python: the
    same markup without two template renderings (the widget's and attrs.html) per field.
    Other templates (a form's or a field's, the other widgets) go through Django's."""

    inputs = ("input", "text", "email", "number", "url", "password", "hidden", "checkbox")
    written = {
        **{f"django/forms/widgets/{kind}.html": _input for kind in inputs},
        "django/forms/widgets/textarea.html": _textarea,
        "django/forms/label.html": _label,
    }

    def render(self, template_name, context, request=None):
        if (write := self.written.get(template_name)) is not None:
            return write(context)
        return super().render(template_name, context, request=request)
