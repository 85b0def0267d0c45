"""Every message where a number meets a noun is a plural message (ngettext or blocktranslate
count), present in each catalogue with all of its language's forms, and renders in Arabic
(six forms: zero, one, two, few, many, other) for 0, 1, 2, 3, 11 and 100 without error.

The messages are read from the code itself: Python files through their syntax tree,
templates through Django's own `templatize` (what makemessages reads).
"""

import ast
import re
from functools import cache
from pathlib import Path

import polib
import pytest
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ["ar", "fr", "de", "es", "tr"]
ARABIC_NUMBERS = (0, 1, 2, 3, 11, 100)  # one of each Arabic form, in the forms' order
PLURAL_CALLS = {"ngettext", "ngettext_lazy", "npgettext", "npgettext_lazy"}
TEMPLATE_CALL = re.compile(r"\bngettext\((u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\"), "
                           r"(u?'(?:[^'\\]|\\.)*'|u?\"(?:[^\"\\]|\\.)*\"), count\)")  # fmt: skip
NAMED = re.compile(r"%\((\w+)\)[sd]")
POSITIONAL = re.compile(r"%[sd]")


def _from_python(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in PLURAL_CALLS:
            strings = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if len(strings) >= 2 and all(isinstance(s, str) for s in strings[-2:]):
                yield tuple(strings[-2:])


def _from_template(path: Path):
    for singular, plural in TEMPLATE_CALL.findall(templatize(path.read_text(), origin=path)):
        yield ast.literal_eval(singular.lstrip("u")), ast.literal_eval(plural.lstrip("u"))


@cache
def plural_messages() -> list[tuple[str, str]]:
    found = set()
    for path in ROOT.rglob("*.py"):
        if "tests" not in path.parts and "migrations" not in path.parts:
            found.update(_from_python(path))
    for path in ROOT.rglob("templates/**/*.html"):
        found.update(_from_template(path))
    return sorted(found)


@cache
def catalogue(language):
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    return {entry.msgid: entry for entry in po if entry.msgid_plural and not entry.obsolete}


def render(text: str, singular: str, plural: str, number: int) -> str:
    """As the code does: `% number` for a positional message ("%d event approved."), else
    `% {every name: number}` (named placeholders of either form, and every template's
    blocktranslate, which gives all its names to both)."""
    if POSITIONAL.search(singular):
        return text % number  # a form without its %d raises TypeError here
    return text % dict.fromkeys(NAMED.findall(singular + plural) + ["counter"], number)


def test_the_code_has_plural_messages_from_python_and_templates():
    messages = dict(plural_messages())
    assert "%d event approved." in messages  # admin.py
    assert "%(counter)s place left." in messages  # a template's blocktranslate count
    assert len(messages) > 40


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_message_has_all_its_forms(language):
    expected = {"ar": 6, "fr": 2, "de": 2, "es": 3, "tr": 2}[language]
    for singular, plural in plural_messages():
        entry = catalogue(language).get(singular)
        assert entry is not None, f"{language}: no entry for {singular!r}"
        assert entry.msgid_plural == plural, (language, singular)
        forms = [entry.msgstr_plural.get(i, "") for i in range(expected)]
        assert all(forms), f"{language}: a form is empty for {singular!r}"


@pytest.mark.parametrize("number", ARABIC_NUMBERS)
def test_each_arabic_form_renders(number):
    form = ARABIC_NUMBERS.index(number)
    with translation.override("ar"):
        for singular, plural in plural_messages():
            text = translation.ngettext(singular, plural, number)
            assert text == catalogue("ar")[singular].msgstr_plural[form], (number, singular)
            rendered = render(text, singular, plural, number)
            assert "%" not in rendered.replace("%%", ""), (number, singular)


def test_arabic_forms_are_filled_with_their_own_grammar():
    """Not one phrase copied into all six forms: one, two and many are told apart."""
    for singular, _plural in plural_messages():
        forms = catalogue("ar")[singular].msgstr_plural
        assert len({forms[i] for i in range(6)}) > 1, singular
        assert forms[1] != forms[2], f"one and two read the same: {singular!r}"
        assert forms[1] != forms[4], f"one and many read the same: {singular!r}"


@pytest.mark.parametrize("language", ["fr", "de", "es", "tr"])
def test_other_languages_render_one_and_many(language):
    with translation.override(language):
        for singular, plural in plural_messages():
            for number in (1, 2, 1_000_000):
                render(translation.ngettext(singular, plural, number), singular, plural, number)
