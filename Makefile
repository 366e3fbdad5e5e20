# The two promises: `make run` and `make test`, on a fresh machine with only Python 3.11+.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# Local development defaults; a real deployment sets these in its environment (README).
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-1}

.PHONY: install run migrate import curator test test-sqlite test-postgres check format clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

install: $(VENV)/.installed

migrate: install
	$(DEV_ENV) $(PY) manage.py migrate --noinput

import: migrate
	$(DEV_ENV) $(PY) manage.py import_trials --publish data/trials

run: import
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# A curator's account for the admin: asks for a username and a password (there is no default).
curator: migrate
	$(DEV_ENV) $(PY) manage.py create_curator

# The suite on SQLite always, and on PostgreSQL too when DATABASE_URL names one.
test: install
	$(PY) -m ruff check .
	$(MAKE) --no-print-directory test-sqlite
	@case "$${DATABASE_URL:-}" in \
	  postgres*) $(MAKE) --no-print-directory test-postgres ;; \
	  *) echo "DATABASE_URL names no PostgreSQL database: the suite ran on SQLite only." ;; \
	esac

test-sqlite: install
	env -u DATABASE_URL $(PY) -m pytest

test-postgres: install
	$(PY) -m pytest

check: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	DJANGO_DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Production-like: gunicorn with 2 x cores + 1 workers (WEB_CONCURRENCY overrides) on PORT, with
# settings from the environment as in production (README, "Deploying").
serve: install
	$(PY) -m gunicorn portal.wsgi --bind 127.0.0.1:$(PORT) \
	  --workers $${WEB_CONCURRENCY:-$$($(PY) -c 'import os; print(2 * os.cpu_count() + 1)')}

# The portal against Datasette on synthetic trials at scale (README, "Benchmarks"). Slow, and
# never part of `make test`; BENCH_SIZES="1000" for a quick run.
bench: $(VENV)/.bench-installed
	$(PY) -m bench.run

$(VENV)/.bench-installed: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[test,bench]'
	touch $@

.PHONY: serve bench
