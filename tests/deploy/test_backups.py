"""Backups that restore: `make backup` and `make restore FILE=...`, on the database in use."""

import sqlite3
import stat
from contextlib import contextmanager

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from portal.backups import BackupError, backup_database, connection_arguments, restore_database
from tests.admin.pages import post_change_form
from trials import models as m

# pg_dump and the restore read the database from other connections: the test's data must be
# committed, not held in a test transaction.
pytestmark = pytest.mark.django_db(transaction=True)

SMALL = "NCT04556084"


@contextmanager
def fresh_database(tmp_path):
    """A new, empty database beside the test's own, as a Django DATABASES entry."""
    source = connection.settings_dict
    if connection.vendor != "postgresql":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{source['NAME']}_restored"
    admin = connection_arguments({**source, "NAME": "postgres"})
    with psycopg.connect(**admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**source, "NAME": name}
    finally:
        with psycopg.connect(**admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def raw_connection(database):
    """The same kind of connection to either database, so that values read compare alike."""
    if connection.vendor == "postgresql":
        with psycopg.connect(**connection_arguments(database)) as conn:
            yield conn
        return
    if database is connection.settings_dict:  # the test's own (in memory): Django's connection
        connection.ensure_connection()
        yield connection.connection
        return
    conn = sqlite3.connect(database["NAME"], detect_types=sqlite3.PARSE_DECLTYPES)
    try:
        yield conn
    finally:
        conn.close()


def every_row(database):
    """Every table's rows, as comparable text, sorted: {table: [row, ...]}."""
    tables = {}
    with raw_connection(database) as conn:
        for table in connection.introspection.table_names():
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            tables[table] = sorted(repr(tuple(row)) for row in rows)
    return tables


def test_a_backup_restores_into_a_new_database_equal_row_by_row(
    tmp_path, admin_client, bundled_trials
):
    # A superuser, not a curator: in a transactional test an earlier test may have emptied the
    # tables, the Curators group of the migrations with them.
    trial = m.Trial.objects.get(nct_id=SMALL)
    saved = post_change_form(admin_client, trial, {"brief_title": "A curator's correction"})
    assert saved.status_code == 302
    m.ProblemReport.objects.create(kind="OTHER", message="A report to keep in the backup.")
    assert m.Correction.objects.filter(trial=trial).exists()
    assert trial.history.filter(history_user__username="admin").exists()

    path = backup_database(folder=tmp_path / "backups")
    assert path.parent == tmp_path / "backups" and path.stat().st_size > 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with fresh_database(tmp_path) as target:
        restore_database(path, database=target)
        before, after = every_row(connection.settings_dict), every_row(target)
    assert before.keys() == after.keys()
    for table in before:
        assert after[table] == before[table], table
    assert len(before["trials_trial"]) > 0
    assert len(before["trials_historicaltrial"]) > len(before["trials_trial"])
    assert len(before["trials_correction"]) > 0


def test_a_restore_over_a_database_that_is_not_empty_is_refused_unless_asked(
    tmp_path, bundled_trials
):
    path = backup_database(folder=tmp_path)
    with pytest.raises(CommandError, match="is not empty .* pass --replace"):
        call_command("restore_database", str(path))
    assert m.Trial.objects.count() == len(bundled_trials.created)

    with fresh_database(tmp_path) as target:
        restore_database(path, database=target)
        restore_database(path, database=target, replace=True)  # twice over: no duplicates
        assert every_row(target) == every_row(connection.settings_dict)


def test_a_file_that_is_not_a_backup_is_refused_with_a_clear_message(tmp_path, db):
    missing = tmp_path / "nothing.dump"
    with pytest.raises(BackupError, match="There is no backup file"):
        restore_database(missing, database=connection.settings_dict)
    junk = tmp_path / "junk.dump"
    junk.write_text("not a backup at all " * 100)
    with (
        fresh_database(tmp_path) as target,
        pytest.raises(BackupError, match="is not a (PostgreSQL|SQLite) backup"),
    ):
        restore_database(junk, database=target)


def test_the_backup_command_says_where_it_wrote(tmp_path, db, capsys):
    call_command("backup_database", "--folder", str(tmp_path))
    out = capsys.readouterr().out
    written = list(tmp_path.iterdir())
    assert len(written) == 1
    assert out.strip() == f"Backed up to {written[0]}"
