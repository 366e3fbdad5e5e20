"""The peer: Datasette serving the same trials and sites from SQLite, with full-text search
(FTS5, Porter stemming) over the portal's four search columns and facets on the fields the
portal's search page counts."""

import json
import sqlite3
import sys
from pathlib import Path

from django.db.models import Q

from trials.models import Intervention, Site, Trial

TRIAL_COLUMNS = {
    "id": "integer primary key",
    "nct_id": "text not null unique",
    "brief_title": "text",
    "official_title": "text",
    "overall_status": "text",
    "phases": "text",  # JSON lists, as Datasette's array facets and filters expect
    "study_type": "text",
    "lead_sponsor_name": "text",
    "lead_sponsor_class": "text",
    "sex": "text",
    "healthy_volunteers": "integer",
    "has_results": "integer",
    "minimum_age": "text",
    "maximum_age": "text",
    "minimum_age_years": "real",
    "maximum_age_years_exclusive": "real",
    "std_ages": "text",
    "conditions": "text",
    "start_date": "text",
    "last_update_post_date": "text",
    "enrollment_count": "integer",
    "site_count": "integer",
    "site_countries": "text",
    "brief_summary": "text",
    "search_primary": "text",
    "search_secondary": "text",
    "search_tertiary": "text",
    "search_other": "text",
}
EXTRA_TRIAL_COLUMNS = {"intervention_types": "text"}
SITE_COLUMNS = {
    "id": "integer primary key",
    "trial_id": "integer not null references trials(id)",
    "facility": "text",
    "status": "text",
    "city": "text",
    "state": "text",
    "zip": "text",
    "country": "text",
    "latitude": "real",
    "longitude": "real",
}
JSON_COLUMNS = {"phases", "std_ages", "conditions", "site_countries"}
# The facets of the portal's search page, in its order, on the same fields.
FACETS = [
    "overall_status",
    {"array": "phases"},
    "study_type",
    {"array": "std_ages"},
    "sex",
    "healthy_volunteers",
    {"array": "site_countries"},
    "lead_sponsor_class",
    {"array": "intervention_types"},
    "has_results",
]
# The indexes the portal's tables have on the same columns: the peer gets the same help.
INDEXES = [
    "create index trials_status on trials (overall_status)",
    "create index trials_last_update on trials (last_update_post_date)",
    "create index trials_age on trials (minimum_age_years, maximum_age_years_exclusive)",
    "create index sites_trial on sites (trial_id)",
    "create index sites_country_city on sites (country, city)",
    "create index sites_coordinates on sites (latitude, longitude)",
]
CHUNK = 10_000


def export(*, path, fingerprint):
    """Write the trials the portal shows, and their sites, to a new SQLite file at `path`."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_suffix(".building")
    building.unlink(missing_ok=True)
    db = sqlite3.connect(building)
    db.executescript("pragma journal_mode = off; pragma synchronous = off;")
    columns = {**TRIAL_COLUMNS, **EXTRA_TRIAL_COLUMNS}
    db.execute(f"create table trials ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    db.execute(f"create table sites ({', '.join(f'{c} {t}' for c, t in SITE_COLUMNS.items())})")
    db.execute("create table bench_meta (key text primary key, value text)")
    trials = Trial.objects.published()
    types = intervention_types(trials)
    rows = trials.order_by("id").values_list(*TRIAL_COLUMNS).iterator(chunk_size=CHUNK)
    insert_trial = (
        f"insert into trials ({', '.join(columns)}) values ({', '.join('?' * len(columns))})"
    )
    json_positions = [i for i, name in enumerate(TRIAL_COLUMNS) if name in JSON_COLUMNS]
    batch = []
    for row in rows:
        row = [plain(value) for value in row]
        for i in json_positions:
            row[i] = json.dumps(row[i])
        row.append(json.dumps(sorted(types.get(row[0], ()))))
        batch.append(row)
        if len(batch) == CHUNK:
            db.executemany(insert_trial, batch)
            batch = []
    db.executemany(insert_trial, batch)
    sites = (
        Site.objects.filter(Q(trial__in=trials))
        .order_by("id")
        .values_list(*SITE_COLUMNS)
        .iterator(chunk_size=CHUNK)
    )
    insert_site = f"insert into sites values ({', '.join('?' * len(SITE_COLUMNS))})"
    batch = []
    for row in sites:
        batch.append(row)
        if len(batch) == CHUNK:
            db.executemany(insert_site, batch)
            batch = []
    db.executemany(insert_site, batch)
    for statement in INDEXES:
        db.execute(statement)
    db.execute(
        "create virtual table trials_fts using fts5(search_primary, search_secondary, "
        'search_tertiary, search_other, content="trials", content_rowid="id", tokenize="porter")'
    )
    db.execute("insert into trials_fts (trials_fts) values ('rebuild')")
    db.execute("insert into bench_meta values ('fingerprint', ?)", [fingerprint])
    db.commit()
    db.execute("analyze")
    db.close()
    building.replace(path)


def intervention_types(trials):
    found = {}
    pairs = (
        Intervention.objects.filter(trial__in=trials)
        .exclude(type="")
        .order_by()
        .values_list("trial_id", "type")
        .iterator(chunk_size=CHUNK)
    )
    for trial_id, kind in pairs:
        found.setdefault(trial_id, set()).add(kind)
    return found


def plain(value):
    """A value SQLite keeps: dates as ISO text, decimals as floats."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value.__class__.__name__ == "Decimal":
        return float(value)
    return value


def fingerprint_of(path):
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("select value from bench_meta where key = 'fingerprint'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return None
    return row[0] if row else None


def metadata(database):
    return {
        "databases": {
            database: {
                "tables": {
                    "trials": {
                        "facets": FACETS,
                        "fts_table": "trials_fts",
                        "fts_pk": "id",
                        "size": 20,
                    }
                }
            }
        }
    }


def command(*, path, port, metadata_path):
    """Datasette at its best for read-only data: immutable mode, facet suggestions off, and time
    limits high enough that it answers every question in full rather than timing out."""
    datasette = Path(sys.executable).with_name("datasette")
    return [
        str(datasette),
        "serve",
        "-i",
        str(path),
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--metadata",
        str(metadata_path),
        "--setting",
        "suggest_facets",
        "off",
        "--setting",
        "sql_time_limit_ms",
        "60000",
        "--setting",
        "facet_time_limit_ms",
        "60000",
        "--setting",
        "default_page_size",
        "20",
    ]
