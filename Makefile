# Klimathubben — everyday commands. See README.md.
#
#   make run           set up .venv, migrate, load demo data once, serve on http://$(HOST):$(PORT)
#   make test          the whole test suite (SQLite; PostgreSQL too when HUB_TEST_DATABASE_URL is set)
#   make bench         the search benchmark (bench/run.py; writes bench/results.json)
#   make translations  extract UI strings, update and compile the English catalogue

PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000
# pytest-xdist workers; the browser tests share one worker (one live server, one Chromium).
TEST_WORKERS ?= 2

VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app hub
TRANSLATIONS := hub/translations
POT := build/messages.pot
MO_FILES := $(patsubst %.po,%.mo,$(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po))

.PHONY: run test bench translations compile-translations

# One gunicorn process with threads is plenty for a local run (see README for production).
run: $(VENV)/.installed compile-translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	@echo "Klimathubben: http://$(HOST):$(PORT)/"
	$(BIN)/gunicorn --bind '$(HOST):$(PORT)' --workers 1 --threads 8 --access-logfile - 'hub:create_app()'

# An empty run (pytest's exit code 5, "no tests ran") fails like any other.
test: $(VENV)/.installed-test node_modules/.installed compile-translations
	$(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) --dist loadgroup --durations=20 || { rc=$$?; \
		[ $$rc -ne 5 ] || echo "make test: pytest ran no tests" >&2; exit $$rc; }

# Options after `make bench BENCH_ARGS=...`, e.g. "--sizes 10000 --duration 5" (see bench/README.md).
bench: $(VENV)/.installed compile-translations
	$(BIN)/python bench/run.py $(BENCH_ARGS)

translations: $(VENV)/.installed
	@mkdir -p $(dir $(POT))
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 \
		--sort-by-file --project Klimathubben --copyright-holder Klimathubben -o $(POT) .
	$(BIN)/pybabel update -i $(POT) -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(TRANSLATIONS) --statistics

compile-translations: $(MO_FILES)

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

# The virtual environment is made once; the package is (re)installed only when pyproject.toml changes.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
