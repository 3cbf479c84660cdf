# HealthGaps: `make run` serves the app, `make test` runs the whole suite. Both set up what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO := var/demo
DATASET ?= $(DEMO)
PORT ?= 8050

.PHONY: run test test-fast check demo deps dev-deps chromium redis bench clean

run: deps $(DEMO)/manifest.json
	@# The public view opens on a dataset whose disclosure audit passed: audit a new build (about a minute).
	@test $(DATASET)/disclosure-audit.json -nt $(DATASET)/manifest.json || \
	  $(BIN)/python -m analysis disclosure-audit --dataset $(DATASET) --record || \
	  echo "The public view of $(DATASET) stays closed: see the audit above (coordinators can log in)."
	HEALTHGAPS_DATASET=$(DATASET) PORT=$(PORT) $(BIN)/gunicorn app:server --config gunicorn.conf.py

test: dev-deps chromium redis check
	$(BIN)/python -m pytest

# The quick loop while editing (about 90 s): no browser, none of the tests marked slow; `make test` runs them all.
test-fast: dev-deps
	$(BIN)/python -m pytest -m "not browser and not slow"

# Lint and import order everywhere, types on data, geo, analysis and figures, and the layering (.importlinter):
# about 15 s. `make test` runs it first.
check: dev-deps
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

demo: deps
	$(BIN)/python -m data demo --out $(DEMO)

deps: $(VENV)/.deps
dev-deps: $(VENV)/.dev-deps

$(VENV)/.deps: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements-dev.txt $(VENV)/.deps
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Rebuilt when the embedded files or the code that builds it change (about 2 s).
$(DEMO)/manifest.json: $(wildcard data/*.py geo/*.py data/embedded/afghanistan/*) | $(VENV)/.deps
	$(BIN)/python -m data demo --out $(DEMO)

# Debian's Chromium for the browser tests (Playwright drives it; it never downloads a browser).
chromium:
	@command -v chromium >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium chromium-driver; }

# Debian's redis-server for the tests of the shared store (each test run starts its own on a free loopback port).
redis:
	@command -v redis-server >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq redis-server; }

bench: dev-deps chromium
	$(BIN)/python -m bench --write

clean:
	rm -rf $(VENV) var test-output
