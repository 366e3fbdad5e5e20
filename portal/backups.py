"""Backing up the database to one file, and restoring it (README, "Operating").

PostgreSQL: pg_dump's custom format, restored by pg_restore in one transaction (a restore that
fails leaves nothing half-restored). SQLite: its online backup API, which copies a consistent
database while the site keeps serving. Either way the file holds everything: trials, corrections,
history, curators' accounts and problem reports, so it is written readable by its owner only.
"""

import os
import re
import sqlite3
import subprocess
from pathlib import Path

import psycopg
from django.db import connections
from django.utils import timezone

POSTGRESQL = "django.db.backends.postgresql"


class BackupError(Exception):
    """A backup or restore that cannot be done, with a message for the operator."""


def is_postgresql(database):
    return database["ENGINE"] == POSTGRESQL


def backup_database(*, folder, alias="default"):
    """Write a timestamped backup of the database into `folder`; returns its path."""
    database = connections[alias].settings_dict
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    name = database["NAME"] if is_postgresql(database) else Path(str(database["NAME"])).stem
    name = re.sub(r"[^\w-]+", "-", name).strip("-")
    suffix = "dump" if is_postgresql(database) else "sqlite3"
    path = folder / f"portal-{name}-{stamp}.{suffix}"
    # Created empty first with its final permissions, so the data is never readable by others.
    path.touch(mode=0o600, exist_ok=False)
    try:
        if is_postgresql(database):
            run(["pg_dump", "--format=custom", "--file", str(path)], database)
        else:
            copy_sqlite(connections[alias], path)
    except BaseException:
        path.unlink(missing_ok=True)  # never leave a half-written backup that looks whole
        raise
    return path


def copy_sqlite(connection, path):
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
    target.close()


def restore_database(path, *, database, replace=False):
    """Restore the backup at `path` into `database` (a Django DATABASES entry). A database that
    already holds tables is refused unless `replace`: then what it holds is dropped first."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"There is no backup file at {path}.")
    tables = table_count(database)
    if tables and not replace:
        raise BackupError(
            f"The database {database['NAME']} is not empty (it holds {tables} tables). Restore "
            "into a new, empty database, or pass --replace (make restore ... REPLACE=1) to drop "
            "everything it holds first."
        )
    if is_postgresql(database):
        if not path.read_bytes()[:5] == b"PGDMP":
            raise BackupError(f"{path} is not a PostgreSQL backup (pg_dump's custom format).")
        options = ["--clean", "--if-exists"] if replace else []
        command = ["pg_restore", "--single-transaction", "--exit-on-error", "--no-owner"]
        run([*command, *options, str(path)], database)
    else:
        restore_sqlite(path, database["NAME"])


def restore_sqlite(path, target_name):
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True) as source:
            source.execute("PRAGMA quick_check").fetchone()
            with sqlite3.connect(target_name, uri=True) as target:
                source.backup(target)  # replaces the target's pages as one transaction
            target.close()
        source.close()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a SQLite backup ({error}).") from None


def table_count(database):
    if is_postgresql(database):
        with psycopg.connect(**connection_arguments(database)) as conn:
            return conn.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()[0]
    # Named as Django names it: a path, or a "file:" URI (a test's database in memory).
    with sqlite3.connect(database["NAME"], uri=True) as conn:
        count = conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[
            0
        ]
    conn.close()
    return count


def connection_arguments(database):
    arguments = {
        "dbname": database["NAME"],
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
    }
    return {name: value for name, value in arguments.items() if value}


def run(command, database):
    """pg_dump or pg_restore against `database`, its password passed in the environment (never
    on the command line, where other users of the machine could read it)."""
    arguments = connection_arguments(database)
    env = {**os.environ}
    if "password" in arguments:
        env["PGPASSWORD"] = str(arguments["password"])
    options = [
        f"--{name}={arguments[name]}" for name in ("host", "port", "user") if name in arguments
    ]
    command = [command[0], *options, f"--dbname={arguments['dbname']}", *command[1:]]
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError:
        message = f"{command[0]} is not installed (apt-get install postgresql-client)."
        raise BackupError(message) from None
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed:\n{result.stderr.strip()}")
