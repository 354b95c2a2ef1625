# Two commands on a fresh clone: `make demo` and `make test` (see README "Quick start").
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test test-fast lint format check-deploy install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## The demo: SQLite, the Zoom sandbox, a background worker on a file-system broker.
demo: $(VENV)/.installed
	$(BIN)/python scripts/demo.py

## The whole test suite, against PostgreSQL, Redis and headless Chromium (installed if missing).
test: $(VENV)/.installed-dev
	scripts/ensure_test_services.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The fast tier: unit tests of the pure parts (Zoom request bodies, parsing and matching Zoom's
## meetings, slot arithmetic, the client against mocked HTTP): no sandbox, worker, browser or database.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/unit tests/integrations/test_zoom_client.py tests/webhooks/test_envelope.py $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var staticfiles .pytest_cache
