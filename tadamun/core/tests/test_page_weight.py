"""The petition page's budget: 30 KB on the wire, compressed, with everything it loads."""

import gzip
import re

import pytest
from django.contrib.staticfiles import finders

BUDGET = 30 * 1024


def _assets(html: bytes) -> list[bytes]:
    """The stylesheets and scripts the page loads (print.css, loaded for print only, too)."""
    paths = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js|svg))"', html)
    return [open(finders.find(path.decode()), "rb").read() for path in paths]


@pytest.mark.parametrize("language", ["en", "ar", "de"])
def test_petition_page_and_what_it_loads_stay_under_30_kb_compressed(client, demo, language):
    html = client.get(f"/{language}/petitions/open-the-borders/").content
    assets = _assets(html)
    assert len(assets) >= 2  # the stylesheet and the icon, at least
    total = sum(len(gzip.compress(body)) for body in [html, *assets])
    print(f"{language}: {total / 1024:.1f} KB")  # the figure, with pytest -s
    assert total <= BUDGET, f"{total / 1024:.1f} KB"
