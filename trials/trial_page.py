"""What the trial page says beyond the record's own fields: the phase in plain words,
sites grouped by place (and by distance from a place), the map's points, publications grouped,
the drugs' approvals, related trials, the glossary, and the schema.org description."""

import json
import re
from collections import Counter
from itertools import groupby

from django.db import connection
from django.db.models import Q, prefetch_related_objects
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from .models import DrugApproval, GlossaryTerm, Intervention, Publication, Trial
from .places.countries import country_in_language
from .places.distance import distance_km
from .places.gazetteer import fold
from .search.columns import trial_drugs
from .status import site_status
from .translations import Curated
from .vocabularies import Phase, Status

PHASE_MEANINGS = {
    Phase.EARLY_PHASE1: _("A first, very small test in people, before the usual phase 1."),
    Phase.PHASE1: _("Tests safety and the right dose in a small group of people."),
    Phase.PHASE2: _("Tests whether the treatment works and looks further at its safety."),
    Phase.PHASE3: _("Compares the treatment with the usual treatment in a large group of people."),
    Phase.PHASE4: _("Follows a treatment already approved, to learn more about it."),
    Phase.NA: _("Phases apply to trials of new drugs; this study has none."),
}


def phase_lines(trial):
    """[(label, meaning)] for each of the trial's phases."""
    return [
        (Phase(p).label, PHASE_MEANINGS[p]) if p in Phase.values else (p, "") for p in trial.phases
    ]


# Beyond this many sites, a trial's page seen from no place lists the countries, each a link to
# its own sites: a family looks for theirs among 20 countries rather than 900 sites, and the page
# is no longer made of every site (a 900-site page took 300 ms without the cache, bench/RESULTS.md).
MANY_SITES = 50


def listed_sites(trial, *, from_place, country):
    """The sites the page lists, each with its contacts and confirmations read: every site, or,
    for a trial of many sites in several countries seen from no place, those of the `country`
    chosen (None: none yet).
    Returns (sites, whether the page lists them by country)."""
    sites = trial.sites.all()
    # In one country there is nothing to choose: its sites are listed.
    in_several = len({site.country for site in sites}) > 1
    by_country = len(sites) > MANY_SITES and in_several and not from_place
    if by_country:
        sites = [site for site in sites if country is not None and in_country(site, country)]
    prefetch_related_objects(list(sites), "contacts", "confirmations")
    return sites, by_country


def in_country(site, country):
    """Whether a site is in the country chosen, as the registry writes it, whatever the case."""
    return site.country.casefold() == country.casefold()


def site_countries(sites):
    """[(country, number of sites)], in the alphabetical order of the page's language."""
    counts = Counter(site.country for site in sites)
    return sorted(counts.items(), key=lambda pair: alphabetical(pair[0]))


def alphabetical(country):
    """A country's place in the alphabetical order of the page's language, accents aside:
    "Bélgica" before "Bulgaria"."""
    return fold(country_in_language(country) or country)


def sites_by_place(sites, distances=None, region=None, country=None):
    """Sites grouped by country, then city: [(country, [(city, [site, ...]), ...]), ...].
    With `distances` ({site pk: km}), the nearest places come first; with a `region` (a state or
    country the visitor named), its sites come first; with a `country` chosen (as the registry
    writes it: the list's country filter), its sites come first."""
    if region is not None:
        first = sorted(sites, key=lambda s: (not in_region(s, region), s.country, s.city, s.order))
    elif country is not None:
        first = sorted(
            sites,
            key=lambda s: (not in_country(s, country), alphabetical(s.country), s.city, s.order),
        )
    elif distances:
        first = sorted(sites, key=lambda s: (distances.get(s.pk, float("inf")), s.order))
    else:
        first = None
    if first is None:  # countries in the alphabetical order of the page's language
        ordered = sorted(sites, key=lambda s: (alphabetical(s.country), s.city, s.order))
    else:  # each country where its first site comes, its sites in that order
        country_order = {}
        for site in first:
            country_order.setdefault(site.country, len(country_order))
        ordered = sorted(first, key=lambda s: country_order[s.country])
    grouped = []
    for name, of_country in groupby(ordered, key=lambda s: s.country):
        cities = {}
        for site in of_country:
            cities.setdefault(site.city, []).append(site)
        # No country: "" (the page says "Country not given" in its language).
        grouped.append((name, list(cities.items())))
    return grouped


