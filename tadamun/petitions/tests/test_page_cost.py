"""The petition page drawn from scratch (the page cache off, as in tests): what it costs per
request stays small and flat, and the faster drawing writes the same markup (charts: see
test_charts.py)."""

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import override_settings
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tadamun.core import forms as core_forms
from tadamun.core.identity import site_identity
from tadamun.petitions.forms import SignForm
from tadamun.petitions.tests.helpers import sign_form

PAGE = "/en/petitions/open-the-borders/"
SIGN = "/en/petitions/open-the-borders/sign/"

# What the page includes, once each: no include per field, bar or widget.
PAGE_TEMPLATES = {
    "petitions/detail.html",
    "base.html",
    "core/translation_note.html",
    "petitions/progress.html",
    "core/form_errors.html",
    "core/pow_fields.html",
    "core/honeypot.html",  # the confirmation kit's one honeypot
}


@pytest.fixture
def rendered_templates():
    names = []

    def record(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(record)
    yield names
    template_rendered.disconnect(record)


def test_the_page_draws_each_template_once(client, sign, petition, rendered_templates):
    sign("amal@example.org", confirm=True, show_name=True)
    assert client.get(PAGE).status_code == 200
    assert sorted(rendered_templates) == sorted(PAGE_TEMPLATES)


def test_the_form_shown_again_with_errors_draws_each_template_once(
    client, petition, rendered_templates
):
    response = client.post(SIGN, sign_form(email="not an address", comment="x" * 2000))
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert sorted(rendered_templates) == sorted(PAGE_TEMPLATES)


def test_the_page_reads_five_rows_sets_at_any_size(client, sign, petition):
    """The petition, its custom questions (none here; their translations are one more set
    when it has some, the petition's translation one more in another language than its
    own), the top countries with their number, the days and the recent signers: the same
    queries with one signature or many."""
    sign("first@example.org", confirm=True, show_name=True)
    site_identity()  # read once a minute (cached), not per page
    with CaptureQueriesContext(connection) as few:
        client.get(PAGE)
    for index in range(30):
        sign(f"s{index}@example.org", ["FR", "DE", "TR", "ES"][index % 4], confirm=True)
    with CaptureQueriesContext(connection) as many:
        client.get(PAGE)
    assert len(few) == len(many) == 5


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_sign_error_reads_the_petition_once_and_what_the_page_reads(
    client, sign, petition, language
):
    """The form shown again with an error reads the petition (with its campaign, goal,
    translation and questions) as the page does, not a second time for its goal or
    campaign; with the petition kept a few seconds (under a rush), not at all."""
    from tadamun.petitions.models import PetitionTranslation

    PetitionTranslation.objects.create(
        petition=petition, language="ar", title="افتحوا الحدود", body="أدخلوهم.", target="الوزراء"
    )
    sign("first@example.org", confirm=True, show_name=True)
    with translation.override(language):
        site_identity()  # read once a minute (cached), not per page
    path = f"/{language}/petitions/open-the-borders/sign/"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, sign_form(email="bad"))
    assert b"errorlist" in response.content
    petition_reads = [q for q in queries if 'FROM "petitions_petition" ' in q["sql"]]
    assert len(petition_reads) == 1
    # The petition, its questions, the three lists; in Arabic its translation and the
    # campaign's (whose title is in the page's header), as on the page.
    assert len(queries) == (7 if language == "ar" else 5)
    page = client.get(f"/{language}/petitions/open-the-borders/")
    with CaptureQueriesContext(connection) as page_queries:
        client.get(f"/{language}/petitions/open-the-borders/")
    assert [q["sql"] for q in queries] == [q["sql"] for q in page_queries]
    assert page.status_code == 200
    with (
        CaptureQueriesContext(connection) as kept,
        override_settings(PETITION_PAGE_CACHE_SECONDS=60),
    ):
        client.post(path, sign_form(email="bad"))
        client.post(path, sign_form(email="bad"))
    # The first of the two reads the petition; the second only the three lists (the
    # campaign's translation is kept with the petition).
    assert len(kept) == len(queries) + 3
    assert [q for q in kept[len(queries) :] if "petitions_petition" in q["sql"]] == []


