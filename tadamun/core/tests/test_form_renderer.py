"""Every form of the site is drawn by `core.forms.PythonWidgets` (settings.FORM_RENDERER):
each widget any of them declares writes, with any value, what Django's templates write."""

import copy
import importlib
import pkgutil

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import Context, Template
from django.utils import translation

import tadamun
from tadamun.core.forms import PythonWidgets


def _declared_fields() -> dict[str, forms.Field]:
    """Each field of each form class the project defines, by where it is."""
    for module in pkgutil.walk_packages(tadamun.__path__, "tadamun."):
        if module.name.rpartition(".")[2] in ("forms", "admin", "admin_forms"):
            importlib.import_module(module.name)
    found, todo = {}, [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not cls.__module__.startswith("tadamun."):
            continue
        for name, field in getattr(cls, "base_fields", {}).items():
            found[f"{cls.__module__}.{cls.__name__}.{name}"] = field
    return found


FIELDS = _declared_fields()
WIDGETS = {where: field.widget for where, field in FIELDS.items()}
VALUES = [None, "", "0", 'a "quoted" <b>&amp;</b> value', True, False, ["FR", "DE"]]


def test_the_site_draws_forms_with_python_widgets():
    assert isinstance(get_default_renderer(), PythonWidgets)
    assert settings.FORM_RENDERER == "tadamun.core.forms.PythonWidgets"


def test_forms_of_every_app_are_found():
    apps = {where.split(".")[1] for where in WIDGETS}
    assert {"petitions", "events", "letters", "supporters"} <= apps
    assert len(WIDGETS) > 50


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_declared_widget_writes_what_the_templates_write(language):
    python, django = PythonWidgets(), DjangoTemplates()
    with translation.override(language):
        for where, widget in WIDGETS.items():
            attrs = {"id": "id_x", "aria-describedby": "id_x_helptext", "required": True}
            for value in VALUES:
                try:
                    reference = widget.render("x", value, attrs, renderer=django)
                except (TypeError, ValueError, AttributeError):
                    continue  # a value this widget cannot take: the same for both
                assert widget.render("x", value, attrs, renderer=python) == reference, (
                    where,
                    value,
                )


FIELD_TAG = Template("{% load tadamun %}{% field field %}")
FIELD_INCLUDE = Template('{% include "core/field.html" %}')


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_field_tag_writes_what_core_field_html_includes_for_every_declared_field(language):
    """Pages write `{% field form.x %}` where an include of core/field.html costs more than
    the field: for every field the site declares, unbound and with an error, both agree
    (but for the newline that ends the file)."""
    with translation.override(language):
        for where, field in FIELDS.items():
            form_class = type("OneField", (forms.Form,), {"x": copy.deepcopy(field)})
            for form in (form_class(), form_class({"x": "\x00 not valid <b>"})):
                form.is_valid()
                context = Context({"field": form["x"]})
                assert FIELD_TAG.render(context) + "\n" == FIELD_INCLUDE.render(context), where
