"""The petition page's two lists, written in Python: the countries' table rows and the
recent signers. Drawn on every uncached page (and every sign form shown again with an
error), the template language's loop spent more on their twenty rows (a context pushed,
each variable looked up as a key before an attribute) than the page's five queries.

The markup is the template's, byte for byte (tests/test_page_cost.py draws both):
    <tr><td>{{ country.name }}</td><td>{{ count }}</td></tr>
    <li>{{ signature.public_name|isolate }} · {{ signature.country.name }}</li>
"""

from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from tadamun.core.countries import country_name
from tadamun.core.templatetags.tadamun import isolate


def _name(country) -> str:
    return conditional_escape(country_name(country.code))


def country_rows(countries) -> SafeString:
    """The table's rows of (country, signatures)."""
    return mark_safe(
        "".join(
            f"<tr><td>{_name(country)}</td><td>{conditional_escape(localize(count))}</td></tr>"
            for country, count in countries
        )
    )


def recent_signers(recent) -> SafeString:
    """The list's items: each signer's public name (isolated: any script) and country."""
    return mark_safe(
        "".join(
            f"<li>{isolate(signer.public_name)} · {_name(signer.country)}</li>" for signer in recent
        )
    )
