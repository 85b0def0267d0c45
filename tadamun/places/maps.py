"""A world map drawn on the server from offline outlines: no tiles, no script, no third party.

Country outlines come from the `countryinfo` package (Natural Earth's small-scale outlines,
longitude/latitude). They are projected once per process with the Equal Earth projection into
an SVG served at /places/world.svg; pages draw their markers over it in the same coordinates.
"""

import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from countryinfo import CountryInfo

# Equal Earth (Bojan Šavrič, Tom Patterson, Bernhard Jenny: "The Equal Earth map projection",
# International Journal of Geographical Information Science 33(3), 2019, 454-465,
# doi:10.1080/13658816.2018.1504949): equal-area, so a country's size on the map is honest,
# with a closed-form forward projection.
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2


def _equal_earth(latitude: float, longitude: float) -> tuple[float, float]:
    """Unscaled Equal Earth x (east) and y (north) of a point given in degrees."""
    theta = math.asin(_M * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = math.radians(longitude) * math.cos(theta)
    x /= _M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return x, y


_X_MAX = _equal_earth(0, 180)[0]
_Y_MAX = _equal_earth(90, 0)[1]
WIDTH = 1000
_SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = math.ceil(2 * _Y_MAX * _SCALE)  # 487
VIEWBOX = f"0 0 {WIDTH} {HEIGHT}"

LAND = "#e4dfd3"  # the site's panel and paper colours (static/css/site.css)
BORDER = "#fdfcf9"
# Antarctica is a long strip at the bottom that no campaign marks; leaving it out saves bytes.
LEFT_OUT = {"AQ"}


def project(latitude: float, longitude: float) -> tuple[float, float]:
    """The point's x (rightwards) and y (downwards) in the map's viewBox (0 0 WIDTH HEIGHT)."""
    latitude = max(-90.0, min(90.0, latitude))
    longitude = (longitude + 180.0) % 360.0 - 180.0 if abs(longitude) > 180 else longitude
    x, y = _equal_earth(latitude, longitude)
    return WIDTH / 2 + x * _SCALE, HEIGHT / 2 - y * _SCALE


def _polygons(geometry: dict) -> Iterator[list]:
    if geometry.get("type") == "Polygon":
        yield geometry["coordinates"]
    elif geometry.get("type") == "MultiPolygon":
        yield from geometry["coordinates"]


def _tenths(value: int) -> str:
    """An integer count of tenths as the shortest SVG number: 12 → "1.2", -3 → "-.3"."""
    sign = "-" if value < 0 else ""
    whole, tenth = divmod(abs(value), 10)
    text = (str(whole) if whole else "") + (f".{tenth}" if tenth else "")
    return sign + (text or "0")


def _ring_path(ring: list) -> str:
    """One closed ring as "M x y l dx dy ... z" on a grid of tenths, repeated points dropped."""
    points = []
    for longitude, latitude, *_ in ring:
        x, y = project(latitude, longitude)
        point = (round(x * 10), round(y * 10))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    if len(points) < 3:
        return ""  # an islet smaller than the grid
    (x0, y0), parts = points[0], []
    for (px, py), (x, y) in zip(points, points[1:], strict=False):
        parts.append(_pair(x - px, y - py))
    return f"M{_tenths(x0)} {_tenths(y0)}l{''.join(parts).lstrip()}z"


def _pair(dx: int, dy: int) -> str:
    # Numbers are separated by a space, or by nothing before a minus sign.
    x, y = _tenths(dx), _tenths(dy)
    return (x if x.startswith("-") else " " + x) + (y if y.startswith("-") else " " + y)


def _country_paths() -> Iterator[tuple[str, str]]:
    # countryinfo 1.0.1 has no outline for Hungary, Serbia, Montenegro, Kosovo, Myanmar,
    # Jamaica and some small islands: they show as gaps, the colour of the sea.
    for info in CountryInfo.all().values():
        code = (info.get("ISO") or {}).get("alpha2", "")
        features = (info.get("geoJSON") or {}).get("features") or []
        if code in LEFT_OUT or not features:
            continue
        rings = (
            _ring_path(ring)
            for feature in features
            for polygon in _polygons(feature.get("geometry") or {})
            for ring in polygon
        )
        if path := "".join(rings):
            yield code, path


@functools.cache
def world_outline_svg() -> str:
    """The world's countries as a standalone SVG document, one path per country.

    Colours are presentation attributes (a strict CSP forbids style attributes and elements).
    """
    paths = "\n".join(f'<path d="{d}"/>' for _code, d in sorted(_country_paths()))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{VIEWBOX}" '
        f'width="{WIDTH}" height="{HEIGHT}">\n'
        f'<g fill="{LAND}" fill-rule="evenodd" stroke="{BORDER}" stroke-width=".5" '
        f'stroke-linejoin="round">\n{paths}\n</g>\n</svg>\n'
    )


