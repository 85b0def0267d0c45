import math
import re
import xml.etree.ElementTree as ET

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tadamun.places import maps

SVG = "{http://www.w3.org/2000/svg}"


def test_the_origin_is_the_centre():
    assert maps.project(0, 0) == pytest.approx((maps.WIDTH / 2, maps.HEIGHT / 2))


def test_north_is_up_and_east_is_right():
    x0, y0 = maps.project(0, 0)
    assert maps.project(45, 0)[1] < y0 < maps.project(-45, 0)[1]
    assert maps.project(0, -45)[0] < x0 < maps.project(0, 45)[0]
    berlin, cairo = maps.project(52.5, 13.4), maps.project(30.0, 31.2)
    assert cairo[0] > berlin[0] and cairo[1] > berlin[1]


@pytest.mark.parametrize("latitude", [-90, -89.9, -45, 0, 45, 89.9, 90, 120, -1000])
@pytest.mark.parametrize("longitude", [-180, -179.9, 0, 179.9, 180, 181, -540])
def test_every_point_stays_in_the_viewbox(latitude, longitude):
    x, y = maps.project(latitude, longitude)
    assert 0 <= x <= maps.WIDTH and 0 <= y <= maps.HEIGHT


def test_the_map_fills_the_viewbox():
    assert maps.project(0, -180)[0] == pytest.approx(0)
    assert maps.project(0, 180)[0] == pytest.approx(maps.WIDTH)
    assert maps.project(90, 0)[1] == pytest.approx(0, abs=1)
    assert maps.project(-90, 0)[1] == pytest.approx(maps.HEIGHT, abs=1)


def test_equal_earth_keeps_areas():
    """A degree square far north covers as much of the map as of the globe, to the equator's."""

    def map_area(latitude, longitude):
        corners = [(latitude, longitude), (latitude, longitude + 1)]
        corners += [(latitude + 1, longitude + 1), (latitude + 1, longitude)]
        xy = [maps.project(*corner) for corner in corners]
        edges = zip(xy, xy[1:] + xy[:1], strict=True)
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in edges)) / 2  # shoelace

    def globe_area(latitude):
        return math.sin(math.radians(latitude + 1)) - math.sin(math.radians(latitude))

    assert map_area(70, 20) / map_area(0, 20) == pytest.approx(
        globe_area(70) / globe_area(0), rel=1e-3
    )
    assert map_area(-40, -100) / map_area(0, 20) == pytest.approx(
        globe_area(-40) / globe_area(0), rel=1e-3
    )


def test_markers_grow_with_count_and_big_ones_come_first():
    points = [
        (48.14, 11.58, "Munich", "#munich", 1),
        (-33.9, 18.4, "Cape Town", "#cape", 2),
        (35.6, 139.7, "Tokyo", "#tokyo", 10_000),
    ]
    markers = maps.markers(points)
    assert [m.label for m in markers] == ["Tokyo", "Cape Town", "Munich"]
    assert [m.r for m in markers] == [
        round(maps.MAX_RADIUS, 1),
        round(maps.MIN_RADIUS * math.sqrt(2), 1),
        round(maps.MIN_RADIUS, 1),
    ]
    munich = markers[-1]
    assert (munich.x, munich.y) == pytest.approx(maps.project(48.14, 11.58), abs=0.05)
    assert munich.href == "#munich" and munich.count == 1


def _on_a_phone(framed) -> list[float]:
    """Each circle's diameter in CSS pixels where a phone draws the map, 343 px wide."""
    width = float(framed.viewbox.split()[2])
    return [2 * m.r * maps.PHONE_MAP_PX / width for m in framed.markers]


@pytest.mark.parametrize(
    "points",
    [
        [(50.94, 6.96, "Cologne", "#c", 1), (45.76, 4.84, "Lyon", "#l", 1)],
        [(43.7, -79.4, "Toronto", "#t", 1), (33.9, 35.5, "Beirut", "#b", 1)],
        [(-50, 179.9, "Edge", "#e", 1)],
    ],
)
def test_every_circle_is_a_24_px_tap_target_on_a_phone(points):
    assert min(_on_a_phone(maps.framed(maps.markers(points)))) >= 24


def test_cities_whose_circles_would_overlap_become_one_labelled_cluster():
    cologne, bonn = (
        (50.94, 6.96, "Cologne: 2 events", "#c", 2),
        (50.73, 7.1, "Bonn: 1 event", "#b", 1),
    )
    lyon = (45.76, 4.84, "Lyon: 1 event", "#l", 1)
    framed = maps.framed(maps.markers([cologne, bonn, lyon]))
    assert [(m.label, m.href, m.count) for m in framed.markers] == [
        ("Cologne: 2 events; Bonn: 1 event", "#c", 3),
        ("Lyon: 1 event", "#l", 1),
    ]
    cluster = framed.markers[0]
    x_cologne, x_bonn = maps.project(50.94, 6.96)[0], maps.project(50.73, 7.1)[0]
    assert x_cologne < cluster.x < x_bonn  # between them, nearer the bigger
    for big in framed.markers:
        for small in framed.markers:
            if big is not small:
                assert math.dist((big.x, big.y), (small.x, small.y)) >= big.r + small.r


