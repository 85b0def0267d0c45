import functools
from datetime import timedelta

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader_tags import BlockNode
from django.urls import translate_url
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.timesince import timeuntil
from django.utils.translation import get_language, get_language_info, gettext, to_locale

from tadamun.core import sharing
from tadamun.core.forms import escaped
from tadamun.core.identity import site_identity
from tadamun.core.markdown import first_paragraph_html
from tadamun.core.paths import on_site, this_page

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to this page in every language: a switcher that needs no JavaScript."""
    return _language_links(this_page(context["request"]), get_language())


@functools.lru_cache(maxsize=1024)
def _language_links(path: str, current: str) -> tuple[dict, ...]:
    """Worked out once per path and language in a process: resolving and reversing the path
    in every language was a tenth of the time an uncached petition page took."""
    links = []
    for code, _name in settings.LANGUAGES:
        url = translate_url(path, code)
        if url == path and code != current and path.startswith(f"/{current}/"):
            url = f"/{code}/{path[len(current) + 2 :]}"
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": on_site(url),
                "current": code == current,
                "direction": "rtl" if info["bidi"] else "ltr",
            }
        )
    return tuple(links)


@register.simple_tag(takes_context=True)
def share_meta(context, title="", description="", image="", kind="website"):
    """The page's description and link-preview tags (Open Graph, Twitter card), every URL
    absolute from SITE_URL. `image`: a card's path, relative to this page ("card.png") or
    from the root; the site's card when none. Pages call it in their `meta` block, base.html
    when they have none (core/tests/test_link_previews.py checks every page has them).
    Written in Python, like `field`: it is on every uncached petition page."""
    identity = site_identity()
    return _share_meta(
        this_page(context["request"], query=False),
        str(title or ""),  # a lazy translation, written in the active language
        str(description or ""),
        image,
        kind,
        get_language(),
        identity.name,
        identity.description,
        settings.SITE_URL,
    )


# typed: a title marked safe and the same characters unmarked are escaped differently.
@functools.lru_cache(maxsize=1024, typed=True)
def _share_meta(path, title, description, image, kind, language, site_name, about, site_url):
    """The tags of `share_meta`, written once per process for the same page, text, language
    and site: they are a pure function of these (site_url is in the key for the tests that
    change it). None of it is personal: titles and descriptions of public pages."""
    if not image:
        image = f"/{language}/{sharing.DEFAULT_IMAGE}"
    elif not image.startswith("/"):
        image = path + image
    title = title or site_name
    description = Truncator(description or about).chars(200)
    image = sharing.absolute(image)
    tags = [
        ("name", "description", description),
        ("property", "og:type", kind),
        ("property", "og:site_name", site_name),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", sharing.absolute(path)),
        ("property", "og:image", image),
        ("property", "og:image:width", "1200"),
        ("property", "og:image:height", "630"),
        ("property", "og:image:alt", title),
        ("property", "og:locale", to_locale(language)),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
        ("name", "twitter:image", image),
    ]
    return format_html_join("\n  ", '<meta {}="{}" content="{}">', tags)


@register.simple_tag
def share_links(url, text):
    """`{% share_links petition.get_absolute_url title %}`: plain links that share the page
    at `url` (a path on this site), and its address in a field to copy without JavaScript."""
    return _share_box(str(url), str(text), get_language(), settings.SITE_URL)


@functools.lru_cache(maxsize=1024, typed=True)
def _share_box(url, text, language, site_url):
    """`share_links`, written once per process for the same address, text and language (the
    language picks the translated words; site_url is in the key for the tests that change it)."""
    address = sharing.absolute(url)
    links = format_html_join(
        "\n  ",
        '<li><a href="{}" rel="noopener noreferrer">{}</a></li>',
        (
            (href, gettext("Email") if name == "email" else name)
            for name, href in sharing.share_links(address, str(text))
        ),
    )
    return format_html(
        '<div class="share-box">\n<p class="muted">{}</p>\n<p><label for="share-url">{}</label>'
        '<br><input id="share-url" type="text" readonly dir="ltr" value="{}"></p>\n'
        '<ul class="share">\n  {}\n</ul>\n</div>',
        gettext("These are plain links: nothing is loaded from these services until you click."),
        gettext("Copy the link"),
        address,
        links,
    )


@register.simple_tag(takes_context=True, name="this_page")
def this_page_tag(context, query=True):
    """`{% this_page query=False %}`: the path of this page, for a link back to it."""
    return this_page(context["request"], query=query)


@register.simple_tag
def confirmation_link_lifetime():
    """How long a confirmation link works, in words of the active language ("1 week")."""
    now = timezone.now()
    return timeuntil(now + timedelta(seconds=settings.CONFIRMATION_LINK_MAX_AGE), now)


@register.filter
def localized(obj, language=None):
    """`{{ campaign|localized }}`: the text of a translatable object for the reader."""
    return obj.localized(language or get_language())


@register.simple_tag
def percent(part, whole):
    """A whole percentage between 0 and 100, for progress bars."""
    if not whole:
        return 0
    return max(0, min(100, round(100 * part / whole)))


@register.filter
def localized_title(obj):
    return obj.localized(get_language()).title


@register.filter
def first_paragraph(html):
    return first_paragraph_html(html)


# Text-direction isolation (DESIGN principle 9) lives in the two filters below and nowhere
# else: `lang_dir` for an element that holds content, `isolate` for content inside a sentence.
# An element with a `dir` attribute (and every <bdi>) is isolated: its text neither takes the
# page's direction nor scrambles the punctuation around it. core/tests/test_isolation.py walks
# the pages with mixed-direction content and fails where a template prints content bare.


def _direction_of(language) -> str:
    if not language:
        return "auto"
    try:
        return "rtl" if get_language_info(language)["bidi"] else "ltr"
    except KeyError:
        return "auto"


@register.filter
def lang_dir(language):
    """`lang="ar" dir="rtl"` for content in `language`, which may differ from the page's;
    `dir="auto"` (the browser reads the direction from the text) when the language is unknown."""
    if not language:
        return mark_safe('dir="auto"')
    return format_html('lang="{}" dir="{}"', language, _direction_of(language))


@register.filter
def isolate(text, language=None):
    """`{{ event.title|isolate }}`: user or organiser text inside a sentence, isolated from it:
    `<bdi dir="auto">`, or `<bdi lang=".." dir="..">` when its language is known."""
    if text is None or text == "":
        return ""
    if language:
        return format_html("<bdi {}>{}</bdi>", lang_dir(language), text)
    # format_html's markup, written directly: it is on every line of the recent signers.
    return mark_safe(f'<bdi dir="auto">{conditional_escape(text)}</bdi>')


@register.filter
def isolate_url(url):
    """A web address shown as text: always left to right, whatever the page's direction."""
    if not url:
        return ""
    return format_html('<bdi dir="ltr">{}</bdi>', url)


