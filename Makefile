# OwnerVoice: `make run` starts the demo site, `make test` runs every test.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
REDIS_TEST_URL ?= redis://127.0.0.1:6379/15
HOST ?= 127.0.0.1
PORT ?= 5000
# The site reads them too (config.local_site_url), so e-mail links use the port it runs on.
export HOST PORT

.PHONY: run test test-sqlite test-postgres e2e translations i18n-extract migrate-db clean bench bench-smoke bench-search proofs

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

translations: $(VENV)/.runtime
	$(BIN)/pybabel compile -d app/translations

i18n-extract: $(VENV)/.runtime
	$(BIN)/pybabel extract --ignore-dirs=".* .venv node_modules" -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output \
	  --project=OwnerVoice -o app/translations/messages.pot .
	$(BIN)/pybabel update -N --no-fuzzy-matching -i app/translations/messages.pot -d app/translations
	$(BIN)/python scripts/fill_english.py

migrate-db: $(VENV)/.runtime translations
	@mkdir -p instance
	$(FLASK) db upgrade

## The site with demo data on http://127.0.0.1:5000 (SQLite in instance/).
run: migrate-db
	$(FLASK) seed-demo
	$(FLASK) search rebuild --if-empty
	$(FLASK) cases tick
	@echo "OwnerVoice is starting on http://$(HOST):$(PORT)/"
	$(FLASK) run --host $(HOST) --port $(PORT)

## Every test: SQLite always; PostgreSQL (and Redis) when reachable; browser journeys when chromium is installed.
test: $(VENV)/.dev translations
	@if $(BIN)/python scripts/reachable.py redis "$(REDIS_TEST_URL)"; then export TEST_REDIS_URL="$(REDIS_TEST_URL)"; \
	  else echo "== Redis not reachable at $(REDIS_TEST_URL): Redis-backed tests are SKIPPED"; fi; \
	echo "== SQLite run"; \
	$(BIN)/python -m pytest -m "not e2e" -q -rs || exit 1; \
	if $(BIN)/python scripts/reachable.py postgres "$(PG_TEST_URL)"; then \
	  echo "== PostgreSQL run ($(PG_TEST_URL))"; \
	  TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python -m pytest -m "not e2e" -q -p no:cacheprovider || exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_TEST_URL): the PostgreSQL run is SKIPPED"; fi
	@$(MAKE) --no-print-directory e2e

## Browser journeys in Debian's chromium (/usr/bin/chromium); skipped with a notice when it is missing.
e2e: $(VENV)/.dev translations
	@if [ -x /usr/bin/chromium ]; then $(BIN)/python -m pytest -m e2e -q -p no:cacheprovider; \
	else echo "== /usr/bin/chromium not installed: browser journeys SKIPPED (apt-get install chromium fonts-wqy-microhei)"; fi

## Benchmark (issue 7): generate a site of POSTS posts and load it with wrk (bench/README.md).
POSTS ?= 100000
BENCH_DB ?= sqlite:///bench/bench-$(POSTS).sqlite3
bench: $(VENV)/.dev translations
	@command -v wrk >/dev/null || { echo "wrk is needed: apt-get install -y wrk"; exit 1; }
	$(BIN)/python bench/generate.py --posts $(POSTS) --database $(BENCH_DB) --replace --check
	$(BIN)/python bench/run.py --database $(BENCH_DB) $(BENCH_ARGS)

bench-smoke: $(VENV)/.dev translations
	$(BIN)/python bench/generate.py --smoke
	@if command -v wrk >/dev/null; then $(BIN)/python bench/run.py --smoke; \
	else echo "== wrk not installed: the load smoke is SKIPPED"; fi
	$(BIN)/python bench/search.py --smoke

## Search benchmark (issue 6): query times and index build over POSTS posts, SQLite and PostgreSQL.
SEARCH_PG ?= postgresql+psycopg://postgres@127.0.0.1:5432/test_gbench
bench-search: $(VENV)/.dev translations
	$(BIN)/python bench/search.py --posts $(POSTS) --database sqlite:///bench/search-$(POSTS).sqlite3 $(SEARCH_ARGS)
	@if $(BIN)/python scripts/reachable.py postgres "$$(echo '$(SEARCH_PG)' | sed 's#/[^/]*$$#/postgres#')"; then \
	  $(BIN)/python bench/search.py --posts $(POSTS) --database "$(SEARCH_PG)" $(SEARCH_ARGS); \
	else echo "== PostgreSQL not reachable at $(SEARCH_PG): its search benchmark is SKIPPED"; fi

## Proofs under load and faults, long versions (tests/proofs; short ones run in make test):
## 32 clients x 120 s, kill -9 x ~60, 50 simultaneous steps, backup while writing,
## 200 fuzzed examples per form; on SQLite, then on PostgreSQL when reachable (databases
## named $(PROOFS_PG_URL)_proof_*, created and dropped by the proofs).
PROOFS_PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/proofs
proofs: $(VENV)/.dev translations
	PROOFS_LONG=1 $(BIN)/python -m pytest tests/proofs -q -p no:cacheprovider || exit 1; \
	if $(BIN)/python scripts/reachable.py postgres "$(PG_TEST_URL)"; then \
	  PROOFS_LONG=1 TEST_DATABASE_URL="$(PROOFS_PG_URL)" $(BIN)/python -m pytest tests/proofs -q \
	    -p no:cacheprovider || exit 1; \
	else echo "== PostgreSQL not reachable at $(PG_TEST_URL): its proofs are SKIPPED"; fi

clean:
	rm -rf $(VENV) instance .pytest_cache
