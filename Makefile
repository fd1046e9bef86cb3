# Sakhi: two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000
# Python writes its bytecode caches (__pycache__, ignored by git) even where the environment says
# not to: without them every process compiles our modules again, and pytest rewrites the asserts of
# every test module again, about 5 s of CPU per test process (each worker of each run).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test production-test install migrate seed lint format messages browser-deps check clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(MANAGE) migrate --noinput

seed: migrate
	$(MANAGE) seed_demo

## make run: venv, install, migrate an SQLite database, load demo data, serve on 127.0.0.1:8000
run: seed
	$(MANAGE) runserver $(HOST)

## make test: the whole suite (unit, integration and browser tests), one worker per core. The
## browser tests run in a process of their own: they flush the database and restore a snapshot,
## which must not meet what the other tests left in a worker's database.
## --dist loadgroup: the modules in tests/conftest.py's ONE_WORKER_MODULES go whole to one worker
## (their costly module fixture is built once), every other test to whichever worker is free.
## (A browser run with one worker more than cores was tried: 141 s -> 131 s once on SQLite, but in
## CI 148 s -> 150 s on SQLite and 164 s -> 198 s on PostgreSQL. One worker per core it stays.)
## (Both runs at once, the browser tests beside the others, was tried too: 334 s against 154 s for
## the others alone, about 120 s for the browser run alone. The others keep both cores busy.)
TEST_WORKERS ?= auto
test: install browser-deps
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not browser and not production"
	$(PY) -m pytest -n $(TEST_WORKERS) -m "browser and not production"

## make production-test: the tests marked `production`: tests/production/ against the production
## topology on 127.0.0.1 (two gunicorn app servers, Redis, an S3 API server, an SMTP sink, a task
## worker, PostgreSQL), with the load benchmark at smoke scale, and the few others that start real
## processes. Without SAKHI_TOPOLOGY_DATABASE_URL the topology runs a PostgreSQL cluster of its own
## (initdb and pg_ctl on the PATH, as Debian's postgresql package puts them for the postgres user).
production-test: install browser-deps
	$(PY) -m pytest -m production -p no:cacheprovider

# The browser tests drive Debian's Chromium; install it (and a Devanagari font) when missing.
# The certificate tests render PDF pages with poppler's pdftoppm; the cache tests start redis-server.
browser-deps:
	@command -v chromium >/dev/null 2>&1 && fc-list 2>/dev/null | grep -qi "Noto Sans Devanagari" && \
		command -v pdftoppm >/dev/null 2>&1 && command -v redis-server >/dev/null 2>&1 || \
		sh scripts/install-browser-deps.sh

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/djhtml --check templates

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .
	$(VENV)/bin/djhtml templates

messages: install
	$(MANAGE) makemessages -l hi --ignore=.venv --ignore=static --ignore=tests --ignore=benchmarks --no-obsolete
	$(MANAGE) compilemessages -l hi --ignore=.venv

## make bench: public pages under load on the production path (2 gunicorn workers, Redis, the page
## cache cold and warm) against a fresh `wagtail start` site (benchmarks/pages.py). CI runs
## `make bench BENCH_ARGS=--smoke`: a second per page, so that the benchmark cannot rot.
.PHONY: bench
BENCH_ARGS ?=
bench: install browser-deps
	$(PY) benchmarks/pages.py $(BENCH_ARGS)

## make bench-smoke: every tracker benchmark (benchmarks/bench_*.py: lists, writes, reports, import,
## certificates) at a small scale on a fresh database, so that none can break unseen; no timing is
## asserted. A temporary SQLite database, or an empty one named by
## BENCH_SMOKE_ARGS="--database-url postgres://...". Full-scale commands: docs/performance.md.
.PHONY: bench-smoke
BENCH_SMOKE_ARGS ?=
bench-smoke: install
	$(PY) benchmarks/smoke.py $(BENCH_SMOKE_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 static