@register.filter
def number(value):
    """A count in the reader's locale, thousands grouped ("1,400", "1.400"): as on the cards."""
    return number_format(value, force_grouping=True)


@register.filter
def utc_offset(moment) -> str:
    """ "UTC+1", "UTC−3", "UTC+5:30": a time zone as people understand it anywhere, where
    "Europe/Madrid" means little to a reader in another country (and nothing in Arabic)."""
    offset = moment.utcoffset()
    if offset is None:
        return ""
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


@register.simple_tag
def field(bound_field, search=False):
    """`{% field form.name %}`: a form field with its label, help and errors (what
    core/field.html includes), written in Python: a form is drawn on every uncached petition
    page and sign error, and an include per field costs more than the rest of the field."""
    checkbox = bound_field.widget_type == "checkbox"
    field_errors = bound_field.errors  # a new, empty list on each read when there are none
    classes = "field" + (" has-error" if field_errors else "") + (" checkbox" if checkbox else "")
    # f-strings with escaped() rather than format_html: the same escaping, without Django's
    # lazy-string wrapper on every value (a submitted form escapes about a hundred).
    label_for, label = escaped(bound_field.id_for_label), escaped(bound_field.label)
    widget = escaped(bound_field)
    if checkbox:
        control = f'\n  <label for="{label_for}">{widget} <span>{label}</span></label>\n  '
    else:
        optional = ""
        if not bound_field.field.required and not search:
            optional = f' <span class="muted">({escaped(gettext("optional"))})</span>'
        control = f'\n  <label for="{label_for}">{label}{optional}</label>\n  {widget}\n  '
    help_text = errors = ""
    if bound_field.help_text:
        help_text = (
            f'<span class="help" id="{escaped(bound_field.auto_id)}_helptext">'
            f"{escaped(bound_field.help_text)}</span>"
        )
    if field_errors:
        items = "".join(f"<li>{escaped(error)}</li>" for error in field_errors)
        errors = f'<ul class="errorlist" id="{escaped(bound_field.auto_id)}_error">{items}</ul>'
    return mark_safe(f'<div class="{classes}">\n  {control}\n  {help_text}\n  {errors}\n</div>')