def test_more_countries_than_shown_are_counted(client, sign, petition):
    countries = ["FR", "DE", "TR", "ES", "GB", "LB", "SE", "NL", "IT", "JO", "US", "CA"]
    for index, country in enumerate(countries):
        sign(f"s{index}@example.org", country, confirm=True)
    html = client.get(PAGE).content.decode()
    assert html.count("<tr><td>") == 10
    assert "The 12 countries with signatures are all in the JSON data below." in html


def test_country_names_are_written_once_per_language(client, petition):
    core_forms._options_in.cache_clear()
    client.get(PAGE)
    client.get(PAGE)
    client.post(SIGN, sign_form(email="bad"))
    client.get("/fr/petitions/open-the-borders/")
    info = core_forms._options_in.cache_info()
    # The second page reuses the whole unbound form ({% unbound_form %}): only the sign error
    # writes the English list again.
    assert (info.misses, info.hits) == (2, 1)
    assert '<option value="DE">Germany</option>' in client.get(PAGE).content.decode()
    french = client.get("/fr/petitions/open-the-borders/").content.decode()
    assert '<option value="DE">Allemagne</option>' in french
    arabic = client.get("/ar/petitions/open-the-borders/").content.decode()
    assert '<option value="DE">ألمانيا</option>' in arabic


def test_the_chosen_country_stays_chosen(client, petition):
    html = client.post(SIGN, sign_form(email="bad", country="TR")).content.decode()
    assert '<option value="TR" selected>' in html
    assert html.count(" selected>") == 1


# core/field.html as it was, before `{% field %}` wrote it in Python.
FIELD_AS_TEMPLATE = """{% load i18n %}<div class="field{% if field.errors %} has-error{% endif %}{% if field.widget_type == 'checkbox' %} checkbox{% endif %}">
  {% if field.widget_type == "checkbox" %}
  <label for="{{ field.id_for_label }}">{{ field }} <span>{{ field.label }}</span></label>
  {% else %}
  <label for="{{ field.id_for_label }}">{{ field.label }}{% if not field.field.required and not search %} <span class="muted">({% translate "optional" %})</span>{% endif %}</label>
  {{ field }}
  {% endif %}
  {% if field.help_text %}<span class="help" id="{{ field.auto_id }}_helptext">{{ field.help_text }}</span>{% endif %}
  {% if field.errors %}<ul class="errorlist" id="{{ field.auto_id }}_error">{% for error in field.errors %}<li>{{ error }}</li>{% endfor %}</ul>{% endif %}
</div>"""  # noqa: E501

FORMS = [
    {},
    sign_form(),
    sign_form(name="", email="not <an> address", country="ZZ", comment="\x00", show_name="on"),
    sign_form(name='"Amal" <b>&amp;</b>', wants_updates="on", website="x", source="amal"),
]


def _django_renderer():
    from django.forms.renderers import DjangoTemplates

    return DjangoTemplates()


@pytest.mark.parametrize("data", FORMS)
@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("search", [False, True])
def test_every_field_is_written_as_django_and_the_template_wrote_it(
    make_endorsement, data, language, search
):
    """Every field of the sign form, unbound, valid and with errors, in both directions: the
    widgets written in Python equal Django's, and `{% field %}` equals core/field.html."""
    with translation.override(language):
        partner = make_endorsement('Amal "Network" <&>', "FR").organisation
        python = SignForm(data or None, partner=partner, initial={"source": "amal"})
        django = SignForm(
            data or None, partner=partner, initial={"source": "amal"}, renderer=_django_renderer()
        )
        if data:
            python.is_valid()
            django.is_valid()
        reference = Template(FIELD_AS_TEMPLATE)
        tag = Template("{% load tadamun %}{% field field search=search %}")
        for name in python.fields:
            assert str(python[name]) == str(django[name])
            assert python[name].label_tag() == django[name].label_tag()
            context = {"field": django[name], "search": search}
            assert tag.render(Context(context)) == reference.render(Context(context))