def in_region(site, region):
    if site.country.lower() != region.country.lower():
        return False
    return region.kind == "country" or site.state.lower() in {n.lower() for n in region.state_names}


def first_site(grouped):
    """The site listed first (the nearest, or the first in the region named), or None."""
    for _country, cities in grouped:
        for _city, sites in cities:
            return sites[0]
    return None


def first_and_rest(grouped):
    """The country listed first (the nearest, or the one the visitor named) and the others, which
    the page folds away with their count: on a trial of 100 sites the family's own come first."""
    rest = grouped[1:]
    return grouped[:1], rest, sum(len(sites) for _, cities in rest for _, sites in cities)


RELATED_CANDIDATES = 200


def related_trials(trial, *, limit=6):
    """Other published trials sharing an intervention or a condition, open ones first.

    In a registry of 500,000 trials a common treatment is shared by a great many: the candidates
    are the first RELATED_CANDIDATES found through each index (intervention name; conditions,
    GIN-indexed on PostgreSQL), so the page's cost does not grow with the registry."""
    names = [intervention.name for intervention in trial.interventions.all()]
    # Ordered by id, not by the models' own order (NCT ID), which would join and sort every match.
    by_treatment = Intervention.objects.filter(name__in=names).order_by("trial_id")
    candidates = by_treatment.values_list("trial_id", flat=True)[:RELATED_CANDIDATES]
    if trial.conditions:
        same_condition = Q()
        for condition in trial.conditions:
            same_condition |= Q(conditions__has_item=condition)
        # In the order the condition index finds them (sorting them all by id costs more).
        by_condition = Trial.objects.filter(same_condition).order_by()
        by_condition = by_condition.values_list("pk", flat=True)[:RELATED_CANDIDATES]
        if connection.features.supports_slicing_ordering_in_compound:
            # One list (a UNION): PostgreSQL reads just those trials by id and sorts them; with
            # two lists joined by OR it walked its open-first index testing every trial on the
            # way, most of a trial page's SQL at 500,000 trials (bench/RESULTS.md).
            candidates = candidates.union(by_condition)
        else:  # SQLite cannot limit the parts of a UNION; at its scale OR does as well
            candidates = Q(pk__in=candidates) | Q(pk__in=by_condition)
    shares = candidates if isinstance(candidates, Q) else Q(pk__in=candidates)
    related = Trial.objects.published().filter(shares).exclude(pk=trial.pk)
    # A card's columns are all the links need: whole rows carry each record's text.
    return list(related.for_cards().open_first()[:limit])


class Glossary:
    """Explains each glossary term where it is first used on a page, and lists the terms used.

    Text goes in plain and comes out escaped, with the first use of a term wrapped in a button
    that opens its explanation (an HTML popover: no script needed). On a page in another language
    the term and its explanation are the reviewed translation, or the English marked as English
    (translations.py); a reviewed translation of the term is explained where it is used too."""

    def __init__(self, terms, reviews=None):
        self.definitions = {}
        self.reviews = reviews
        forms = {}
        for term in terms:
            for form in [term.term_en or "", *term.also_matches, self.translated(term)]:
                if form:
                    forms[form.lower()] = term
        self.pattern = None
        if forms:
            alternatives = "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True))
            self.pattern = re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.IGNORECASE)
        self.forms = forms
        self.used = []

    @classmethod
    def load(cls, reviews=None):
        return cls(GlossaryTerm.objects.all(), reviews)

    def translated(self, term):
        if self.reviews is None:
            return ""
        shown = self.reviews.text(term, "term")
        return "" if shown.english_instead else shown.text

    def entry(self, term):
        """(the term, its explanation) as the page shows them: Curated texts."""
        if self.reviews is None:
            return Curated(term.term_en or "", "en"), Curated(term.definition_en or "", "en")
        return self.reviews.text(term, "term"), self.reviews.text(term, "definition")

    @property
    def entries(self):
        return [self.entry(term) for term in self.used]

    def explain(self, text):
        escaped = escape(text)
        if not self.pattern or not text:
            return mark_safe(escaped)  # noqa: S308 (escaped above)

        def first_use(match):
            term = self.forms[match.group(0).lower()]
            if term in self.used:
                return match.group(0)
            self.used.append(term)
            slug = f"term-{len(self.used)}"
            name, definition = self.entry(term)
            return render_to_string(
                "includes/glossary_popover.html",
                # The word as found in the escaped text: already safe.
                {
                    "slug": slug,
                    "word": mark_safe(match.group(0)),
                    "name": name,
                    "definition": definition,
                },  # noqa: S308
            ).strip()

        return mark_safe(self.pattern.sub(first_use, escaped))  # noqa: S308 (escaped text)


