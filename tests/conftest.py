import os
import socket
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection, transaction
from hypothesis import HealthCheck, settings

from trials.registry.importer import import_paths

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "data" / "trials"
# The project's shared material sits beside the clone; the bundled copies of the two real records
# are byte-for-byte the same files, so the tests still run where shared/ is absent.
SHARED_DATA = ROOT.parent / "shared" / "data"
# The seven real trials the portal was first bundled with, which most tests were written for:
# they import just these files, since the whole folder costs far more (NCT02003222 alone has 551
# sites).
FIRST_SEVEN_IDS = [
    "NCT01207388",
    "NCT02013167",
    "NCT02101853",
    "NCT03643276",
    "NCT04556084",
    "NCT06607419",
    "NCT07117136",
]
FIRST_SEVEN = [
    path
    for path in sorted(BUNDLED.iterdir())
    if path.stem in FIRST_SEVEN_IDS and path.suffix in (".json", ".xml")
]
# Every bundled trial: one file each in data/trials, named by its NCT ID.
BUNDLED_IDS = sorted(p.stem for p in BUNDLED.iterdir() if p.suffix in (".json", ".xml"))
# The bundled records that are the registry's legacy XML, as exported in 2018 to 2020.
LEGACY_IDS = sorted(p.stem for p in BUNDLED.glob("*.xml"))


def shared_record(relative):
    path = SHARED_DATA / relative
    return path if path.exists() else BUNDLED / Path(relative).name


# Property-based tests: a few examples each in `make test` ("ci"), ten thousand in `make fuzz`
# ("fuzz", FUZZ_EXAMPLES to change it). Examples share their test's fixtures (the bundled trials,
# imported once), and a slow machine is no failure: no deadline, no speed health checks.
for _name, _examples in (("ci", 25), ("fuzz", int(os.environ.get("FUZZ_EXAMPLES", 10_000)))):
    settings.register_profile(
        _name,
        max_examples=_examples,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        print_blob=True,
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Tests never leave this machine: connections go to loopback only."""
    real_connect = socket.socket.connect

    def guarded_connect(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (
            host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")
        ):
            raise OSError(f"tests may not reach the network ({host})")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class KeptImport:
    """Bundled records imported once per test session and given to each test that asks.

    Importing the first seven takes half a second on a quiet machine and two or three in CI,
    where both databases' suites share two cores, and some 500 tests on each database ask for
    them. So the records are imported for real once, before the first test that asks and outside
    any test's transaction; the rows the import wrote, in every table, are copied aside
    (kept_<name>_<table>, in the test database) and removed. Each test then gets the same rows
    back by one INSERT ... SELECT per table, in its own transaction. The importer itself is
    tested by tests/registry, which imports for real."""

    def __init__(self, name, paths):
        self.name, self.paths = name, paths
        self.report, self.copies = None, []

    def tables(self):
        """{table: its primary key's column}, for every table of the project's models."""
        return {
            model._meta.db_table: model._meta.pk.column
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }

    def take(self):
        qn = connection.ops.quote_name
        tables = self.tables()
        before = {}
        with connection.cursor() as cursor:
            for table, pk in tables.items():
                cursor.execute(f"SELECT {qn(pk)} FROM {qn(table)}")
                before[table] = [row[0] for row in cursor.fetchall()]
        self.report = import_paths(self.paths, publish=True)
        assert not self.report.failed, self.report.failed
        # Rows of other tables reference each other: removed in one transaction, whose foreign
        # keys are checked at its end (Django makes them deferrable on both databases).
        with transaction.atomic(), connection.cursor() as cursor:
            for table, pk in tables.items():
                copy = f"kept_{self.name}_{table}"[:63]
                written, params = "1 = 1", []
                if before[table]:
                    written = f"{qn(pk)} NOT IN ({', '.join(['%s'] * len(before[table]))})"
                    params = before[table]
                cursor.execute(f"DROP TABLE IF EXISTS {qn(copy)}")
                cursor.execute(
                    f"CREATE TABLE {qn(copy)} AS SELECT * FROM {qn(table)} WHERE {written}",
                    params,
                )
                cursor.execute(f"DELETE FROM {qn(table)} WHERE {written}", params)
                if cursor.rowcount:
                    self.copies.append((table, copy))
                else:
                    cursor.execute(f"DROP TABLE {qn(copy)}")
        return self

    def give(self):
        """The kept rows, in the asking test's database; returns the import's report."""
        from trials.cache import catalogue_changed

        qn = connection.ops.quote_name
        # In one transaction, for the foreign keys (as in take()): a test of transactional_db
        # (a live server's) has none of its own around this.
        with transaction.atomic(), connection.cursor() as cursor:
            for table, copy in self.copies:
                cursor.execute(f"INSERT INTO {qn(table)} SELECT * FROM {qn(copy)}")
        catalogue_changed()  # as the import does: nothing cached before describes these rows
        return self.report


@pytest.fixture(scope="session")
def first_seven_kept(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return KeptImport("first_seven", FIRST_SEVEN).take()


@pytest.fixture(scope="session")
def whole_catalogue_kept(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        return KeptImport("all", [BUNDLED]).take()


@pytest.fixture
def bundled_trials(first_seven_kept, db):
    """The first seven bundled real trials (FIRST_SEVEN), imported and published as `make run`
    does (KeptImport: imported once per session)."""
    return first_seven_kept.give()


@pytest.fixture
def whole_catalogue(whole_catalogue_kept, db):
    """Every bundled trial, imported and published as `make run` does, for the few tests about
    the whole catalogue (KeptImport: imported once per session)."""
    return whole_catalogue_kept.give()


@pytest.fixture(scope="session", autouse=True)
def compiled_translations():
    """The translations compiled from locale/*.po as `make install` does (only those changed
    since), so that a test run started straight from pytest reads the catalogues as written."""
    from django.core.management import call_command

    call_command("compilemessages", ignore_patterns=[".venv", "node_modules"], verbosity=0)


@pytest.fixture(autouse=True)
def in_english():
    """Every test starts in English: a request to /es/... leaves Spanish active in the test's
    thread (LocaleMiddleware activates a language per request and nothing deactivates it), and
    reverse() and get_absolute_url() in the next test would give Spanish addresses."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.activate("en")


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with nothing cached, so query counts and results are its own."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def curator(db):
    """A curator as `make curator` makes one: staff, in the Curators group, not a superuser."""
    from django.contrib.auth.models import User
    from django.core.management import call_command

    call_command("create_curator", "carla", "--no-password", stdout=StringIO())
    user = User.objects.get(username="carla")
    user.set_password("a-long-curator-passphrase")
    user.save()
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client
