import pytest


@pytest.fixture
def no_cities(db):
    """An empty gazetteer (the test database starts with some countries: conftest.py)."""
    from tadamun.places.models import City, CityName

    CityName.objects.all().delete()
    City.objects.all().delete()


@pytest.fixture
def cities(gazetteer):
    """Munich, Istanbul, Idlib, Paris, London, Beirut and Tripoli (Lebanon and Libya), Amman,
    Cairo and their neighbours: the towns of 15,000 people or more (conftest.py)."""
