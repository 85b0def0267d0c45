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
    """One linked circle per marker with its count written inside, in Python: a day of action
    can have hundreds and the template language would take most of the page's time drawing
    them. The link's label names the cities; the count is only drawn, not read out twice."""
    return format_html_join(
        "\n",
        '<a class="world-map-link" href="{}" aria-label="{}"><circle class="world-map-marker" '
        'cx="{}" cy="{}" r="{}" fill="#0b6b50" stroke="#fdfcf9" stroke-width="{}">'
        "<title>{}</title></circle>"
        '<text class="world-map-count" x="{}" y="{}" font-size="{}" fill="#fff" '
        'text-anchor="middle" dominant-baseline="central" aria-hidden="true">{}</text></a>',
        map(_marker_arguments, markers),
    )


def _marker_arguments(m) -> tuple:
    x, y, r = repr(m.x), repr(m.y), repr(m.r)
    return (
        m.href,
        m.label,
        x,
        y,
        r,
        _number(m.r / 8),
        m.label,
        x,
        y,
        _number(_font_size(m)),
        m.count,
    )


def _font_size(marker) -> float:
    """As big as fits the circle: three digits fill it at 0.9 of the radius, more get smaller."""
    return marker.r * min(0.9, 3 / max(len(str(marker.count)), 1) * 0.9)


def _number(value: float) -> str:
    return repr(round(value, 2))