def test_many_cities_in_one_country_stay_apart_or_merge_quickly():
    points = [(40 + i / 10, -3 + i / 7, f"Town {i}", f"#{i}", 1) for i in range(300)]
    framed = maps.framed(maps.markers(points))
    assert sum(m.count for m in framed.markers) == 300
    assert len(framed.markers) < 30


def test_a_map_of_nearby_cities_zooms_in_and_keeps_circles_their_size_on_screen():
    cologne, lyon = (50.94, 6.96, "Cologne", "#c", 1), (45.76, 4.84, "Lyon", "#l", 1)
    framed = maps.framed(maps.markers([cologne, lyon]))
    left, top, width, height = map(float, framed.viewbox.split())
    assert maps.MIN_VIEW_WIDTH <= width < maps.WIDTH / 4
    assert width / height == pytest.approx(maps.ASPECT, rel=1e-3)  # taller than the world
    for marker in framed.markers:
        assert left < marker.x < left + width and top < marker.y < top + height
        assert marker.r / width == pytest.approx(maps.MIN_RADIUS / maps.WIDTH, rel=0.01)


def test_world_svg(client):
    response = client.get("/places/world.svg")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    assert "public" in response["Cache-Control"] and "max-age=86400" in response["Cache-Control"]
    body = response.content.decode()
    root = ET.fromstring(body)
    assert root.tag == f"{SVG}svg" and root.get("viewBox") == maps.VIEWBOX
    paths = root.findall(f".//{SVG}path")
    assert len(paths) > 150
    assert all(re.fullmatch(r"(M[-\d. ]+l[-\d. ]*z)+", path.get("d")) for path in paths)
    assert re.findall(r"https?:", body) == ["http:"]  # the SVG namespace only
    assert "style" not in body and "script" not in body
    assert len(response.content) < 150_000


def test_world_svg_conditional_get(client):
    first = client.get("/places/world.svg")
    again = client.get("/places/world.svg", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and not again.content
    assert client.head("/places/world.svg").status_code == 200
    assert client.post("/places/world.svg").status_code == 405


def test_a_map_of_distant_cities_shows_the_world_and_an_empty_one_too():
    toronto, beirut = (43.7, -79.4, "Toronto", "#t", 1), (33.9, 35.5, "Beirut", "#b", 1)
    left, top, width, _height = map(
        float, maps.framed(maps.markers([toronto, beirut])).viewbox.split()
    )
    assert left >= 0 and top >= 0 and left + width <= maps.WIDTH and width > maps.WIDTH / 3
    assert maps.framed([]).viewbox == maps.VIEWBOX
    edge = maps.framed(maps.markers([(-50, 179.9, "Edge", "#e", 1)]))
    left, top, width, height = map(float, edge.viewbox.split())
    assert left + width <= maps.WIDTH + 0.1 and top + height <= maps.HEIGHT + 0.1


def test_map_include_draws_linked_circles():
    markers = maps.markers(
        [(48.14, 11.58, "Munich: 2 events", "#munich", 2), (35.93, 36.63, "Idlib <1>", "#idlib", 1)]
    )
    with translation.override("de"):  # a decimal comma would break the coordinates
        html = render_to_string("places/map.html", {"markers": markers, "label": "Events"})
    root = ET.fromstring(html.strip())
    assert root.get("viewBox") == maps.VIEWBOX and root.get("class") == "world-map"
    assert root.find("title").text == "Events"
    assert root.get("aria-labelledby") == root.find("title").get("id")
    assert root.find("image").get("href") == "/places/world.svg"
    links = root.findall("a")
    assert [a.get("href") for a in links] == ["#munich", "#idlib"]
    circles = [a.find("circle") for a in links]
    assert [c.find("title").text for c in circles] == ["Munich: 2 events", "Idlib <1>"]
    assert float(circles[0].get("cx")) == markers[0].x and float(circles[0].get("r")) > 5
    # The count is written inside each circle, for the eye only: the link's label says it.
    counts = [a.find("text") for a in links]
    assert [t.text for t in counts] == ["2", "1"]
    assert counts[0].get("aria-hidden") == "true" and counts[0].get("x") == circles[0].get("cx")
    assert float(counts[0].get("font-size")) <= float(circles[0].get("r"))
    assert "style" not in html and "<script" not in html
