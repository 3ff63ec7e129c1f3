# CODI Plans. `make run` serves a first-run copy on http://127.0.0.1:8000; `make test` runs the suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := codi_plans.settings

.PHONY: run test venv system-packages env messages setup lint format clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

venv: $(STAMP)

# Debian packages the product needs: gettext (translations), Thai fonts, Pango for WeasyPrint's PDFs.
SYSTEM_PACKAGES := gettext fonts-thai-tlwg libpango-1.0-0 libpangoft2-1.0-0
system-packages:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else \
	    echo "Missing system packages; install them with: sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

# A local .env with a random secret key; never overwritten once it exists.
.env:
	@key=$$($(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))"); \
	printf 'DJANGO_SECRET_KEY=%s\nDJANGO_DEBUG=True\nDJANGO_ALLOWED_HOSTS=127.0.0.1,localhost\n' "$$key" > .env; \
	echo "Wrote .env with a new random DJANGO_SECRET_KEY"

env: .env
	@grep -q '^DJANGO_SECRET_KEY=' .env || { key=$$($(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))"); echo "DJANGO_SECRET_KEY=$$key" >> .env; }

messages: venv system-packages
	DJANGO_SECRET_KEY=compilemessages $(PY) manage.py compilemessages --ignore=$(VENV) -v0

setup: venv system-packages env messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_geography
	$(PY) manage.py load_plan_hierarchy
	$(PY) manage.py load_indicators
	$(PY) manage.py create_demo_accounts
	$(PY) manage.py load_demo_budgets
	$(PY) manage.py load_demo_year

run: setup
	$(PY) manage.py runserver 127.0.0.1:8000

# axe-core (pinned in package-lock.json) for the accessibility checks in the browser tests; the product itself
# serves nothing from npm. Without npm those checks are skipped locally and fail in CI.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility checks in the browser tests cannot run"; fi

# The suite runs on SQLite with eager Celery unless DATABASE_URL / REDIS_URL say otherwise (CI sets both).
# Parallel workers (pytest-xdist), one per core: PYTEST_WORKERS=0 runs everything in one process.
# Outside CI a PostgreSQL test database is kept between runs (--reuse-db; PYTEST_ARGS=--create-db rebuilds it);
# CI builds it from the migrations every time. (SQLite's test database lives in memory: nothing to reuse.)
PYTEST_WORKERS ?= auto
PYTEST_REUSE_DB := $(if $(filter true,$(CI)),,--reuse-db)
test: venv system-packages messages node_modules/.installed
	DJANGO_SECRET_KEY=test-only DJANGO_DEBUG=True $(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_REUSE_DB) $(PYTEST_ARGS)

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: venv
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache node_modules

# Benchmarks: every bench/*.py (but the shared common.py and the load test) in turn, all on ONE database holding the
# national data set (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/codi_bench), which the first one
# creates, migrates and fills when it is missing; see bench/README.md. `make bench-data` only builds that database.
# `make bench BENCH_ARGS="--repeats 50"`; "--rebuild" rebuilds the data set once; "--sqlite" uses SQLite (the
# PostgreSQL-only benchmarks skip); "--scale 0.05 --repeats 1" is a quick check on a small data set.
.PHONY: bench bench-data
bench: venv bench-data
	@for script in bench/*.py; do \
	  case "$$(basename $$script)" in common.py|load.py|locustfile.py) continue;; esac; \
	  echo "== $$script"; \
	  $(PY) $$script $(filter-out --rebuild,$(BENCH_ARGS)) || exit 1; \
	done

bench-data: venv
	$(PY) bench/common.py $(BENCH_ARGS)

# The national data set (bench/README.md): a plan with 3–8 projects for each of the 7,436 tambons, FY2565 budget
# requests and four quarters of results, on the configured DATABASE_URL. `make demo-data DEMO_ARGS="--reset"`
# rebuilds it; DEMO_ARGS="--scale 0.1 --seed 7" builds a smaller or different one.
.PHONY: demo-data load
demo-data: venv
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_geography
	$(PY) manage.py load_plan_hierarchy
	$(PY) manage.py load_indicators
	$(PY) manage.py build_national_dataset $(DEMO_ARGS)

# Load test: gunicorn (2 workers) on 127.0.0.1 and PostgreSQL (LOAD_DATABASE_URL, default codi_national; created and
# migrated when missing, the national data set built there when missing), locust with 50 users for 60 s; writes
# bench/results/load.md. Its own database, because the load test saves plans and results.
load: venv
	$(PY) bench/load.py $(LOAD_ARGS)

# API fuzzing (schemathesis): every operation as an API client and as central staff, no 5xx and responses that
# match /api/schema/. CI runs the bounded form inside `make test` (5 examples per operation, no coverage phase).
.PHONY: fuzz
fuzz: venv
	DJANGO_SECRET_KEY=test-only DJANGO_DEBUG=True FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-100} FUZZ_FULL=1 \
	  $(PY) -m pytest codi_plans/tests/test_api_fuzz.py $(PYTEST_ARGS)
