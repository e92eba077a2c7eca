# pb: the two commands the README promises.
#   make run   set up everything, migrate a SQLite database here, load demo data, serve on :8000
#   make test  set up everything (with test tools), run the static checks, then every test on SQLite and PostgreSQL
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8000
# PostgreSQL server for the second test run (a fresh database is created and dropped on it).
PB_TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432
export PB_TEST_POSTGRES_URL

.PHONY: setup setup-test assets run test check test-sqlite test-postgres translations bench bench-counting bench-load clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

pb/static/.built: node_modules/.installed scripts/build-assets.mjs $(wildcard pb/assets/*)
	node scripts/build-assets.mjs
	touch $@

assets: pb/static/.built

setup: $(VENV)/.installed assets

setup-test: setup $(VENV)/.installed-test

run: setup
	$(BIN)/pb migrate
	$(BIN)/pb demo
	$(BIN)/pb run --host $(HOST) --port $(PORT)

test: setup-test
	$(MAKE) --no-print-directory check
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Static checks: lint and format (ruff), types (mypy), layers (import-linter).
check: setup-test
	@echo "== static checks =="
	$(BIN)/ruff check pb tests bench
	$(BIN)/ruff format --check pb tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test-sqlite:
	@echo "== tests on SQLite =="
	PB_TEST_DATABASE=sqlite $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL ($(PB_TEST_POSTGRES_URL)) =="
	@if $(BIN)/python -c "import asyncio, asyncpg, os; asyncio.run(asyncpg.connect(os.environ['PB_TEST_POSTGRES_URL'] + '/postgres', timeout=5))" 2>/dev/null; then \
	  PB_TEST_DATABASE=postgres $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS); \
	elif [ -n "$$CI" ]; then echo "PostgreSQL is not reachable at $(PB_TEST_POSTGRES_URL): CI must run both engines"; exit 1; \
	else echo "SKIPPED: no PostgreSQL server at $(PB_TEST_POSTGRES_URL) (set PB_TEST_POSTGRES_URL, or start one)"; fi

# Benchmarks (bench/README.md): counting next to pabutools (about 10 minutes), and the load test of
# the voting journey on PostgreSQL (a few minutes; BENCH_LOAD_ARGS, e.g. "--voters 1000 --workers 3").
bench: bench-counting bench-load

bench-counting: setup-test
	$(BIN)/python bench/counting.py
	$(BIN)/python bench/completion.py
	$(BIN)/python bench/passwords.py

bench-load: setup
	$(BIN)/python bench/load.py --server $(PB_TEST_POSTGRES_URL) $(BENCH_LOAD_ARGS)

translations: setup-test
	PYTHON=$(BIN)/python scripts/update-translations.sh

clean:
	rm -rf $(VENV) node_modules pb/static
