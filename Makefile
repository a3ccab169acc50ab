# careerpath: the README's two commands are `make run` and `make test`.
# Every target is safe to run again; stamps in .venv/ and node_modules/ skip work already done.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
CHROMIUM ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000
# Local runs are for development: DEBUG on unless the environment says otherwise.
RUN_ENV := DEBUG=$${DEBUG:-true}

.PHONY: help run test prerequisites python-deps node-deps frontend chromium redis migrate demo lint format clean

help:
	@echo "make run   install what is needed, migrate, load demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test  install what is needed (Chromium included) and run every test"

run: python-deps frontend migrate demo
	$(RUN_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# One test process per core (pytest-xdist); PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= auto
test: python-deps frontend chromium redis
	$(PY) -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

# --- prerequisites -----------------------------------------------------------------------
# Installs Debian packages when it can (as root); otherwise says exactly what to install.
define need_debian
	@if ! command -v $(1) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing $(2) from Debian's packages"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2); \
	  else \
	    echo "careerpath needs '$(1)'. Install it with: sudo apt-get install $(2)" >&2; exit 1; \
	  fi; \
	fi
endef

prerequisites:
	$(call need_debian,$(PYTHON),python3 python3-venv)
	$(call need_debian,node,nodejs npm)
	$(call need_debian,npm,npm)
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "careerpath needs Python 3.11 or newer: sudo apt-get install python3")'
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && apt-get install -y -qq python3-venv; \
	  else echo "careerpath needs Python's venv module. Install it with: sudo apt-get install python3-venv" >&2; exit 1; fi; }

$(VENV)/.installed: pyproject.toml | prerequisites
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

python-deps: $(VENV)/.installed

node_modules/.installed: package.json package-lock.json | prerequisites
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node-deps: node_modules/.installed

FRONTEND_SOURCES := build.mjs $(wildcard static/scss/*.scss static/js/*.mjs)
static/build/.built: node_modules/.installed $(FRONTEND_SOURCES)
	npm run --silent build
	touch $@

frontend: static/build/.built

chromium:
	$(call need_debian,$(CHROMIUM),chromium)

# The two-instance test starts a Redis server of its own (tests/test_two_instances.py).
redis:
	$(call need_debian,redis-server,redis-server)

migrate: python-deps
	$(RUN_ENV) $(PY) manage.py migrate --no-input

demo: python-deps
	$(RUN_ENV) $(PY) manage.py load_demo

# --- helpers ---------------------------------------------------------------------------
lint: python-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: python-deps
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) node_modules static/build staticfiles
