"""`{% layout %}`: the header, footer and head links of base.html are drawn once per process
for a language, path and site identity, and never shown stale or to the wrong page."""

import pytest
from django.template import Template, TemplateSyntaxError
from django.template.loader import get_template
from django.template.loader_tags import BlockNode

from tadamun.core.identity import forget_site_identity
from tadamun.core.models import SiteIdentity
from tadamun.core.templatetags import tadamun as tags


def _parts() -> int:
    return len(tags._LAYOUT_PARTS)


def test_a_page_drawn_again_reuses_its_three_parts(client, petition):
    tags._LAYOUT_PARTS.clear()
    client.get("/en/petitions/")
    assert _parts() == 3
    client.get("/en/petitions/")
    assert _parts() == 3
    client.get("/ar/petitions/")
    assert _parts() == 6


def test_each_path_has_its_own_language_links(client, petition, settings):
    first = client.get("/en/petitions/").content.decode()
    second = client.get(petition.get_absolute_url()).content.decode()
    site = settings.SITE_URL
    assert f'hreflang="fr" href="{site}/fr/petitions/"' in first
    assert f'hreflang="fr" href="{site}/fr/petitions/{petition.slug}/"' in second
    assert f'hreflang="fr" href="{site}/fr/petitions/"' not in second


def test_each_language_has_its_own_header(client, petition):
    english = client.get("/en/petitions/").content.decode()
    arabic = client.get("/ar/petitions/").content.decode()
    assert 'hreflang="en" lang="en" dir="ltr" aria-current="true"' in english
    assert 'hreflang="ar" lang="ar" dir="rtl" aria-current="true"' in arabic
    assert 'hreflang="en" lang="en" dir="ltr" aria-current="true"' not in arabic


def test_a_new_site_name_shows_in_the_header_and_footer_at_once(client, db):
    client.get("/en/petitions/")
    SiteIdentity.objects.filter(pk=1).update(title="Our Coalition Name")
    forget_site_identity()
    page = client.get("/en/petitions/").content.decode()
    header = page[page.index("<header") : page.index("</header>")]
    footer = page[page.index("<footer") : page.index("</footer>")]
    assert "Our Coalition Name" in header and "Our Coalition Name" in footer


def test_a_full_memo_is_emptied_not_grown(client, petition, monkeypatch):
    monkeypatch.setattr(tags, "LAYOUT_PARTS_KEPT", 4)
    tags._LAYOUT_PARTS.clear()
    for path in ("/en/petitions/", "/ar/petitions/", "/fr/petitions/"):
        client.get(path)
        assert _parts() <= 4


def test_with_debug_on_the_layout_is_drawn_as_the_template_now_says(client, petition, settings):
    """A developer edits templates while the server runs: nothing is kept."""
    settings.DEBUG = True
    tags._LAYOUT_PARTS.clear()
    client.get("/en/petitions/")
    assert _parts() == 0


def test_a_page_finds_base_htmls_blocks_without_walking_the_layout(client, petition):
    """A page that extends base.html walks its nodes for their {% block %}s on every
    request: the layout's parts are skipped (the same for every page, they hold no block),
    and a block put inside one is refused when the template is read."""
    base = get_template("base.html").template
    walked = []
    for node in base.nodelist:
        walked += node.get_nodes_by_type(tags.LayoutNode)
    assert len(walked) == 3
    assert all(part.child_nodelists == () for part in walked)
    assert {block.name for block in base.nodelist.get_nodes_by_type(BlockNode)} == {
        "title",
        "meta",
        "content",
    }
    with pytest.raises(TemplateSyntaxError, match="no {% block %}"):
        Template("{% load tadamun %}{% layout %}{% block title %}{% endblock %}{% endlayout %}")
