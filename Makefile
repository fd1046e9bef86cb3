# Sakhi: two commands do all set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1:8000

.PHONY: run test install migrate seed lint format messages browser-deps check clean

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
TEST_WORKERS ?= auto
test: install browser-deps
	$(PY) -m pytest -n $(TEST_WORKERS) -m "not browser"
	$(PY) -m pytest -n $(TEST_WORKERS) -m browser

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

clean:
	rm -rf $(VENV) db.sqlite3 static
