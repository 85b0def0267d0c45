"""The petition page's two lists, written in Python: the countries' table rows and the
recent signers. Drawn on every uncached page (and every sign form shown again with an
error), the template language's loop spent more on their twenty rows (a context pushed,
each variable looked up as a key before an attribute) than the page's five queries.

The markup is the template's, byte for byte (tests/test_page_cost.py draws both):
    <tr><td>{{ country.name }}</td><td>{{ count }}</td></tr>
    <li>{{ signature.public_name|isolate }} · {{ signature.country.name }}</li>
"""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from tadamun.core.countries import cldr_name
from tadamun.core.templatetags.tadamun import isolate


def country_rows(countries) -> SafeString:
    """The table's rows of (country, signatures)."""
    return _country_rows(
        tuple((country.code, count) for country, count in countries), get_language()
    )


@functools.lru_cache(maxsize=1024)
def _country_rows(rows: tuple, language: str) -> SafeString:
    """The rows for these countries and counts in `language` (the active one), written once
    per process: a pure function of them (no person's data), the same for every reader
    until a count moves."""
    return mark_safe(
        "".join(
            f"<tr><td>{conditional_escape(cldr_name(code, language))}</td>"
            f"<td>{conditional_escape(localize(count))}</td></tr>"
            for code, count in rows
        )
    )


@receiver(setting_changed)
def _forget_rows(**kwargs):
    """Tests change the formats a count is written with."""
    _country_rows.cache_clear()


def recent_signers(recent) -> SafeString:
    """The list's items: each signer's public name (isolated: any script) and country.
    Drawn each time: a name is a person's, kept nowhere once they erase their data."""
    language = get_language()
    return mark_safe(
        "".join(
            f"<li>{isolate(signer.public_name)} · "
            f"{conditional_escape(cldr_name(signer.country.code, language))}</li>"
            for signer in recent
        )
    )