# The parts of the layout drawn by `{% layout %}`, by the template and number of their tag, the
# language, the page's path and the site's identity. Bounded: emptied when full.
_LAYOUT_PARTS: dict[tuple, str] = {}
LAYOUT_PARTS_KEPT = 4096


@receiver(setting_changed)
def _forget_drawn_parts(**kwargs):
    """Tests change the URLs, languages or templates a part or form was drawn with."""
    _LAYOUT_PARTS.clear()
    _UNBOUND_FORMS.clear()


def _drawn_once(memo: dict, kept: int, key: tuple, nodelist, context) -> str:
    """`nodelist` drawn in `context`, kept in `memo` under `key`: a full memo is emptied,
    not grown."""
    if (html := memo.get(key)) is None:
        if len(memo) >= kept:
            memo.clear()
        html = memo[key] = nodelist.render(context)
    return html


class LayoutNode(template.Node):
    # Not walked when a page looks for base.html's {% block %}s (Django walks the whole
    # layout on every page that extends it: a tenth of a petition page's function calls):
    # a part of the layout is the same for every page, so it holds no block.
    child_nodelists = ()

    def __init__(self, nodelist, number: int):
        self.nodelist = nodelist
        self.number = number  # the first, second... `{% layout %}` of its template

    def render(self, context):
        if settings.DEBUG:  # templates edited while the server runs: draw them as they are
            return self.nodelist.render(context)
        key = (
            self.origin.name,  # which part: the template and the number of its tag
            self.number,
            get_language(),
            this_page(context["request"]),
            repr(context.get("identity")),
        )
        return _drawn_once(_LAYOUT_PARTS, LAYOUT_PARTS_KEPT, key, self.nodelist, context)


@register.tag
def layout(parser, token):
    """`{% layout %}…{% endlayout %}`: a part of base.html (header, footer) drawn once per
    process for each language, path and site identity, then reused: the same for every
    page of a language, it was a fifth of the time an uncached petition page took.

    What it wraps may use only the language, the request's path and `identity` (and what
    only a deploy changes: URLs, static files, translations), never a visitor's session,
    the page's objects or its form."""
    nodelist = parser.parse(("endlayout",))
    if nodelist.get_nodes_by_type(BlockNode):
        raise template.TemplateSyntaxError(
            "{% layout %} is the same for every page: no {% block %} in it."
        )
    parser.delete_first_token()
    parser.layout_parts = getattr(parser, "layout_parts", 0) + 1
    return LayoutNode(nodelist, parser.layout_parts)


# Unbound forms drawn by `{% unbound_form %}`, by template, tag, language, form class and the
# keys the template gives. Bounded like the layout's parts: emptied when full.
_UNBOUND_FORMS: dict[tuple, str] = {}
UNBOUND_FORMS_KEPT = 512


class UnboundFormNode(template.Node):
    def __init__(self, nodelist, form, keys, number: int):
        self.nodelist, self.form, self.keys, self.number = nodelist, form, keys, number

    def render(self, context):
        form = self.form.resolve(context)
        if settings.DEBUG or form.is_bound:  # a submitted form: its values and errors
            return self.nodelist.render(context)
        key = (
            self.origin.name,
            self.number,
            get_language(),
            type(form),
            form.drawing_key(),
            *(key.resolve(context) for key in self.keys),
        )
        return _drawn_once(_UNBOUND_FORMS, UNBOUND_FORMS_KEPT, key, self.nodelist, context)


@register.tag
def unbound_form(parser, token):
    """`{% unbound_form form petition.pk petition.updated_at %}…{% endunbound_form %}`: a form
    nobody has submitted yet, drawn once per process for each language, form class, the
    form's `drawing_key()` and the values given (the version of what the form belongs to),
    then reused. A submitted form is drawn every time.

    What it wraps may use only these, the language and what only a deploy changes, never a
    CSRF token (a form with one belongs to one visitor's session: never wrap it), a
    visitor's data or anything the keys do not version."""
    form, *keys = [parser.compile_filter(bit) for bit in token.split_contents()[1:]]
    nodelist = parser.parse(("endunbound_form",))
    parser.delete_first_token()
    parser.unbound_forms = getattr(parser, "unbound_forms", 0) + 1
    return UnboundFormNode(nodelist, form, keys, parser.unbound_forms)
