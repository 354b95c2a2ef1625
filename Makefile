# Two commands on a fresh clone: `make demo` and `make test` (see README "Quick start").
# Any Python 3.11–3.13 works: the first suitable one on PATH, or `make demo PYTHON=python3.12`.
PYTHON ?= $(shell scripts/find_python.sh 2>/dev/null)
VENV ?= .venv
BIN := $(VENV)/bin
# Exact versions the suite last passed with (`make lock` rewrites it).
LOCK := requirements.lock
# Not quiet: on a first run its "Collecting …" lines are the progress.
PIP_INSTALL := $(BIN)/python -m pip install --constraint $(LOCK)

.PHONY: demo test test-fast lint migrations-check format install install-dev lock venv clean

venv:
	@test -n "$(PYTHON)" || scripts/find_python.sh >/dev/null
	@scripts/venv.sh "$(PYTHON)" "$(VENV)"

$(VENV)/.installed: pyproject.toml $(LOCK) | venv
	@echo "Installing the app's packages into $(VENV) (the first time takes a minute or two)…"
	$(PIP_INSTALL) -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK) | venv
	@echo "Installing the app's and the test tools' packages into $(VENV) (the first time takes a few minutes)…"
	$(PIP_INSTALL) -e '.[dev]'
	@touch $(VENV)/.installed $@

## axe-core, injected into pages by the browser tests (pinned by tests/browser_deps/package-lock.json).
AXE := tests/browser_deps/node_modules/axe-core/axe.min.js
$(AXE): tests/browser_deps/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends npm)
	npm ci --prefix tests/browser_deps --no-audit --no-fund
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## The demo: SQLite, the Zoom sandbox, a background worker on a file-system broker.
## Ports: make demo PORT=8001 SANDBOX_PORT=9101
demo: $(VENV)/.installed
	$(BIN)/python scripts/demo.py

## The whole test suite, against PostgreSQL, Redis and headless Chromium (installed if missing).
test: $(VENV)/.installed-dev $(AXE)
	PYTHON=$(BIN)/python scripts/ensure_test_services.sh
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## The fast tier: unit tests of the pure parts (Zoom request bodies, parsing and matching Zoom's
## meetings, slot arithmetic, the client against mocked HTTP): no sandbox, worker, browser or database.
test-fast: $(VENV)/.installed-dev
	$(BIN)/python -m pytest tests/unit tests/integrations/test_zoom_client.py tests/webhooks/test_envelope.py $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## Fails when a model change has no migration.
migrations-check: $(VENV)/.installed-dev
	DJANGO_DEBUG=1 DATABASE_URL=sqlite://:memory: $(BIN)/python manage.py makemigrations --check --dry-run

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## Rewrites requirements.lock with the newest versions pyproject.toml allows (then run the suite).
lock:
	rm -rf .venv-lock
	"$(PYTHON)" -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip
	.venv-lock/bin/python -m pip install --quiet -e '.[dev]'
	{ echo "# Exact versions the test suite passed with; make install uses them as constraints."; \
	  echo "# Rewritten by make lock."; \
	  .venv-lock/bin/python -m pip freeze --exclude-editable; } > $(LOCK)
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var staticfiles build .pytest_cache *.egg-info
