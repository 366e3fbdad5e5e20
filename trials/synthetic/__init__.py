"""Synthetic trials at registry scale, for benchmarks and tests (`manage.py generate_trials`).

Every synthetic trial is marked `is_synthetic`, has an NCT ID in the NCT9... range (the registry
hands out NCT0...), says what it is in its source description, and can never be published: a
database constraint forbids it. generate_trials refuses a database that holds real trials unless
told otherwise.

The mixes follow the registry's roughly: about two thirds of trials closed (completed most), one
in ten recruiting; phases including "not applicable" and two-phase trials; most trials for adults
with no upper age, some for children only; sites per trial skewed (median 2, a long tail to
several hundred) in real cities the gazetteer (trials/places/gazetteer.py) locates, weighted by
country. The text is synthetic (vocabulary.py).

Loading is bulk: on PostgreSQL, COPY, with the search vector computed in the database by the same
expression as trials.search.columns.weighted_vector() and secondary indexes rebuilt once after a
large load; elsewhere, bulk_create in batches. All in one transaction.

The package: load.py (numbering, batches, the report), generator.py (one trial and its rows),
mixes.py and vocabulary.py (data), pools.py (cities, drugs), writers.py (COPY or bulk_create).
"""

from .load import (
    SYNTHETIC_VERSION,
    RealTrialsPresent,
    generate_trials,
    vacuum_analyze,
)

__all__ = ["SYNTHETIC_VERSION", "RealTrialsPresent", "generate_trials", "vacuum_analyze"]
