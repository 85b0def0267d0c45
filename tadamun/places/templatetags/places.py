from django import template

from tadamun.places import maps

register = template.Library()


@register.simple_tag
def world_map_size() -> dict:
    """The world map's viewBox, width and height, for `{% world_map_size as world %}`."""
    return {"viewbox": maps.VIEWBOX, "width": maps.WIDTH, "height": maps.HEIGHT}