@pytest.mark.parametrize("language", ["en", "ar"])
@pytest.mark.parametrize("data", [None, sign_form(email="not <an> address", country="ZZ")])
def test_the_page_is_the_page_drawn_without_the_shortcuts(
    client, sign, petition, drawn_plainly, language, data
):
    """Page bytes with every shortcut (widgets in Python, layout and charts drawn once) equal
    the page drawn plainly, with signatures and without errors or with them."""
    sign("amal@example.org", "DE", confirm=True, show_name=True)
    page, sign_page = PAGE.replace("/en/", f"/{language}/"), SIGN.replace("/en/", f"/{language}/")

    def draw():
        return client.get(page) if data is None else client.post(sign_page, data)

    draw()  # the layout's parts drawn and kept
    fast = draw()
    with drawn_plainly():
        plain = draw()
    assert fast.status_code == plain.status_code == 200
    assert fast.content == plain.content
    assert b'class="chart-bar"' in fast.content
    assert (b'class="errorlist"' in fast.content) == bool(data)


def test_recent_signers_and_top_countries_read_as_values_name_countries_for_the_reader(
    client, sign, petition
):
    """The recent signers and the top countries are read as values, not models: the page
    still names each country in the reader's language, newest signer first, and shows only
    signers who chose to be shown."""
    from tadamun.petitions import queries

    sign("a@example.org", "DE", confirm=True, show_name=True, name="Amal Haddad")
    sign("b@example.org", "TR", confirm=True, show_name=True, name="Yusuf Demir")
    sign("c@example.org", "FR", confirm=True, show_name=False, name="Hidden Person")
    recent = queries.recent_public_signers(petition)
    assert [(signer.public_name, signer.country.code) for signer in recent] == [
        ("Yusuf", "TR"),
        ("Amal", "DE"),
    ]
    countries, total = queries.top_countries(petition)
    assert [(country.code, count) for country, count in countries] == [
        ("DE", 1),
        ("FR", 1),
        ("TR", 1),
    ]
    assert total == 3
    arabic = client.get(PAGE.replace("/en/", "/ar/")).content.decode()
    assert '<li><bdi dir="auto">Yusuf</bdi> · تركيا</li>' in arabic
    assert "<tr><td>ألمانيا</td><td>1</td></tr>" in arabic
    assert "Hidden" not in arabic


# The two lists as the template wrote them, before petitions/rows.py wrote them in Python.
ROWS_AS_TEMPLATE = (
    "{% load tadamun %}{% for country, count in countries %}<tr><td>{{ country.name }}</td>"
    "<td>{{ count }}</td></tr>{% endfor %}|{% for signature in recent %}<li>"
    "{{ signature.public_name|isolate }} · {{ signature.country.name }}</li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "ar", "fr", "de", "es", "tr"])
def test_the_lists_written_in_python_are_what_the_template_wrote(language):
    from django_countries.fields import Country

    from tadamun.petitions import rows
    from tadamun.petitions.queries import PublicSigner

    countries = [(Country("DE"), 1234567), (Country("CI"), 12), (Country("SY"), 0)]
    recent = [
        PublicSigner('Amal "<b>&amp;', Country("LB")),
        PublicSigner("يوسف", Country("TR")),
        PublicSigner("Zoë", Country("US")),
    ]
    with translation.override(language):
        reference = Template(ROWS_AS_TEMPLATE).render(
            Context({"countries": countries, "recent": recent})
        )
        assert f"{rows.country_rows(countries)}|{rows.recent_signers(recent)}" == reference


def test_the_countries_rows_are_written_once_per_language_and_counts(client, sign, petition):
    """The table's rows are a pure function of the language, countries and counts: kept for
    them, never shown with an old count or in another language."""
    from django_countries.fields import Country

    from tadamun.petitions import rows

    rows._country_rows.cache_clear()
    germany = [(Country("DE"), 1234)]
    with translation.override("en"):
        assert rows.country_rows(germany) == "<tr><td>Germany</td><td>1234</td></tr>"
        rows.country_rows(germany)
        assert rows._country_rows.cache_info().hits == 1
        assert "<td>1235</td>" in rows.country_rows([(Country("DE"), 1235)])
    with translation.override("fr"):
        assert rows.country_rows(germany) == "<tr><td>Allemagne</td><td>1234</td></tr>"
    sign("a@example.org", "DE", confirm=True)
    assert "<tr><td>Germany</td><td>1</td></tr>" in client.get(PAGE).content.decode()
    sign("b@example.org", "DE", confirm=True)
    assert "<tr><td>Germany</td><td>2</td></tr>" in client.get(PAGE).content.decode()
