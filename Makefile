# Two commands on a fresh clone: `make demo` and `make test` (see README "Quick start").
# Any Python 3.11–3.13 works: the first suitable one on PATH, or `make demo PYTHON=python3.12`.
PYTHON ?= $(shell scripts/find_python.sh 2>/dev/null)
VENV ?= .venv
BIN := $(VENV)/bin
# Exact versions the suite last passed with, each with the hashes of every file pip may download for
# it (any platform, Python 3.11–3.13): the app's (LOCK) and the app's with the test tools
# (DEV_LOCK). `make lock` writes both from pyproject.toml.
LOCK := requirements.lock
DEV_LOCK := requirements-dev.lock
PIP := $(BIN)/python -m pip
# Every package from a lock file, checked against its hashes (not quiet: on a first run its
# "Collecting …" lines are the progress); then the app itself, built with the locked setuptools
# (nothing else is downloaded), and a check that what is installed fits together.
define install_locked
	$(PIP) install --require-hashes -r $(1)
	$(PIP) install --no-deps --no-build-isolation --quiet -e .
	$(PIP) check
endef

.PHONY: demo test test-fast lint migrations-check format install install-dev lock venv clean messages

venv:
	@test -n "$(PYTHON)" || scripts/find_python.sh >/dev/null
	@scripts/venv.sh "$(PYTHON)" "$(VENV)"

$(VENV)/.installed: pyproject.toml $(LOCK) | venv
	@echo "Installing the app's packages into $(VENV) (the first time takes a minute or two)…"
	$(call install_locked,$(LOCK))
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(DEV_LOCK) | venv
	@echo "Installing the app's and the test tools' packages into $(VENV) (the first time takes a few minutes)…"
	$(call install_locked,$(DEV_LOCK))
	@touch $(VENV)/.installed $@

## axe-core, injected into pages by the browser tests (pinned by tests/browser_deps/package-lock.json).
AXE := tests/browser_deps/node_modules/axe-core/axe.min.js
$(AXE): tests/browser_deps/package-lock.json
	command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends npm)
	npm ci --prefix tests/browser_deps --no-audit --no-fund
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## The demo: SQLite, the Zoom sandbox, a background worker on the embedded broker.
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

## The guest's languages (settings.LANGUAGES): collects the strings marked for translation into
## locale/<language>/LC_MESSAGES/django.po (translate the new ones there), then compiles the .mo
## files the app reads. Both are committed, so installing the app needs no gettext tools.
MESSAGES_IGNORE := --ignore='.venv*' --ignore=tests --ignore=zoom_sandbox --ignore=benchmarks \
	--ignore=scripts --ignore=build --ignore=var --ignore=staticfiles --ignore=node_modules
messages: $(VENV)/.installed-dev
	command -v msgfmt >/dev/null || (apt-get update -qq && apt-get install -y -qq --no-install-recommends gettext)
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemessages -l de -l fr -l es -l pt --no-location \
		--no-obsolete --extension html,txt,py $(MESSAGES_IGNORE)
	DJANGO_DEBUG=1 $(BIN)/python manage.py compilemessages $(MESSAGES_IGNORE)

## Writes both lock files from pyproject.toml, keeping the versions they pin and adding what is new
## (`make lock UPGRADE=1`: the newest versions pyproject.toml allows; then run the suite). Compiled on
## the oldest Python the project supports, whose needs include the newer ones'.
LOCK_PYTHON ?= $(shell scripts/find_python.sh --oldest 2>/dev/null)
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make lock" .venv-lock/bin/pip-compile --quiet \
	--generate-hashes --allow-unsafe --strip-extras --build-deps-for wheel --no-emit-index-url \
	--no-emit-find-links $(if $(UPGRADE),--upgrade)
lock:
	rm -rf .venv-lock
	"$(LOCK_PYTHON)" -m venv .venv-lock
	.venv-lock/bin/python -m pip install --quiet --upgrade pip 'pip-tools>=7.4,<8'
	$(PIP_COMPILE) -o $(LOCK) pyproject.toml
	$(PIP_COMPILE) --extra dev -o $(DEV_LOCK) pyproject.toml
	rm -rf .venv-lock

clean:
	rm -rf $(VENV) var staticfiles build .pytest_cache *.egg-info
