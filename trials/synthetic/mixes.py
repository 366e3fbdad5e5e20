"""Data: how often each value comes up in synthetic trials, after the registry's shares (rounded).
A table of numbers, not logic."""

from . import vocabulary as text

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
    ("KR", "South Korea", 2.5, 25),
    ("AU", "Australia", 2.5, 25),
    ("NL", "Netherlands", 2, 25),
    ("BE", "Belgium", 2, 20),
    ("PL", "Poland", 2, 25),
    ("BR", "Brazil", 1.8, 40),
    ("EG", "Egypt", 1.5, 15),
    ("IL", "Israel", 1.5, 15),
    ("TW", "Taiwan", 1.5, 15),
    ("RU", "Russia", 1.2, 30),
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
