# One command for everything a contributor does. Python 3.11; a virtualenv in .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501
export DASHBOARD_DATA_DIR ?= $(CURDIR)/published

.PHONY: help install data run demo serve-prod test test-fast coverage bench bench-deps lint format browser-deps deploy-deps axe-deps clean messages load audit

help:
	@echo "make run     set up, build the dataset from data/, serve the dashboard on http://localhost:$(PORT)"
	@echo "make test    set up and run every test (unit, ETL, app, browser)"
	@echo "make demo    like make run, plus an illustrative (synthetic) case log and event files, clearly labelled"
	@echo "make serve-prod  nginx on http://$(LISTEN) in front of $(REPLICAS) replicas under supervisord (docs/DEPLOY.md)"
	@echo "make bench   benchmarks; results in docs/BENCHMARKS.md"
	@echo "make load    load test only (URL=... for a running server); make audit: dependency advisories (network)"
	@echo "make lint    ruff check + ruff format --check + mypy (etl/, dataset/, dashboard/)"
	@echo "make coverage  test coverage of etl/, dataset/ and dashboard/ by the ETL and dashboard tests"

$(BIN)/.installed: requirements.txt requirements-dev.txt constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt -c constraints.txt
	touch $@

install: $(BIN)/.installed

# The dataset is rebuilt when any input, contract or ETL file changes.
DATA_INPUTS := $(shell find data etl dataset -type f -not -name '*.pyc' 2>/dev/null)
$(DASHBOARD_DATA_DIR)/LATEST: $(BIN)/.installed $(DATA_INPUTS)
	$(BIN)/python -m etl build

# The static site of the release (published/site/<version>/ and latest/); quick when that version's is built.
data: $(DASHBOARD_DATA_DIR)/LATEST
	$(BIN)/python -m dashboard.site

run: data
	$(BIN)/python -m dashboard.serve --server.port $(PORT) --server.address localhost

# The real data (UCDP GED included) plus an illustrative (synthetic) case log and ACLED and GTD event files,
# published into its own folder.
DEMO_DIR := $(CURDIR)/demo
demo: $(BIN)/.installed
	$(BIN)/python -m etl generate-caselog --rows 1000000 --seed 2025 --out $(DEMO_DIR)/caselog-illustrative.parquet
	$(BIN)/python -m etl generate-events --dataset acled --rows 20000 --seed 2025 --out $(DEMO_DIR)/acled-illustrative.csv
	$(BIN)/python -m etl generate-events --dataset gtd --rows 10000 --seed 2025 --out $(DEMO_DIR)/gtd-illustrative.csv
	$(BIN)/python -m etl build --out $(DEMO_DIR)/published --case-log $(DEMO_DIR)/caselog-illustrative.parquet \
	  --events $(DEMO_DIR)/acled-illustrative.csv --events $(DEMO_DIR)/gtd-illustrative.csv
	$(BIN)/python -m dashboard.site --published $(DEMO_DIR)/published
	DASHBOARD_DATA_DIR=$(DEMO_DIR)/published $(BIN)/python -m dashboard.serve --server.port $(PORT) --server.address localhost

# nginx in front of several replicas under supervisord, all as the current user (docs/DEPLOY.md).
REPLICAS ?= 2
LISTEN ?= 127.0.0.1:8080
serve-prod: data deploy-deps
	$(BIN)/python -m deploy.render --run --replicas $(REPLICAS) --listen $(LISTEN)

browser-deps:
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; \
	  else echo "Browser tests need Debian's Chromium and poppler-utils: sudo apt-get install chromium poppler-utils (they are skipped until then)"; fi; \
	fi

# Debian's nginx and rsync for the deployment tests (tests/deploy/); installed when run as root, else skipped.
deploy-deps:
	@if [ ! -x /usr/sbin/nginx ] || ! command -v rsync >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq nginx rsync >/dev/null; \
	  else echo "Deployment tests need Debian's nginx and rsync: sudo apt-get install nginx rsync (skipped until then)"; fi; \
	fi

# axe-core from the npm registry (pinned in tests/browser/package-lock.json), injected by the accessibility tests.
AXE := tests/browser/node_modules/axe-core/axe.min.js
$(AXE): tests/browser/package.json tests/browser/package-lock.json
	@if command -v npm >/dev/null; then npm ci --prefix tests/browser --no-audit --no-fund --silent; \
	else echo "The accessibility tests need npm (apt-get install npm); they are skipped until then"; fi

axe-deps: $(AXE)

# Two pytest-xdist workers; tests that share one browser server, one nginx deployment or a module's server
# stay together in one worker (their xdist_group, tests/conftest.py). TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= 2
test: install browser-deps deploy-deps axe-deps
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-fast: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not browser and not network"

# Line coverage of etl/, dataset/ and dashboard/ by the ETL and dashboard tests (README "Tests"); kept out of
# `make test`, which it would slow.
coverage: install
	$(BIN)/python -m pytest -q --cov=etl --cov=dataset --cov=dashboard --cov-report=term tests/etl tests/dashboard

bench: data bench-deps deploy-deps
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.load --report
	$(BIN)/python -m benchmarks.hostile --report
	$(BIN)/python -m benchmarks.site --report

# wrk (Debian's package), the load generator of the static site's 1,000-reader benchmark; installed when run as root.
bench-deps:
	@if ! command -v wrk >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq wrk >/dev/null; \
	  else echo "The site benchmark measures 1,000 readers with wrk: sudo apt-get install wrk (Python readers until then)"; fi; \
	fi

# Concurrent websocket sessions against a running dashboard (e.g. behind the proxy): make load URL=http://host:port
load: data
	$(BIN)/python -m benchmarks.load $(if $(URL),--base-url $(URL),) --report

# Needs the internet, so it is not part of make test: run it on a schedule (and before a release).
audit: install
	$(BIN)/python -m pytest -m network -rw -p no:cacheprovider tests/security/test_dependencies.py

# After adding or changing a user-visible string: refresh the English and Urdu catalogues (then translate).
messages: install
	$(BIN)/python -m dashboard.catalogue

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) published demo test-output bench-output .pytest_cache .ruff_cache .mypy_cache .coverage
