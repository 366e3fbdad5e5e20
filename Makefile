# The two promises: `make run` and `make test`, on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Local development defaults; a real deployment sets these in its environment (README).
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: install messages run migrate import curator test test-sqlite test-postgres check audit lock format clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# The runtime dependencies from the lock a deployment installs (README, "Deploying"), so tests run
# on the same set; then the project itself and its test tools, within pyproject.toml's ranges.
$(VENV)/.installed: pyproject.toml requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed var/gazetteer.idx
	@$(MAKE) --no-print-directory messages

# The place gazetteer parsed once into the index file every process maps (README, "Deploying"),
# and again when the installed packages change (GeoNames' data comes in one of them).
var/gazetteer.idx: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py build_gazetteer

# The translations (locale/*/LC_MESSAGES/django.po) compiled to the .mo files Django reads: built
# here and at deploy, never committed (README, "Languages"). Needs gettext's msgfmt.
messages: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules --verbosity 0

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

import: migrate
	$(DEV_ENV) $(PY) manage.py import_trials --publish data/trials

run: import
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# A curator's account for the admin: asks for a username and a password (there is no default).
curator: migrate
	$(DEV_ENV) $(PY) manage.py create_curator

# The suite on SQLite always, and on PostgreSQL too when DATABASE_URL names one. The two runs go
# side by side: each spends much of its time waiting (on Chromium, gunicorn, the database), so on
# two cores both take little longer than the slower alone (CI must stay under 30 minutes). The
# SQLite run's output is kept in .test-sqlite.log and printed after; each run has its own Redis
# database for the tests that count in Redis (TEST_REDIS_URL).
test: install
	$(PY) -m ruff check .
	@case "$${DATABASE_URL:-}" in \
	  postgres*) \
	    env -u DATABASE_URL TEST_REDIS_URL=redis://127.0.0.1:6379/13 $(PY) -m pytest \
	      > .test-sqlite.log 2>&1 & sqlite=$$!; \
	    echo "The suite on PostgreSQL here, on SQLite beside it (.test-sqlite.log, printed after)."; \
	    TEST_REDIS_URL=redis://127.0.0.1:6379/14 $(PY) -m pytest; postgres=$$?; \
	    wait $$sqlite; sqlite=$$?; \
	    echo; echo "===== The suite on SQLite (.test-sqlite.log) ====="; cat .test-sqlite.log; \
	    echo "SQLite: exit $$sqlite; PostgreSQL: exit $$postgres"; \
	    test $$sqlite -eq 0 -a $$postgres -eq 0 ;; \
	  *) $(MAKE) --no-print-directory test-sqlite; \
	    echo "DATABASE_URL names no PostgreSQL database: the suite ran on SQLite only." ;; \
	esac

test-sqlite: install
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: install
	$(PY) -m pytest

check: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	DJANGO_DEBUG=1 $(PY) manage.py check_translations
	$(MAKE) --no-print-directory audit

# Known vulnerabilities in the installed dependencies. --strict: a package that could not be looked
# up (no network, no answer from PyPI) fails the audit instead of passing unaudited.
audit: install
	@$(PY) -m pip_audit --skip-editable --strict --progress-spinner off || { \
	  echo "pip-audit failed: either a dependency has a known vulnerability (listed above) or"; \
	  echo "the vulnerability data could not be reached, and the dependencies were NOT audited."; \
	  exit 1; }

# The pinned, hash-checked dependency set a deployment installs (README, "Deploying"), from the
# ranges in pyproject.toml. Run after changing a dependency, and commit requirements.lock.
lock: install
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 \
	  --quiet --output-file requirements.lock

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Production-like: gunicorn with 2 x cores + 1 workers (WEB_CONCURRENCY overrides) on PORT, with
# settings from the environment as in production (README, "Deploying"; collectstatic first).
serve: install
	$(PY) -m gunicorn portal.wsgi --preload --bind 127.0.0.1:$(PORT) \
	  --workers $${WEB_CONCURRENCY:-$$($(PY) -c 'import os; print(2 * os.cpu_count() + 1)')}

# The portal against Datasette on synthetic trials at scale (README, "Benchmarks"). Slow, and
# never part of `make test`; BENCH_SIZES="1000" for a quick run.
bench: $(VENV)/.bench-installed
	$(PY) -m bench.run

$(VENV)/.bench-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

# A copy of the whole database in backups/ (BACKUP_DIR), and restoring one (README, "Operating"):
# make restore FILE=backups/portal-....dump; REPLACE=1 to drop what the database holds first.
backup: install
	$(DEV_ENV) $(PY) manage.py backup_database

restore: install
	@test -n "$(FILE)" || { echo "Name the backup: make restore FILE=backups/portal-..."; exit 2; }
	$(DEV_ENV) $(PY) manage.py restore_database "$(FILE)" $(if $(REPLACE),--replace)

# Fifty visitors at once for a minute, and a curator saving trials, against gunicorn with
# PostgreSQL and Redis and 50,000 synthetic trials (README, "Load and fuzzing"). Needs the local
# PostgreSQL and Redis; never part of `make test`.
loadtest: $(VENV)/.load-installed
	$(PY) -m bench.load.run

$(VENV)/.load-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,load]'
	touch $@

# The property-based tests of tests/fuzz/ with 10,000 cases an entry (FUZZ_EXAMPLES), on SQLite
# and then on PostgreSQL when DATABASE_URL names one; FUZZ_SECONDS bounds each database's run.
# `make test` runs the same tests with a few cases each.
fuzz: install
	$(PY) -m bench.fuzz

.PHONY: serve bench backup restore loadtest fuzz
