from django import template
from django.utils.html import format_html_join

from tadamun.places import maps

register = template.Library()


@register.simple_tag
def world_map_size() -> dict:
    """The world map's viewBox, width and height, for `{% world_map_size as world %}`."""
    return {"viewbox": maps.VIEWBOX, "width": maps.WIDTH, "height": maps.HEIGHT}


@register.simple_tag
def map_circles(markers) -> str:
    """One linked circle per marker, written in Python: a day of action can have hundreds
    and the template language would take most of the page's time drawing them."""
    return format_html_join(
        "\n",
        '<a class="world-map-link" href="{}" aria-label="{}"><circle class="world-map-marker" '
        'cx="{}" cy="{}" r="{}" fill="#0b6b50" fill-opacity=".6" stroke="#fdfcf9" '
        'stroke-width="1"><title>{}</title></circle></a>',
        ((m.href, m.label, repr(m.x), repr(m.y), repr(m.r), m.label) for m in markers),
    )