SCHEMA_STATUS = {
    Status.RECRUITING: "https://schema.org/Recruiting",
    Status.NOT_YET_RECRUITING: "https://schema.org/NotYetRecruiting",
    Status.ENROLLING_BY_INVITATION: "https://schema.org/EnrollingByInvitation",
    Status.ACTIVE_NOT_RECRUITING: "https://schema.org/ActiveNotRecruiting",
    Status.COMPLETED: "https://schema.org/Completed",
    Status.TERMINATED: "https://schema.org/Terminated",
    Status.WITHDRAWN: "https://schema.org/Withdrawn",
    Status.SUSPENDED: "https://schema.org/Suspended",
}


def json_ld(trial, url):
    """The trial as a schema.org MedicalTrial, for search engines and link previews."""
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalTrial",
        "name": trial.title,
        "alternateName": [t for t in (trial.official_title, trial.acronym) if t],
        "identifier": trial.nct_id,
        "url": url,
        "sameAs": trial.registry_url,
        "description": trial.plain_summary_en or trial.brief_summary,
        "healthCondition": [{"@type": "MedicalCondition", "name": c} for c in trial.conditions],
        "phase": [str(Phase(p).label) for p in trial.phases if p in Phase.values],
        "status": SCHEMA_STATUS.get(trial.overall_status),
        "sponsor": {"@type": "Organization", "name": trial.lead_sponsor_name}
        if trial.lead_sponsor_name
        else None,
        "studySubject": [
            {"@type": "Drug", "name": i.name} for i in trial.interventions.all() if i.type == "DRUG"
        ],
        "studyLocation": [
            {"@type": "Place", "name": ", ".join(p for p in (s.facility, s.city, s.country) if p)}
            for s in trial.sites.all()[:50]
        ],
    }
    data = {key: value for key, value in data.items() if value}
    # Escaped so that no record text can close the script element.
    encoded = json.dumps(data, ensure_ascii=False)
    encoded = encoded.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{encoded}</script>')  # noqa: S308


def map_points(trial):
    """The sites with coordinates, for the map (read by static/js/trial-page.js)."""
    as_of = trial.status_as_of
    return [
        {
            "id": site.pk,
            "lat": site.latitude,
            "lon": site.longitude,
            "name": ", ".join(part for part in (site.facility, site.city, site.country) if part),
            # The same words as the site's line on the page, disagreement included.
            "status": str(
                getattr(site_status(trial.overall_status, site.status, as_of=as_of), "words", "")
            ),
        }
        for site in trial.sites.all()
        if site.latitude is not None and site.longitude is not None
    ]


def site_distances(trial, place):
    """{site pk: km from the place} for the trial's sites with coordinates."""
    if place is None:
        return {}
    return {
        site.pk: distance_km(place.latitude, place.longitude, site.latitude, site.longitude)
        for site in trial.sites.all()
        if site.latitude is not None and site.longitude is not None
    }


def group_publications(publications):
    """Results, background and derived papers apart; papers a source page cites come last."""
    groups = {"RESULT": [], "BACKGROUND": [], "DERIVED": [], "CITED": []}
    for publication in publications:
        if publication.origin == Publication.Origin.CURATED:
            groups["CITED"].append(publication)
        else:
            groups.get(publication.reference_type, groups["BACKGROUND"]).append(publication)
    titles = {
        "RESULT": _("Results of this trial"),
        "BACKGROUND": _("Background reading"),
        "DERIVED": _("Papers drawn from this trial"),
        "CITED": _("Cited by the source page"),
    }
    return [(titles[key], items) for key, items in groups.items() if items]


def drug_approvals(trial):
    """The approvals of the trial's drugs (search.columns.trial_drugs: the same drugs that find
    the trial in a search)."""
    approvals = list(DrugApproval.objects.all())
    drugs = trial_drugs(
        [i.name for i in trial.interventions.all()],
        f"{trial.brief_title} {trial.official_title}",
        {approval.drug for approval in approvals},
    )
    names = {drug.lower() for drug in drugs}
    return [approval for approval in approvals if approval.drug.lower() in names]