@dataclass(frozen=True)
class Marker:
    x: float
    y: float
    r: float
    label: str
    href: str
    count: int


# Sizes are chosen for the narrowest screen: a phone draws the map PHONE_MAP_PX wide (375 px
# less the page's margins), where the smallest circle must still be a TAP_PX target; wider
# screens draw the circles smaller again in CSS (.world-map-link in site.css).
PHONE_MAP_PX = 343
TAP_PX = 26
MIN_RADIUS = TAP_PX / 2 * WIDTH / PHONE_MAP_PX  # one event, in whole-world units
MAX_RADIUS = 1.5 * MIN_RADIUS  # two or more: the count written inside tells the rest
ASPECT = 1.5  # width / height of a zoomed-in view: taller than the world, for a phone


def _radius(count: int) -> float:
    return min(MAX_RADIUS, MIN_RADIUS * math.sqrt(max(count, 1)))


def markers(points: Iterable[tuple[float, float, str, str, int]]) -> list[Marker]:
    """Circles for (latitude, longitude, label, href, count) points, big ones first.

    A circle's radius grows with the square root of its count up to MAX_RADIUS; drawing the
    big ones first leaves the small ones on top, where they can be clicked.
    """
    result = []
    for latitude, longitude, label, href, count in points:
        x, y = project(latitude, longitude)
        result.append(
            Marker(round(x, 1), round(y, 1), round(_radius(count), 1), label, href, count)
        )
    return _biggest_first(result)


def _biggest_first(markers: list[Marker]) -> list[Marker]:
    return sorted(markers, key=lambda marker: (-marker.r, marker.label))


@dataclass(frozen=True)
class Framed:
    """Markers and the part of the world (a viewBox) that shows all of them."""

    viewbox: str
    markers: list[Marker]


MIN_VIEW_WIDTH = WIDTH / 6  # about the width of Europe: closer, one city fills the map
MARGIN = 40.0  # room around the outermost markers, in whole-world units


def framed(markers: list[Marker]) -> Framed:
    """Zoom to the markers: the smallest view (ASPECT wide, or the world's height) that holds
    them all with a margin, never narrower than MIN_VIEW_WIDTH nor beyond the world. Radii
    shrink with the view, so a circle has the same size on the screen at any zoom; circles
    that would then overlap merge into one (see `clustered`)."""
    if not markers:
        return Framed(VIEWBOX, markers)
    xs, ys = [m.x for m in markers], [m.y for m in markers]
    width = max(
        max(xs) - min(xs) + 2 * MARGIN, (max(ys) - min(ys) + 2 * MARGIN) * ASPECT, MIN_VIEW_WIDTH
    )
    width = min(width, WIDTH)
    height = min(width / ASPECT, HEIGHT)
    left = min(max((max(xs) + min(xs) - width) / 2, 0), WIDTH - width)
    top = min(max((max(ys) + min(ys) - height) / 2, 0), HEIGHT - height)
    zoom = width / WIDTH
    return Framed(f"{left:.1f} {top:.1f} {width:.1f} {height:.1f}", clustered(markers, zoom))


def clustered(markers: list[Marker], zoom: float = 1.0) -> list[Marker]:
    """The markers drawn at `zoom` (a view's width over the world's), circles that would
    overlap merged into one: at the count-weighted centre of its cities, with their total
    count (written inside it), every city's label, and the link of its biggest city."""
    result = [replace(m, r=round(_radius(m.count) * zoom, 2)) for m in _biggest_first(markers)]
    merged = True
    while merged:  # a grown or moved circle may reach one before it: once more, until none do
        merged = False
        i = 0
        while i < len(result):
            j = i + 1
            while j < len(result):
                big, small = result[i], result[j]
                if math.dist((big.x, big.y), (small.x, small.y)) < big.r + small.r:
                    result[i] = _merge(big, result.pop(j), zoom)
                    merged, j = True, i + 1
                else:
                    j += 1
            i += 1
    return _biggest_first(result)


def _merge(big: Marker, small: Marker, zoom: float) -> Marker:
    count = big.count + small.count
    return Marker(
        x=round((big.x * big.count + small.x * small.count) / count, 1),
        y=round((big.y * big.count + small.y * small.count) / count, 1),
        r=round(_radius(count) * zoom, 2),
        label=f"{big.label}; {small.label}",
        href=big.href,
        count=count,
    )
