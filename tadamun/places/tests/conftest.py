import pytest

# Munich, Istanbul, Idlib, Paris, London, Beirut and Tripoli, Amman, Cairo, and their
# neighbours: each country's towns of 15,000 people or more.
GAZETTEER_COUNTRIES = ["DE", "SY", "TR", "FR", "GB", "LB", "LY", "JO", "EG"]


@pytest.fixture
def cities(db):
    """The gazetteer for a few countries (3,561 cities with 43,327 names).

    The extract is parsed once per test process (0.5 s); after that a use costs the inserts:
    0.2 s on SQLite, about 1 s on PostgreSQL. The United States would add 3,407 cities and
    50,150 names.
    """
    from tadamun.places import services

    services.load_cities(15000, countries=GAZETTEER_COUNTRIES)
