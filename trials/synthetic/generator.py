"""The generator: made-up trials with their rows, as plain dicts ready for bulk writing."""

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from ..models import Arm, Collaborator, Contact, Intervention, Official, Outcome, Site, Trial
from ..search.columns import derived_columns
from ..vocabularies import OPEN_STATUSES
from . import vocabulary as text
from .ages import age_years, cached_age_bounds, standard_ages
from .mixes import (
    ADULT_WOMEN_AGES,
    AGES,
    CHILD_AGES,
    CHILD_SHARE,
    CHILDHOOD,
    COUNTRIES,
    EUROPE,
    EXPANDED_ACCESS_STATUSES,
    FEMALE_ONLY,
    MALE_ONLY,
    MAX_SITES,
    PHASES,
    PUBLIC_SPONSORS,
    SITE_SPREAD,
    SITE_STATUSES_OPEN,
    SPONSOR_CLASSES,
    STATUSES,
    STUDY_TYPES,
)
from .pools import city_pool, drug_approvals, weighted
from .writers import ARM_LINKS, TABLES

# Dates are drawn relative to a fixed day, so that a seed gives the same trials on any day.
REFERENCE_DATE = date(2026, 11, 1)
SOURCE_DESCRIPTION = (
    "Synthetic trial made up by generate_trials for benchmarks and tests. It is not a real "
    "study: every fact on this page is invented."
)


def nct_id(number):
    return f"NCT{number:08d}"


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
        """What search.columns.refresh_search_fields() writes, without a query per trial."""

        def aliases_of(names):
            aliases = set()
            for name in names:
                aliases.update(text.OTHER_NAMES.get(name, ()))
                aliases.update(self.approvals.get(name.lower(), ()))
            return sorted(aliases)

        trial.update(
            derived_columns(
                trial,
                interventions=interventions,
                known_drugs=list(self.approvals),
                aliases_of=aliases_of,
                secondary_ids=[],
                collaborators=collaborators,
                officials=[(official["name"], official["affiliation"]) for official in officials],
                sites=sites,
            )
        )
